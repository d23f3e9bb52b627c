// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

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
	pathState         = path.Root("state")
	pathExcludeUsers  = path.Root("conditions").AtName("users").AtName("exclude_users")
	pathExcludeGroups = path.Root("conditions").AtName("users").AtName("exclude_groups")
)

// guard is the lockout guard of one planned policy (see package lockout): the policy must exclude
// every emergency-access id of the provider when it could lock them out, and each id it relies on
// must exist in the tenant as a user or group. The provider's ids are the only emergency-access
// ids a hipaa_ca_policy has; without them, an enforced all-users policy must at least exclude
// someone, and those exclusions are checked instead.
//
// A value not known yet (an id of a user created in the same apply, say) defers the whole check:
// Create and Update run it again, with phase AtApply, before anything is written. At plan a tenant
// that cannot be read is a warning; at apply it stops the write.
func (r *caPolicyResource) guard(ctx context.Context, m caPolicyResourceModel, phase lockout.Phase) diag.Diagnostics {
	var ea providerdata.EmergencyAccess
	if r.data != nil {
		ea = r.data.EmergencyAccess
	}
	p, known := policyFacts(ctx, m)
	if !known {
		if phase == lockout.AtApply {
			var diags diag.Diagnostics
			diags.AddError("Unable to Check the Lockout Guard", "Some conditions or controls of the policy are still unknown at apply. "+
				"This is always a bug in the provider code and should be reported to the provider developers.")
			return diags
		}
		return nil
	}
	diags := lockoutDiagnostics(p, ea)
	if diags.HasError() || !lockout.Applies(p, ea) || r.data == nil || r.data.Tenant == nil {
		return diags
	}
	ids := lockout.ProviderIDs(ea)
	if len(ids) == 0 {
		ids = excludedIDs(p)
	}
	diags.Append(lockout.Verify(ctx, r.data.Tenant, ids, phase)...)
	return diags
}

// lockoutDiagnostics refuses a policy that would lock the emergency-access accounts out, at the
// exclusion attribute to fix.
func lockoutDiagnostics(p lockout.Policy, ea providerdata.EmergencyAccess) diag.Diagnostics {
	var diags diag.Diagnostics
	f := lockout.Check(p, ea)
	if f == nil {
		return diags
	}
	detail := f.Explain("This policy")
	at := pathExcludeUsers
	switch {
	case f.NoneKnown:
		detail += " Add the object ids of the emergency-access (break-glass) accounts to conditions.users as " +
			"exclude_users = [\"<id>\"] (or their group as exclude_groups), and list them in the provider's " +
			"emergency_access_user_ids / emergency_access_group_ids (HIPAA_EMERGENCY_ACCESS_USER_IDS / " +
			"HIPAA_EMERGENCY_ACCESS_GROUP_IDS) so that every policy is checked against them."
	default:
		var fix string
		fix, at = f.Fix(providerdata.EmergencyAccess{UserIDs: p.ExcludeUsers, GroupIDs: p.ExcludeGroups}, pathExcludeUsers, pathExcludeGroups)
		detail += fmt.Sprintf(" Set %s in conditions.users (the provider's emergency_access_user_ids / "+
			"emergency_access_group_ids list them).", fix)
	}
	detail += " Or set state = \"report_only\" first to observe the policy's effect."
	diags.AddAttributeError(at, lockout.Summary, detail)
	return diags
}

// policyFacts reads the guard's facts from the plan; known is false while any of them is unknown.
func policyFacts(ctx context.Context, m caPolicyResourceModel) (p lockout.Policy, known bool) {
	if m.State.IsUnknown() || m.Conditions.IsUnknown() || m.GrantControls.IsUnknown() || m.SessionControls.IsUnknown() {
		return p, false
	}
	p.Enforced = m.State.ValueString() == stateEnabled
	cond, d := objectAs[conditionsModel](ctx, m.Conditions)
	if d.HasError() || cond.Users.IsUnknown() {
		return p, false
	}
	users, d := objectAs[usersModel](ctx, cond.Users)
	if d.HasError() {
		return p, false
	}
	var ok bool
	for _, l := range []struct {
		dst *[]string
		src types.Set
	}{
		{&p.IncludeUsers, users.IncludeUsers}, {&p.ExcludeUsers, users.ExcludeUsers},
		{&p.IncludeGroups, users.IncludeGroups}, {&p.ExcludeGroups, users.ExcludeGroups},
		{&p.IncludeRoles, users.IncludeRoles},
	} {
		if *l.dst, ok = knownStrings(l.src); !ok {
			return p, false
		}
	}

	g, d := objectAs[grantControlsModel](ctx, m.GrantControls)
	if d.HasError() || g.AuthenticationStrengthID.IsUnknown() {
		return p, false
	}
	if p.BuiltInControls, ok = knownStrings(g.BuiltInControls); !ok {
		return p, false
	}
	factors, ok := knownStrings(g.CustomAuthenticationFactors)
	if !ok {
		return p, false
	}
	p.CustomControls = len(factors) > 0
	p.AuthenticationStrength = !g.AuthenticationStrengthID.IsNull() && g.AuthenticationStrengthID.ValueString() != ""

	s, d := objectAs[sessionControlsModel](ctx, m.SessionControls)
	if d.HasError() || s.SignInFrequency.IsUnknown() {
		return p, false
	}
	f, d := objectAs[signInFrequencyModel](ctx, s.SignInFrequency)
	if d.HasError() || f.FrequencyInterval.IsUnknown() {
		return p, false
	}
	p.SignInEveryTime = !s.SignInFrequency.IsNull() && f.FrequencyInterval.ValueString() == intervalEveryTime
	return p, true
}

// excludedIDs are the excluded users and groups as the ids the guard relies on when the provider
// names no emergency-access account: they stand in for it, so they must exist.
func excludedIDs(p lockout.Policy) []lockout.ID {
	var users []string
	for _, id := range p.ExcludeUsers {
		if !isKeyword(id, excludeUserKeywords) {
			users = append(users, id)
		}
	}
	return lockout.IDsAt(providerdata.EmergencyAccess{UserIDs: users, GroupIDs: p.ExcludeGroups}, pathExcludeUsers, pathExcludeGroups)
}
