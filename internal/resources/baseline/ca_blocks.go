// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/identitypolicies"
	"github.com/hipaa365/terraform-provider-hipaa/internal/planmodifiers"
)

// This file holds what the Conditional Access blocks (mfa, legacy_authentication, admins,
// devices, session) share: the common attributes and the read/apply/release cycle of one
// baseline policy. Each block supplies its model, the policy it wants and how its exposed
// attributes are read back from a live policy.
//
// Permissions of every CA block:
//
//	| Operation | Microsoft Graph application permission                      |
//	|-----------|-------------------------------------------------------------|
//	| Read      | Policy.Read.All                                             |
//	| Apply     | Policy.ReadWrite.ConditionalAccess and Policy.Read.All      |
//	| Release   | Policy.ReadWrite.ConditionalAccess and Policy.Read.All      |

// The built-in authentication strengths (identical ids in every tenant) and the Terraform
// spellings of the strength a policy demands.
const (
	strengthMFA               = "mfa"
	strengthPhishingResistant = "phishing_resistant"
	strengthPasswordless      = "passwordless"

	strengthIDPasswordless      = "00000000-0000-0000-0000-000000000003"
	strengthIDPhishingResistant = "00000000-0000-0000-0000-000000000004"
)

var strengthValues = []string{strengthMFA, strengthPhishingResistant, strengthPasswordless}

// caFields are the attributes every CA block has, as pointers into its model.
type caFields struct {
	State    *types.String
	PolicyID *types.String
	InSync   *types.Bool
}

// caSpec describes one CA block; its skeleton is the block's Read/Apply/Release. The mfa and
// session blocks, which manage a tenant-wide setting beside their policy, build their own
// skeleton from the same pieces (load, flatten, sync, partial, applied, releasePolicy).
type caSpec[M any] struct {
	b       block
	checked func() M             // The checklist model, the starting point of an import.
	fields  func(m *M) caFields  // The common attributes of m.
	desired func(m *M) caDesired // The policy m describes.
	// fromLive sets m's exposed attributes from a live policy. A value the attributes cannot
	// express keeps m's value: in_sync then reports the difference.
	fromLive func(p models.ConditionalAccessPolicyable, m *M)
}

// caPolicyLive is what a CA block knows of its policy. Read finds the policy (nil when there is
// none) and how it differs from the baseline's; Apply knows the id of the policy as far as it
// exists, and synced once the policy is as planned.
type caPolicyLive struct {
	policy models.ConditionalAccessPolicyable
	diff   []string
	id     string
	synced bool
}

func (s caSpec[M]) skeleton() skeleton[M, caPolicyLive] {
	return skeleton[M, caPolicyLive]{
		b: s.b, checklist: s.checked, load: s.load, loadForApply: s.loadForApply,
		adopt:   func(live caPolicyLive, _ *M) bool { return live.policy != nil },
		flatten: s.flatten,
		steps: func(ctx context.Context, e *env, plan M, live *caPolicyLive, _ *diag.Diagnostics) error {
			return s.sync(ctx, e, plan, live)
		},
		partial: s.partial, applied: s.applied, diagnose: caErrorDiagnostic,
	}
}

func (s caSpec[M]) read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return s.skeleton().read(ctx, e, prior)
}

func (s caSpec[M]) apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return s.skeleton().apply(ctx, e, plan, prior)
}

func (s caSpec[M]) release(ctx context.Context, e *env, prior types.Object) diag.Diagnostics {
	return s.skeleton().release(ctx, e, prior, false, func(ctx context.Context, e *env, pm M, _ bool, _ *diag.Diagnostics) error {
		return s.releasePolicy(ctx, e, pm)
	})
}

