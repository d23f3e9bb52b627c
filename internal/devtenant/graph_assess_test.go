// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

func TestRegistrationDetailsPagingFilterAndPermission(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant, Users: 1500}, asReader)
	rows, pages := 0, 0
	registered := map[string]bool{}
	for next := "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999"; next != ""; pages++ {
		r := tt.do("GET", next, tok, nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.raw)
		}
		for _, v := range r.body["value"].([]any) {
			row := v.(map[string]any)
			rows++
			if row["isMfaRegistered"] == true {
				registered[row["userPrincipalName"].(string)] = true
			}
			if row["userType"] != "member" && row["userType"] != "guest" {
				t.Fatalf("userType %v", row["userType"])
			}
		}
		next, _ = r.body["@odata.nextLink"].(string)
	}
	// 1 break-glass + 16 clinic accounts + 1500 synthetic users.
	if rows != 1517 || pages != 2 || len(registered) != 3 || !registered["kevin.walsh@contosoclinic.onmicrosoft.com"] {
		t.Errorf("rows %d pages %d registered %v", rows, pages, registered)
	}
	f := "/v1.0/reports/authenticationMethods/userRegistrationDetails?$top=2&$filter=" + url.QueryEscape("isMfaRegistered eq false and isAdmin eq true")
	r := tt.do("GET", f, tok, nil)
	if r.status != 200 || len(r.body["value"].([]any)) != 2 || r.body["@odata.nextLink"] == nil {
		t.Errorf("unregistered admins: %d %s", r.status, r.raw)
	}
	// Without AuditLog.Read.All the report is refused.
	tt.Store.Mu.Lock()
	reader := tt.Store.State.Apps[1]
	reader.Roles = slices.DeleteFunc(reader.Roles, func(s string) bool { return s == "AuditLog.Read.All" })
	tt.Store.Mu.Unlock()
	if r := tt.do("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", tt.token(true), nil); r.status != 403 || r.errCode() != httpx.CodeAuthorizationDenied {
		t.Errorf("without AuditLog.Read.All: %d %s", r.status, r.raw)
	}
}

func TestPrivilegedAccessSources(t *testing.T) {
	for _, tc := range []struct {
		seed                        string
		permanentGA, eligible, revs int
	}{{seed.Noncompliant, 5, 0, 0}, {seed.Compliant, 3, 7, 1}} {
		tt, tok := startGraph(t, Options{Seed: tc.seed}, asReader)
		sched := tt.do("GET", "/v1.0/roleManagement/directory/roleAssignmentSchedules", tok, nil)
		ga := 0
		for _, v := range sched.body["value"].([]any) {
			s := v.(map[string]any)
			exp := s["scheduleInfo"].(map[string]any)["expiration"].(map[string]any)
			if s["assignmentType"] != "Assigned" || exp["type"] != "noExpiration" {
				t.Errorf("%s: schedule %v", tc.seed, s)
			}
			if s["roleDefinitionId"] == directory.GlobalAdministrator {
				ga++
			}
		}
		elig := tt.do("GET", "/v1.0/roleManagement/directory/roleEligibilitySchedules", tok, nil)
		revs := tt.do("GET", "/v1.0/identityGovernance/accessReviews/definitions", tok, nil)
		if ga != tc.permanentGA || len(elig.body["value"].([]any)) != tc.eligible || len(revs.body["value"].([]any)) != tc.revs {
			t.Errorf("%s: %d permanent GAs, %s, %s", tc.seed, ga, elig.raw, revs.raw)
		}
		if tc.revs == 1 {
			rec := revs.body["value"].([]any)[0].(map[string]any)["settings"].(map[string]any)["recurrence"].(map[string]any)
			if rec["pattern"].(map[string]any)["type"] != "absoluteMonthly" {
				t.Errorf("review recurrence %v", rec)
			}
		}
	}
}

