// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// The read-only Graph sources of the assessment: the MFA registration report, PIM schedules,
// access reviews, Intune policies, service principals and their Graph permissions, Secure Score.

// Permission sets, least privileged first, as the Graph reference lists them for applications.
var (
	permRegistrationRead = [][]string{{"AuditLog.Read.All"}}
	permEligibilityRead  = [][]string{{"RoleEligibilitySchedule.Read.Directory"}, {"RoleManagement.Read.Directory"}, {"RoleManagement.Read.All"},
		{"RoleEligibilitySchedule.ReadWrite.Directory"}, {"RoleManagement.ReadWrite.Directory"}}
	permAssignSchedRead = [][]string{{"RoleAssignmentSchedule.Read.Directory"}, {"RoleManagement.Read.Directory"}, {"RoleManagement.Read.All"},
		{"RoleAssignmentSchedule.ReadWrite.Directory"}, {"RoleManagement.ReadWrite.Directory"}}
	permAccessReviewRead = [][]string{{"AccessReview.Read.All"}, {"AccessReview.ReadWrite.Membership"}, {"AccessReview.ReadWrite.All"}}
	permIntuneConfigRead = [][]string{{"DeviceManagementConfiguration.Read.All"}, {"DeviceManagementConfiguration.ReadWrite.All"}}
	permIntuneAppsRead   = [][]string{{"DeviceManagementApps.Read.All"}, {"DeviceManagementApps.ReadWrite.All"}}
	permAppRead          = [][]string{{"Application.Read.All"}, {"Application.ReadWrite.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permSecureScoreRead  = [][]string{{"SecurityEvents.Read.All"}, {"SecurityEvents.ReadWrite.All"}}
)

func (s *Service) assessRoutes() []route {
	return []route{
		{"GET", "/reports/authenticationMethods/userRegistrationDetails", permRegistrationRead, false, s.registrationList},
		{"GET", "/roleManagement/directory/roleEligibilitySchedules", permEligibilityRead, false, s.eligibilityList},
		{"GET", "/roleManagement/directory/roleAssignmentSchedules", permAssignSchedRead, false, s.assignmentScheduleList},
		{"GET", "/identityGovernance/accessReviews/definitions", permAccessReviewRead, false, s.accessReviewList},
		{"GET", "/deviceManagement/deviceCompliancePolicies", permIntuneConfigRead, false, s.compliancePolicyList},
		{"GET", "/deviceAppManagement/managedAppPolicies", permIntuneAppsRead, false, s.appProtectionList},
		{"GET", "/servicePrincipals", permAppRead, false, s.spList},
		{"GET", "/servicePrincipals/{id}", permAppRead, false, s.spGet},
		{"GET", "/servicePrincipals/{id}/appRoleAssignedTo", permAppRead, false, s.spAppRoleAssignedTo},
		{"GET", "/security/secureScores", permSecureScoreRead, false, s.secureScoreList},
	}
}

// keySegment matches an alternate-key segment such as servicePrincipals(appId='...').
var keySegment = regexp.MustCompile(`^([A-Za-z]+)\((appId)='([^']*)'\)$`)

// expandKeySegments turns "servicePrincipals(appId='x')" into "servicePrincipals", "appId=x" so
// that the {id} routes serve alternate keys too (as findRole does with roleTemplateId=).
func expandKeySegments(segs []string) []string {
	var out []string
	for _, sg := range segs {
		if m := keySegment.FindStringSubmatch(sg); m != nil {
			out = append(out, m[1], m[2]+"="+m[3])
			continue
		}
		out = append(out, sg)
	}
	return out
}

func mapLister(items []map[string]any, typeName string) lister {
	return lister{n: len(items), item: func(i int) map[string]any { return items[i] }, typeName: typeName}
}

// registrationList serves the per-user report, computing each row from the user on demand.
func (s *Service) registrationList(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	users := s.Store.State.Users
	as := s.Store.State.Assess
	admins := map[string]bool{}
	for _, a := range s.Store.State.RoleAssignments {
		admins[a.PrincipalID] = true
	}
	for _, e := range as.Eligibility {
		admins[store.String(e, "principalId")] = true
	}
	registered := make(map[string]bool, len(as.MFARegistered))
	for _, id := range as.MFARegistered {
		registered[id] = true
	}
	all := as.MFARegisteredAll
	s.Store.Mu.RUnlock()
	row := func(i int) map[string]any {
		u := users[i]
		typ := strings.ToLower(u.UserType)
		reg := typ == "member" && (all || registered[u.ID])
		methods := []any{}
		preferred := "none"
		if reg {
			methods = []any{"microsoftAuthenticatorPush", "softwareOneTimePasscode"}
			preferred = "push"
			if admins[u.ID] && all {
				methods = append(methods, "fido2")
			}
		}
		return map[string]any{
			"id": u.ID, "userPrincipalName": u.UserPrincipalName, "userDisplayName": u.DisplayName, "userType": typ,
			"isAdmin": admins[u.ID], "isSsprRegistered": reg, "isSsprEnabled": true, "isSsprCapable": reg,
			"isMfaRegistered": reg, "isMfaCapable": reg, "isPasswordlessCapable": reg && admins[u.ID] && all,
			"methodsRegistered": methods, "isSystemPreferredAuthenticationMethodEnabled": true,
			"systemPreferredAuthenticationMethods": []any{}, "userPreferredMethodForSecondaryAuthentication": preferred,
			"lastUpdatedDateTime": u.CreatedDateTime,
		}
	}
	return g.writeList("reports/authenticationMethods/userRegistrationDetails",
		lister{n: len(users), item: row, typeName: "userRegistrationDetails"})
}

func (s *Service) eligibilityList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "roleManagement/directory/roleEligibilitySchedules", func(st *store.State) lister {
		return mapLister(st.Assess.Eligibility, "unifiedRoleEligibilitySchedule")
	})
}