// load finds the block's policy: by the id in prior, or on import (prior nil) the oldest policy
// with the baseline's name. A policy deleted out of band is nil, so that the plan shows the repair.
func (s caSpec[M]) load(ctx context.Context, e *env, prior *M, want M) (caPolicyLive, error) {
	p, err := findBaselinePolicy(ctx, e, s.fields(&want).PolicyID.ValueString(), s.desired(&want).DisplayName, prior == nil)
	if err != nil || p == nil {
		return caPolicyLive{}, err
	}
	m := want
	s.fromPolicy(p, &m)
	diff := policyDiff(e, p, s.desired(&m))
	if len(diff) > 0 {
		tflog.Info(ctx, "hipaa_baseline: Conditional Access policy differs from the baseline", map[string]any{
			"block": s.b.Name(), "policy_id": *p.GetId(), "differences": diff})
	}
	return caPolicyLive{policy: p, diff: diff, id: *p.GetId()}, nil
}

// loadForApply reads nothing: sync finds the policy itself, by id and then by name, so that a
// policy deleted out of band is adopted or created again, never duplicated.
func (s caSpec[M]) loadForApply(_ context.Context, _ *env, prior *M, _ M) (caPolicyLive, error) {
	if prior == nil {
		return caPolicyLive{}, nil
	}
	return caPolicyLive{id: s.fields(prior).PolicyID.ValueString()}, nil
}

// fromPolicy sets m from a live policy: the exposed attributes, the state and the id.
func (s caSpec[M]) fromPolicy(p models.ConditionalAccessPolicyable, m *M) {
	s.fromLive(p, m)
	f := s.fields(m)
	if st := caStateOf(p); st != "" {
		*f.State = types.StringValue(st)
	}
	*f.PolicyID = types.StringValue(*p.GetId())
}

// flatten is the block's state from what load found.
func (s caSpec[M]) flatten(live caPolicyLive, ref M) M {
	m := ref
	f := s.fields(&m)
	if live.policy == nil {
		*f.PolicyID = types.StringNull()
		*f.InSync = types.BoolValue(false)
		return m
	}
	s.fromPolicy(live.policy, &m)
	*f.InSync = types.BoolValue(len(live.diff) == 0)
	return m
}

// sync creates, adopts or patches the policy so that it is what plan describes, keeping its id
// in live also when a later step fails.
func (s caSpec[M]) sync(ctx context.Context, e *env, plan M, live *caPolicyLive) error {
	id, err := syncBaselinePolicy(ctx, e, live.id, s.desired(&plan))
	live.id = id
	live.synced = err == nil
	return err
}

// partial is the state after a failed apply: the plan, with the policy as far as it exists and
// in_sync false; a policy that was synced before a later step failed is in sync.
func (s caSpec[M]) partial(live caPolicyLive, plan M) M {
	return s.outcome(live, plan, live.synced)
}

// applied is the state after a successful apply.
func (s caSpec[M]) applied(live caPolicyLive, plan M) M {
	return s.outcome(live, plan, true)
}

func (s caSpec[M]) outcome(live caPolicyLive, plan M, inSync bool) M {
	m := plan
	f := s.fields(&m)
	if live.id == "" {
		*f.PolicyID = types.StringNull()
	} else {
		*f.PolicyID = types.StringValue(live.id)
	}
	*f.InSync = types.BoolValue(inSync)
	return m
}

// releasePolicy deletes the block's policy by id; a policy already gone is success.
func (s caSpec[M]) releasePolicy(ctx context.Context, e *env, prior M) error {
	return deleteBaselinePolicy(ctx, e, s.fields(&prior).PolicyID.ValueString())
}

// owned is ownerBlock.owned for a CA block: its one policy, by the name the plan gives it.
func (s caSpec[M]) owned(ctx context.Context, plan types.Object) []ownedObject {
	m, diags := decode[M](ctx, plan)
	if diags.HasError() {
		return nil
	}
	return []ownedObject{caPolicyObject(s.desired(&m).DisplayName)}
}

// caModel is the model of a CA block. caSpecOf names the block's spec, so that the method sets
// below, embedded in the block's type as zero-size values, reach it from the type alone.
type caModel[M any] interface{ caSpecOf() *caSpec[M] }

