// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
)

// How a block uses the skeleton (read this first when writing or converting a block):
//
//  1. Give the block a model M (the schema's attributes, tfsdk tags) and a type L for what it
//     reads from the tenant (plain values from the block's internal/m365 package; a struct when
//     it reads several things). The Microsoft 365 calls live in that package, not in the block.
//  2. Declare one package-level skeleton[M, L] (`var guestsSkeleton = skeleton[guestsModel,
//     guestsSettings]{...}`) filling in b, checklist, load, flatten, steps and, where the block
//     needs them, adopt, partial, applied, loadForApply and diagnose (cmdletDiagnostic for the
//     Exchange and Purview blocks). Each field's comment on skeleton says what it must do.
//  3. The block's Read and Apply are one line each: return guestsSkeleton.read(ctx, e, prior)
//     and guestsSkeleton.apply(ctx, e, plan, prior). Release is one call too:
//     guestsSkeleton.release(ctx, e, prior, restore, func(ctx, e, pm M, restore, notes) error
//     {...}) with the block's own deletes and restores inside. Block-specific work goes inside
//     load, steps or that func, never around the call, so that every failure carries the
//     skeleton's title: "Error Reading Guests Block", "Error Applying Guests Block", "Error
//     Releasing Guests Block" (blockSummary; the rule is in internal/diagnostics). Do not write
//     summaries of a failed block operation by hand.
//  4. steps records every write in live as it succeeds and returns the first error; the
//     skeleton then stores partial(live, plan), so nothing created is forgotten. A warning, or
//     a second problem beside the error, goes in notes under its own summary (a noun phrase or
//     "Unable to ...", see internal/diagnostics).
//  5. Unit-test the pieces (flatten, the expand helpers, steps against devtenant); the
//     acceptance tests prove the whole.
//
// Examples: block_guests.go is the smallest (a tenant-wide setting: no adopt, applied is the
// plan); block_authentication_methods.go has steps that record each write in live; the
// Conditional Access blocks get their skeleton from caSpec (ca_blocks.go), and block_mfa.go and
// block_session.go show a skeleton built from caSpec's pieces plus a second setting, with
// loadForApply and notes.

// block is one optional nested block of hipaa_baseline: one area of the checklist (mfa, sharing,
// audit ...). An omitted block is not managed. The resource orchestrates the blocks; each block
// knows its own settings, API calls and defaults.
//
// Rules every block follows:
//   - Read reports the live tenant in the block's attributes, so that `terraform plan` shows
//     drift as exactly the attribute that drifted. prior is the block's state; it is null on
//     import, when Read adopts what the tenant has (finding the baseline's objects by their
//     default names) and returns null if there is nothing to adopt.
//   - Apply brings the tenant from prior (null when the block was not managed) to plan, changing
//     only what differs. It returns the state of what it applied even when it fails half way, so
//     that no created object is forgotten and the next apply converges.
//   - Release stops managing the block: it deletes the objects the block created and, with
//     restore, puts tenant-wide settings back to Microsoft's defaults. It is idempotent.
type block interface {
	Name() string
	Schema() schema.SingleNestedBlock
	Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics)
	Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics)
	Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics
}

// checkedBlock is a block with checks that relate several of its attributes. The resource runs
// them as resource-level validators (validators.ObjectAt), not as the block's own Validators: a
// failing block validator makes the framework skip the block's attribute validators, so a range
// error would only show once the cross-field error is fixed.
type checkedBlock interface {
	block
	CrossChecks() []validator.Object
}

// licensedBlock is a block whose settings need an add-on licence. Requirements lists the
// licences the planned block needs (e.g. Safe Links only when safe_links = true).
type licensedBlock interface {
	block
	Requirements(ctx context.Context, plan types.Object) []Licence
}

// planWarner is a block that, at plan time, reads the tenant for objects it does not own that
// would keep its settings from taking effect, and warns about them.
type planWarner interface {
	block
	PlanWarnings(ctx context.Context, e *env, plan types.Object) diag.Diagnostics
}

// Licence is a service plan a setting needs, named the way admins know it.
type Licence struct {
	ServicePlan string // As in subscribedSkus.servicePlans, e.g. ATP_ENTERPRISE.
	Product     string // e.g. "Microsoft Defender for Office 365 (Plan 1)".
	Feature     string // What needs it, e.g. "Safe Links and Safe Attachments".
}

