// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The sharing block's settings live in two places: Graph's /admin/sharepoint/settings (sharing
// capability, domain lists, resharing) and SharePoint's own tenant object (expiry of guest access
// and of anonymous links, unmanaged-device access), which only the admin site's CSOM can write.
// This file maps both to plain values and back; block_sharing.go does the calls.

// sharingGraphSettings are the Graph part of the block.
type sharingGraphSettings struct {
	Capability string
	DomainMode string
	Allowed    []string // Sorted, lower case.
	Blocked    []string // Sorted, lower case.
	Resharing  bool
}

// sharingSPOSettings are the SharePoint admin (SPO.Tenant) part of the block.
type sharingSPOSettings struct {
	GuestExpiryDays     int64 // 0: guests keep access until removed.
	AnonymousExpiryDays int64 // 0: anonymous links never expire.
	Unmanaged           string
}

func (s sharingGraphSettings) equal(o sharingGraphSettings) bool {
	return s.Capability == o.Capability && s.DomainMode == o.DomainMode && s.Resharing == o.Resharing &&
		slices.Equal(s.Allowed, o.Allowed) && slices.Equal(s.Blocked, o.Blocked)
}

var (
	sharingCapabilityValues = []string{"disabled", "existingExternalUserSharingOnly", "externalUserSharingOnly", "externalUserAndGuestSharing"}
	sharingDomainModeValues = []string{"none", "allowList", "blockList"}
	sharingUnmanagedValues  = []string{"allow", "limited", "block"}

	sharingChecklistGraph = sharingGraphSettings{Capability: "existingExternalUserSharingOnly", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: false}
	sharingChecklistSPO = sharingSPOSettings{GuestExpiryDays: 30, AnonymousExpiryDays: 30, Unmanaged: "block"}

	// What a new tenant has: anyone links, resharing allowed, nothing expires, any device.
	sharingDefaultsGraph = sharingGraphSettings{Capability: "externalUserAndGuestSharing", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: true}
	sharingDefaultsSPO = sharingSPOSettings{GuestExpiryDays: 0, AnonymousExpiryDays: 0, Unmanaged: "allow"}
)

// SPO.Tenant property names and the ConditionalAccessPolicy enum (SPOConditionalAccessPolicyType).
const (
	spoExpirationRequired = "ExternalUserExpirationRequired"
	spoExpireInDays       = "ExternalUserExpireInDays"
	spoAnonymousExpiry    = "RequireAnonymousLinksExpireInDays"
	spoConditionalAccess  = "ConditionalAccessPolicy"
)

var sharingUnmanagedToSPO = map[string]int{"allow": 0, "limited": 1, "block": 2}

// flattenSharingGraph reads the Graph part from /admin/sharepoint/settings.
func flattenSharingGraph(s models.SharepointSettingsable) sharingGraphSettings {
	out := sharingGraphSettings{Allowed: sharingDomains(nil), Blocked: sharingDomains(nil)}
	if s == nil {
		return out
	}
	if v := s.GetSharingCapability(); v != nil {
		out.Capability = v.String()
	}
	if v := s.GetSharingDomainRestrictionMode(); v != nil {
		out.DomainMode = v.String()
	}
	out.Allowed = sharingDomains(s.GetSharingAllowedDomainList())
	out.Blocked = sharingDomains(s.GetSharingBlockedDomainList())
	out.Resharing = s.GetIsResharingByExternalUsersEnabled() != nil && *s.GetIsResharingByExternalUsersEnabled()
	return out
}

