// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package lockout is the guard that keeps a Conditional Access write from locking the
// emergency-access ("break-glass") accounts out of the tenant. HIPAA 164.312(a)(2)(ii) requires
// an emergency access procedure, and Microsoft's guidance is to exclude those accounts from
// every Conditional Access policy: if a policy misfires, they are how an administrator gets back
// in to repair it.
//
// hipaa_ca_policy and hipaa_baseline both judge every policy they would write here, against the
// union of the provider's emergency-access ids and the resource's own, so that one rule holds
// everywhere:
//
//   - Check: an enforced policy that reaches an emergency-access account and carries a control
//     that account might not satisfy must exclude every emergency-access id.
//   - Verify: every id the guard relies on exists in the tenant and is a user or a group, as
//     the attribute that holds it says.
package lockout

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

// Summary is the summary of every refusal of a policy that would lock the accounts out.
const Summary = "Policy Would Lock Out Emergency Access"

// Policy is what the guard needs to know of one Conditional Access policy, in Graph's terms.
type Policy struct {
	// Enforced is state = enabled. Report-only (enabledForReportingButNotEnforced) and disabled
	// policies never block a sign-in, so report-only stays the safe first rollout step.
	Enforced bool

	IncludeUsers, ExcludeUsers   []string // Object ids and the keywords All, None, GuestsOrExternalUsers.
	IncludeGroups, ExcludeGroups []string
	IncludeRoles                 []string // Directory role template ids.

	BuiltInControls        []string // Graph spellings: block, mfa, compliantDevice ...
	AuthenticationStrength bool     // grantControls.authenticationStrength is set.
	CustomControls         bool     // grantControls.customAuthenticationFactors is not empty.
	SignInEveryTime        bool     // sessionControls.signInFrequency is enabled with frequencyInterval everyTime.
}

// lockoutControls are the built-in grant controls an emergency-access account might be unable to
// satisfy when it is needed most, in words for the diagnostic. Terms of use can always be
// accepted, and passwordChange is only valid together with mfa (Graph, conditionalAccessGrantControls),
// which is listed. Approved client apps and app protection policies exist on iOS and Android
// only, so they keep a desktop sign-in out.
var lockoutControls = map[string]string{
	"block":                "blocks access",
	"mfa":                  "requires multifactor authentication",
	"compliantDevice":      "requires a compliant device",
	"domainJoinedDevice":   "requires a Microsoft Entra hybrid joined device",
	"approvedApplication":  "requires an approved client app",
	"compliantApplication": "requires an app protection policy",
}

// FromGraph reads the guard's facts from a policy as it is sent to (or read from) Graph.
func FromGraph(p models.ConditionalAccessPolicyable) Policy {
	var out Policy
	if p == nil {
		return out
	}
	out.Enforced = p.GetState() != nil && *p.GetState() == models.ENABLED_CONDITIONALACCESSPOLICYSTATE
	if c := p.GetConditions(); c != nil && c.GetUsers() != nil {
		u := c.GetUsers()
		out.IncludeUsers, out.ExcludeUsers = u.GetIncludeUsers(), u.GetExcludeUsers()
		out.IncludeGroups, out.ExcludeGroups = u.GetIncludeGroups(), u.GetExcludeGroups()
		out.IncludeRoles = u.GetIncludeRoles()
	}
	if g := p.GetGrantControls(); g != nil {
		for _, c := range g.GetBuiltInControls() {
			out.BuiltInControls = append(out.BuiltInControls, c.String())
		}
		out.AuthenticationStrength = g.GetAuthenticationStrength() != nil && g.GetAuthenticationStrength().GetId() != nil &&
			*g.GetAuthenticationStrength().GetId() != ""
		out.CustomControls = len(g.GetCustomAuthenticationFactors()) > 0
	}
	if s := p.GetSessionControls(); s != nil {
		if f := s.GetSignInFrequency(); f != nil && f.GetIsEnabled() != nil && *f.GetIsEnabled() && f.GetFrequencyInterval() != nil {
			out.SignInEveryTime = *f.GetFrequencyInterval() == models.EVERYTIME_SIGNINFREQUENCYINTERVAL
		}
	}
	return out
}

