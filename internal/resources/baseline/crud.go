// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
)

// A whole baseline touches dozens of objects across four services, some of them throttled to
// about one write per second.
const (
	defaultWriteTimeout = 30 * time.Minute
	defaultReadTimeout  = 10 * time.Minute
)

// getter is what tfsdk.Plan, tfsdk.State and tfsdk.Config have in common.
type getter interface {
	GetAttribute(ctx context.Context, p path.Path, target any) diag.Diagnostics
}

func (r *baselineResource) ready(diags *diag.Diagnostics) bool {
	if r.data == nil || r.data.Tenant == nil {
		diags.AddError("Provider Not Configured",
			"The hipaa provider was not configured before this operation. This is always a bug in the provider code and should be reported to the provider developers.")
		return false
	}
	return true
}

func timeoutsOf(ctx context.Context, g getter, diags *diag.Diagnostics) timeouts.Value {
	var t timeouts.Value
	diags.Append(g.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	return t
}

// copyTop copies the attributes that are not blocks from src to dst.
func copyTop(ctx context.Context, src getter, dst *tfsdk.State, diags *diag.Diagnostics) {
	for _, name := range []string{"adopt_existing", "restore_on_destroy", "emergency_access", "timeouts"} {
		var v any
		switch name {
		case "adopt_existing", "restore_on_destroy":
			var b types.Bool
			diags.Append(src.GetAttribute(ctx, path.Root(name), &b)...)
			v = b
		case "emergency_access":
			var o types.Object
			diags.Append(src.GetAttribute(ctx, path.Root(name), &o)...)
			v = o
		case "timeouts":
			v = timeoutsOf(ctx, src, diags)
		}
		diags.Append(dst.SetAttribute(ctx, path.Root(name), v)...)
	}
}

func (r *baselineResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !r.ready(&resp.Diagnostics) {
		return
	}
	tenantID := r.data.Tenant.TenantID
	// The replacement of a baseline created in part continues it (resume.go). Until the rest is
	// applied the state is the half-made baseline's, so that a failure before any write gives its
	// objects back to Terraform instead of forgetting them.
	prior, resumed := takeResume(tenantID)
	var priorp *tfsdk.State
	if resumed {
		tflog.Info(ctx, "hipaa_baseline: completing the baseline the previous apply created in part")
		priorp = &prior
		resp.State.Raw = prior.Raw
		markIncomplete(ctx, resp.Private, tenantID, &resp.Diagnostics)
	}
	timeout, d := timeoutsOf(ctx, req.Plan, &resp.Diagnostics).Create(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var eaObj types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("emergency_access"), &eaObj)...)
	ea, d := emergencyFrom(ctx, eaObj)
	resp.Diagnostics.Append(d...)
	// The lockout guard again, with every value known, before anything is written.
	resp.Diagnostics.Append(r.guard(ctx, req.Plan, lockout.AtApply)...)
	if resp.Diagnostics.HasError() {
		return
	}
	e := newEnv(r.data.Tenant, ea)
	if !refuseTakeovers(ctx, e, req.Plan, priorp, tenantID, &resp.Diagnostics) {
		return // Nothing written: no new state, nothing for Terraform to taint.
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), tenantID)...)
	copyTop(ctx, req.Plan, &resp.State, &resp.Diagnostics)
	r.applyBlocks(ctx, e, req.Plan, priorp, &resp.State, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		// Terraform taints the resource; the next apply continues it instead of replacing it.
		markIncomplete(ctx, resp.Private, tenantID, &resp.Diagnostics)
	} else {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateCreateIncomplete, nil)...)
	}
}

func (r *baselineResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if !r.ready(&resp.Diagnostics) {
		return
	}
	timeout, d := timeoutsOf(ctx, req.Plan, &resp.Diagnostics).Update(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// The framework starts the new state from the plan, unknown values and all; a failure before
	// any write must leave the state as it was instead.
	resp.State.Raw = req.State.Raw

	var planEA, stateEA types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("emergency_access"), &planEA)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("emergency_access"), &stateEA)...)
	ea, d := emergencyFrom(ctx, planEA)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(r.guard(ctx, req.Plan, lockout.AtApply)...)
	if resp.Diagnostics.HasError() {
		return
	}
	e := newEnv(r.data.Tenant, ea)
	if !refuseTakeovers(ctx, e, req.Plan, &req.State, r.data.Tenant.TenantID, &resp.Diagnostics) {
		return
	}
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	copyTop(ctx, req.Plan, &resp.State, &resp.Diagnostics)
	// A change of the emergency-access accounts touches every Conditional Access policy.
	force := !planEA.Equal(stateEA)
	r.applyBlocks(ctx, e, req.Plan, &req.State, &resp.State, force, &resp.Diagnostics)
	// An update is never tainted (after `terraform untaint`, say): nothing left to resume.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateCreateIncomplete, nil)...)
}