// caPolicyMethods gives a CA block owned (the no-clobbering check, adopt.go) and plannedPolicy
// (the lockout guard, guard.go) from its spec.
type caPolicyMethods[M caModel[M]] struct{}

func (caPolicyMethods[M]) spec() *caSpec[M] {
	var m M
	return m.caSpecOf()
}

func (c caPolicyMethods[M]) owned(ctx context.Context, plan types.Object) []ownedObject {
	return c.spec().owned(ctx, plan)
}

func (c caPolicyMethods[M]) plannedPolicy(ctx context.Context, plan types.Object) (caDesired, bool) {
	return c.spec().planned(ctx, plan)
}

// caBlockMethods is, beside caPolicyMethods, the Read, Apply and Release of a CA block whose
// only object is its policy (admins, devices, legacy_authentication).
type caBlockMethods[M caModel[M]] struct{ caPolicyMethods[M] }

func (c caBlockMethods[M]) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return c.spec().read(ctx, e, prior)
}

func (c caBlockMethods[M]) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return c.spec().apply(ctx, e, plan, prior)
}

// Release deletes the policy; there is no tenant-wide setting to restore.
func (c caBlockMethods[M]) Release(ctx context.Context, e *env, prior types.Object, _ bool) diag.Diagnostics {
	return c.spec().release(ctx, e, prior)
}

// caErrorDiagnostic adds, to Graph's refusal to enable a policy while security defaults are on,
// how the baseline resolves it.
// The refusal is Graph's answer to a policy write; an error about security defaults themselves
// (reading or switching them, in the mfa block) gets no such advice.
func caErrorDiagnostic(summary string, err error) diag.Diagnostic {
	d := diagnostics.APIErrorDiagnostic(summary, err)
	msg := err.Error()
	if strings.Contains(strings.ToLower(msg), "security defaults") && !strings.Contains(msg, identitypolicies.SecurityDefaultsObject) {
		return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\nSet mfa { state = \"enabled\" } in the same baseline: the mfa "+
			"block turns security defaults off once its policy is in place, before any other policy is enforced.")
	}
	return d
}

// Schema attributes every CA block has.

func caStateAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		Default:    stringdefault.StaticString(caStateReportOnly),
		Validators: []validator.String{stringvalidator.OneOf(caStateValues...)},
		MarkdownDescription: fmt.Sprintf("Whether the policy %s: `enabled` enforces it, `report_only` only logs what it would do "+
			"(Graph `enabledForReportingButNotEnforced`; review the sign-in logs before enforcing), `disabled` keeps it off. "+
			"Currently-supported values are: %s. Defaults to `%s`.", what, caMarkdownValues(caStateValues), caStateReportOnly),
	}
}

func caPolicyIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: "The object id of the Conditional Access policy the block manages.",
		PlanModifiers:       []planmodifier.String{policyIDPlan{"keeps the policy id; unknown when the policy must be created"}},
	}
}

// policyIDPlan keeps the policy id of state, and plans it unknown when state has none (a policy
// deleted out of band, or never created): apply creates it and learns its id.
// UseStateForUnknown alone would plan null there whenever nothing else in the resource changed.
type policyIDPlan struct{ described }

func (policyIDPlan) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	var blk types.Object
	if d := req.Plan.GetAttribute(ctx, req.Path.ParentPath(), &blk); d.HasError() || blk.IsNull() {
		return // The block is absent.
	}
	if !req.StateValue.IsNull() && !req.StateValue.IsUnknown() {
		resp.PlanValue = req.StateValue
		return
	}
	resp.PlanValue = types.StringUnknown()
}

func caInSyncAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Computed: true,
		MarkdownDescription: "Whether the policy's conditions, controls and emergency-access exclusions are exactly the baseline's. " +
			"`false` after a change outside Terraform (for example an account removed from the exclusions); `apply` repairs it.",
		PlanModifiers: []planmodifier.Bool{planmodifiers.PlanTrue()},
	}
}

