// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The plan of mfa.security_defaults_enabled. Security defaults themselves are read and switched
// through internal/m365/identitypolicies.

// securityDefaultsPlan plans mfa.security_defaults_enabled: false when the policy is to be
// enabled (apply turns them off), unknown when enforcement is being taken away (apply may turn
// them back on), and otherwise what the tenant has now, so that an unrelated change does not
// show it as "known after apply".
type securityDefaultsPlan struct{ described }

var securityDefaultsPlanned = securityDefaultsPlan{"plans false when the MFA policy is enabled, otherwise keeps the tenant's current value"}

func (securityDefaultsPlan) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var state types.String
	if d := req.Plan.GetAttribute(ctx, req.Path.ParentPath().AtName("state"), &state); d.HasError() {
		return
	}
	if state.IsNull() {
		return // The block is absent.
	}
	if state.IsUnknown() {
		resp.PlanValue = types.BoolUnknown()
		return
	}
	if state.ValueString() == caStateEnabled {
		resp.PlanValue = types.BoolValue(false)
		return
	}
	if req.State.Raw.IsNull() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		resp.PlanValue = types.BoolUnknown()
		return
	}
	var prior types.String
	if d := req.State.GetAttribute(ctx, req.Path.ParentPath().AtName("state"), &prior); d.HasError() || prior.ValueString() == caStateEnabled {
		resp.PlanValue = types.BoolUnknown()
		return
	}
	resp.PlanValue = req.StateValue
}
