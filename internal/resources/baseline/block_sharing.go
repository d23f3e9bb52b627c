// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"errors"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
	"github.com/hipaa365/terraform-provider-hipaa/internal/planmodifiers"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

// The sharing block limits external sharing of SharePoint and OneDrive content: who can be
// shared with, how long guests and anonymous links last, and what unmanaged devices may do.
//
// Permissions:
//
//	| Operation       | Microsoft Graph (application)                                      | SharePoint (application)                    |
//	|-----------------|--------------------------------------------------------------------|---------------------------------------------|
//	| Read            | SharePointTenantSettings.Read.All, Policy.Read.All                 | Sites.FullControl.All, certificate credential |
//	| Apply / restore | SharePointTenantSettings.ReadWrite.All, Policy.ReadWrite.ConditionalAccess, Policy.Read.All | Sites.FullControl.All, certificate credential |
//
// SharePoint's admin API accepts app-only tokens only from a certificate credential, so the
// block fails with a clear error when the provider signs in with a client secret.
func init() { register(orderSharing, sharingBlock{}) }

type sharingBlock struct{}

type sharingModel struct {
	SharingCapability           types.String `tfsdk:"sharing_capability"`
	DomainRestrictionMode       types.String `tfsdk:"domain_restriction_mode"`
	AllowedDomains              types.Set    `tfsdk:"allowed_domains"`
	BlockedDomains              types.Set    `tfsdk:"blocked_domains"`
	ResharingByExternalUsers    types.Bool   `tfsdk:"resharing_by_external_users"`
	GuestAccessExpirationDays   types.Int64  `tfsdk:"guest_access_expiration_days"`
	AnonymousLinkExpirationDays types.Int64  `tfsdk:"anonymous_link_expiration_days"`
	UnmanagedDevices            types.String `tfsdk:"unmanaged_devices"`
	UnmanagedDevicesPolicyState types.String `tfsdk:"unmanaged_devices_policy_state"`
	UnmanagedDevicesPolicyID    types.String `tfsdk:"unmanaged_devices_policy_id"`
	InSync                      types.Bool   `tfsdk:"in_sync"`
}

func (sharingBlock) Name() string { return "sharing" }

// CrossChecks: the domain lists go with the restriction mode.
func (sharingBlock) CrossChecks() []validator.Object {
	return []validator.Object{sharingDomainsMatchMode{}}
}

// owned: the Conditional Access policy that limits unmanaged devices.
func (sharingBlock) owned(context.Context, types.Object) []ownedObject {
	return []ownedObject{caPolicyObject(policyNameUnmanaged)}
}