func caMarkdownValues(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}

// Pieces of the baseline policies.

// caAllUsers targets every user; the helper adds the emergency-access exclusions.
func caAllUsers() models.ConditionalAccessUsersable {
	u := models.NewConditionalAccessUsers()
	u.SetIncludeUsers([]string{"All"})
	return u
}

// caConditions are conditions on users and applications for every client app type but those given.
func caConditions(users models.ConditionalAccessUsersable, apps []string, clientApps ...models.ConditionalAccessClientApp) models.ConditionalAccessConditionSetable {
	c := models.NewConditionalAccessConditionSet()
	c.SetUsers(users)
	a := models.NewConditionalAccessApplications()
	a.SetIncludeApplications(apps)
	c.SetApplications(a)
	if len(clientApps) == 0 {
		clientApps = []models.ConditionalAccessClientApp{models.ALL_CONDITIONALACCESSCLIENTAPP}
	}
	c.SetClientAppTypes(clientApps)
	return c
}

// caGrant is grant controls requiring one of the built-in controls.
func caGrant(controls ...models.ConditionalAccessGrantControl) models.ConditionalAccessGrantControlsable {
	g := models.NewConditionalAccessGrantControls()
	op := "OR"
	g.SetOperator(&op)
	g.SetBuiltInControls(controls)
	return g
}

// caStrengthGrant is the grant controls demanding an authentication strength: plain MFA as the
// built-in control (any method counts), the others as Microsoft's built-in strength policies.
func caStrengthGrant(strength string) models.ConditionalAccessGrantControlsable {
	var id string
	switch strength {
	case strengthPhishingResistant:
		id = strengthIDPhishingResistant
	case strengthPasswordless:
		id = strengthIDPasswordless
	default:
		return caGrant(models.MFA_CONDITIONALACCESSGRANTCONTROL)
	}
	g := caGrant()
	s := models.NewAuthenticationStrengthPolicy()
	s.SetId(&id)
	g.SetAuthenticationStrength(s)
	return g
}

// caStrengthOf is the Terraform spelling of the strength grant controls demand, "" when they do
// not match one of the baseline's shapes.
func caStrengthOf(g models.ConditionalAccessGrantControlsable) string {
	if g == nil {
		return ""
	}
	builtIn := caSet(m365.EnumStrings(g.GetBuiltInControls()))
	var id string
	if s := g.GetAuthenticationStrength(); s != nil {
		id = strings.ToLower(caStr(s.GetId()))
	}
	switch {
	case builtIn == "mfa" && id == "":
		return strengthMFA
	case builtIn == "" && id == strengthIDPhishingResistant:
		return strengthPhishingResistant
	case builtIn == "" && id == strengthIDPasswordless:
		return strengthPasswordless
	}
	return ""
}

// caStringSet is a set value of vals, each spelled as in prior when equal ignoring case (Graph
// may echo keywords and GUIDs in another casing than the configuration's).
func caStringSet(vals []string, prior types.Set) types.Set {
	var priorVals []string
	if !prior.IsNull() && !prior.IsUnknown() {
		for _, v := range prior.Elements() {
			if s, ok := v.(types.String); ok {
				priorVals = append(priorVals, s.ValueString())
			}
		}
	}
	out := make([]attr.Value, 0, len(vals))
	seen := map[string]bool{}
	for _, v := range vals {
		for _, p := range priorVals {
			if strings.EqualFold(p, v) {
				v = p
				break
			}
		}
		if seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		out = append(out, types.StringValue(v))
	}
	return types.SetValueMust(types.StringType, out)
}

// caStaticSet is a set of strings for schema defaults.
func caStaticSet(vals ...string) types.Set {
	out := make([]attr.Value, len(vals))
	for i, v := range vals {
		out[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, out)
}