// applyBlocks applies each block in order. After the first failure the remaining blocks keep
// their prior state: state then says exactly what was applied, and the next apply converges.
func (r *baselineResource) applyBlocks(ctx context.Context, e *env, plan tfsdk.Plan, prior *tfsdk.State, out *tfsdk.State, force bool, diags *diag.Diagnostics) {
	failed := false
	for _, b := range blocks() {
		p := nullOf(b)
		s := nullOf(b)
		diags.Append(plan.GetAttribute(ctx, path.Root(b.Name()), &p)...)
		if prior != nil {
			diags.Append(prior.GetAttribute(ctx, path.Root(b.Name()), &s)...)
		}
		next := s
		switch {
		case failed:
			// Keep what the tenant has for blocks not attempted.
		case !isManaged(p) && !isManaged(s):
			next = nullOf(b)
		case !isManaged(p):
			tflog.Info(ctx, "hipaa_baseline: releasing block", map[string]any{"block": b.Name()})
			d := b.Release(ctx, e, s, false)
			diags.Append(d...)
			if d.HasError() {
				failed = true
			} else {
				next = nullOf(b)
			}
		case !force && p.Equal(s):
			// Nothing drifted in this block.
		default:
			tflog.Info(ctx, "hipaa_baseline: applying block", map[string]any{"block": b.Name()})
			var d diag.Diagnostics
			next, d = b.Apply(ctx, e, p, s)
			diags.Append(d...)
			failed = d.HasError()
		}
		diags.Append(out.SetAttribute(ctx, path.Root(b.Name()), next)...)
	}
}

func (r *baselineResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !r.ready(&resp.Diagnostics) {
		return
	}
	noteIncomplete(ctx, req.Private, req.State)
	timeout, d := timeoutsOf(ctx, req.State, &resp.Diagnostics).Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var eaObj types.Object
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("emergency_access"), &eaObj)...)
	ea, d := emergencyFrom(ctx, eaObj)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	// On import the state holds only the id: adopt every block the tenant has.
	importing := !isManaged(eaObj)
	if importing {
		ea = r.data.EmergencyAccess
		if len(ea.UserIDs)+len(ea.GroupIDs) == 0 {
			found, err := discoverEmergencyAccess(ctx, r.data.Tenant)
			if err != nil {
				resp.Diagnostics.AddError("Error Importing HIPAA Baseline", err.Error())
				return
			}
			ea = found
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("emergency_access"), emergencyValue(ea))...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("restore_on_destroy"), false)...)
	}
	var adopt types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("adopt_existing"), &adopt)...)
	if adopt.IsNull() {
		// Imported, or written before the attribute existed: the default, so the plan shows no change.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("adopt_existing"), false)...)
	}
	e := newEnv(r.data.Tenant, ea)
	for _, b := range blocks() {
		s := nullOf(b)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(b.Name()), &s)...)
		if !importing && !isManaged(s) {
			continue
		}
		next, d := b.Read(ctx, e, s)
		resp.Diagnostics.Append(d...)
		if d.HasError() {
			return
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(b.Name()), next)...)
	}
}

func (r *baselineResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !r.ready(&resp.Diagnostics) {
		return
	}
	if keepForResume(ctx, req.Private, req.State) {
		tflog.Info(ctx, "hipaa_baseline: replacing a baseline created in part; keeping its objects for the create that follows")
		return
	}
	timeout, d := timeoutsOf(ctx, req.State, &resp.Diagnostics).Delete(ctx, defaultWriteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var eaObj types.Object
	var restore types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("emergency_access"), &eaObj)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("restore_on_destroy"), &restore)...)
	ea, d := emergencyFrom(ctx, eaObj)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	e := newEnv(r.data.Tenant, ea)
	bs := blocks()
	// Release in reverse order: the MFA policy goes last, so that the tenant is never without MFA
	// while other policies are being removed. Every Release is idempotent, so a failed destroy
	// can simply be run again.
	for i := len(bs) - 1; i >= 0; i-- {
		s := nullOf(bs[i])
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(bs[i].Name()), &s)...)
		if !isManaged(s) {
			continue
		}
		tflog.Info(ctx, "hipaa_baseline: releasing block", map[string]any{"block": bs[i].Name()})
		resp.Diagnostics.Append(bs[i].Release(ctx, e, s, restore.ValueBool())...)
	}
}

// discoverEmergencyAccess finds, on import, the accounts the baseline's MFA policy excludes.
func discoverEmergencyAccess(ctx context.Context, tenant *m365.Client) (providerdata.EmergencyAccess, error) {
	var ea providerdata.EmergencyAccess
	found, err := capolicies.FindByDisplayName(ctx, tenant, policyNameMFA)
	if err != nil || len(found) == 0 {
		return ea, err
	}
	if c := found[0].GetConditions(); c != nil && c.GetUsers() != nil {
		ea.UserIDs = c.GetUsers().GetExcludeUsers()
		ea.GroupIDs = c.GetUsers().GetExcludeGroups()
	}
	return ea, nil
}
