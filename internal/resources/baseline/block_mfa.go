// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/identitypolicies"
)

// The mfa block: one Conditional Access policy requiring multi-factor authentication of every
// user for every application, and the tenant's security defaults, which it replaces.
//
// Permissions:
//
//	| Operation | Microsoft Graph application permission                                         |
//	|-----------|--------------------------------------------------------------------------------|
//	| Read      | Policy.Read.All                                                                |
//	| Apply     | Policy.ReadWrite.ConditionalAccess, Policy.Read.All; Policy.ReadWrite.SecurityDefaults when security defaults are on |
//	| Release   | Policy.ReadWrite.ConditionalAccess, Policy.Read.All, Policy.ReadWrite.SecurityDefaults |
func init() { register(orderMFA, mfaBlock{}) }

type mfaBlock struct{ caPolicyMethods[mfaModel] }

type mfaModel struct {
	DisplayName             types.String `tfsdk:"display_name"`
	State                   types.String `tfsdk:"state"`
	AuthenticationStrength  types.String `tfsdk:"authentication_strength"`
	IncludeGuests           types.Bool   `tfsdk:"include_guests"`
	PolicyID                types.String `tfsdk:"policy_id"`
	SecurityDefaultsEnabled types.Bool   `tfsdk:"security_defaults_enabled"`
	InSync                  types.Bool   `tfsdk:"in_sync"`
}

// mfaGuestTypes are all kinds of guest and external user; include_guests = false excludes them.
var mfaGuestTypes = "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider"

func (mfaBlock) Name() string { return "mfa" }

func (mfaBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: fmt.Sprintf("Multi-factor authentication for every user and every application through the Conditional "+
			"Access policy %q (HIPAA 164.312(d) person or entity authentication). The emergency-access accounts are excluded. "+
			"The policy replaces security defaults: when `state` becomes `enabled` the block first stages the policy as report-only, "+
			"then turns security defaults off, then enables the policy (and turns security defaults back on if that last step fails), "+
			"so the tenant is never left with neither. Removing the block deletes the policy and turns security defaults back on "+
			"when no other enabled policy requires MFA for all users. Needs Microsoft Entra ID P1.", policyNameMFA),
		Attributes: map[string]schema.Attribute{
			"display_name": schema.StringAttribute{
				Computed: true,
				Default:  stringdefault.StaticString(policyNameMFA),
				MarkdownDescription: fmt.Sprintf("The policy's display name, always `%s`: import and repair find the policy by it. "+
					"A rename outside Terraform shows as drift and is reverted.", policyNameMFA),
			},
			"state": caStateAttribute("requiring MFA is enforced"),
			"authentication_strength": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(strengthMFA),
				Validators: []validator.String{stringvalidator.OneOf(strengthValues...)},
				MarkdownDescription: "What sign-in must prove: `mfa` any second factor (built-in control `mfa`), `phishing_resistant` " +
					"FIDO2, Windows Hello for Business or certificate (built-in authentication strength ...0004), `passwordless` " +
					"passwordless MFA (...0003). Currently-supported values are: " + caMarkdownValues(strengthValues) +
					". Defaults to `mfa` (HIPAA 164.312(d)).",
			},
			"include_guests": schema.BoolAttribute{
				Optional: true, Computed: true,
				Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether guests and external users must use MFA too. `false` excludes every guest and external " +
					"user type from the policy. Defaults to `true`: guests who reach ePHI need MFA like the workforce (HIPAA 164.312(d)).",
			},
			"policy_id": caPolicyIDAttribute(),
			"security_defaults_enabled": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the tenant's security defaults are on (read from Graph). They are turned off when the " +
					"policy is enabled, since Conditional Access replaces them.",
				PlanModifiers: []planmodifier.Bool{securityDefaultsPlanned},
			},
			"in_sync": caInSyncAttribute(),
		},
	}
}