// Block order: blocks are applied in ascending order and released in reverse. Authentication
// methods come before the MFA policy that demands them, and the MFA policy before any other
// policy is enforced.
const (
	orderAuthenticationMethods = 10
	orderMFA                   = 20
	orderLegacyAuthentication  = 30
	orderAdmins                = 40
	orderDevices               = 50
	orderSession               = 60
	orderSharing               = 70
	orderGuests                = 80
	orderAudit                 = 90
	orderEmail                 = 100
	orderAlerts                = 110
)

type registration struct {
	order int
	b     block
}

var registered []registration

// register adds a block; each block's file calls it from init.
func register(order int, b block) {
	registered = append(registered, registration{order, b})
	sort.SliceStable(registered, func(i, j int) bool { return registered[i].order < registered[j].order })
}

// blocks returns the blocks in apply order.
func blocks() []block {
	out := make([]block, len(registered))
	for i, r := range registered {
		out[i] = r.b
	}
	return out
}

// attrTypes returns the attribute types of a block, derived from its schema (one source).
func attrTypes(b block) map[string]attr.Type {
	t, ok := b.Schema().Type().(basetypes.ObjectType)
	if !ok {
		// The framework builds a SingleNestedBlock without a CustomType as an object: this is a
		// programming error, found by every test.
		panic(fmt.Sprintf("block %s: schema type %T is not an object", b.Name(), b.Schema().Type()))
	}
	return t.AttrTypes
}

// nullOf is the null value of a block: not managed.
func nullOf(b block) types.Object { return types.ObjectNull(attrTypes(b)) }

// decode converts a block value into its model struct M.
func decode[M any](ctx context.Context, obj types.Object) (M, diag.Diagnostics) {
	var m M
	diags := obj.As(ctx, &m, basetypes.ObjectAsOptions{})
	return m, diags
}

// encode converts a model struct M into the block value of b.
func encode[M any](ctx context.Context, b block, m M) (types.Object, diag.Diagnostics) {
	return types.ObjectValueFrom(ctx, attrTypes(b), m)
}

// described is the Description and MarkdownDescription, one plain text, that the framework asks
// of every validator and plan modifier; embed it and set it where the value is built.
type described string

func (d described) Description(context.Context) string { return string(d) }

func (d described) MarkdownDescription(context.Context) string { return string(d) }

// isManaged reports whether a block value is present and known.
func isManaged(obj types.Object) bool { return !obj.IsNull() && !obj.IsUnknown() }

// skeleton is the Read/Apply/Release cycle every block shares, written once. M is the block's
// model, L what the block reads from the tenant. The skeleton does the decoding, encoding,
// import adoption, partial state and diagnostics; the block supplies the steps that are its own.
//
// The rules it enforces:
//   - A prior state that does not decode is an error, never "not managed": Apply would create
//     the block's objects a second time and Release would leave them behind.
//   - Read reports the tenant: flatten(live, ref), where ref (the prior state, or the checklist
//     on import) supplies what the tenant cannot say, like ids and the configuration's spelling.
//     On import (prior null) adopt decides whether there is anything to adopt; if not, the block
//     stays null.
//   - Apply reads the tenant first (a failure there changes nothing, so the prior state is
//     kept), then runs steps. steps records every write in live as it succeeds, so that on a
//     failure half way partial(live, plan) is exactly what was applied: nothing created is
//     forgotten and the next apply converges.
//   - Every error is titled from the block's name by blockSummary.
type skeleton[M, L any] struct {
	b block
	// checklist is the model Read starts from on import: the baseline's defaults, no ids.
	checklist func() M
	// load reads the block's part of the tenant. prior is the block's state, nil when the block
	// is not managed yet (import, first apply); want is what is read (Read: prior or the
	// checklist) or applied (Apply: the plan).
	load func(ctx context.Context, e *env, prior *M, want M) (L, error)
	// loadForApply, when set, replaces load in Apply, for a block whose apply reads the tenant
	// differently from Read (a Conditional Access block adopts a policy by name on apply).
	loadForApply func(ctx context.Context, e *env, prior *M, want M) (L, error)
	// adopt reports, on import, whether live holds anything of the block; it may set in ref what
	// it adopted. nil adopts whatever the tenant has (tenant-wide settings always exist).
	adopt func(live L, ref *M) bool
	// flatten is the block's state from live; ref supplies what live cannot say.
	flatten func(live L, ref M) M
	// steps brings the tenant from live to plan, updating live after each write that succeeds.
	// The error is titled by the skeleton; notes takes what is not the failure itself (a
	// warning, a second problem the failure left behind) under its own summary.
	steps func(ctx context.Context, e *env, plan M, live *L, notes *diag.Diagnostics) error
	// partial is the state after steps failed; nil means flatten(live, plan).
	partial func(live L, plan M) M
	// applied is the state after every step succeeded; nil means the plan itself.
	applied func(live L, plan M) M
	// diagnose words an error under a summary; nil means diagnostics.APIErrorDiagnostic.
	diagnose func(summary string, err error) diag.Diagnostic
}

