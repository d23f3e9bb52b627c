// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
)

// The session block: one Conditional Access policy limiting how long a sign-in lasts (sign-in
// frequency, no persistent browser session), plus SharePoint's tenant-wide idle session sign-out
// (Graph /admin/sharepoint/settings idleSessionSignOut), see session_idle.go.
//
// Permissions:
//
//	| Operation | Microsoft Graph application permission                                              |
//	|-----------|-------------------------------------------------------------------------------------|
//	| Read      | Policy.Read.All; SharePointTenantSettings.Read.All                                  |
//	| Apply     | Policy.ReadWrite.ConditionalAccess, Policy.Read.All; SharePointTenantSettings.ReadWrite.All |
//	| Release   | Policy.ReadWrite.ConditionalAccess, Policy.Read.All; with restore SharePointTenantSettings.ReadWrite.All |
func init() { register(orderSession, sessionBlock{}) }

type sessionBlock struct{ caPolicyMethods[sessionModel] }

type sessionModel struct {
	State                types.String `tfsdk:"state"`
	SignInFrequencyHours types.Int64  `tfsdk:"sign_in_frequency_hours"`
	PersistentBrowser    types.String `tfsdk:"persistent_browser"`
	IdleSignOutMinutes   types.Int64  `tfsdk:"idle_sign_out_minutes"`
	IdleWarningMinutes   types.Int64  `tfsdk:"idle_warning_minutes"`
	PolicyID             types.String `tfsdk:"policy_id"`
	InSync               types.Bool   `tfsdk:"in_sync"`
}

const (
	sessionDefaultHours          = 8
	sessionDefaultIdleSignOutMin = 15
	sessionDefaultIdleWarningMin = 10
	sessionMaxIdleMinutes        = 24 * 60
)

var persistentBrowserValues = []string{"never", "always"}

func (sessionBlock) Name() string { return "session" }

// CrossChecks: the idle warning comes before the sign-out.
func (sessionBlock) CrossChecks() []validator.Object { return []validator.Object{idleOrder} }

func (sessionBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: fmt.Sprintf("Session lifetime: the Conditional Access policy %q makes every user sign in again after "+
			"`sign_in_frequency_hours` and never keeps a browser session after the browser closes, and SharePoint/OneDrive sign "+
			"idle browser sessions out (HIPAA 164.312(a)(2)(iii) automatic logoff). The emergency-access accounts are excluded "+
			"from the policy. Idle session sign-out is tenant-wide: removing the block turns it off only when "+
			"`restore_on_destroy` is true. Needs Microsoft Entra ID P1.", policyNameSession),
		Attributes: map[string]schema.Attribute{
			"state": caStateAttribute("limiting session lifetime is enforced"),
			"sign_in_frequency_hours": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default:    int64default.StaticInt64(sessionDefaultHours),
				Validators: []validator.Int64{int64validator.Between(1, 23)},
				MarkdownDescription: fmt.Sprintf("Hours after which users must sign in again (sessionControls.signInFrequency, "+
					"type hours, 1 to 23). Defaults to `%d`, one working shift.", sessionDefaultHours),
			},
			"persistent_browser": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString("never"),
				Validators: []validator.String{stringvalidator.OneOf(persistentBrowserValues...)},
				MarkdownDescription: "Whether a browser session survives closing the browser (sessionControls.persistentBrowser): " +
					"`never` on shared clinic workstations, `always`. Currently-supported values are: " +
					caMarkdownValues(persistentBrowserValues) + ". Defaults to `never`.",
			},
			"idle_sign_out_minutes": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default:    int64default.StaticInt64(sessionDefaultIdleSignOutMin),
				Validators: []validator.Int64{int64validator.Between(1, sessionMaxIdleMinutes)},
				MarkdownDescription: fmt.Sprintf("Minutes of browser inactivity after which SharePoint and OneDrive sign the user "+
					"out (idleSessionSignOut.signOutAfterInSeconds; tenant-wide). `0` in state means idle session sign-out is off. "+
					"Defaults to `%d`.", sessionDefaultIdleSignOutMin),
			},
			"idle_warning_minutes": schema.Int64Attribute{
				Optional: true, Computed: true,
				Default:    int64default.StaticInt64(sessionDefaultIdleWarningMin),
				Validators: []validator.Int64{int64validator.Between(1, sessionMaxIdleMinutes)},
				MarkdownDescription: fmt.Sprintf("Minutes of inactivity after which users are warned that they will be signed out "+
					"(idleSessionSignOut.warnAfterInSeconds); must be less than `idle_sign_out_minutes`. Defaults to `%d`.",
					sessionDefaultIdleWarningMin),
			},
			"policy_id": caPolicyIDAttribute(),
			"in_sync":   caInSyncAttribute(),
		},
	}
}

func sessionChecklist() sessionModel {
	return sessionModel{
		State: types.StringValue(caStateReportOnly), SignInFrequencyHours: types.Int64Value(sessionDefaultHours),
		PersistentBrowser: types.StringValue("never"), IdleSignOutMinutes: types.Int64Value(sessionDefaultIdleSignOutMin),
		IdleWarningMinutes: types.Int64Value(sessionDefaultIdleWarningMin), PolicyID: types.StringNull(), InSync: types.BoolValue(false),
	}
}

func (sessionModel) caSpecOf() *caSpec[sessionModel] { return &sessionSpec }

var sessionSpec = caSpec[sessionModel]{
	b: sessionBlock{}, checked: sessionChecklist,
	fields:   func(m *sessionModel) caFields { return caFields{&m.State, &m.PolicyID, &m.InSync} },
	desired:  sessionDesired,
	fromLive: sessionFromLive,
}