// Controls lists, in words, the controls of p that can keep an emergency-access account out.
// An OR of such a control with terms of use still counts: the guard stays on the safe side
// rather than reason about which control an account can satisfy.
func (p Policy) Controls() []string {
	var out []string
	for _, c := range p.BuiltInControls {
		for k, words := range lockoutControls {
			if strings.EqualFold(c, k) {
				out = append(out, words)
			}
		}
	}
	if p.AuthenticationStrength {
		out = append(out, "requires an authentication strength")
	}
	if p.CustomControls {
		out = append(out, "requires a custom control (an external provider that may be unreachable)")
	}
	if p.SignInEveryTime {
		out = append(out, "requires a fresh sign-in every time (sign-in frequency everyTime)")
	}
	sort.Strings(out)
	return out
}

// reach says why the policy applies to an emergency-access account, "" when it cannot.
// Membership is not resolved: an account may join a group, be nested in one, or activate an
// eligible role at any time, so a policy scoped to any group or role is taken to reach them
// (Microsoft's guidance gives emergency-access accounts the Global Administrator role).
// A policy scoped only to other listed users, to guests, or to None does not reach them.
func (p Policy) reach(ea providerdata.EmergencyAccess) string {
	switch {
	case containsFold(p.IncludeUsers, "All"):
		return "all users"
	case intersectFold(p.IncludeUsers, ea.UserIDs) != "":
		return "the emergency-access user " + intersectFold(p.IncludeUsers, ea.UserIDs)
	case intersectFold(p.IncludeGroups, ea.GroupIDs) != "":
		return "the emergency-access group " + intersectFold(p.IncludeGroups, ea.GroupIDs)
	case len(p.IncludeGroups) > 0:
		return "groups, which an emergency-access account may be a member of"
	case len(p.IncludeRoles) > 0:
		return "directory roles, which emergency-access accounts hold (Global Administrator)"
	}
	return ""
}

// Finding is a policy the guard refuses.
type Finding struct {
	Reach    string   // Whom the policy applies to, e.g. "all users".
	Controls []string // What it demands that can lock out, in words.
	// MissingUsers and MissingGroups are the emergency-access ids the policy does not exclude.
	MissingUsers, MissingGroups []string
	// NoneKnown: no emergency-access id is known and the policy, which targets all users,
	// excludes no user and no group at all.
	NoneKnown bool
}

// Check judges p against the emergency-access accounts ea (the union of every list the user
// gave). It returns nil when p cannot lock them out.
//
// Without any emergency-access id the guard cannot know the accounts; it then only refuses an
// enforced all-users policy that excludes no user or group at all.
func Check(p Policy, ea providerdata.EmergencyAccess) *Finding {
	if !p.Enforced {
		return nil
	}
	controls := p.Controls()
	if len(controls) == 0 {
		return nil
	}
	if len(ea.UserIDs)+len(ea.GroupIDs) == 0 {
		if !containsFold(p.IncludeUsers, "All") || countObjectIDs(p.ExcludeUsers) > 0 || len(p.ExcludeGroups) > 0 {
			return nil
		}
		return &Finding{Reach: "all users", Controls: controls, NoneKnown: true}
	}
	reach := p.reach(ea)
	if reach == "" {
		return nil
	}
	f := &Finding{Reach: reach, Controls: controls,
		MissingUsers: missingFold(ea.UserIDs, p.ExcludeUsers), MissingGroups: missingFold(ea.GroupIDs, p.ExcludeGroups)}
	if len(f.MissingUsers)+len(f.MissingGroups) == 0 {
		return nil
	}
	return f
}

// Applies reports whether the guard relies on the emergency-access ids for p: p is enforced,
// has a control that can lock out and reaches the accounts. Those ids must then exist.
func Applies(p Policy, ea providerdata.EmergencyAccess) bool {
	if !p.Enforced || len(p.Controls()) == 0 {
		return false
	}
	if len(ea.UserIDs)+len(ea.GroupIDs) == 0 {
		return containsFold(p.IncludeUsers, "All")
	}
	return p.reach(ea) != ""
}

