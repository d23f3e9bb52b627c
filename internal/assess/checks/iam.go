// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

func init() {
	register("HIPAA.IAM.1v1", checkIAMGlobalAdmins)
	register("HIPAA.IAM.2v1", checkIAMPIM)
	register("HIPAA.IAM.3v1", checkIAMAccessReview)
}

// roleAssignment is an active directory role assignment. The collector is asked to $expand the
// principal so findings can name people; without it the principal id is used.
type roleAssignment struct {
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId"`
	Principal        *struct {
		ODataType         string `json:"@odata.type"`
		DisplayName       string `json:"displayName"`
		UserPrincipalName string `json:"userPrincipalName"`
	} `json:"principal"`
}

func (a roleAssignment) principalName() string {
	if a.Principal != nil {
		if a.Principal.UserPrincipalName != "" {
			return a.Principal.UserPrincipalName
		}
		if a.Principal.DisplayName != "" {
			return a.Principal.DisplayName
		}
	}
	return a.PrincipalID
}

func (a roleAssignment) isServicePrincipal() bool {
	return a.Principal != nil && strings.EqualFold(a.Principal.ODataType, "#microsoft.graph.servicePrincipal")
}

type eligibility struct {
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	Status           string `json:"status"`
}

// eligibleSet returns "principal|role" keys of eligible (PIM) assignments: an active assignment
// with a matching eligibility is a PIM activation, not a permanent assignment.
func eligibleSet(items []eligibility) map[string]bool {
	out := map[string]bool{}
	for _, e := range items {
		if e.Status == "" || strings.EqualFold(e.Status, "Provisioned") {
			out[strings.ToLower(e.PrincipalID+"|"+e.RoleDefinitionID)] = true
		}
	}
	return out
}

func checkIAMGlobalAdmins(s *snapshot.Snapshot, p Params) Outcome {
	const expected = "Between 2 and 4 principals hold the Global Administrator role permanently."
	var assignments []roleAssignment
	if err := decodeList(s, snapshot.GraphRoleAssignments, &assignments); err != nil {
		return errorOutcome(expected, err)
	}
	// Eligibility is optional here (it needs Entra ID P2); without it every active Global
	// Administrator counts as permanent, which can only over-count.
	var elig []eligibility
	detail := ""
	if s.Has(snapshot.GraphRoleEligibilitySchedules) {
		if err := decodeList(s, snapshot.GraphRoleEligibilitySchedules, &elig); err != nil {
			return errorOutcome(expected, err)
		}
	} else {
		detail = "Role eligibility was not read, so PIM activations count as permanent assignments."
	}
	eligible := eligibleSet(elig)
	seen := map[string]bool{}
	var names []string
	for _, a := range assignments {
		if !strings.EqualFold(a.RoleDefinitionID, roleGlobalAdminTmpl) || (a.DirectoryScopeID != "" && a.DirectoryScopeID != "/") {
			continue
		}
		if eligible[strings.ToLower(a.PrincipalID+"|"+a.RoleDefinitionID)] || seen[a.PrincipalID] {
			continue
		}
		seen[a.PrincipalID] = true
		names = append(names, a.principalName())
	}
	sort.Strings(names)
	actual := fmt.Sprintf("%s permanently: %s.", plural(len(names), "principal holds Global Administrator", "principals hold Global Administrator"), joinNames(names))
	if len(names) == 0 {
		actual = "No principal holds Global Administrator permanently."
	}
	var out Outcome
	switch {
	case len(names) < 2:
		out = fail(expected, actual+" One lost account would leave the tenant without an administrator.", names...)
	case len(names) > 4:
		out = fail(expected, actual+" Move the others to PIM-eligible or narrower roles.", names...)
	default:
		out = pass(expected, actual)
		out.Objects = names
	}
	out.Detail = detail
	return out
}