// sessionDesired is the checklist's shape: all users, all apps, no grant controls, sign-in
// frequency in hours and the persistent browser mode.
func sessionDesired(m *sessionModel) caDesired {
	hours := int32(m.SignInFrequencyHours.ValueInt64()) //nolint:gosec // The schema bounds it to 1..23.
	mode := m.PersistentBrowser.ValueString()
	return caDesired{DisplayName: policyNameSession, State: m.State.ValueString(), Build: func(p models.ConditionalAccessPolicyable) {
		p.SetConditions(caConditions(caAllUsers(), []string{"All"}))
		enabled := true
		s := models.NewConditionalAccessSessionControls()
		f := models.NewSignInFrequencySessionControl()
		f.SetIsEnabled(&enabled)
		kind := models.HOURS_SIGNINFREQUENCYTYPE
		f.SetTypeEscaped(&kind)
		f.SetValue(&hours)
		interval := models.TIMEBASED_SIGNINFREQUENCYINTERVAL
		f.SetFrequencyInterval(&interval)
		auth := models.PRIMARYANDSECONDARYAUTHENTICATION_SIGNINFREQUENCYAUTHENTICATIONTYPE
		f.SetAuthenticationType(&auth)
		s.SetSignInFrequency(f)
		pb := models.NewPersistentBrowserSessionControl()
		pb.SetIsEnabled(&enabled)
		if v, _ := models.ParsePersistentBrowserSessionMode(mode); v != nil {
			if m, ok := v.(*models.PersistentBrowserSessionMode); ok {
				pb.SetMode(m)
			}
		}
		s.SetPersistentBrowser(pb)
		p.SetSessionControls(s)
	}}
}

// sessionFromLive reads sign_in_frequency_hours and persistent_browser. A frequency in days or
// "every time" cannot be expressed in hours and is left to in_sync.
func sessionFromLive(p models.ConditionalAccessPolicyable, m *sessionModel) {
	s := p.GetSessionControls()
	if s == nil {
		return
	}
	if f := s.GetSignInFrequency(); f != nil && caTrue(f.GetIsEnabled()) && f.GetValue() != nil &&
		f.GetTypeEscaped() != nil && *f.GetTypeEscaped() == models.HOURS_SIGNINFREQUENCYTYPE {
		m.SignInFrequencyHours = types.Int64Value(int64(*f.GetValue()))
	}
	if b := s.GetPersistentBrowser(); b != nil && caTrue(b.GetIsEnabled()) && b.GetMode() != nil {
		m.PersistentBrowser = types.StringValue(b.GetMode().String())
	}
}

// sessionLive is the policy and SharePoint's idle session sign-out.
type sessionLive struct {
	caPolicyLive
	idle sharepoint.IdleSignOut
}

var sessionSkeleton = skeleton[sessionModel, sessionLive]{
	b: sessionBlock{}, checklist: sessionChecklist,
	load: func(ctx context.Context, e *env, prior *sessionModel, want sessionModel) (sessionLive, error) {
		ca, err := sessionSpec.load(ctx, e, prior, want)
		if err != nil || (prior == nil && ca.policy == nil) {
			return sessionLive{caPolicyLive: ca}, err // Nothing to adopt: idle sign-out is not read.
		}
		idle, err := sharepoint.GetIdleSignOut(ctx, e.tenant)
		return sessionLive{caPolicyLive: ca, idle: idle}, err
	},
	loadForApply: func(ctx context.Context, e *env, prior *sessionModel, want sessionModel) (sessionLive, error) {
		ca, err := sessionSpec.loadForApply(ctx, e, prior, want)
		return sessionLive{caPolicyLive: ca}, err
	},
	adopt: func(live sessionLive, _ *sessionModel) bool { return live.policy != nil },
	flatten: func(live sessionLive, ref sessionModel) sessionModel {
		m := sessionSpec.flatten(live.caPolicyLive, ref)
		m.IdleSignOutMinutes, m.IdleWarningMinutes = idleMinutes(live.idle)
		return m
	},
	// The policy, then idle sign-out. A failure of the second keeps the policy in sync.
	steps: func(ctx context.Context, e *env, plan sessionModel, live *sessionLive, _ *diag.Diagnostics) error {
		if err := sessionSpec.sync(ctx, e, plan, &live.caPolicyLive); err != nil {
			return err
		}
		return sharepoint.SetIdleSignOut(ctx, e.tenant, sharepoint.IdleSignOut{Enabled: true,
			SignOutAfter: plan.IdleSignOutMinutes.ValueInt64() * 60, WarnAfter: plan.IdleWarningMinutes.ValueInt64() * 60})
	},
	partial: func(live sessionLive, plan sessionModel) sessionModel {
		return sessionSpec.partial(live.caPolicyLive, plan)
	},
	applied: func(live sessionLive, plan sessionModel) sessionModel {
		return sessionSpec.applied(live.caPolicyLive, plan)
	},
	diagnose: caErrorDiagnostic,
}

func (sessionBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return sessionSkeleton.read(ctx, e, prior)
}

func (sessionBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return sessionSkeleton.apply(ctx, e, plan, prior)
}

// Release deletes the policy and, with restore, turns idle session sign-out off (Microsoft's default).
func (sessionBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return sessionSkeleton.release(ctx, e, prior, restore, func(ctx context.Context, e *env, pm sessionModel, restore bool, _ *diag.Diagnostics) error {
		if err := sessionSpec.releasePolicy(ctx, e, pm); err != nil || !restore {
			return err
		}
		return sharepoint.SetIdleSignOut(ctx, e.tenant, sharepoint.IdleSignOut{Enabled: false})
	})
}