// assignmentScheduleList derives the active schedules from the role assignments: every seeded
// assignment is permanent (noExpiration), as standing assignments made outside PIM are.
func (s *Service) assignmentScheduleList(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	list := make([]map[string]any, 0, len(s.Store.State.RoleAssignments))
	created := s.Store.State.CreatedDateTime
	for _, a := range s.Store.State.RoleAssignments {
		list = append(list, map[string]any{
			"id": a.ID, "principalId": a.PrincipalID, "roleDefinitionId": a.RoleDefinitionID, "directoryScopeId": a.DirectoryScopeID,
			"appScopeId": nil, "createdUsing": a.ID, "createdDateTime": created, "modifiedDateTime": nil, "status": "Provisioned",
			"assignmentType": "Assigned", "memberType": "Direct",
			"scheduleInfo": map[string]any{"startDateTime": created, "recurrence": nil,
				"expiration": map[string]any{"type": "noExpiration", "endDateTime": nil, "duration": nil}},
		})
	}
	s.Store.Mu.RUnlock()
	return g.writeList("roleManagement/directory/roleAssignmentSchedules", mapLister(list, "unifiedRoleAssignmentSchedule"))
}

func (s *Service) accessReviewList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "identityGovernance/accessReviews/definitions", func(st *store.State) lister {
		return mapLister(st.Assess.AccessReviews, "accessReviewScheduleDefinition")
	})
}

// compliancePolicyList serves assignments only with $expand=assignments, as Intune does.
func (s *Service) compliancePolicyList(g *gctx) *httpx.GraphError {
	expand := strings.TrimSpace(g.q.Get("$expand"))
	if expand != "" && !strings.EqualFold(expand, "assignments") {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Could not find a property named '%s' on type 'microsoft.graph.deviceCompliancePolicy'.", expand)
	}
	s.Store.Mu.RLock()
	src := s.Store.State.Assess.CompliancePolicies
	list := make([]map[string]any, 0, len(src))
	for _, p := range src {
		out := make(map[string]any, len(p)+1)
		for k, v := range p {
			if k != "assignments" || expand != "" {
				out[k] = v
			}
		}
		if expand != "" {
			out["assignments@odata.context"] = g.contextURL("deviceManagement/deviceCompliancePolicies('" + store.String(p, "id") + "')/assignments")
		}
		list = append(list, out)
	}
	s.Store.Mu.RUnlock()
	return g.writeList("deviceManagement/deviceCompliancePolicies", mapLister(list, "deviceCompliancePolicy"))
}

