// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Computed attributes whose value follows from the configuration (the retention enum of
// retention_days) or from the state (a licence status) are planned here, so that a plan never
// shows them as "(known after apply)" when they will not change: drift must show as exactly the
// attribute that drifted.

// siblings returns the planned and prior values of the block that holds the attribute at p.
// Prior is null on create.
func siblings(ctx context.Context, plan tfsdk.Plan, state tfsdk.State, p path.Path) (types.Object, types.Object, diag.Diagnostics) {
	var planBlk, stateBlk types.Object
	diags := plan.GetAttribute(ctx, p.ParentPath(), &planBlk)
	if state.Raw.IsNull() {
		return planBlk, types.ObjectNull(nil), diags
	}
	diags.Append(state.GetAttribute(ctx, p.ParentPath(), &stateBlk)...)
	return planBlk, stateBlk, diags
}

// derive is the planned value of a computed attribute as a function of its block's planned and
// prior values; a nil result leaves the plan as it is.
type derive[T any] struct {
	desc string
	f    func(planBlk, stateBlk types.Object) *T
}

func (d derive[T]) Description(context.Context) string             { return d.desc }
func (d derive[T]) MarkdownDescription(ctx context.Context) string { return d.Description(ctx) }

func (d derive[T]) plan(ctx context.Context, plan tfsdk.Plan, state tfsdk.State, p path.Path, diags *diag.Diagnostics) *T {
	planBlk, stateBlk, ds := siblings(ctx, plan, state, p)
	diags.Append(ds...)
	if ds.HasError() || !isManaged(planBlk) {
		return nil
	}
	return d.f(planBlk, stateBlk)
}

type deriveString struct{ derive[types.String] }

func (d deriveString) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if v := d.plan(ctx, req.Plan, req.State, req.Path, &resp.Diagnostics); v != nil {
		resp.PlanValue = *v
	}
}

type deriveInt64 struct{ derive[types.Int64] }

func (d deriveInt64) PlanModifyInt64(ctx context.Context, req planmodifier.Int64Request, resp *planmodifier.Int64Response) {
	if v := d.plan(ctx, req.Plan, req.State, req.Path, &resp.Diagnostics); v != nil {
		resp.PlanValue = *v
	}
}

type deriveMap struct{ derive[types.Map] }

func (d deriveMap) PlanModifyMap(ctx context.Context, req planmodifier.MapRequest, resp *planmodifier.MapResponse) {
	if v := d.plan(ctx, req.Plan, req.State, req.Path, &resp.Diagnostics); v != nil {
		resp.PlanValue = *v
	}
}

// idsFor plans a map of object name to id: the prior map when it holds exactly the objects the
// plan wants (apply keeps their ids), an empty map when the plan wants none, and unknown when an
// object will be created or adopted.
func idsFor(attrName string, desc string, want func(planBlk types.Object) ([]string, bool)) planmodifier.Map {
	return deriveMap{derive[types.Map]{desc: desc, f: func(planBlk, stateBlk types.Object) *types.Map {
		names, known := want(planBlk)
		if !known {
			return nil
		}
		if len(names) == 0 {
			v := idMap(nil)
			return &v
		}
		if !isManaged(stateBlk) {
			return nil
		}
		prior, ok := stateBlk.Attributes()[attrName].(types.Map)
		if !ok {
			return nil
		}
		have := mapStrings(prior)
		keys := make([]string, 0, len(have))
		for k := range have {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sorted := slices.Clone(names)
		sort.Strings(sorted)
		if !slices.Equal(keys, sorted) {
			v := types.MapUnknown(types.StringType)
			return &v
		}
		return &prior
	}}}
}

// keepIfManaged plans a computed attribute at its state value while its block is in the state,
// and leaves it unknown when the block is being added. stringplanmodifier.UseStateForUnknown
// would copy the null of a block not yet managed into the plan, and apply, which then sets the
// attribute, would fail with "Provider produced inconsistent result after apply".
func keepIfManaged() planmodifier.String { return keepIfManagedString{} }

type keepIfManagedString struct{}

func (keepIfManagedString) Description(context.Context) string {
	return "keeps the state value while the block is managed; unknown when the block is added"
}

func (m keepIfManagedString) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepIfManagedString) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !resp.PlanValue.IsUnknown() || req.ConfigValue.IsUnknown() {
		return
	}
	planBlk, stateBlk, diags := siblings(ctx, req.Plan, req.State, req.Path)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() || !isManaged(planBlk) || !isManaged(stateBlk) {
		return
	}
	resp.PlanValue = req.StateValue
}

// attrBool, attrInt64, attrString and attrSet read a sibling attribute of a block value.
func attrBool(blk types.Object, name string) (bool, bool) {
	v, ok := blk.Attributes()[name].(types.Bool)
	if !ok || v.IsNull() || v.IsUnknown() {
		return false, false
	}
	return v.ValueBool(), true
}

func attrInt64(blk types.Object, name string) (int64, bool) {
	v, ok := blk.Attributes()[name].(types.Int64)
	if !ok || v.IsNull() || v.IsUnknown() {
		return 0, false
	}
	return v.ValueInt64(), true
}

func attrString(blk types.Object, name string) (string, bool) {
	v, ok := blk.Attributes()[name].(types.String)
	if !ok || v.IsNull() || v.IsUnknown() {
		return "", false
	}
	return v.ValueString(), true
}

func attrSet(blk types.Object, name string) ([]string, bool) {
	v, ok := blk.Attributes()[name].(types.Set)
	if !ok || v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	return setStrings(v), true
}