func (sharingBlock) Schema() schema.SingleNestedBlock {
	domains := func(desc string) schema.SetAttribute {
		return schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Computed: true,
			Default: setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
			Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(sharingDomainPattern,
				"must be a domain name in lower case, such as partner.example"))},
			MarkdownDescription: desc + " Defaults to none.",
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "External sharing of SharePoint and OneDrive content, where PHI is stored (HIPAA 164.308(a)(4) " +
			"information access management, 164.312(a)(1) access control, 164.312(e)(1) transmission security). Tenant-wide " +
			"settings, read and written through Microsoft Graph and the SharePoint admin API; **the SharePoint admin API needs " +
			"a certificate credential** (`client_certificate_path`), a client secret is refused. Removing the block deletes the " +
			"unmanaged-devices Conditional Access policy and leaves the other settings as they are unless `restore_on_destroy` is true.",
		Attributes: map[string]schema.Attribute{
			"sharing_capability": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(sharingChecklistGraph.Capability),
				Validators: []validator.String{stringvalidator.OneOf(sharingCapabilityValues...)},
				MarkdownDescription: "Who content can be shared with: nobody outside (`disabled`), only guests already in the " +
					"directory (`existingExternalUserSharingOnly`), new guests who sign in (`externalUserSharingOnly`), or anyone " +
					"with the link, without signing in (`externalUserAndGuestSharing`, Microsoft's default). Anonymous links cannot be " +
					"attributed to a person, which HIPAA 164.312(b) audit controls and 164.312(d) authentication require. " +
					supportedValuesSentence(sharingCapabilityValues) + " Defaults to `" + sharingChecklistGraph.Capability + "`.",
			},
			"domain_restriction_mode": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(sharingChecklistGraph.DomainMode),
				Validators: []validator.String{stringvalidator.OneOf(sharingDomainModeValues...)},
				MarkdownDescription: "Limit sharing to the domains of `allowed_domains` (`allowList`, e.g. business associates " +
					"under a BAA, HIPAA 164.308(b)(1)), refuse the domains of `blocked_domains` (`blockList`), or neither (`none`). " +
					supportedValuesSentence(sharingDomainModeValues) + " Defaults to `" + sharingChecklistGraph.DomainMode + "`.",
			},
			"allowed_domains": domains("The only domains content may be shared with; requires `domain_restriction_mode = \"allowList\"`."),
			"blocked_domains": domains("Domains content may never be shared with; requires `domain_restriction_mode = \"blockList\"`."),
			"resharing_by_external_users": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(sharingChecklistGraph.Resharing),
				MarkdownDescription: "Whether guests may share items they do not own with further people. Off keeps every " +
					"grant of access with the workforce (HIPAA 164.308(a)(4)(ii)(B) access authorization). Defaults to `false`.",
			},
			"guest_access_expiration_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(sharingChecklistSPO.GuestExpiryDays),
				Validators: []validator.Int64{validators.ZeroOrBetween(30, 730, "never")},
				MarkdownDescription: "Days after which a guest loses access to sites and files unless a site owner renews it " +
					"(SharePoint `ExternalUserExpireInDays`, 30 to 730), or `0` for never. Expiry ends access that is no longer " +
					"needed (HIPAA 164.308(a)(3)(ii)(C) termination procedures, 164.308(a)(4)(ii)(C)). Defaults to `30`.",
			},
			"anonymous_link_expiration_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(sharingChecklistSPO.AnonymousExpiryDays),
				Validators: []validator.Int64{int64validator.Between(0, 730)},
				MarkdownDescription: "Days after which \"anyone\" links expire (SharePoint `RequireAnonymousLinksExpireInDays`), " +
					"or `0` for never. Only matters when `sharing_capability` is `externalUserAndGuestSharing`; a forgotten link " +
					"must not give access to PHI forever (HIPAA 164.312(a)(1)). Defaults to `30`.",
			},
			"unmanaged_devices": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(sharingUnmanaged(sharingChecklistSPO.UnmanagedDevices)),
				Validators: []validator.String{stringvalidator.OneOf(sharingUnmanagedValues...)},
				MarkdownDescription: "What SharePoint and OneDrive allow from devices that are neither compliant nor hybrid " +
					"joined: full access (`allow`), browser-only access without download, print or sync (`limited`), or nothing " +
					"(`block`). PHI must not be copied to devices the organisation cannot wipe (HIPAA 164.310(d)(1) device and media " +
					"controls, 164.312(a)(1)). `limited` and `block` also create the Conditional Access policy \"" + policyNameUnmanaged +
					"\" (app-enforced restrictions for Office 365) that hands such sessions to SharePoint. " +
					supportedValuesSentence(sharingUnmanagedValues) + " Defaults to `" + sharingUnmanaged(sharingChecklistSPO.UnmanagedDevices) + "`.",
			},
			"unmanaged_devices_policy_state": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(caStateReportOnly),
				Validators: []validator.String{stringvalidator.OneOf(caStateValues...)},
				MarkdownDescription: "State of the unmanaged-devices Conditional Access policy: `report_only` first, to see in " +
					"the sign-in logs whom it would affect, then `enabled`. " + supportedValuesSentence(caStateValues) +
					" Defaults to `report_only`.",
			},
			"unmanaged_devices_policy_id": schema.StringAttribute{
				Computed:            true,
				PlanModifiers:       []planmodifier.String{sharingPolicyID{}},
				MarkdownDescription: "Object id of the unmanaged-devices Conditional Access policy; null when `unmanaged_devices` is `allow`.",
			},
			"in_sync": schema.BoolAttribute{
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{planmodifiers.PlanTrue()},
				MarkdownDescription: "Whether the unmanaged-devices Conditional Access policy exists and its users, applications and " +
					"session controls (and the emergency-access exclusions) are the baseline's. `false` means it was changed or " +
					"deleted outside Terraform; apply repairs it.",
			},
		},
	}
}

// sharingDomainPattern accepts lower-case domain names; SharePoint stores domains in lower case,
// so upper case in configuration would show as a change on every plan.
var sharingDomainPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// sharingLive is the tenant's state of the block.
type sharingLive struct {
	graph sharepoint.Sharing
	spo   sharepoint.Tenant
}

