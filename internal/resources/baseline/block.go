// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

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
	return b.Schema().Type().(basetypes.ObjectType).AttrTypes
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

// isManaged reports whether a block value is present and known.
func isManaged(obj types.Object) bool { return !obj.IsNull() && !obj.IsUnknown() }
