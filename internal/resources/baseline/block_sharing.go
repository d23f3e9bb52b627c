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

// sharingLive is the tenant's state of the block, and the admin site's client for the steps.
type sharingLive struct {
	admin *m365.SharePointClient
	graph sharepoint.Sharing
	spo   sharepoint.Tenant
	// The unmanaged-devices policy as the block's state shows it: Read looks it up, Apply starts
	// from the prior state and records each write.
	policyID    types.String
	policyState types.String
	inSync      types.Bool
}

// sharingNotImported is the credential error that leaves the block out of an import.
type sharingNotImported struct{ err error }

func (e sharingNotImported) Error() string { return e.err.Error() }
func (e sharingNotImported) Unwrap() error { return e.err }

// sharingSkeleton: tenant-wide settings in two services, and a Conditional Access policy found
// by id or, when none is tracked, by name.
var sharingSkeleton = skeleton[sharingModel, sharingLive]{
	b:            sharingBlock{},
	checklist:    sharingChecklist,
	load:         sharingLoad,
	loadForApply: sharingLoadForApply,
	flatten:      func(live sharingLive, _ sharingModel) sharingModel { return sharingToModel(live) },
	steps:        sharingSteps,
	applied: func(live sharingLive, plan sharingModel) sharingModel {
		plan.UnmanagedDevicesPolicyID, plan.InSync = live.policyID, live.inSync
		return plan
	},
	diagnose: func(summary string, err error) diag.Diagnostic {
		var skipped sharingNotImported
		if errors.As(err, &skipped) {
			// Import adopts what it can read: the rest of the baseline is imported, and this
			// block is left out (the skeleton keeps the null prior) with a word on why.
			return diag.NewWarningDiagnostic("Sharing Block Not Imported", "The sharing block was not imported: "+err.Error()+".")
		}
		return diagnostics.APIErrorDiagnostic(summary, err)
	},
}

func (sharingBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return sharingSkeleton.read(ctx, e, prior)
}

func (sharingBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return sharingSkeleton.apply(ctx, e, plan, prior)
}

func (sharingBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return sharingSkeleton.release(ctx, e, prior, restore, sharingRelease)
}

// sharingChecklist is the block on import: the checklist's settings, no policy tracked yet.
func sharingChecklist() sharingModel {
	return sharingToModel(sharingLive{graph: sharingChecklistGraph, spo: sharingChecklistSPO,
		policyID: types.StringNull(), policyState: types.StringValue(caStateReportOnly), inSync: types.BoolNull()})
}

// sharingLoad is Read's load: the settings, and the policy by the id of ref (prior, or none on
// import).
func sharingLoad(ctx context.Context, e *env, prior *sharingModel, ref sharingModel) (sharingLive, error) {
	admin, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		if prior == nil && errors.Is(err, m365.ErrSharePointNeedsCertificate) {
			return sharingLive{}, sharingNotImported{err}
		}
		return sharingLive{}, err
	}
	live, err := sharingReadSettings(ctx, e, admin)
	if err != nil {
		return live, err
	}
	live.policyID, live.policyState, live.inSync = sharingPolicyOf(ref)
	policyID := live.policyID.ValueString()
	if policyID == "" && live.spo.UnmanagedDevices == sharepoint.AllowFullAccess {
		// No policy is needed and none is tracked.
		live.policyID, live.inSync = types.StringNull(), types.BoolValue(true)
		return live, nil
	}
	// By id, or by name (adopt, never duplicate) on import and when none is tracked yet.
	found, err := readBaselinePolicy(ctx, e, policyID, sharingUnmanagedPolicy(live.policyState.ValueString()))
	if err != nil {
		return live, err
	}
	if found.ID == "" {
		live.policyID, live.inSync = types.StringNull(), types.BoolValue(false)
	} else {
		live.policyID, live.inSync = types.StringValue(found.ID), types.BoolValue(found.InSync)
		live.policyState = types.StringValue(found.State)
	}
	return live, nil
}

// sharingLoadForApply fails before anything is written when SharePoint cannot be reached with
// this credential, and takes the policy from the prior state: steps finds or adopts it.
func sharingLoadForApply(ctx context.Context, e *env, prior *sharingModel, plan sharingModel) (sharingLive, error) {
	admin, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		return sharingLive{}, err
	}
	live, err := sharingReadSettings(ctx, e, admin)
	if err != nil {
		return live, err
	}
	if prior != nil {
		live.policyID, live.policyState, live.inSync = sharingPolicyOf(*prior)
	} else {
		live.policyID, live.policyState, live.inSync = types.StringNull(), plan.UnmanagedDevicesPolicyState, types.BoolValue(false)
	}
	return live, nil
}

