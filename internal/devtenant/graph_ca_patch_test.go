// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// Graph's Conditional Access service refuses server-managed properties in a request body rather
// than ignoring them (issue 8; Azure-Samples/azure-ad-conditional-access-apis#20 for templateId).
func TestConditionalAccessRefusesReadOnlyProperties(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	for _, prop := range []string{"id", "createdDateTime", "modifiedDateTime"} {
		body := tt.mfaPolicy("read-only " + prop)
		body[prop] = "2024-01-01T00:00:00Z"
		r := tt.do("POST", caPath, tok, body)
		want := "1001: '" + prop + "' is a readonly field and cannot be updated."
		if r.status != 400 || r.errCode() != "BadRequest" || r.errMessage() != want {
			t.Errorf("POST with %s: %d %s, want 400 BadRequest %q", prop, r.status, r.raw, want)
		}
	}
	if l := tt.do("GET", caPath, tok, nil); len(l.body["value"].([]any)) != 0 {
		t.Fatalf("a refused policy was stored: %s", l.raw)
	}
	created := tt.do("POST", caPath, tok, tt.mfaPolicy("target"))
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	id := created.body["id"].(string)
	for prop, val := range map[string]any{"id": id, "createdDateTime": created.body["createdDateTime"], "modifiedDateTime": nil} {
		r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"displayName": "renamed", prop: val})
		want := "1001: '" + prop + "' is a readonly field and cannot be updated."
		if r.status != 400 || r.errCode() != "BadRequest" || r.errMessage() != want {
			t.Errorf("PATCH with %s: %d %s, want 400 %q", prop, r.status, r.raw, want)
		}
	}
	r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"templateId": nil, "displayName": "renamed"})
	if r.status != 400 || r.errMessage() != "1118: TemplateId is a read-only field and cannot be updated." {
		t.Errorf("PATCH with templateId: %d %s", r.status, r.raw)
	}
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.body["displayName"] != "target" {
		t.Errorf("a refused PATCH changed the policy: %s", g.raw)
	}
}

// The Graph docs' own example for Update conditionalAccessPolicy PATCHes conditions.signInRiskLevels
// alone and gets 204: complex values merge, collections are replaced, null clears.
func TestConditionalAccessPatchMergesComplexValues(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	bg := tt.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	body := tt.mfaPolicy("merge")
	body["conditions"].(map[string]any)["devices"] = map[string]any{"deviceFilter": map[string]any{"mode": "exclude", "rule": "device.isCompliant -eq True"}}
	created := tt.do("POST", caPath, tok, body)
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	path := caPath + "/" + created.body["id"].(string)

	docExample := map[string]any{"conditions": map[string]any{"signInRiskLevels": []any{"high", "medium", "low"}}}
	if r := tt.do("PATCH", path, tok, docExample); r.status != 204 {
		t.Fatalf("the Graph docs' example PATCH: %d %s", r.status, r.raw)
	}
	g := tt.do("GET", path, tok, nil)
	cond := g.body["conditions"].(map[string]any)
	users := cond["users"].(map[string]any)
	if !jsonEqual(cond["signInRiskLevels"], []any{"high", "medium", "low"}) || !jsonEqual(users["includeUsers"], []any{"All"}) ||
		!jsonEqual(users["excludeUsers"], []any{bg}) || cond["devices"] == nil || g.body["displayName"] != "merge" {
		t.Fatalf("after the partial PATCH the other conditions must be unchanged: %s", g.raw)
	}

	// A nested complex value merges too; a collection inside it is replaced whole.
	if r := tt.do("PATCH", path, tok, map[string]any{"conditions": map[string]any{"users": map[string]any{"includeGroups": []any{}, "includeUsers": []any{"None"}}}}); r.status != 204 {
		t.Fatalf("nested PATCH: %d %s", r.status, r.raw)
	}
	users = tt.do("GET", path, tok, nil).body["conditions"].(map[string]any)["users"].(map[string]any)
	if !jsonEqual(users["includeUsers"], []any{"None"}) || !jsonEqual(users["excludeUsers"], []any{bg}) {
		t.Errorf("nested merge: %v", users)
	}

	// null clears a complex value; the rest stays.
	if r := tt.do("PATCH", path, tok, map[string]any{"conditions": map[string]any{"devices": nil}}); r.status != 204 {
		t.Fatalf("clearing devices: %d %s", r.status, r.raw)
	}
	cond = tt.do("GET", path, tok, nil).body["conditions"].(map[string]any)
	if cond["devices"] != nil || !jsonEqual(cond["signInRiskLevels"], []any{"high", "medium", "low"}) {
		t.Errorf("after clearing devices: %v", cond)
	}

	// Merging still validates the result: grant controls keep builtInControls ["mfa"], which an
	// authentication strength cannot join.
	r := tt.do("PATCH", path, tok, map[string]any{"grantControls": map[string]any{"authenticationStrength": map[string]any{"id": graph.AuthStrengthMFA}}})
	if r.status != 400 || r.errCode() != "BadRequest" {
		t.Errorf("strength merged with mfa: %d %s", r.status, r.raw)
	}
}

