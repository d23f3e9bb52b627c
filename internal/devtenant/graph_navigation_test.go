// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// A missing single-valued navigation is Graph's 404 Request_ResourceNotFound naming the
// navigation; an unknown segment is 400 naming that segment (the List manager docs and the
// OData router's message).
func TestUserManagerNavigation(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asReader)
	upn := func(nick string) string { return nick + "@" + tt.Env()["HIPAA_DEVTENANT_INITIAL_DOMAIN"] }

	r := tt.do("GET", "/v1.0/users/"+upn("sarah.chen")+"/manager", tok, nil)
	if r.status != 200 || r.body["@odata.type"] != "#microsoft.graph.user" || r.body["displayName"] != "Robert Fischer" ||
		r.body["@odata.context"] != tt.URL()+"/v1.0/$metadata#directoryObjects/$entity" {
		t.Fatalf("manager: %d %s", r.status, r.raw)
	}
	bg := tt.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	r = tt.do("GET", "/v1.0/users/"+bg+"/manager", tok, nil)
	if r.status != 404 || r.errCode() != "Request_ResourceNotFound" ||
		r.errMessage() != "Resource 'manager' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("no manager: %d %s", r.status, r.raw)
	}
	missing := "00000000-0000-0000-0000-0000000000aa"
	if r := tt.do("GET", "/v1.0/users/"+missing+"/manager", tok, nil); r.status != 404 || r.errCode() != "Request_ResourceNotFound" ||
		r.errMessage() != "Resource '"+missing+"' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("manager of a missing user: %d %s", r.status, r.raw)
	}
	reports := tt.do("GET", "/v1.0/users/"+upn("robert.fischer")+"/directReports", tok, nil)
	if reports.status != 200 || len(reports.body["value"].([]any)) < 2 {
		t.Errorf("directReports: %d %s", reports.status, reports.raw)
	}
	if r := tt.do("GET", "/v1.0/users/"+bg+"/directReports", tok, nil); r.status != 200 || len(r.body["value"].([]any)) != 0 {
		t.Errorf("nobody reports to the break-glass account: %d %s", r.status, r.raw)
	}
	for path, seg := range map[string]string{"/v1.0/users/" + bg + "/mangaer": "mangaer", "/v1.0/usrs": "usrs",
		"/v1.0/identity/conditionalAccess/polices": "polices"} {
		if r := tt.do("GET", path, tok, nil); r.status != 400 || r.errCode() != "BadRequest" || r.errMessage() != "Resource not found for the segment '"+seg+"'." {
			t.Errorf("%s: %d %s", path, r.status, r.raw)
		}
	}
}