func (b sharingBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	importing := !isManaged(prior)
	spo, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		if importing && errors.Is(err, m365.ErrSharePointNeedsCertificate) {
			// Import adopts what it can read: the rest of the baseline is imported, and this
			// block is left out with a word on why.
			return nullOf(b), diag.Diagnostics{diag.NewWarningDiagnostic("Sharing Block Not Imported",
				"The sharing block was not imported: "+err.Error()+".")}
		}
		return prior, diag.Diagnostics{diagnostics.APIErrorDiagnostic("Error Reading Sharing Block", err)}
	}
	live, err := sharingReadLive(ctx, e, spo)
	if err != nil {
		return prior, diag.Diagnostics{diagnostics.APIErrorDiagnostic("Error Reading Sharing Block", err)}
	}
	var pm sharingModel
	var diags diag.Diagnostics
	if !importing {
		pm, diags = decode[sharingModel](ctx, prior)
		if diags.HasError() {
			return prior, diags
		}
	}
	m := sharingToModel(live, pm)
	policyID := pm.UnmanagedDevicesPolicyID.ValueString()
	if policyID == "" && live.spo.UnmanagedDevices == sharepoint.AllowFullAccess {
		// No policy is needed and none is tracked.
		m.UnmanagedDevicesPolicyID, m.InSync = types.StringNull(), types.BoolValue(true)
	} else {
		// By id, or by name (adopt, never duplicate) on import and when none is tracked yet.
		found, err := readBaselinePolicy(ctx, e, policyID, sharingUnmanagedPolicy(m.UnmanagedDevicesPolicyState.ValueString()))
		if err != nil {
			return prior, append(diags, diagnostics.APIErrorDiagnostic("Error Reading Sharing Block", err))
		}
		if found.ID == "" {
			m.UnmanagedDevicesPolicyID, m.InSync = types.StringNull(), types.BoolValue(false)
		} else {
			m.UnmanagedDevicesPolicyID, m.InSync = types.StringValue(found.ID), types.BoolValue(found.InSync)
			m.UnmanagedDevicesPolicyState = types.StringValue(found.State)
		}
	}
	obj, d := encode(ctx, b, m)
	return obj, append(diags, d...)
}

func (b sharingBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	want, diags := decode[sharingModel](ctx, plan)
	if diags.HasError() {
		return prior, diags
	}
	var pm sharingModel
	if isManaged(prior) {
		if pm, diags = decode[sharingModel](ctx, prior); diags.HasError() {
			return prior, diags
		}
	}
	fail := func(state sharingModel, summary string, err error) (types.Object, diag.Diagnostics) {
		obj, d := encode(ctx, b, state)
		diags.Append(d...)
		diags.Append(diagnostics.APIErrorDiagnostic(summary, err))
		return obj, diags
	}
	// Fail before writing anything when SharePoint cannot be reached with this credential.
	spo, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		diags.Append(diagnostics.APIErrorDiagnostic("Error Applying Sharing Block", err))
		return prior, diags
	}
	live, err := sharingReadLive(ctx, e, spo)
	if err != nil {
		diags.Append(diagnostics.APIErrorDiagnostic("Error Applying Sharing Block", err))
		return prior, diags
	}
	// state says what the tenant has, step by step: the live settings, the planned ones as
	// each write succeeds, and the policy as far as it exists.
	state := sharingToModel(live, pm)
	if !isManaged(prior) {
		state.UnmanagedDevicesPolicyState, state.InSync = want.UnmanagedDevicesPolicyState, types.BoolValue(false)
	}
	wantGraph, wantSPO, d := sharingSettingsOf(ctx, want)
	if diags.Append(d...); diags.HasError() {
		return prior, diags
	}

	if err := sharepoint.SetSharing(ctx, e.tenant, wantGraph, live.graph); err != nil {
		return fail(state, "Error Applying Sharing Block", err)
	}
	state.SharingCapability, state.DomainRestrictionMode = want.SharingCapability, want.DomainRestrictionMode
	state.AllowedDomains, state.BlockedDomains = want.AllowedDomains, want.BlockedDomains
	state.ResharingByExternalUsers = want.ResharingByExternalUsers

	if err := sharepoint.SetTenant(ctx, spo, wantSPO, live.spo); err != nil {
		return fail(state, "Error Applying Sharing Block", err)
	}
	state.GuestAccessExpirationDays, state.AnonymousLinkExpirationDays = want.GuestAccessExpirationDays, want.AnonymousLinkExpirationDays
	state.UnmanagedDevices = want.UnmanagedDevices

	priorID := pm.UnmanagedDevicesPolicyID.ValueString()
	if want.UnmanagedDevices.ValueString() == "allow" {
		if err := deleteBaselinePolicy(ctx, e, priorID); err != nil && !m365.IsNotFound(err) {
			return fail(state, "Error Deleting Unmanaged-Devices Policy", err)
		}
		state.UnmanagedDevicesPolicyID, state.InSync = types.StringNull(), types.BoolValue(true)
	} else {
		id, err := syncBaselinePolicy(ctx, e, priorID, sharingUnmanagedPolicy(want.UnmanagedDevicesPolicyState.ValueString()))
		if id != "" {
			state.UnmanagedDevicesPolicyID = types.StringValue(id)
		}
		if err != nil {
			state.InSync = types.BoolValue(false)
			return fail(state, "Error Applying Unmanaged-Devices Policy", err)
		}
		state.InSync = types.BoolValue(true)
	}
	state.UnmanagedDevicesPolicyState = want.UnmanagedDevicesPolicyState
	obj, d := encode(ctx, b, state)
	return obj, append(diags, d...)
}

