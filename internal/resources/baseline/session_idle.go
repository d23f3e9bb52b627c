// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/admin"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// SharePoint's idle session sign-out (Graph /admin/sharepoint/settings idleSessionSignOut), the
// tenant-wide part of the session block.

const idleObject = "SharePoint idle session sign-out (/admin/sharepoint/settings)"

var (
	idleReadPermissions  = []string{"SharePointTenantSettings.Read.All"}
	idleWritePermissions = []string{"SharePointTenantSettings.ReadWrite.All"}
)

// idleSignOut is the setting in seconds, as Graph has it.
type idleSignOut struct {
	Enabled      bool
	WarnAfter    int64
	SignOutAfter int64
}

// minutes are the block's attributes: 0 and 0 when idle sign-out is off.
func (s idleSignOut) minutes() (signOut, warning types.Int64) {
	if !s.Enabled {
		return types.Int64Value(0), types.Int64Value(0)
	}
	return types.Int64Value(s.SignOutAfter / 60), types.Int64Value(s.WarnAfter / 60)
}

// satisfies reports whether the live setting s is what want asks for. When want is "off", the
// durations do not matter.
func (s idleSignOut) satisfies(want idleSignOut) bool {
	if !want.Enabled {
		return !s.Enabled
	}
	return s == want
}

func flattenIdleSignOut(s models.SharepointSettingsable) idleSignOut {
	if s == nil || s.GetIdleSessionSignOut() == nil {
		return idleSignOut{}
	}
	i := s.GetIdleSessionSignOut()
	out := idleSignOut{Enabled: caTrue(i.GetIsEnabled())}
	if v := i.GetWarnAfterInSeconds(); v != nil {
		out.WarnAfter = *v
	}
	if v := i.GetSignOutAfterInSeconds(); v != nil {
		out.SignOutAfter = *v
	}
	return out
}

// expandIdleSignOut is the PATCH body: only idleSessionSignOut, so that the sharing settings of
// the same object (the sharing block's) stay as they are.
func expandIdleSignOut(want idleSignOut) models.SharepointSettingsable {
	i := models.NewIdleSessionSignOut()
	enabled := want.Enabled
	i.SetIsEnabled(&enabled)
	if want.Enabled {
		warn, signOut := want.WarnAfter, want.SignOutAfter
		i.SetWarnAfterInSeconds(&warn)
		i.SetSignOutAfterInSeconds(&signOut)
	}
	body := models.NewSharepointSettings()
	body.SetIdleSessionSignOut(i)
	return body
}

func sharepointSettings(e *env) *admin.SharepointSettingsRequestBuilder {
	return admin.NewSharepointSettingsRequestBuilderInternal(map[string]string{}, e.tenant.Graph())
}

func readIdleSignOut(ctx context.Context, e *env) (idleSignOut, error) {
	s, err := sharepointSettings(e).Get(ctx, nil)
	if err != nil {
		return idleSignOut{}, m365.GraphError(err, m365.Operation{Action: "reading", Object: idleObject, Permissions: idleReadPermissions})
	}
	return flattenIdleSignOut(s), nil
}

// applyIdleSignOut changes the setting when it differs and waits until Graph reads it back.
func applyIdleSignOut(ctx context.Context, e *env, want idleSignOut) error {
	got, err := readIdleSignOut(ctx, e)
	if err != nil || got.satisfies(want) {
		return err
	}
	if _, err := sharepointSettings(e).Patch(ctx, expandIdleSignOut(want), nil); err != nil {
		return m365.GraphError(err, m365.Operation{Action: "updating", Object: idleObject, Permissions: idleWritePermissions})
	}
	return consistency.WaitFor(ctx, consistency.Defaults, idleObject, func(ctx context.Context) (bool, error) {
		got, err := readIdleSignOut(ctx, e)
		return got.satisfies(want), err
	})
}

// idleOrderValidator requires the idle warning to come before the sign-out, taking the defaults
// for omitted values.
type idleOrderValidator struct{}

func (idleOrderValidator) Description(context.Context) string {
	return "idle_warning_minutes must be less than idle_sign_out_minutes"
}

func (v idleOrderValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

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

var _ validator.Object = idleOrderValidator{}