// The operations of a block, as their diagnostics name them.
const (
	opReading   = "Reading"
	opApplying  = "Applying"
	opReleasing = "Releasing"
)

// blockSummary is the summary of a block's failed operation, e.g. "Error Applying Guests Block":
// the rule of internal/diagnostics, with the block named by blockTitle.
func blockSummary(b block, op string) string {
	return diagnostics.ErrorSummary(op, blockTitle(b.Name()))
}

// blockTitle is the Title Case name of a block: "legacy_authentication" is "Legacy
// Authentication Block", "mfa" is "MFA Block".
func blockTitle(name string) string {
	words := strings.Split(name, "_")
	for i, w := range words {
		if up, ok := blockTitleAcronyms[w]; ok {
			words[i] = up
		} else if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(append(words, "Block"), " ")
}

// blockTitleAcronyms are the words of block names spelled in capitals.
var blockTitleAcronyms = map[string]string{"mfa": "MFA"}

// fail is the diagnostic of a failed operation of the block.
func (s skeleton[M, L]) fail(op string, err error) diag.Diagnostic {
	diagnose := s.diagnose
	if diagnose == nil {
		diagnose = diagnostics.APIErrorDiagnostic
	}
	return diagnose(blockSummary(s.b, op), err)
}

// decodePrior decodes a managed prior state; it returns nil for a block that is not managed.
func (s skeleton[M, L]) decodePrior(ctx context.Context, prior types.Object) (*M, diag.Diagnostics) {
	if !isManaged(prior) {
		return nil, nil
	}
	m, diags := decode[M](ctx, prior)
	if diags.HasError() {
		return nil, diags
	}
	return &m, diags
}

// read is block.Read.
func (s skeleton[M, L]) read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	pm, diags := s.decodePrior(ctx, prior)
	if diags.HasError() {
		return prior, diags
	}
	var ref M
	if pm != nil {
		ref = *pm
	} else {
		ref = s.checklist()
	}
	live, err := s.load(ctx, e, pm, ref)
	if err != nil {
		diags.Append(s.fail(opReading, err))
		return prior, diags
	}
	if pm == nil && s.adopt != nil && !s.adopt(live, &ref) {
		return nullOf(s.b), diags
	}
	obj, d := encode(ctx, s.b, s.flatten(live, ref))
	diags.Append(d...)
	return obj, diags
}

// apply is block.Apply.
func (s skeleton[M, L]) apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	want, diags := decode[M](ctx, plan)
	if diags.HasError() {
		return prior, diags
	}
	pm, d := s.decodePrior(ctx, prior)
	if diags.Append(d...); diags.HasError() {
		return prior, diags
	}
	load := s.load
	if s.loadForApply != nil {
		load = s.loadForApply
	}
	live, err := load(ctx, e, pm, want)
	if err != nil {
		diags.Append(s.fail(opApplying, err))
		return prior, diags
	}
	var next M
	if err := s.steps(ctx, e, want, &live, &diags); err != nil {
		diags.Append(s.fail(opApplying, err))
		next = s.flatten(live, want)
		if s.partial != nil {
			next = s.partial(live, want)
		}
	} else {
		next = want
		if s.applied != nil {
			next = s.applied(live, want)
		}
	}
	obj, d := encode(ctx, s.b, next)
	diags.Append(d...)
	return obj, diags
}

// release is block.Release: it decodes the prior state and titles the error do returns. do is
// the block's release (restore: put tenant-wide settings back to Microsoft's defaults); notes
// is as in steps.
func (s skeleton[M, L]) release(ctx context.Context, e *env, prior types.Object, restore bool,
	do func(ctx context.Context, e *env, prior M, restore bool, notes *diag.Diagnostics) error) diag.Diagnostics {
	var pm M
	var diags diag.Diagnostics
	if isManaged(prior) {
		if pm, diags = decode[M](ctx, prior); diags.HasError() {
			return diags
		}
	}
	if err := do(ctx, e, pm, restore, &diags); err != nil {
		diags.Append(s.fail(opReleasing, err))
	}
	return diags
}