func (b sharingBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	pm, diags := decode[sharingModel](ctx, prior)
	if diags.HasError() {
		return diags
	}
	if err := deleteBaselinePolicy(ctx, e, pm.UnmanagedDevicesPolicyID.ValueString()); err != nil && !m365.IsNotFound(err) {
		return append(diags, diagnostics.APIErrorDiagnostic("Error Deleting Unmanaged-Devices Policy", err))
	}
	if !restore {
		return diags
	}
	spo, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		return append(diags, diagnostics.APIErrorDiagnostic("Error Restoring Sharing Defaults", err))
	}
	live, err := sharingReadLive(ctx, e, spo)
	if err == nil {
		err = sharepoint.SetSharing(ctx, e.tenant, sharingDefaultsGraph, live.graph)
	}
	if err == nil {
		err = sharepoint.SetTenant(ctx, spo, sharingDefaultsSPO, live.spo)
	}
	if err != nil {
		diags.Append(diagnostics.APIErrorDiagnostic("Error Restoring Sharing Defaults", err))
	}
	return diags
}

// sharingReadLive reads both parts of the block.
func sharingReadLive(ctx context.Context, e *env, spo *m365.SharePointClient) (sharingLive, error) {
	g, err := sharepoint.GetSharing(ctx, e.tenant)
	if err != nil {
		return sharingLive{}, err
	}
	s, err := sharepoint.GetTenant(ctx, spo)
	return sharingLive{graph: g, spo: s}, err
}

// sharingSettingsOf is the plain form of the block's planned settings.
func sharingSettingsOf(ctx context.Context, m sharingModel) (sharepoint.Sharing, sharepoint.Tenant, diag.Diagnostics) {
	var allowed, blocked []string
	var diags diag.Diagnostics
	diags.Append(m.AllowedDomains.ElementsAs(ctx, &allowed, false)...)
	diags.Append(m.BlockedDomains.ElementsAs(ctx, &blocked, false)...)
	g := sharepoint.Sharing{
		Capability: m.SharingCapability.ValueString(), DomainMode: m.DomainRestrictionMode.ValueString(),
		Allowed: sharepoint.Domains(allowed), Blocked: sharepoint.Domains(blocked), Resharing: m.ResharingByExternalUsers.ValueBool(),
	}
	s := sharepoint.Tenant{
		GuestExpiryDays: m.GuestAccessExpirationDays.ValueInt64(), AnonymousExpiryDays: m.AnonymousLinkExpirationDays.ValueInt64(),
		UnmanagedDevices: sharingUnmanagedToSPO[m.UnmanagedDevices.ValueString()],
	}
	return g, s, diags
}

// sharingToModel is the block value of the live settings; the policy attributes come from prior
// (the caller fills them in from the tenant).
func sharingToModel(live sharingLive, prior sharingModel) sharingModel {
	policyState := prior.UnmanagedDevicesPolicyState
	if policyState.IsNull() || policyState.IsUnknown() {
		policyState = types.StringValue(caStateReportOnly)
	}
	inSync := prior.InSync
	if inSync.IsNull() || inSync.IsUnknown() {
		inSync = types.BoolValue(false)
	}
	id := prior.UnmanagedDevicesPolicyID
	if id.IsUnknown() {
		id = types.StringNull()
	}
	return sharingModel{
		SharingCapability:           types.StringValue(live.graph.Capability),
		DomainRestrictionMode:       types.StringValue(live.graph.DomainMode),
		AllowedDomains:              sharingSet(live.graph.Allowed),
		BlockedDomains:              sharingSet(live.graph.Blocked),
		ResharingByExternalUsers:    types.BoolValue(live.graph.Resharing),
		GuestAccessExpirationDays:   types.Int64Value(live.spo.GuestExpiryDays),
		AnonymousLinkExpirationDays: types.Int64Value(live.spo.AnonymousExpiryDays),
		UnmanagedDevices:            types.StringValue(sharingUnmanaged(live.spo.UnmanagedDevices)),
		UnmanagedDevicesPolicyState: policyState,
		UnmanagedDevicesPolicyID:    id,
		InSync:                      inSync,
	}
}

func sharingSet(vals []string) types.Set {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}
