// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
)

// Security defaults (Graph /policies/identitySecurityDefaultsEnforcementPolicy), which the mfa
// block's Conditional Access policy replaces.

const securityDefaultsObject = "security defaults (identitySecurityDefaultsEnforcementPolicy)"

var (
	securityDefaultsReadPermissions  = []string{"Policy.Read.All"}
	securityDefaultsWritePermissions = []string{"Policy.ReadWrite.SecurityDefaults"}
)

func securityDefaultsBuilder(e *env) *policies.IdentitySecurityDefaultsEnforcementPolicyRequestBuilder {
	return policies.NewIdentitySecurityDefaultsEnforcementPolicyRequestBuilderInternal(map[string]string{}, e.tenant.Graph())
}

// securityDefaultsEnabled reads whether security defaults are on.
func securityDefaultsEnabled(ctx context.Context, e *env) (bool, error) {
	p, err := securityDefaultsBuilder(e).Get(ctx, nil)
	if err != nil {
		return false, m365.GraphError(err, m365.Operation{Action: "reading", Object: securityDefaultsObject,
			Permissions: securityDefaultsReadPermissions})
	}
	return p != nil && caTrue(p.GetIsEnabled()), nil
}

// setSecurityDefaults turns security defaults on or off and waits until Graph reads it back.
func setSecurityDefaults(ctx context.Context, e *env, on bool) error {
	body := models.NewIdentitySecurityDefaultsEnforcementPolicy()
	body.SetIsEnabled(&on)
	verb := "turning off"
	if on {
		verb = "turning on"
	}
	if _, err := securityDefaultsBuilder(e).Patch(ctx, body, nil); err != nil {
		return m365.GraphError(err, m365.Operation{Action: verb, Object: securityDefaultsObject,
			Permissions: securityDefaultsWritePermissions})
	}
	return consistency.WaitFor(ctx, consistency.Defaults, securityDefaultsObject, func(ctx context.Context) (bool, error) {
		got, err := securityDefaultsEnabled(ctx, e)
		return got == on, err
	})
}

// listPolicies lists every Conditional Access policy of the tenant.
func listPolicies(ctx context.Context, e *env) ([]models.ConditionalAccessPolicyable, error) {
	return capolicies.List(ctx, e.tenant)
}

// securityDefaultsPlan plans mfa.security_defaults_enabled: false when the policy is to be
// enabled (apply turns them off), unknown when enforcement is being taken away (apply may turn
// them back on), and otherwise what the tenant has now, so that an unrelated change does not
// show it as "known after apply".
type securityDefaultsPlan struct{}

func (securityDefaultsPlan) Description(context.Context) string {
	return "plans false when the MFA policy is enabled, otherwise keeps the tenant's current value"
}

func (m securityDefaultsPlan) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

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
