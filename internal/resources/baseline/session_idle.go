// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
)

// SharePoint's idle session sign-out, the tenant-wide part of the session block. It is read and
// written through internal/m365/sharepoint.

// idleMinutes are the block's attributes: 0 and 0 when idle sign-out is off.
func idleMinutes(s sharepoint.IdleSignOut) (signOut, warning types.Int64) {
	if !s.Enabled {
		return types.Int64Value(0), types.Int64Value(0)
	}
	return types.Int64Value(s.SignOutAfter / 60), types.Int64Value(s.WarnAfter / 60)
}

// idleOrderValidator requires the idle warning to come before the sign-out, taking the defaults
// for omitted values.
type idleOrderValidator struct{ described }

var idleOrder = idleOrderValidator{"idle_warning_minutes must be less than idle_sign_out_minutes"}

func (idleOrderValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	get := func(name string, def int64) (int64, bool) {
		v, ok := req.ConfigValue.Attributes()[name].(types.Int64)
		if !ok || v.IsNull() {
			return def, true
		}
		return v.ValueInt64(), !v.IsUnknown()
	}
	signOut, ok1 := get("idle_sign_out_minutes", sessionDefaultIdleSignOutMin)
	warn, ok2 := get("idle_warning_minutes", sessionDefaultIdleWarningMin)
	if ok1 && ok2 && warn >= signOut {
		p := req.Path.AtName("idle_warning_minutes")
		resp.Diagnostics.AddAttributeError(p, "Idle Warning Not Before Sign-Out",
			fmt.Sprintf("%s (%d) must be less than %s (%d): users are warned before they are signed out. Lower "+
				"idle_warning_minutes or raise idle_sign_out_minutes.", p, warn, req.Path.AtName("idle_sign_out_minutes"), signOut))
	}
}

var _ validator.Object = idleOrder