func mfaChecklist() mfaModel {
	return mfaModel{
		DisplayName: types.StringValue(policyNameMFA), State: types.StringValue(caStateReportOnly),
		AuthenticationStrength: types.StringValue(strengthMFA), IncludeGuests: types.BoolValue(true),
		PolicyID: types.StringNull(), SecurityDefaultsEnabled: types.BoolNull(), InSync: types.BoolValue(false),
	}
}

func (mfaModel) caSpecOf() *caSpec[mfaModel] { return &mfaSpec }

var mfaSpec = caSpec[mfaModel]{
	b: mfaBlock{}, checked: mfaChecklist,
	fields:   func(m *mfaModel) caFields { return caFields{&m.State, &m.PolicyID, &m.InSync} },
	desired:  mfaDesired,
	fromLive: mfaFromLive,
}

// mfaDesired is the checklist's MFA policy as m describes it.
func mfaDesired(m *mfaModel) caDesired {
	name := m.DisplayName.ValueString()
	if name == "" {
		name = policyNameMFA
	}
	strength := m.AuthenticationStrength.ValueString()
	includeGuests := m.IncludeGuests.IsNull() || m.IncludeGuests.IsUnknown() || m.IncludeGuests.ValueBool()
	return caDesired{DisplayName: name, State: m.State.ValueString(), Build: func(p models.ConditionalAccessPolicyable) {
		users := caAllUsers()
		if !includeGuests {
			users.SetExcludeGuestsOrExternalUsers(mfaAllGuests())
		}
		p.SetConditions(caConditions(users, []string{"All"}))
		p.SetGrantControls(caStrengthGrant(strength))
	}}
}

// mfaAllGuests is every guest and external user type, from every external tenant.
func mfaAllGuests() models.ConditionalAccessGuestsOrExternalUsersable {
	g := models.NewConditionalAccessGuestsOrExternalUsers()
	// mfaGuestTypes is a constant list of the SDK's own values: it always parses.
	kinds, _ := models.ParseConditionalAccessGuestOrExternalUserTypes(mfaGuestTypes)
	if k, ok := kinds.(*models.ConditionalAccessGuestOrExternalUserTypes); ok {
		g.SetGuestOrExternalUserTypes(k)
	}
	t := models.NewConditionalAccessAllExternalTenants()
	all := models.ALL_CONDITIONALACCESSEXTERNALTENANTSMEMBERSHIPKIND
	t.SetMembershipKind(&all)
	g.SetExternalTenants(t)
	return g
}

// mfaFromLive reads display_name, authentication_strength and include_guests from a live policy.
func mfaFromLive(p models.ConditionalAccessPolicyable, m *mfaModel) {
	if n := caStr(p.GetDisplayName()); n != "" {
		m.DisplayName = types.StringValue(n)
	}
	if s := caStrengthOf(p.GetGrantControls()); s != "" {
		m.AuthenticationStrength = types.StringValue(s)
	}
	excluded := ""
	if c := p.GetConditions(); c != nil && c.GetUsers() != nil {
		excluded = guestsShape(c.GetUsers().GetExcludeGuestsOrExternalUsers())
	}
	// Only "every guest type excluded" reads as false; a partial exclusion keeps true and shows
	// as in_sync = false.
	m.IncludeGuests = types.BoolValue(excluded != guestsShape(mfaAllGuests()))
}

// mfaLive is the policy and security defaults. Apply also knows whether the prior policy was
// enforced, and staged: the policy exists at most as staged (report-only) after a failure.
type mfaLive struct {
	caPolicyLive
	securityDefaults bool
	wasEnabled       bool
	staged           bool
}

