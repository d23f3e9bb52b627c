// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
)

// The sharing block's settings live in two places, Graph's /admin/sharepoint/settings and
// SharePoint's own tenant object; package sharepoint reads and writes both. This file holds the
// block's values for them and maps unmanaged_devices to SharePoint's access policy.

var (
	sharingCapabilityValues = []string{"disabled", "existingExternalUserSharingOnly", "externalUserSharingOnly", "externalUserAndGuestSharing"}
	sharingDomainModeValues = []string{"none", "allowList", "blockList"}
	sharingUnmanagedValues  = []string{"allow", "limited", "block"}

	sharingChecklistGraph = sharepoint.Sharing{Capability: "existingExternalUserSharingOnly", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: false}
	sharingChecklistSPO = sharepoint.Tenant{GuestExpiryDays: 30, AnonymousExpiryDays: 30, UnmanagedDevices: sharepoint.BlockAccess}

	// What a new tenant has: anyone links, resharing allowed, nothing expires, any device.
	sharingDefaultsGraph = sharepoint.Sharing{Capability: "externalUserAndGuestSharing", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: true}
	sharingDefaultsSPO = sharepoint.Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 0, UnmanagedDevices: sharepoint.AllowFullAccess}
)

// sharingUnmanagedToSPO is unmanaged_devices in SharePoint's terms.
var sharingUnmanagedToSPO = map[string]sharepoint.AccessPolicy{
	"allow": sharepoint.AllowFullAccess, "limited": sharepoint.AllowLimitedAccess, "block": sharepoint.BlockAccess,
}

// sharingUnmanaged is the unmanaged_devices value of an access policy; one this provider does
// not know shows as its number.
func sharingUnmanaged(p sharepoint.AccessPolicy) string {
	for name, v := range sharingUnmanagedToSPO {
		if v == p {
			return name
		}
	}
	return fmt.Sprint(int(p))
}

// sharingUnmanagedPolicy is the Conditional Access policy that hands sessions from unmanaged
// devices to SharePoint and Exchange, which then apply the limited or blocked access.
func sharingUnmanagedPolicy(state string) caDesired {
	return caDesired{
		DisplayName: policyNameUnmanaged,
		State:       state,
		Build: func(p models.ConditionalAccessPolicyable) {
			users := models.NewConditionalAccessUsers()
			users.SetIncludeUsers([]string{"All"})
			apps := models.NewConditionalAccessApplications()
			apps.SetIncludeApplications([]string{"Office365"})
			c := models.NewConditionalAccessConditionSet()
			c.SetUsers(users)
			c.SetApplications(apps)
			c.SetClientAppTypes([]models.ConditionalAccessClientApp{models.ALL_CONDITIONALACCESSCLIENTAPP})
			p.SetConditions(c)
			restrictions := models.NewApplicationEnforcedRestrictionsSessionControl()
			on := true
			restrictions.SetIsEnabled(&on)
			session := models.NewConditionalAccessSessionControls()
			session.SetApplicationEnforcedRestrictions(restrictions)
			p.SetSessionControls(session)
		},
	}
}

// sharingDomainsMatchMode checks at plan time that the domain lists go with the restriction mode:
// SharePoint ignores an allow list unless the mode is allowList (and likewise for blockList), and
// a mode without its list would block or allow nothing.
type sharingDomainsMatchMode struct{}

func (sharingDomainsMatchMode) Description(context.Context) string {
	return "allowed_domains needs domain_restriction_mode = allowList, blocked_domains needs blockList, and each mode needs its list"
}

func (v sharingDomainsMatchMode) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (sharingDomainsMatchMode) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	mode, _ := attrs["domain_restriction_mode"].(types.String)
	allowed, _ := attrs["allowed_domains"].(types.Set)
	blocked, _ := attrs["blocked_domains"].(types.Set)
	if mode.IsUnknown() || allowed.IsUnknown() || blocked.IsUnknown() {
		return
	}
	m := mode.ValueString()
	if mode.IsNull() {
		m = sharingChecklistGraph.DomainMode
	}
	for _, msg := range sharingDomainProblems(m, len(allowed.Elements()), len(blocked.Elements())) {
		diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName(msg.attr), "Sharing Domains Do Not Match the Restriction Mode", msg.detail)
	}
}

type sharingDomainProblem struct{ attr, detail string }

// sharingDomainProblems is the rule behind sharingDomainsMatchMode, as a pure function.
func sharingDomainProblems(mode string, allowed, blocked int) []sharingDomainProblem {
	var out []sharingDomainProblem
	if allowed > 0 && mode != "allowList" {
		out = append(out, sharingDomainProblem{"allowed_domains", fmt.Sprintf(
			"allowed_domains is only used when domain_restriction_mode is \"allowList\", but it is %q. Set domain_restriction_mode = \"allowList\" or remove allowed_domains.", mode)})
	}
	if blocked > 0 && mode != "blockList" {
		out = append(out, sharingDomainProblem{"blocked_domains", fmt.Sprintf(
			"blocked_domains is only used when domain_restriction_mode is \"blockList\", but it is %q. Set domain_restriction_mode = \"blockList\" or remove blocked_domains.", mode)})
	}
	if mode == "allowList" && allowed == 0 {
		out = append(out, sharingDomainProblem{"allowed_domains",
			"domain_restriction_mode = \"allowList\" needs at least one domain in allowed_domains: external sharing is limited to those domains."})
	}
	if mode == "blockList" && blocked == 0 {
		out = append(out, sharingDomainProblem{"blocked_domains",
			"domain_restriction_mode = \"blockList\" needs at least one domain in blocked_domains."})
	}
	return out
}

// sharingPolicyID plans unmanaged_devices_policy_id: null when unmanaged devices are allowed
// (there is no policy then), the known id while the policy exists, unknown when apply creates it.
type sharingPolicyID struct{}

func (sharingPolicyID) Description(context.Context) string {
	return "null when unmanaged_devices is allow; otherwise the id in state, or known after apply when the policy is created"
}

func (m sharingPolicyID) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (sharingPolicyID) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.Plan.Raw.IsNull() {
		return // Destroy.
	}
	var mode types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, req.Path.ParentPath().AtName("unmanaged_devices"), &mode)...)
	if resp.Diagnostics.HasError() || mode.IsUnknown() {
		return
	}
	var block types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, req.Path.ParentPath(), &block)...)
	if block.IsNull() {
		return // The block is absent.
	}
	switch {
	case mode.ValueString() == "allow":
		resp.PlanValue = types.StringNull()
	case !req.StateValue.IsNull() && !req.StateValue.IsUnknown():
		resp.PlanValue = req.StateValue
	default:
		// Explicitly: when only in_sync changed, the framework has not marked computed values
		// unknown, and the policy apply creates would contradict a planned null.
		resp.PlanValue = types.StringUnknown()
	}
}

var _ planmodifier.String = sharingPolicyID{}