// sharingDomains is a domain list as a set: lower case, sorted, without duplicates, never nil.
func sharingDomains(in []string) []string {
	out := []string{}
	for _, d := range in {
		d = strings.ToLower(strings.TrimSpace(d))
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// expandSharingGraphPatch builds the PATCH body holding only what differs; changed is false when
// there is nothing to send. The other settings of the object (idle session sign-out, which the
// session block manages, and the rest) are left out so that they stay as they are.
func expandSharingGraphPatch(want, got sharingGraphSettings) (models.SharepointSettingsable, bool, error) {
	patch := models.NewSharepointSettings()
	changed := false
	if want.Capability != got.Capability {
		v, _ := models.ParseSharingCapabilities(want.Capability)
		if v == nil {
			return nil, false, fmt.Errorf("%q is not a sharing capability", want.Capability)
		}
		patch.SetSharingCapability(v.(*models.SharingCapabilities))
		changed = true
	}
	if want.DomainMode != got.DomainMode {
		v, _ := models.ParseSharingDomainRestrictionMode(want.DomainMode)
		if v == nil {
			return nil, false, fmt.Errorf("%q is not a sharing domain restriction mode", want.DomainMode)
		}
		patch.SetSharingDomainRestrictionMode(v.(*models.SharingDomainRestrictionMode))
		changed = true
	}
	// An empty slice, not nil: the writer omits nil, and Graph must see [] to clear the list.
	if !slices.Equal(want.Allowed, got.Allowed) {
		patch.SetSharingAllowedDomainList(sharingDomains(want.Allowed))
		changed = true
	}
	if !slices.Equal(want.Blocked, got.Blocked) {
		patch.SetSharingBlockedDomainList(sharingDomains(want.Blocked))
		changed = true
	}
	if want.Resharing != got.Resharing {
		v := want.Resharing
		patch.SetIsResharingByExternalUsersEnabled(&v)
		changed = true
	}
	return patch, changed, nil
}

// flattenSharingSPO reads the SharePoint part from SPO.Tenant.
func flattenSharingSPO(t map[string]any) (sharingSPOSettings, error) {
	var out sharingSPOSettings
	required, ok := t[spoExpirationRequired].(bool)
	if !ok {
		return out, fmt.Errorf("SPO.Tenant has no boolean %s", spoExpirationRequired)
	}
	if required {
		days, err := spoInt(t, spoExpireInDays)
		if err != nil {
			return out, err
		}
		out.GuestExpiryDays = days
	}
	anon, err := spoInt(t, spoAnonymousExpiry)
	if err != nil {
		return out, err
	}
	out.AnonymousExpiryDays = max(anon, 0) // -1 and 0 both mean that anonymous links never expire.
	ca, err := spoInt(t, spoConditionalAccess)
	if err != nil {
		return out, err
	}
	out.Unmanaged = fmt.Sprint(ca) // A value this provider does not know shows as itself.
	for name, v := range sharingUnmanagedToSPO {
		if int64(v) == ca {
			out.Unmanaged = name
		}
	}
	return out, nil
}

func spoInt(t map[string]any, name string) (int64, error) {
	f, ok := t[name].(float64)
	if !ok || f != math.Trunc(f) {
		return 0, fmt.Errorf("SPO.Tenant has no integer %s", name)
	}
	return int64(f), nil
}

// expandSharingSPO lists the CSOM properties to set so that got becomes want.
func expandSharingSPO(want, got sharingSPOSettings) []m365.CSOMProperty {
	var props []m365.CSOMProperty
	if want.GuestExpiryDays != got.GuestExpiryDays {
		if want.GuestExpiryDays == 0 {
			props = append(props, m365.CSOMProperty{Name: spoExpirationRequired, Value: false})
		} else {
			props = append(props, m365.CSOMProperty{Name: spoExpirationRequired, Value: true},
				m365.CSOMProperty{Name: spoExpireInDays, Value: want.GuestExpiryDays})
		}
	}
	if want.AnonymousExpiryDays != got.AnonymousExpiryDays {
		days := want.AnonymousExpiryDays
		if days == 0 {
			days = -1 // SharePoint's "no expiry"; it refuses 0.
		}
		props = append(props, m365.CSOMProperty{Name: spoAnonymousExpiry, Value: days})
	}
	if want.Unmanaged != got.Unmanaged {
		props = append(props, m365.CSOMProperty{Name: spoConditionalAccess, Value: m365.CSOMEnum(sharingUnmanagedToSPO[want.Unmanaged])})
	}
	return props
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