// Explain is the first part of the refusal's detail: what the policy does and what it misses.
func (f Finding) Explain(policy string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is enabled, applies to %s and %s", policy, f.Reach, strings.Join(f.Controls, ", "))
	switch {
	case f.NoneKnown:
		b.WriteString(", but excludes no user or group")
	default:
		var missing []string
		if len(f.MissingUsers) > 0 {
			missing = append(missing, "the emergency-access user(s) "+strings.Join(f.MissingUsers, ", "))
		}
		if len(f.MissingGroups) > 0 {
			missing = append(missing, "the emergency-access group(s) "+strings.Join(f.MissingGroups, ", "))
		}
		b.WriteString(", but does not exclude " + strings.Join(missing, " or "))
	}
	b.WriteString(". If the policy misfires, nobody could sign in to repair it, which defeats the emergency access " +
		"procedure HIPAA 164.312(a)(2)(ii) requires.")
	return b.String()
}

// Fix is the change that resolves f in a resource whose attributes at users and groups hold the
// ids in have: each attribute that misses an id, set to what it holds with the missing ids added,
// in HCL ("exclude_users = [...] and exclude_groups = [...]"), and the attribute a diagnostic
// points at (users, unless only groups are missing).
func (f Finding) Fix(have providerdata.EmergencyAccess, users, groups path.Path) (hcl string, at path.Path) {
	var fix []string
	at = users
	if len(f.MissingUsers) > 0 {
		fix = append(fix, attributeName(users)+" = "+HCLList(Union(have, providerdata.EmergencyAccess{UserIDs: f.MissingUsers}).UserIDs))
	}
	if len(f.MissingGroups) > 0 {
		fix = append(fix, attributeName(groups)+" = "+HCLList(Union(have, providerdata.EmergencyAccess{GroupIDs: f.MissingGroups}).GroupIDs))
		if len(f.MissingUsers) == 0 {
			at = groups
		}
	}
	return strings.Join(fix, " and "), at
}

// attributeName is the name of the attribute at p, its last step.
func attributeName(p path.Path) string {
	steps := p.Steps()
	if len(steps) == 0 {
		return ""
	}
	return steps[len(steps)-1].String()
}

// Union is the emergency-access accounts of every list, each id once (compared case-insensitively),
// in the order first given.
func Union(lists ...providerdata.EmergencyAccess) providerdata.EmergencyAccess {
	var out providerdata.EmergencyAccess
	for _, l := range lists {
		out.UserIDs = appendMissing(out.UserIDs, l.UserIDs)
		out.GroupIDs = appendMissing(out.GroupIDs, l.GroupIDs)
	}
	return out
}

// HCLList renders ids as an HCL list for a diagnostic's fix.
func HCLList(ids []string) string {
	quoted := make([]string, len(ids))
	for i, v := range ids {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func appendMissing(dst, src []string) []string {
	for _, v := range src {
		if !containsFold(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// missingFold returns the elements of want that have is lacks.
func missingFold(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !containsFold(have, w) {
			out = append(out, w)
		}
	}
	return out
}

// intersectFold returns the first element of a that is in b, "" when none is.
func intersectFold(a, b []string) string {
	for _, x := range a {
		if containsFold(b, x) {
			return x
		}
	}
	return ""
}

func containsFold(vals []string, want string) bool {
	for _, v := range vals {
		if strings.EqualFold(strings.TrimSpace(v), strings.TrimSpace(want)) {
			return true
		}
	}
	return false
}

// countObjectIDs counts the entries that are not keywords: excluding "GuestsOrExternalUsers"
// keeps no emergency-access account out of scope.
func countObjectIDs(vals []string) int {
	n := 0
	for _, v := range vals {
		if !strings.EqualFold(v, "GuestsOrExternalUsers") && !strings.EqualFold(v, "All") && !strings.EqualFold(v, "None") {
			n++
		}
	}
	return n
}
