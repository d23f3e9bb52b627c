// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

var (
	pathState        = path.Root("state")
	pathExcludeUsers = path.Root("conditions").AtName("users").AtName("exclude_users")
)

// lockoutDiagnostics refuses a plan that would lock the emergency-access ("break-glass") accounts
// out of the tenant. HIPAA 164.312(a)(2)(ii) requires an emergency access procedure, and Microsoft's
// guidance is to exclude those accounts from every Conditional Access policy.
//
// The guard applies to an enabled policy that targets all users and blocks, demands MFA or demands
// an authentication strength. Such a policy must exclude one of emergencyUserIDs / emergencyGroupIDs
// (from the provider configuration) or, when the provider lists none, exclude at least one user or
// group. Report-only and disabled policies pass, so report-only stays a safe first rollout step.
// Any unknown value that could change the verdict (for example an id of a group created in the same
// apply) also passes: the plan cannot be judged yet, and it is judged again at apply time.
func lockoutDiagnostics(ctx context.Context, m caPolicyResourceModel, emergencyUserIDs, emergencyGroupIDs []string) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.State.IsUnknown() || m.State.ValueString() != stateEnabled {
		return diags
	}
	cond, d := objectAs[conditionsModel](ctx, m.Conditions)
	if d.HasError() || m.Conditions.IsUnknown() || m.Conditions.IsNull() || cond.Users.IsUnknown() || cond.Users.IsNull() {
		return diags
	}
	users, d := objectAs[usersModel](ctx, cond.Users)
	if d.HasError() {
		return diags
	}
	include, known := knownStrings(users.IncludeUsers)
	if !known || !contains(include, keywordAll) {
		return diags
	}
	if risky, known := grantLocksOut(ctx, m); !known || !risky {
		return diags
	}
	excludedUsers, knownU := knownStrings(users.ExcludeUsers)
	excludedGroups, knownG := knownStrings(users.ExcludeGroups)
	if !knownU || !knownG {
		return diags
	}

	if len(emergencyUserIDs) > 0 || len(emergencyGroupIDs) > 0 {
		if intersects(excludedUsers, emergencyUserIDs) || intersects(excludedGroups, emergencyGroupIDs) {
			return diags
		}
		fix := ""
		if len(emergencyUserIDs) > 0 {
			fix += fmt.Sprintf(" Add exclude_users = %s", hclList(emergencyUserIDs))
		}
		if len(emergencyGroupIDs) > 0 {
			if fix != "" {
				fix += " or"
			} else {
				fix += " Add"
			}
			fix += fmt.Sprintf(" exclude_groups = %s", hclList(emergencyGroupIDs))
		}
		diags.AddAttributeError(pathExcludeUsers, "Policy Would Lock Out Emergency Access",
			"This policy is enabled, targets all users and blocks access or requires MFA or an authentication "+
				"strength, but excludes none of the emergency-access accounts or groups configured in the provider "+
				"(emergency_access_user_ids / emergency_access_group_ids). If the policy misfires, nobody could sign in "+
				"to repair it, which defeats the emergency access procedure HIPAA 164.312(a)(2)(ii) requires."+
				fix+" to conditions.users, or set state = \"report_only\" first to observe the policy's effect.")
		return diags
	}

	if countIDs(excludedUsers) > 0 || len(excludedGroups) > 0 {
		return diags
	}
	diags.AddAttributeError(pathExcludeUsers, "Policy Would Lock Out Emergency Access",
		"This policy is enabled, targets all users and blocks access or requires MFA or an authentication "+
			"strength, but excludes no user or group. If the policy misfires, nobody could sign in to repair it, "+
			"which defeats the emergency access procedure HIPAA 164.312(a)(2)(ii) requires. Add the object ids of "+
			"the emergency-access (break-glass) accounts to conditions.users as exclude_users = [\"<id>\"] (or their "+
			"group as exclude_groups), list them in the provider's emergency_access_user_ids / "+
			"emergency_access_group_ids (HIPAA_EMERGENCY_ACCESS_USER_IDS / HIPAA_EMERGENCY_ACCESS_GROUP_IDS) so "+
			"every policy is checked against them, or set state = \"report_only\" first.")
	return diags
}

// grantLocksOut reports whether the grant controls block, demand MFA or demand an authentication
// strength, and whether that could be decided from known values.
func grantLocksOut(ctx context.Context, m caPolicyResourceModel) (risky, known bool) {
	if m.GrantControls.IsUnknown() {
		return false, false
	}
	if m.GrantControls.IsNull() {
		return false, true
	}
	g, d := objectAs[grantControlsModel](ctx, m.GrantControls)
	if d.HasError() {
		return false, false
	}
	if !g.AuthenticationStrengthID.IsUnknown() && !g.AuthenticationStrengthID.IsNull() {
		return true, true
	}
	builtIn, knownBuiltIn := knownStrings(g.BuiltInControls)
	if contains(builtIn, controlBlock) || contains(builtIn, controlMFA) {
		return true, true
	}
	if !knownBuiltIn || g.AuthenticationStrengthID.IsUnknown() {
		return false, false
	}
	return false, true
}

// intersects compares object ids case-insensitively.
func intersects(a, b []string) bool {
	for _, x := range a {
		if contains(b, x) {
			return true
		}
	}
	return false
}

// countIDs counts the entries that are object ids rather than keywords: excluding
// "GuestsOrExternalUsers" does not keep an emergency-access account out of scope.
func countIDs(vals []string) int {
	n := 0
	for _, v := range vals {
		if !isKeyword(v, excludeUserKeywords) {
			n++
		}
	}
	return n
}

func hclList(vals []string) string {
	quoted := make([]string, len(vals))
	for i, v := range vals {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