// Named locations belong to the same Conditional Access service and refuse the same properties.
func TestNamedLocationRefusesReadOnlyProperties(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	const nlPath = "/v1.0/identity/conditionalAccess/namedLocations"
	loc := func() map[string]any {
		return map[string]any{"@odata.type": "#microsoft.graph.ipNamedLocation", "displayName": "Clinic", "isTrusted": true,
			"ipRanges": []any{map[string]any{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}}}
	}
	body := loc()
	body["id"] = "00000000-0000-0000-0000-000000000001"
	if r := tt.do("POST", nlPath, tok, body); r.status != 400 || r.errMessage() != "1001: 'id' is a readonly field and cannot be updated." {
		t.Errorf("POST with id: %d %s", r.status, r.raw)
	}
	created := tt.do("POST", nlPath, tok, loc())
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.raw)
	}
	patch := loc()
	patch["createdDateTime"] = created.body["createdDateTime"]
	if r := tt.do("PATCH", nlPath+"/"+created.body["id"].(string), tok, patch); r.status != 400 || r.errMessage() != "1001: 'createdDateTime' is a readonly field and cannot be updated." {
		t.Errorf("PATCH with createdDateTime: %d %s", r.status, r.raw)
	}
}

// The other PATCH targets merge complex values the same way: a nested object sent in part keeps
// its other properties (OData 4.01, 11.4.3 Update an Entity).
func TestSettingsPatchMergesNestedComplexValues(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	const configs = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"
	r := tt.do("PATCH", configs+"MicrosoftAuthenticator", tok, map[string]any{
		"@odata.type":     "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
		"featureSettings": map[string]any{"displayAppInformationRequiredState": map[string]any{"state": "enabled"}},
	})
	if r.status != 204 {
		t.Fatalf("PATCH featureSettings: %d %s", r.status, r.raw)
	}
	fs := tt.do("GET", configs+"MicrosoftAuthenticator", tok, nil).body["featureSettings"].(map[string]any)
	app := fs["displayAppInformationRequiredState"].(map[string]any)
	if app["state"] != "enabled" || app["includeTarget"] == nil || app["excludeTarget"] == nil || fs["displayLocationInformationRequiredState"] == nil {
		t.Errorf("featureSettings after a partial PATCH: %v", fs)
	}
	r = tt.do("PATCH", configs+"Fido2", tok, map[string]any{
		"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "keyRestrictions": map[string]any{"isEnforced": true},
	})
	if r.status != 204 {
		t.Fatalf("PATCH keyRestrictions: %d %s", r.status, r.raw)
	}
	kr := tt.do("GET", configs+"Fido2", tok, nil).body["keyRestrictions"].(map[string]any)
	if kr["isEnforced"] != true || kr["enforcementType"] != "block" || !jsonEqual(kr["aaGuids"], []any{}) {
		t.Errorf("keyRestrictions after a partial PATCH: %v", kr)
	}
	const policy = "/v1.0/policies/authenticationMethodsPolicy"
	r = tt.do("PATCH", policy, tok, map[string]any{"registrationEnforcement": map[string]any{
		"authenticationMethodsRegistrationCampaign": map[string]any{"state": "enabled"}}})
	if r.status != 204 {
		t.Fatalf("PATCH registrationEnforcement: %d %s", r.status, r.raw)
	}
	camp := tt.do("GET", policy, tok, nil).body["registrationEnforcement"].(map[string]any)["authenticationMethodsRegistrationCampaign"].(map[string]any)
	if camp["state"] != "enabled" || camp["snoozeDurationInDays"] != float64(1) || len(camp["includeTargets"].([]any)) != 1 {
		t.Errorf("registration campaign after a partial PATCH: %v", camp)
	}
}