var mfaSkeleton = skeleton[mfaModel, mfaLive]{
	b: mfaBlock{}, checklist: mfaChecklist,
	load: func(ctx context.Context, e *env, prior *mfaModel, want mfaModel) (mfaLive, error) {
		ca, err := mfaSpec.load(ctx, e, prior, want)
		if err != nil || (prior == nil && ca.policy == nil) {
			return mfaLive{caPolicyLive: ca}, err // Nothing to adopt: security defaults are not read.
		}
		sd, err := identitypolicies.SecurityDefaultsEnabled(ctx, e.tenant)
		return mfaLive{caPolicyLive: ca, securityDefaults: sd}, err
	},
	loadForApply: func(ctx context.Context, e *env, prior *mfaModel, want mfaModel) (mfaLive, error) {
		ca, _ := mfaSpec.loadForApply(ctx, e, prior, want)
		live := mfaLive{caPolicyLive: ca, wasEnabled: prior != nil && prior.State.ValueString() == caStateEnabled}
		var err error
		live.securityDefaults, err = identitypolicies.SecurityDefaultsEnabled(ctx, e.tenant)
		return live, err
	},
	adopt: func(live mfaLive, _ *mfaModel) bool { return live.policy != nil },
	flatten: func(live mfaLive, ref mfaModel) mfaModel {
		m := mfaSpec.flatten(live.caPolicyLive, ref)
		m.SecurityDefaultsEnabled = types.BoolValue(live.securityDefaults)
		return m
	},
	steps: mfaSteps,
	partial: func(live mfaLive, plan mfaModel) mfaModel {
		m := mfaSpec.partial(live.caPolicyLive, plan)
		if live.staged {
			m.State = types.StringValue(caStateReportOnly)
		}
		m.SecurityDefaultsEnabled = types.BoolValue(live.securityDefaults)
		return m
	},
	applied: func(live mfaLive, plan mfaModel) mfaModel {
		m := mfaSpec.applied(live.caPolicyLive, plan)
		m.SecurityDefaultsEnabled = types.BoolValue(live.securityDefaults)
		return m
	},
	diagnose: caErrorDiagnostic,
}

func (mfaBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return mfaSkeleton.read(ctx, e, prior)
}

func (mfaBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return mfaSkeleton.apply(ctx, e, plan, prior)
}

// mfaSteps puts the policy in place. Enabling it while security defaults are on takes three
// steps (Graph refuses an enabled policy while they are on): stage the policy as report-only,
// turn security defaults off, enable the policy; if the last step fails, security defaults go
// back on.
func mfaSteps(ctx context.Context, e *env, plan mfaModel, live *mfaLive, notes *diag.Diagnostics) error {
	want := mfaDesired(&plan)
	if want.State == caStateEnabled && live.securityDefaults {
		staged := want
		staged.State = caStateReportOnly
		id, err := syncBaselinePolicy(ctx, e, live.id, staged)
		live.id = id
		if err == nil {
			err = identitypolicies.SetSecurityDefaults(ctx, e.tenant, false)
			if err == nil {
				live.securityDefaults = false
				live.id, err = syncBaselinePolicy(ctx, e, live.id, want)
				if err != nil {
					notes.Append(mfaRestoreSecurityDefaults(ctx, e, &live.securityDefaults))
				}
			}
		}
		// On failure the policy exists as staged (report-only) at most.
		live.staged = err != nil
		return err
	}
	var err error
	live.id, err = syncBaselinePolicy(ctx, e, live.id, want)
	if err == nil && live.wasEnabled && want.State != caStateEnabled && !live.securityDefaults {
		// Taking enforcement away: do not leave the tenant without any MFA requirement.
		notes.Append(ensureSomeMFA(ctx, e, &live.securityDefaults)...)
	}
	return err
}