func checkIAMPIM(s *snapshot.Snapshot, p Params) Outcome {
	const expected = "Privileged roles other than Global Administrator are assigned only as PIM-eligible; no permanent active assignment besides emergency access."
	if o := licenceGate(s, expected, "Microsoft Entra ID P2 (Privileged Identity Management)", planAADP2); o != nil {
		return *o
	}
	var assignments []roleAssignment
	if err := decodeList(s, snapshot.GraphRoleAssignments, &assignments); err != nil {
		return errorOutcome(expected, err)
	}
	var elig []eligibility
	if err := decodeList(s, snapshot.GraphRoleEligibilitySchedules, &elig); err != nil {
		return errorOutcome(expected, err)
	}
	eligible := eligibleSet(elig)
	var bad, apps []string
	for _, a := range assignments {
		role := strings.ToLower(a.RoleDefinitionID)
		if role == roleGlobalAdminTmpl || !containsFold(privilegedRoles, role) {
			continue
		}
		if eligible[strings.ToLower(a.PrincipalID+"|"+a.RoleDefinitionID)] || containsFold(p.EmergencyAccessUserIDs, a.PrincipalID) {
			continue
		}
		if a.isServicePrincipal() {
			// Applications cannot activate PIM roles; they are reported, not failed.
			apps = append(apps, a.principalName())
			continue
		}
		bad = append(bad, a.principalName()+" ("+roleName(role)+")")
	}
	sort.Strings(bad)
	var out Outcome
	if len(bad) > 0 {
		out = fail(expected, fmt.Sprintf("%s permanent: %s.", plural(len(bad), "privileged role assignment is", "privileged role assignments are"), joinNames(bad)), bad...)
	} else {
		out = pass(expected, fmt.Sprintf("No permanent assignment of the other privileged roles; %s PIM-eligible.", plural(len(elig), "assignment is", "assignments are")))
	}
	if len(apps) > 0 {
		out.Detail = "Applications hold privileged roles directly (PIM does not apply to them): " + joinNames(apps) + "."
	}
	return out
}

func roleName(id string) string { return directory.Name(id) }

type accessReview struct {
	DisplayName string `json:"displayName"`
	Status      string `json:"status"`
	Scope       struct {
		Query          string `json:"query"`
		ResourceScopes []struct {
			Query string `json:"query"`
		} `json:"resourceScopes"`
	} `json:"scope"`
	Settings struct {
		Recurrence *struct {
			Pattern struct {
				Type     string  `json:"type"`
				Interval flexInt `json:"interval"`
			} `json:"pattern"`
		} `json:"recurrence"`
	} `json:"settings"`
}

// coversRoles reports whether a review's scope is directory role assignments.
func (r accessReview) coversRoles() bool {
	q := strings.ToLower(r.Scope.Query)
	for _, rs := range r.Scope.ResourceScopes {
		q += " " + strings.ToLower(rs.Query)
	}
	return strings.Contains(q, "/rolemanagement/directory") || strings.Contains(q, "roledefinitions") || strings.Contains(q, "roleassignment")
}

// monthlyOrMore reports whether the recurrence repeats at least monthly.
func (r accessReview) monthlyOrMore() bool {
	rec := r.Settings.Recurrence
	if rec == nil {
		return false
	}
	n := rec.Pattern.Interval.V
	if n <= 0 {
		n = 1
	}
	switch strings.ToLower(rec.Pattern.Type) {
	case "daily":
		return n <= 31
	case "weekly":
		return n <= 4
	case "absolutemonthly", "relativemonthly":
		return n == 1
	}
	return false
}

func checkIAMAccessReview(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "A recurring access review of privileged role assignments runs monthly or more often."
	if o := licenceGate(s, expected, "Microsoft Entra ID P2 (access reviews)", planAADP2); o != nil {
		return *o
	}
	var reviews []accessReview
	if err := decodeList(s, snapshot.GraphAccessReviews, &reviews); err != nil {
		return errorOutcome(expected, err)
	}
	var roleReviews []string
	for _, r := range reviews {
		if !r.coversRoles() || strings.EqualFold(r.Status, "Completed") {
			continue
		}
		if r.monthlyOrMore() {
			return pass(expected, fmt.Sprintf("Access review %q reviews privileged roles monthly or more often.", r.DisplayName))
		}
		roleReviews = append(roleReviews, r.DisplayName)
	}
	if len(roleReviews) > 0 {
		return fail(expected, "Privileged roles are reviewed, but less often than monthly: "+joinNames(quoteAll(roleReviews))+".", roleReviews...)
	}
	return fail(expected, "No active access review covers privileged role assignments.")
}
