// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// $select takes every structural property of the v1.0 user resource, whether or not the tenant
// has a value for it: unset ones read null, unset collections [] (as Graph writes them).
func TestSelectDocumentedUserProperties(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asReader)
	r := tt.do("GET", "/v1.0/users?$select=city,employeeType,proxyAddresses,displayName,OnPremisesImmutableId,id", tok, nil)
	if r.status != 200 {
		t.Fatalf("$select of documented properties: %d %s", r.status, r.raw)
	}
	if want := tt.URL() + "/v1.0/$metadata#users(city,employeeType,proxyAddresses,displayName,onPremisesImmutableId,id)"; r.body["@odata.context"] != want {
		t.Errorf("@odata.context = %v, want %s", r.body["@odata.context"], want)
	}
	for _, v := range r.body["value"].([]any) {
		u := v.(map[string]any)
		if len(u) != 6 || u["displayName"] == nil || u["id"] == nil {
			t.Fatalf("selected properties: %v", u)
		}
		for _, k := range []string{"city", "employeeType", "onPremisesImmutableId"} {
			if val, ok := u[k]; !ok || val != nil {
				t.Errorf("%s must be present and null when unset: %v", k, u)
			}
		}
		if !jsonEqual(u["proxyAddresses"], []any{}) {
			t.Errorf("an unset collection reads []: %v", u)
		}
	}
	id := r.body["value"].([]any)[0].(map[string]any)["id"].(string)
	// Only what is selected comes back, not even the id (the List users docs example).
	one := tt.do("GET", "/v1.0/users/"+id+"?$select=employeeHireDate,identities,signInSessionsValidFromDateTime", tok, nil)
	if one.status != 200 || one.body["@odata.context"] != tt.URL()+"/v1.0/$metadata#users(employeeHireDate,identities,signInSessionsValidFromDateTime)/$entity" ||
		len(one.body) != 4 || !jsonEqual(one.body["identities"], []any{}) {
		t.Fatalf("single user $select: %d %s", one.status, one.raw)
	}
	r = tt.do("GET", "/v1.0/users?$select=city,favouriteColour", tok, nil)
	if r.status != 400 || r.errCode() != "Request_BadRequest" || r.errMessage() != "Could not find a property named 'favouriteColour' on type 'microsoft.graph.user'." {
		t.Errorf("unknown property: %d %s", r.status, r.raw)
	}
	// Groups and the other served types take their documented properties too.
	if g := tt.do("GET", "/v1.0/groups?$select=displayName,assignedLabels,isArchived", tok, nil); g.status != 200 {
		t.Errorf("group $select: %d %s", g.status, g.raw)
	}
}