func TestIntunePolicies(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Compliant}, asReader)
	plain := tt.do("GET", "/v1.0/deviceManagement/deviceCompliancePolicies", tok, nil)
	expanded := tt.do("GET", "/v1.0/deviceManagement/deviceCompliancePolicies?$expand=assignments", tok, nil)
	if len(plain.body["value"].([]any)) != 3 || plain.body["value"].([]any)[0].(map[string]any)["assignments"] != nil {
		t.Errorf("without $expand: %s", plain.raw)
	}
	types := []string{}
	for _, v := range expanded.body["value"].([]any) {
		p := v.(map[string]any)
		types = append(types, p["@odata.type"].(string))
		target := p["assignments"].([]any)[0].(map[string]any)["target"].(map[string]any)
		if target["@odata.type"] != "#microsoft.graph.allLicensedUsersAssignmentTarget" {
			t.Errorf("assignment target %v", target)
		}
	}
	if strings.Join(types, ",") != "#microsoft.graph.iosCompliancePolicy,#microsoft.graph.androidCompliancePolicy,#microsoft.graph.windows10CompliancePolicy" {
		t.Errorf("policy types %v", types)
	}
	apps := tt.do("GET", "/v1.0/deviceAppManagement/managedAppPolicies", tok, nil)
	for _, v := range apps.body["value"].([]any) {
		if p := v.(map[string]any); p["allowedOutboundClipboardSharingLevel"] != "managedAppsWithPasteIn" {
			t.Errorf("app protection %v", p["displayName"])
		}
	}
	if r := tt.do("GET", "/v1.0/deviceManagement/deviceCompliancePolicies?$expand=nope", tok, nil); r.status != 400 {
		t.Errorf("$expand=nope: %d", r.status)
	}
	none := startTenant(t, Options{Seed: seed.Noncompliant})
	if r := none.do("GET", "/v1.0/deviceAppManagement/managedAppPolicies", none.token(true), nil); r.status != 200 || len(r.body["value"].([]any)) != 0 {
		t.Errorf("noncompliant app protections: %s", r.raw)
	}
}

func TestServicePrincipalsAndGraphPermissions(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Compliant}, asReader)
	list := tt.do("GET", "/v1.0/servicePrincipals?$select=id,appId,displayName,appOwnerOrganizationId", tok, nil)
	names := []string{}
	for _, v := range list.body["value"].([]any) {
		sp := v.(map[string]any)
		if len(sp) != 4 {
			t.Errorf("$select not applied: %v", sp)
		}
		names = append(names, sp["displayName"].(string))
	}
	if !slices.Contains(names, "Contoso Scheduler") || !slices.Contains(names, "Microsoft Graph") || !slices.Contains(names, "HIPAA Drift Reader") {
		t.Errorf("service principals %v", names)
	}
	sp := tt.do("GET", "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appId,appRoles", tok, nil)
	roles := map[string]string{}
	for _, v := range sp.body["appRoles"].([]any) {
		r := v.(map[string]any)
		roles[r["value"].(string)] = r["id"].(string)
	}
	if sp.status != 200 || roles["Files.Read.All"] != "01d4889c-1287-42c6-ac1f-5d1e02578ef6" || roles["Sites.Read.All"] != "332a536c-c7ef-4017-ab91-336970924f0d" {
		t.Errorf("Graph service principal: %d %v", sp.status, roles)
	}
	grants := tt.do("GET", "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo", tok, nil)
	var scheduler []string
	for _, v := range grants.body["value"].([]any) {
		g := v.(map[string]any)
		if g["principalDisplayName"] == "Contoso Scheduler" {
			scheduler = append(scheduler, g["appRoleId"].(string))
		}
	}
	if len(scheduler) != 1 || scheduler[0] != roles["User.Read.All"] {
		t.Errorf("compliant Contoso Scheduler holds %v", scheduler)
	}
	if r := tt.do("GET", "/v1.0/servicePrincipals(appId='11111111-0000-0000-0000-000000000000')", tok, nil); r.status != 404 {
		t.Errorf("unknown appId: %d", r.status)
	}
}

func TestSecureScoresAndBatch(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asReader)
	batch := map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/security/secureScores?$top=1"},
		map[string]any{"id": "2", "method": "GET", "url": "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id"},
		map[string]any{"id": "3", "method": "GET", "url": "/identityGovernance/accessReviews/definitions"},
	}}
	r := tt.do("POST", "/v1.0/$batch", tok, batch)
	if r.status != 200 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	for _, v := range r.body["responses"].([]any) {
		item := v.(map[string]any)
		if item["status"] != float64(200) {
			t.Errorf("item %v: %v", item["id"], item["body"])
		}
		if item["id"] == "1" {
			scores := item["body"].(map[string]any)["value"].([]any)
			s := scores[0].(map[string]any)
			if len(scores) != 1 || s["currentScore"].(float64)/s["maxScore"].(float64) != 0.35 {
				t.Errorf("secure score %v", scores)
			}
		}
	}
}
