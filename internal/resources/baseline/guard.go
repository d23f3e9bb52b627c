// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
)

var (
	pathEmergencyUsers  = path.Root("emergency_access").AtName("user_ids")
	pathEmergencyGroups = path.Root("emergency_access").AtName("group_ids")
)

// caPolicyBlock is a block that writes one Conditional Access policy. The lockout guard judges
// the policy it plans; every block with a policy_id attribute implements it (a test checks).
type caPolicyBlock interface {
	block
	// plannedPolicy is the policy the block would write for plan; known is false while its
	// state is unknown.
	plannedPolicy(ctx context.Context, plan types.Object) (want caDesired, known bool)
}

func (s caSpec[M]) planned(ctx context.Context, plan types.Object) (caDesired, bool) {
	m, d := decode[M](ctx, plan)
	if d.HasError() || s.fields(&m).State.IsUnknown() {
		return caDesired{}, false
	}
	return s.desired(&m), true
}

// guard is the lockout guard of a baseline (see package lockout). Each baseline policy excludes
// the emergency_access accounts; the guard checks every policy the plan would write against the
// union of those and the provider's emergency-access ids, so that a provider-wide break-glass
// account is never left out of an enforced policy, and checks that each id exists in the tenant
// as a user (user_ids) or a group (group_ids).
//
// Unknown ids defer the check to apply, where Create and Update run it with phase AtApply before
// any write. At plan a tenant that cannot be read is a warning; at apply it stops the write.
func (r *baselineResource) guard(ctx context.Context, plan getter, phase lockout.Phase) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.data == nil {
		return diags
	}
	var eaObj types.Object
	diags.Append(plan.GetAttribute(ctx, path.Root("emergency_access"), &eaObj)...)
	if diags.HasError() || eaObj.IsNull() {
		return diags
	}
	own, known := knownEmergency(ctx, eaObj)
	if !known {
		if phase == lockout.AtApply {
			diags.AddAttributeError(path.Root("emergency_access"), "Unable to Check the Lockout Guard",
				"The emergency-access ids are still unknown at apply. This is always a bug in the provider code and should be reported to the provider developers.")
		}
		return diags
	}
	provider := r.data.EmergencyAccess
	union := lockout.Union(own, provider)
	e := newEnv(r.data.Tenant, own)

	managesPolicies := false
	for _, b := range blocks() {
		cb, ok := b.(caPolicyBlock)
		if !ok {
			continue
		}
		obj := nullOf(b)
		diags.Append(plan.GetAttribute(ctx, path.Root(b.Name()), &obj)...)
		if !isManaged(obj) {
			continue
		}
		managesPolicies = true
		want, known := cb.plannedPolicy(ctx, obj)
		if !known {
			continue
		}
		if f := lockout.Check(lockout.FromGraph(want.policy(e)), union); f != nil {
			diags.Append(baselineLockout(b.Name(), want.DisplayName, f, own)...)
		}
	}
	if diags.HasError() || !managesPolicies || r.data.Tenant == nil {
		return diags
	}
	ids := lockout.IDsAt(own, pathEmergencyUsers, pathEmergencyGroups)
	for _, id := range lockout.ProviderIDs(provider) {
		if !containsFold(own.UserIDs, id.Value) && !containsFold(own.GroupIDs, id.Value) {
			ids = append(ids, id)
		}
	}
	diags.Append(lockout.Verify(ctx, r.data.Tenant, ids, phase)...)
	return diags
}

// baselineLockout refuses a baseline policy that leaves out one of the provider's accounts: the
// fix is to list it in emergency_access, which every baseline policy excludes.
func baselineLockout(blockName, policy string, f *lockout.Finding, own providerdata.EmergencyAccess) diag.Diagnostics {
	var diags diag.Diagnostics
	fix, at := f.Fix(own, pathEmergencyUsers, pathEmergencyGroups)
	diags.AddAttributeError(at, lockout.Summary,
		f.Explain(fmt.Sprintf("The %s block's policy %q", blockName, policy))+
			" The provider's emergency_access_user_ids / emergency_access_group_ids name these accounts, and every policy must "+
			"exclude them. Set "+fix+" in the emergency_access block (the baseline excludes those accounts "+
			"from every policy it manages), or keep the block's state = \"report_only\" until then.")
	return diags
}

// knownEmergency reads the emergency_access ids of a plan; known is false while any is unknown.
func knownEmergency(ctx context.Context, obj types.Object) (providerdata.EmergencyAccess, bool) {
	var ea providerdata.EmergencyAccess
	if obj.IsUnknown() {
		return ea, false
	}
	m, d := decode[emergencyAccessModel](ctx, obj)
	if d.HasError() {
		return ea, false
	}
	for _, l := range []struct {
		dst *[]string
		src types.Set
	}{{&ea.UserIDs, m.UserIDs}, {&ea.GroupIDs, m.GroupIDs}} {
		if l.src.IsUnknown() {
			return ea, false
		}
		for _, v := range l.src.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsUnknown() {
				return ea, false
			}
			if !s.IsNull() {
				*l.dst = append(*l.dst, s.ValueString())
			}
		}
	}
	return ea, true
}
