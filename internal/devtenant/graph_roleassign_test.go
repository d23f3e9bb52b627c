// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"net/url"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

const roleAssignmentsPath = "/v1.0/roleManagement/directory/roleAssignments"

// Create unifiedRoleAssignment (v1.0): 201 with the assignment, RoleManagement.ReadWrite.Directory
// required, GET and DELETE by id, and the directory's errors for duplicates and unknown objects.
func TestRoleAssignmentLifecycle(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Noncompliant})
	writer, reader := tt.token(false), tt.token(true)
	upn := "laura.kim@" + tt.Env()["HIPAA_DEVTENANT_INITIAL_DOMAIN"]
	user := tt.do("GET", "/v1.0/users/"+upn, reader, nil).body["id"].(string)
	body := map[string]any{"@odata.type": "#microsoft.graph.unifiedRoleAssignment",
		"principalId": user, "roleDefinitionId": directory.HelpdeskAdministrator, "directoryScopeId": "/"}

	r := tt.do("POST", roleAssignmentsPath, reader, body)
	if r.status != 403 || r.errCode() != "Authorization_RequestDenied" || r.errMessage() != httpx.MsgDirectoryDenied {
		t.Fatalf("without RoleManagement.ReadWrite.Directory: %d %s", r.status, r.raw)
	}
	r = tt.do("POST", roleAssignmentsPath, writer, body)
	if r.status != 201 || r.body["principalId"] != user || r.body["roleDefinitionId"] != directory.HelpdeskAdministrator || r.body["directoryScopeId"] != "/" ||
		r.body["@odata.context"] != tt.URL()+"/v1.0/$metadata#roleManagement/directory/roleAssignments/$entity" {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	id, _ := r.body["id"].(string)
	if g := tt.do("GET", roleAssignmentsPath+"/"+id, reader, nil); g.status != 200 || g.body["principalId"] != user {
		t.Fatalf("get: %d %s", g.status, g.raw)
	}
	list := tt.do("GET", roleAssignmentsPath+"?$filter="+url.QueryEscape("principalId eq '"+user+"'"), reader, nil)
	if list.status != 200 || len(list.body["value"].([]any)) != 1 {
		t.Errorf("filtered list: %d %s", list.status, list.raw)
	}
	members := tt.do("GET", "/v1.0/directoryRoles/roleTemplateId="+directory.HelpdeskAdministrator+"/members", reader, nil)
	if members.status != 200 || len(members.body["value"].([]any)) != 1 {
		t.Errorf("the role is activated with the principal as member: %d %s", members.status, members.raw)
	}
	if d := tt.do("POST", roleAssignmentsPath, writer, body); d.status != 400 || d.errCode() != "Request_BadRequest" ||
		d.errMessage() != "A conflicting object with one or more of the specified property values is present in the directory." {
		t.Errorf("duplicate: %d %s", d.status, d.raw)
	}
	missing := "00000000-0000-0000-0000-0000000000bb"
	bad := map[string]any{"principalId": missing, "roleDefinitionId": directory.HelpdeskAdministrator, "directoryScopeId": "/"}
	if e := tt.do("POST", roleAssignmentsPath, writer, bad); e.status != 404 || e.errCode() != "Request_ResourceNotFound" {
		t.Errorf("unknown principal: %d %s", e.status, e.raw)
	}

	if d := tt.do("DELETE", roleAssignmentsPath+"/"+id, reader, nil); d.status != 403 {
		t.Errorf("reader DELETE: %d %s", d.status, d.raw)
	}
	if d := tt.do("DELETE", roleAssignmentsPath+"/"+id, writer, nil); d.status != 204 || d.raw != "" {
		t.Fatalf("delete: %d %s", d.status, d.raw)
	}
	if g := tt.do("GET", roleAssignmentsPath+"/"+id, reader, nil); g.status != 404 {
		t.Errorf("get after delete: %d %s", g.status, g.raw)
	}
	if m := tt.do("GET", "/v1.0/directoryRoles/roleTemplateId="+directory.HelpdeskAdministrator+"/members", reader, nil); len(m.body["value"].([]any)) != 0 {
		t.Errorf("membership after delete: %s", m.raw)
	}
}