// mfaRestoreSecurityDefaults turns security defaults back on after enabling the policy failed.
func mfaRestoreSecurityDefaults(ctx context.Context, e *env, sd *bool) diag.Diagnostic {
	if err := identitypolicies.SetSecurityDefaults(ctx, e.tenant, true); err != nil {
		return diag.NewErrorDiagnostic("Tenant Left Without MFA Enforcement",
			"Enabling the MFA policy failed after security defaults had been turned off, and turning them back on failed too: "+
				err.Error()+". The tenant currently enforces neither. Run apply again, or turn security defaults on in the Entra admin center.")
	}
	*sd = true
	return diag.NewWarningDiagnostic("Security Defaults Turned Back On",
		"Enabling the MFA policy failed, so security defaults, which had just been turned off, were turned back on. The policy stays report-only.")
}

// Release deletes the policy, then makes sure the tenant still requires MFA somehow.
func (mfaBlock) Release(ctx context.Context, e *env, prior types.Object, _ bool) diag.Diagnostics {
	return mfaSkeleton.release(ctx, e, prior, false, func(ctx context.Context, e *env, pm mfaModel, _ bool, notes *diag.Diagnostics) error {
		if err := mfaSpec.releasePolicy(ctx, e, pm); err != nil {
			return err
		}
		// The policy is gone; what follows can only warn.
		switch sd, err := identitypolicies.SecurityDefaultsEnabled(ctx, e.tenant); {
		case err != nil:
			notes.AddWarning("Unable to Check Security Defaults",
				"The MFA policy was deleted, but reading security defaults failed: "+err.Error()+
					". Check in the Entra admin center that the tenant still requires MFA (security defaults or a Conditional Access policy).")
		case !sd:
			notes.Append(ensureSomeMFA(ctx, e, &sd)...)
		}
		return nil
	})
}

// ensureSomeMFA turns security defaults on when no enabled Conditional Access policy requires MFA
// of all users. Graph refuses while other policies are enabled; that is a warning, not a failure.
func ensureSomeMFA(ctx context.Context, e *env, sd *bool) diag.Diagnostics {
	var diags diag.Diagnostics
	all, err := capolicies.List(ctx, e.tenant)
	if err != nil {
		diags.AddWarning("Unable to Check MFA Enforcement", "Listing Conditional Access policies failed: "+err.Error()+
			". Check in the Entra admin center that the tenant still requires MFA.")
		return diags
	}
	for _, p := range all {
		if requiresMFAForAll(p) {
			return diags
		}
	}
	if err := identitypolicies.SetSecurityDefaults(ctx, e.tenant, true); err != nil {
		diags.AddWarning("Tenant Without MFA Enforcement",
			"No enabled Conditional Access policy requires MFA of all users any more, and turning security defaults back on failed: "+
				err.Error()+". Graph refuses security defaults while other Conditional Access policies are enabled. Require MFA "+
				"through another policy or the mfa block, or disable the other policies and turn security defaults on.")
		return diags
	}
	*sd = true
	return diags
}

// requiresMFAForAll reports whether a policy is enabled and demands MFA (or a stronger
// authentication strength) of all users for all applications.
func requiresMFAForAll(p models.ConditionalAccessPolicyable) bool {
	if caStateOf(p) != caStateEnabled || p.GetConditions() == nil {
		return false
	}
	c := p.GetConditions()
	if c.GetUsers() == nil || c.GetApplications() == nil || !containsFold(c.GetUsers().GetIncludeUsers(), "All") ||
		!containsFold(c.GetApplications().GetIncludeApplications(), "All") {
		return false
	}
	g := p.GetGrantControls()
	if g == nil {
		return false
	}
	if g.GetAuthenticationStrength() != nil && caStr(g.GetAuthenticationStrength().GetId()) != "" {
		return true
	}
	controls := m365.EnumStrings(g.GetBuiltInControls())
	if !containsFold(controls, "mfa") {
		return false
	}
	// With OR, another control (a compliant device, say) would let a sign-in through without MFA.
	return len(controls) == 1 || strings.EqualFold(caStr(g.GetOperator()), "AND")
}

func containsFold(vals []string, want string) bool {
	for _, v := range vals {
		if strings.EqualFold(v, want) {
			return true
		}
	}
	return false
}