// sharingPolicyOf is the policy attributes of a block value, defaulted where it has none.
func sharingPolicyOf(m sharingModel) (id, state types.String, inSync types.Bool) {
	id, state, inSync = m.UnmanagedDevicesPolicyID, m.UnmanagedDevicesPolicyState, m.InSync
	if id.IsUnknown() {
		id = types.StringNull()
	}
	if state.IsNull() || state.IsUnknown() {
		state = types.StringValue(caStateReportOnly)
	}
	if inSync.IsNull() || inSync.IsUnknown() {
		inSync = types.BoolValue(false)
	}
	return id, state, inSync
}

// sharingSteps writes the Graph settings, then SharePoint's, then the policy, recording each in
// live as it succeeds.
func sharingSteps(ctx context.Context, e *env, plan sharingModel, live *sharingLive, notes *diag.Diagnostics) error {
	wantGraph, wantSPO, d := sharingSettingsOf(ctx, plan)
	if notes.Append(d...); d.HasError() {
		return errors.New("the planned domain lists could not be read")
	}
	if err := sharepoint.SetSharing(ctx, e.tenant, wantGraph, live.graph); err != nil {
		return err
	}
	live.graph = wantGraph
	if err := sharepoint.SetTenant(ctx, live.admin, wantSPO, live.spo); err != nil {
		return err
	}
	live.spo = wantSPO

	priorID := live.policyID.ValueString()
	if plan.UnmanagedDevices.ValueString() == "allow" {
		if err := deleteBaselinePolicy(ctx, e, priorID); err != nil && !m365.IsNotFound(err) {
			return err
		}
		live.policyID, live.inSync = types.StringNull(), types.BoolValue(true)
	} else {
		id, err := syncBaselinePolicy(ctx, e, priorID, sharingUnmanagedPolicy(plan.UnmanagedDevicesPolicyState.ValueString()))
		if id != "" {
			live.policyID = types.StringValue(id)
		}
		if err != nil {
			live.inSync = types.BoolValue(false)
			return err
		}
		live.inSync = types.BoolValue(true)
	}
	live.policyState = plan.UnmanagedDevicesPolicyState
	return nil
}

// sharingRelease deletes the unmanaged-devices policy and, with restore, puts the settings back
// to a new tenant's.
func sharingRelease(ctx context.Context, e *env, prior sharingModel, restore bool, _ *diag.Diagnostics) error {
	if err := deleteBaselinePolicy(ctx, e, prior.UnmanagedDevicesPolicyID.ValueString()); err != nil && !m365.IsNotFound(err) {
		return err
	}
	if !restore {
		return nil
	}
	admin, err := e.tenant.SharePointAdmin(ctx)
	if err != nil {
		return err
	}
	live, err := sharingReadSettings(ctx, e, admin)
	if err == nil {
		err = sharepoint.SetSharing(ctx, e.tenant, sharingDefaultsGraph, live.graph)
	}
	if err == nil {
		err = sharepoint.SetTenant(ctx, admin, sharingDefaultsSPO, live.spo)
	}
	return err
}

// sharingReadSettings reads both parts of the block's settings.
func sharingReadSettings(ctx context.Context, e *env, admin *m365.SharePointClient) (sharingLive, error) {
	g, err := sharepoint.GetSharing(ctx, e.tenant)
	if err != nil {
		return sharingLive{}, err
	}
	s, err := sharepoint.GetTenant(ctx, admin)
	return sharingLive{admin: admin, graph: g, spo: s}, err
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

// sharingToModel is the block value of what live holds.
func sharingToModel(live sharingLive) sharingModel {
	return sharingModel{
		SharingCapability:           types.StringValue(live.graph.Capability),
		DomainRestrictionMode:       types.StringValue(live.graph.DomainMode),
		AllowedDomains:              sharingSet(live.graph.Allowed),
		BlockedDomains:              sharingSet(live.graph.Blocked),
		ResharingByExternalUsers:    types.BoolValue(live.graph.Resharing),
		GuestAccessExpirationDays:   types.Int64Value(live.spo.GuestExpiryDays),
		AnonymousLinkExpirationDays: types.Int64Value(live.spo.AnonymousExpiryDays),
		UnmanagedDevices:            types.StringValue(sharingUnmanaged(live.spo.UnmanagedDevices)),
		UnmanagedDevicesPolicyState: live.policyState,
		UnmanagedDevicesPolicyID:    live.policyID,
		InSync:                      live.inSync,
	}
}

func sharingSet(vals []string) types.Set {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}