func (s *Service) appProtectionList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "deviceAppManagement/managedAppPolicies", func(st *store.State) lister { return mapLister(st.Assess.AppProtections, "managedAppPolicy") })
}

// servicePrincipals returns every service principal: Microsoft's, the seeded apps and the two
// devtenant apps.
func (s *Service) servicePrincipals() []map[string]any {
	st := s.Store.State
	out := slices.Clone(st.Assess.ServicePrincipals)
	for _, a := range st.Apps {
		out = append(out, map[string]any{
			"id": a.ServicePrincipalID, "appId": a.AppID, "displayName": a.DisplayName, "appDisplayName": a.DisplayName,
			"appOwnerOrganizationId": st.TenantID, "publisherName": st.DisplayName,
			"verifiedPublisher":    map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil},
			"servicePrincipalType": "Application", "accountEnabled": true, "tags": []any{"WindowsAzureActiveDirectoryIntegratedApp"},
			"appRoles": []any{}, "signInAudience": "AzureADMyOrg", "createdDateTime": st.CreatedDateTime,
		})
	}
	return out
}

func (s *Service) findSP(key string) map[string]any {
	appID, byAppID := strings.CutPrefix(key, "appId=")
	for _, sp := range s.servicePrincipals() {
		if (byAppID && strings.EqualFold(store.String(sp, "appId"), appID)) || (!byAppID && sp["id"] == key) {
			return sp
		}
	}
	return nil
}

func (s *Service) spList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "servicePrincipals", func(*store.State) lister { return mapLister(s.servicePrincipals(), "servicePrincipal") })
}

func (s *Service) spGet(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	sp := s.findSP(g.params[0])
	s.Store.Mu.RUnlock()
	if sp == nil {
		return dirNotFound(g.params[0])
	}
	return g.writeEntity("servicePrincipals", sp, mapLister([]map[string]any{sp}, "servicePrincipal"))
}

// spAppRoleAssignedTo lists the application permissions granted on a resource service principal;
// for Microsoft Graph these include the devtenant apps' own roles.
func (s *Service) spAppRoleAssignedTo(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	st := s.Store.State
	sp := s.findSP(g.params[0])
	var list []map[string]any
	if sp != nil && sp["id"] == st.Assess.GraphSPID {
		for _, a := range st.Apps {
			for _, r := range a.Roles {
				if _, known := graphRoleIDs[r]; known {
					ra := AppRoleAssignment(a.ServicePrincipalID, a.DisplayName, st.Assess.GraphSPID, r, st.CreatedDateTime)
					ra["id"] = store.GUIDBase64(a.ServicePrincipalID) + store.GUIDBase64(graphRoleIDs[r])[:11]
					list = append(list, ra)
				}
			}
		}
		list = append(list, st.Assess.GraphGrants...)
	}
	s.Store.Mu.RUnlock()
	if sp == nil {
		return dirNotFound(g.params[0])
	}
	return g.writeList("servicePrincipals('"+store.String(sp, "id")+"')/appRoleAssignedTo", mapLister(list, "appRoleAssignment"))
}

func (s *Service) secureScoreList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "security/secureScores", func(st *store.State) lister { return mapLister(st.Assess.SecureScores, "secureScore") })
}

func AppRoleAssignment(principalID, principalName, resourceID, perm, created string) map[string]any {
	return map[string]any{
		"id": store.GUIDBase64(principalID) + store.GUIDBase64(store.NewGUID())[:11], "deletedDateTime": nil, "appRoleId": graphRoleIDs[perm],
		"createdDateTime": created, "principalDisplayName": principalName, "principalId": principalID,
		"principalType": "ServicePrincipal", "resourceDisplayName": "Microsoft Graph", "resourceId": resourceID,
	}
}
