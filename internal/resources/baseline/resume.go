// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resuming a first apply that failed half way.
//
// Create applies block after block and keeps in the state what it applied, so that no created
// object is forgotten. But Terraform marks a resource whose create returned an error tainted
// (whatever state the provider returned) and plans the next apply as a replacement: destroy
// then create. For the baseline that would delete the MFA policy and every other object made so
// far, leave the tenant without them for the length of an apply, and create them again with new
// ids. Nothing in the protocol lets a provider untaint, so the baseline makes the replacement a
// continuation instead:
//
//  1. Create, failing after a write, marks its private state createIncomplete.
//  2. The next plan refreshes the tainted object: Read sees the mark and notes the tenant.
//  3. ModifyPlan of the replacement's create (no prior state) finds the note and marks the planned
//     private state resumeCreate, with a warning that nothing will be deleted.
//  4. Delete, the first half of the replacement, receives that planned private state: it keeps
//     every object and hands the tainted state to the Create that follows in the same apply.
//  5. Create takes it as its prior state and applies the rest, as Update would.
//
// A real destroy plans no create, so its Delete never sees resumeCreate and deletes as always; a
// `terraform taint` or `-replace` of a baseline that was created whole replaces it as asked. If
// the handover is lost (the apply stopped between the two halves), Create finds the objects by
// name and refuses to take them over without import or adopt_existing: never a duplicate.

const (
	privateCreateIncomplete = "create_incomplete"
	privateResumeCreate     = "resume_create"
)

var (
	// incompleteSeen holds the tenant ids whose tainted, half-made baseline Read refreshed during
	// this plan, for ModifyPlan of the same plan.
	incompleteSeen sync.Map
	// handedOver holds, by tenant id, the state of a half-made baseline whose replacement's Delete
	// kept its objects, for the Create that follows.
	handedOver sync.Map
)

// privateSetter is what the framework's private state data offers (its type is internal).
type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// privateGetter reads private state data.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// markIncomplete records in Create's private state that the baseline was made only in part.
func markIncomplete(ctx context.Context, p privateSetter, tenantID string, diags *diag.Diagnostics) {
	diags.Append(p.SetKey(ctx, privateCreateIncomplete, []byte(`{"tenant":"`+tenantID+`"}`))...)
}

// hasKey reports whether private state data holds key.
func hasKey(ctx context.Context, p privateGetter, key string) bool {
	if p == nil {
		return false
	}
	v, d := p.GetKey(ctx, key)
	return !d.HasError() && len(v) > 0
}

// noteIncomplete is step 2, in Read.
func noteIncomplete(ctx context.Context, p privateGetter, state tfsdk.State) {
	if !hasKey(ctx, p, privateCreateIncomplete) {
		return
	}
	var id types.String
	if d := state.GetAttribute(ctx, path.Root("id"), &id); !d.HasError() && id.ValueString() != "" {
		incompleteSeen.Store(id.ValueString(), true)
	}
}

// planResume is step 3, in ModifyPlan of a create.
func planResume(ctx context.Context, p privateSetter, tenantID string, diags *diag.Diagnostics) {
	if _, ok := incompleteSeen.LoadAndDelete(tenantID); !ok {
		return
	}
	diags.Append(p.SetKey(ctx, privateResumeCreate, []byte(`{"tenant":"`+tenantID+`"}`))...)
	diags.AddWarning("Completing a Baseline Created in Part",
		"The previous apply created this baseline only in part, so Terraform marked it tainted and plans to replace it. "+
			"The replacement deletes nothing: the objects already applied keep their ids, and apply completes the rest.")
}

// forgetIncomplete drops the note of step 2 when the plan destroys the baseline instead.
func forgetIncomplete(tenantID string) { incompleteSeen.Delete(tenantID) }

// keepForResume is step 4, in Delete: it reports whether the objects are to be kept.
func keepForResume(ctx context.Context, p privateGetter, state tfsdk.State) bool {
	if !hasKey(ctx, p, privateResumeCreate) {
		return false
	}
	var id types.String
	if d := state.GetAttribute(ctx, path.Root("id"), &id); d.HasError() || id.ValueString() == "" {
		return false
	}
	handedOver.Store(id.ValueString(), state)
	return true
}

// takeResume is step 5, in Create: the state of the half-made baseline, if one was handed over.
func takeResume(tenantID string) (tfsdk.State, bool) {
	v, ok := handedOver.LoadAndDelete(tenantID)
	if !ok {
		return tfsdk.State{}, false
	}
	state, ok := v.(tfsdk.State) // handOver stores nothing else.
	return state, ok
}
