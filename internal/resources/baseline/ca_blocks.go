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

// caSpec describes one CA block to the shared read/apply/release cycle.
type caSpec[M any] struct {
	b       block
	checked func() M             // The checklist model, the starting point of an import.
	fields  func(m *M) caFields  // The common attributes of m.
	desired func(m *M) caDesired // The policy m describes.
	// fromLive sets m's exposed attributes from a live policy. A value the attributes cannot
	// express keeps m's value: in_sync then reports the difference.
	fromLive func(p models.ConditionalAccessPolicyable, m *M)
}

// read is Block.Read for a CA block: prior null means import (adopt by name or return null).
func (s caSpec[M]) read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	importing := !isManaged(prior)
	m := s.checked()
	if !importing {
		var d diag.Diagnostics
		m, d = decode[M](ctx, prior)
		if diags.Append(d...); diags.HasError() {
			return prior, diags
		}
	}
	f := s.fields(&m)
	p, err := findBaselinePolicy(ctx, e, f.PolicyID.ValueString(), s.desired(&m).DisplayName, importing)
	if err != nil {
		diags.Append(diagnostics.APIErrorDiagnostic(blockSummary(s.b, opReading), err))
		return prior, diags
	}
	if p == nil {
		if importing {
			return nullOf(s.b), diags
		}
		// Deleted out of band: the plan shows the repair.
		*f.PolicyID = types.StringNull()
		*f.InSync = types.BoolValue(false)
		obj, d := encode(ctx, s.b, m)
		diags.Append(d...)
		return obj, diags
	}
	s.fromLive(p, &m)
	if st := caStateOf(p); st != "" {
		*f.State = types.StringValue(st)
	}
	*f.PolicyID = types.StringValue(*p.GetId())
	want := s.desired(&m)
	diff := policyDiff(e, p, want)
	*f.InSync = types.BoolValue(len(diff) == 0)
	if len(diff) > 0 {
		tflog.Info(ctx, "hipaa_baseline: Conditional Access policy differs from the baseline", map[string]any{
			"block": s.b.Name(), "policy_id": *p.GetId(), "differences": diff})
	}
	obj, d := encode(ctx, s.b, m)
	diags.Append(d...)
	return obj, diags
}

// apply is Block.Apply for a CA block: create, adopt or patch the policy so that it is what the
// plan describes, keeping the policy id in state even when a later step fails.
func (s caSpec[M]) apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	m, diags := decode[M](ctx, plan)
	if diags.HasError() {
		return prior, diags
	}
	f := s.fields(&m)
	id, d := s.priorID(ctx, prior)
	if diags.Append(d...); diags.HasError() {
		return prior, diags
	}
	id, err := syncBaselinePolicy(ctx, e, id, s.desired(&m))
	s.finish(f, id, err, &diags)
	obj, d := encode(ctx, s.b, m)
	diags.Append(d...)
	return obj, diags
}

// owned is ownerBlock.owned for a CA block: its one policy, by the name the plan gives it.
func (s caSpec[M]) owned(ctx context.Context, plan types.Object) []ownedObject {
	m, diags := decode[M](ctx, plan)
	if diags.HasError() {
		return nil
	}
	return []ownedObject{caPolicyObject(s.desired(&m).DisplayName)}
}

// priorID is the policy id in a block's prior state, "" when there is none. A prior state that
// does not decode is an error, never "no policy": that would create a second policy on apply
// and leave the first behind on release.
func (s caSpec[M]) priorID(ctx context.Context, prior types.Object) (string, diag.Diagnostics) {
	if !isManaged(prior) {
		return "", nil
	}
	pm, diags := decode[M](ctx, prior)
	if diags.HasError() {
		return "", diags
	}
	return s.fields(&pm).PolicyID.ValueString(), diags
}

// finish records the outcome of a sync in the common attributes.
func (s caSpec[M]) finish(f caFields, id string, err error, diags *diag.Diagnostics) {
	if id == "" {
		*f.PolicyID = types.StringNull()
	} else {
		*f.PolicyID = types.StringValue(id)
	}
	*f.InSync = types.BoolValue(err == nil)
	if err != nil {
		diags.Append(caErrorDiagnostic(blockSummary(s.b, opApplying), err))
	}
}

// release deletes the block's policy by id; a policy already gone is success.
func (s caSpec[M]) release(ctx context.Context, e *env, prior types.Object) diag.Diagnostics {
	id, diags := s.priorID(ctx, prior)
	if diags.HasError() {
		return diags
	}
	if err := deleteBaselinePolicy(ctx, e, id); err != nil {
		diags.Append(diagnostics.APIErrorDiagnostic(blockSummary(s.b, opReleasing), err))
	}
	return diags
}

// caErrorDiagnostic adds, to Graph's refusal to enable a policy while security defaults are on,
// how the baseline resolves it.
func caErrorDiagnostic(summary string, err error) diag.Diagnostic {
	d := diagnostics.APIErrorDiagnostic(summary, err)
	if strings.Contains(strings.ToLower(err.Error()), "security defaults") {
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
		PlanModifiers:       []planmodifier.String{policyIDPlan{}},
	}
}

// policyIDPlan keeps the policy id of state, and plans it unknown when state has none (a policy
// deleted out of band, or never created): apply creates it and learns its id.
// UseStateForUnknown alone would plan null there whenever nothing else in the resource changed.
type policyIDPlan struct{}

func (policyIDPlan) Description(context.Context) string {
	return "keeps the policy id; unknown when the policy must be created"
}

func (m policyIDPlan) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

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
	builtIn := caSet(caEnums(g.GetBuiltInControls()))
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
