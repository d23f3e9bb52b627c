// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
)

// Default timeouts. Entra usually settles within seconds, but a throttled tenant can take minutes.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
	// settleTimeout bounds the wait for an update to show in reads: if reads still differ after
	// it, the read wins and Terraform reports the difference rather than the apply hanging.
	settleTimeout = 2 * time.Minute
)

// summaryObject names the resource in diagnostic summaries (the rule is in internal/diagnostics).
// A failed wait for Graph to read back a write is titled by the operation it belongs to; the
// detail says that it was the wait.
const summaryObject = "Conditional Access Policy"

// apiError is the diagnostic of a Graph call that failed during the operation ("Creating" ...).
func apiError(operation string, err error) diag.Diagnostic {
	return diagnostics.APIErrorDiagnostic(diagnostics.ErrorSummary(operation, summaryObject), err)
}

// modelSource is where an operation reads its model: the plan or the prior state.
type modelSource interface {
	Get(context.Context, any) diag.Diagnostics
}

// timeoutOf is one of timeouts.Value's Create, Read, Update and Delete.
type timeoutOf func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics)

// begin is the start of every operation: it reads the model from src, checks that the provider
// is configured and bounds ctx by the operation's timeout. ok is false when the operation must
// stop; cancel is always safe to call.
func (r *caPolicyResource) begin(ctx context.Context, src modelSource, m *caPolicyResourceModel, timeout timeoutOf, def time.Duration,
	diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	diags.Append(src.Get(ctx, m)...)
	if diags.HasError() || !r.ready(diags) {
		return ctx, func() {}, false
	}
	d, tdiags := timeout(m.Timeouts, ctx, def)
	diags.Append(tdiags...)
	ctx, cancel = context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// writeBody is the body Create and Update send, after the lockout guard has run again: now every
// value is known, and nothing has been written yet.
func (r *caPolicyResource) writeBody(ctx context.Context, plan caPolicyResourceModel, diags *diag.Diagnostics) (models.ConditionalAccessPolicyable, bool) {
	diags.Append(r.guard(ctx, plan, lockout.AtApply)...)
	if diags.HasError() {
		return nil, false
	}
	body, d := expandPolicy(ctx, plan)
	diags.Append(d...)
	return body, !diags.HasError()
}

func (r *caPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan caPolicyResourceModel
	ctx, cancel, ok := r.begin(ctx, req.Plan, &plan, timeouts.Value.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	body, ok := r.writeBody(ctx, plan, &resp.Diagnostics)
	if !ok {
		return
	}
	client := r.data.Tenant
	created, err := capolicies.Create(ctx, client, body)
	if err != nil {
		resp.Diagnostics.Append(apiError("Creating", err))
		return
	}
	id := *created.GetId()
	tflog.Info(ctx, "created Conditional Access policy", map[string]any{"id": id})

	// Record the id at once: if the wait below fails, Terraform keeps the policy in state (as
	// tainted) instead of forgetting an object that exists in the tenant.
	plan.ID = types.StringValue(id)
	resp.Diagnostics.Append(resp.State.Set(ctx, withUnknownsNulled(plan))...)

	read, err := capolicies.WaitFor(ctx, client, id, func(p models.ConditionalAccessPolicyable) bool { return p != nil })
	if err != nil {
		resp.Diagnostics.Append(apiError("Creating", err))
		return
	}
	r.setState(ctx, read, plan, &resp.State, &resp.Diagnostics)
}

func (r *caPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state caPolicyResourceModel
	ctx, cancel, ok := r.begin(ctx, req.State, &state, timeouts.Value.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	p, err := capolicies.Get(ctx, r.data.Tenant, state.ID.ValueString())
	if m365.IsNotFound(err) {
		tflog.Warn(ctx, "Conditional Access policy no longer exists; removing it from state so that it is planned for re-creation",
			map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError("Reading", err))
		return
	}
	r.setState(ctx, p, state, &resp.State, &resp.Diagnostics)
}

func (r *caPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan caPolicyResourceModel
	ctx, cancel, ok := r.begin(ctx, req.Plan, &plan, timeouts.Value.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	// The policy to update is the one in state.
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &plan.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, ok := r.writeBody(ctx, plan, &resp.Diagnostics)
	if !ok {
		return
	}
	id := plan.ID.ValueString()
	client := r.data.Tenant
	if err := capolicies.Update(ctx, client, id, body); err != nil {
		resp.Diagnostics.Append(apiError("Updating", err))
		return
	}

	// PATCH answers 204 without a body, and reads can return the old version for a while: poll
	// until the read agrees with the plan, within settleTimeout.
	settleCtx, cancelSettle := context.WithTimeout(ctx, settleTimeout)
	defer cancelSettle()
	read, err := capolicies.WaitFor(settleCtx, client, id, func(p models.ConditionalAccessPolicyable) bool {
		return p != nil && r.matches(ctx, p, plan)
	})
	if err != nil && read == nil {
		resp.Diagnostics.Append(apiError("Updating", err))
		return
	}
	if err != nil {
		tflog.Warn(ctx, "reads of the Conditional Access policy still differ from the plan; using the latest read", map[string]any{"id": id, "error": err.Error()})
	}
	r.setState(ctx, read, plan, &resp.State, &resp.Diagnostics)
}

func (r *caPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state caPolicyResourceModel
	ctx, cancel, ok := r.begin(ctx, req.State, &state, timeouts.Value.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	id := state.ID.ValueString()
	client := r.data.Tenant
	if err := capolicies.Delete(ctx, client, id); err != nil {
		resp.Diagnostics.Append(apiError("Deleting", err))
		return
	}
	// Wait until reads agree that it is gone, so that a re-create or a later plan does not see it.
	_, err := capolicies.WaitFor(ctx, client, id, func(p models.ConditionalAccessPolicyable) bool { return p == nil })
	if err != nil {
		resp.Diagnostics.Append(apiError("Deleting", err))
	}
}

// setState flattens a read into the model, keeping the Terraform-only attributes of prior.
func (r *caPolicyResource) setState(ctx context.Context, p models.ConditionalAccessPolicyable, prior caPolicyResourceModel, state interface {
	Set(context.Context, any) diag.Diagnostics
}, diags *diag.Diagnostics) {
	m := prior
	diags.Append(flattenPolicy(ctx, p, &m)...)
	if diags.HasError() {
		return
	}
	diags.Append(state.Set(ctx, m)...)
}

// matches reports whether a read carries the planned settings.
func (r *caPolicyResource) matches(ctx context.Context, p models.ConditionalAccessPolicyable, plan caPolicyResourceModel) bool {
	got := plan
	if d := flattenPolicy(ctx, p, &got); d.HasError() {
		return false
	}
	got.CreatedDateTime = plan.CreatedDateTime
	return modelValue(ctx, got).Equal(modelValue(ctx, plan))
}

// modelValue turns a model into one attr.Value so that two models compare with set semantics.
func modelValue(ctx context.Context, m caPolicyResourceModel) attr.Value {
	typ, ok := caPolicySchemaV0(ctx).Type().(attr.TypeWithAttributeTypes)
	if !ok {
		// A schema's type is always an object type; the fallback is the one for a model that
		// does not convert, below.
		return types.ObjectNull(nil)
	}
	v, d := types.ObjectValueFrom(ctx, typ.AttributeTypes(), m)
	if d.HasError() {
		return types.ObjectNull(typ.AttributeTypes())
	}
	return v
}

// withUnknownsNulled keeps only what is known of a plan, for the interim state written right
// after create (Terraform rejects unknown values in state).
func withUnknownsNulled(m caPolicyResourceModel) caPolicyResourceModel {
	if m.CreatedDateTime.IsUnknown() {
		m.CreatedDateTime = types.StringNull()
	}
	return m
}
