// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

const caPath = "/v1.0/identity/conditionalAccess/policies"

func TestConditionalAccessCRUD(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)

	r := tt.do("POST", caPath, tok, tt.mfaPolicy("Require MFA"))
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	id, _ := r.body["id"].(string)
	if !store.IsGUID(id) || r.body["createdDateTime"] == nil || r.body["@odata.context"] != tt.URL()+"/v1.0/$metadata#identity/conditionalAccess/policies/$entity" {
		t.Fatalf("create body: %s", r.raw)
	}
	cond := r.body["conditions"].(map[string]any)
	// Server defaults as Graph writes them.
	if got := cond["clientAppTypes"]; !jsonEqual(got, []any{"all"}) {
		t.Errorf("clientAppTypes default = %v", got)
	}
	if cond["platforms"] != nil || cond["locations"] != nil || cond["devices"] != nil {
		t.Errorf("unset condition objects must be null: %v", cond)
	}
	if !jsonEqual(cond["signInRiskLevels"], []any{}) || !jsonEqual(cond["users"].(map[string]any)["includeGroups"], []any{}) {
		t.Errorf("unset lists must be []: %v", cond)
	}
	if _, ok := r.body["sessionControls"]; !ok || r.body["sessionControls"] != nil || r.body["templateId"] != nil || r.body["modifiedDateTime"] != nil {
		t.Errorf("null properties missing: %s", r.raw)
	}
	gc := r.body["grantControls"].(map[string]any)
	if !jsonEqual(gc["termsOfUse"], []any{}) || gc["authenticationStrength"] != nil {
		t.Errorf("grantControls defaults: %v", gc)
	}

	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.status != 200 || g.body["displayName"] != "Require MFA" {
		t.Fatalf("get: %d %s", g.status, g.raw)
	}

	// PATCH merges complex values; a collection sent is replaced whole.
	patch := map[string]any{
		"state": "enabled",
		"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{},
			"authenticationStrength": map[string]any{"id": graph.AuthStrengthPhishResistant}},
	}
	if p := tt.do("PATCH", caPath+"/"+id, tok, patch); p.status != 204 || p.raw != "" {
		t.Fatalf("patch: %d %s", p.status, p.raw)
	}
	g := tt.do("GET", caPath+"/"+id, tok, nil)
	gc = g.body["grantControls"].(map[string]any)
	as, _ := gc["authenticationStrength"].(map[string]any)
	if g.body["state"] != "enabled" || !jsonEqual(gc["builtInControls"], []any{}) || as == nil || as["displayName"] != "Phishing-resistant MFA" || gc["authenticationStrength@odata.context"] == nil {
		t.Fatalf("after patch: %s", g.raw)
	}
	if g.body["modifiedDateTime"] == nil || g.body["displayName"] != "Require MFA" {
		t.Errorf("patch lost or did not stamp properties: %s", g.raw)
	}

	l := tt.do("GET", caPath, tok, nil)
	if l.status != 200 || len(l.body["value"].([]any)) != 1 {
		t.Fatalf("list: %d %s", l.status, l.raw)
	}

	if d := tt.do("DELETE", caPath+"/"+id, tok, nil); d.status != 204 {
		t.Fatalf("delete: %d %s", d.status, d.raw)
	}
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.status != 404 || g.errCode() != "ResourceNotFound" {
		t.Fatalf("get after delete: %d %s", g.status, g.raw)
	}
	if d := tt.do("DELETE", caPath+"/"+id, tok, nil); d.status != 404 {
		t.Fatalf("second delete: %d", d.status)
	}
}

func TestConditionalAccessValidation(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	mutate := func(f func(p map[string]any)) map[string]any {
		p := tt.mfaPolicy("x")
		f(p)
		return p
	}
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		{"bad state", mutate(func(p map[string]any) { p["state"] = "on" }), []string{"'on'", "'state'"}},
		{"bad clientAppTypes", mutate(func(p map[string]any) {
			p["conditions"].(map[string]any)["clientAppTypes"] = []any{"legacy"}
		}), []string{"'legacy'", "conditions.clientAppTypes"}},
		{"bad builtInControls", mutate(func(p map[string]any) { p["grantControls"].(map[string]any)["builtInControls"] = []any{"mfaa"} }), []string{"'mfaa'", "grantControls.builtInControls"}},
		{"bad operator", mutate(func(p map[string]any) { p["grantControls"].(map[string]any)["operator"] = "XOR" }), []string{"'XOR'", "operator"}},
		{"bad risk level", mutate(func(p map[string]any) { p["conditions"].(map[string]any)["signInRiskLevels"] = []any{"severe"} }), []string{"'severe'", "signInRiskLevels"}},
		{"bad persistentBrowser mode", mutate(func(p map[string]any) {
			p["sessionControls"] = map[string]any{"persistentBrowser": map[string]any{"isEnabled": true, "mode": "sometimes"}}
		}), []string{"'sometimes'", "sessionControls.persistentBrowser.mode"}},
		{"bad signInFrequency type", mutate(func(p map[string]any) {
			p["sessionControls"] = map[string]any{"signInFrequency": map[string]any{"isEnabled": true, "type": "weeks", "value": 1}}
		}), []string{"'weeks'", "signInFrequency.type"}},
		{"unknown top-level property", mutate(func(p map[string]any) { p["priority"] = 1 }), []string{"'priority'", "conditionalAccessPolicy"}},
		{"unknown nested property", mutate(func(p map[string]any) {
			p["conditions"].(map[string]any)["users"].(map[string]any)["includeUser"] = []any{"All"}
		}), []string{"'includeUser'", "conditionalAccessUsers"}},
		{"missing displayName", mutate(func(p map[string]any) { delete(p, "displayName") }), []string{"displayName"}},
		{"missing state", mutate(func(p map[string]any) { delete(p, "state") }), []string{"state"}},
		{"missing users", mutate(func(p map[string]any) { delete(p["conditions"].(map[string]any), "users") }), []string{"conditions.users"}},
		{"missing applications", mutate(func(p map[string]any) { delete(p["conditions"].(map[string]any), "applications") }), []string{"conditions.applications"}},
		{"no controls", mutate(func(p map[string]any) { delete(p, "grantControls") }), []string{"grantControls or sessionControls"}},
		{"empty clientAppTypes", mutate(func(p map[string]any) { p["conditions"].(map[string]any)["clientAppTypes"] = []any{} }), []string{"1064"}},
		{"block with mfa", mutate(func(p map[string]any) { p["grantControls"].(map[string]any)["builtInControls"] = []any{"block", "mfa"} }), []string{"block"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tt.do("POST", caPath, tok, c.body)
			if r.status != 400 || r.errCode() != "BadRequest" {
				t.Fatalf("got %d %s", r.status, r.raw)
			}
			for _, w := range c.want {
				if !strings.Contains(r.errMessage(), w) {
					t.Errorf("message %q does not mention %q", r.errMessage(), w)
				}
			}
		})
	}
	if l := tt.do("GET", caPath, tok, nil); len(l.body["value"].([]any)) != 0 {
		t.Errorf("rejected policies were stored: %s", l.raw)
	}
	// Enum literals are matched case-insensitively and returned in Graph's spelling.
	p := tt.mfaPolicy("case")
	p["conditions"].(map[string]any)["clientAppTypes"] = []any{"Browser", "MobileAppsAndDesktopClients"}
	r := tt.do("POST", caPath, tok, p)
	if r.status != 201 || !jsonEqual(r.body["conditions"].(map[string]any)["clientAppTypes"], []any{"browser", "mobileAppsAndDesktopClients"}) {
		t.Fatalf("case-insensitive enums: %d %s", r.status, r.raw)
	}
	// PATCH with an explicit null clears; a required property cannot be cleared.
	id := r.body["id"].(string)
	if r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"conditions": nil}); r.status != 400 {
		t.Errorf("clearing conditions: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"displayName": "x", "bogus": true}); r.status != 400 || !strings.Contains(r.errMessage(), "'bogus'") {
		t.Errorf("unknown property on PATCH: %d %s", r.status, r.raw)
	}
}

func TestConditionalAccessKiotaShapes(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	// msgraph-sdk-go writes @odata.type on every nested object and gzips the body.
	body := `{"@odata.type":"#microsoft.graph.conditionalAccessPolicy","displayName":"kiota","state":"disabled",
	"conditions":{"@odata.type":"#microsoft.graph.conditionalAccessConditionSet",
	  "users":{"@odata.type":"#microsoft.graph.conditionalAccessUsers","includeUsers":["All"],
	    "excludeGuestsOrExternalUsers":{"@odata.type":"#microsoft.graph.conditionalAccessGuestsOrExternalUsers","guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest",
	      "externalTenants":{"@odata.type":"#microsoft.graph.conditionalAccessAllExternalTenants","membershipKind":"all"}}},
	  "applications":{"@odata.type":"#microsoft.graph.conditionalAccessApplications","includeApplications":["All"]},
	  "devices":{"deviceFilter":{"mode":"exclude","rule":"device.isCompliant -eq True"}}},
	"sessionControls":{"@odata.type":"#microsoft.graph.conditionalAccessSessionControls",
	  "signInFrequency":{"@odata.type":"#microsoft.graph.signInFrequencySessionControl","isEnabled":true,"type":"hours","value":8,"frequencyInterval":"timeBased"},
	  "persistentBrowser":{"@odata.type":"#microsoft.graph.persistentBrowserSessionControl","isEnabled":true,"mode":"never"}}}`
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
	r := tt.do("POST", caPath, tok, buf.Bytes(), "Content-Encoding", "gzip")
	if r.status != 201 {
		t.Fatalf("gzip kiota body: %d %s", r.status, r.raw)
	}
	sc := r.body["sessionControls"].(map[string]any)
	sif := sc["signInFrequency"].(map[string]any)
	if sif["value"] != float64(8) || sif["type"] != "hours" || sc["persistentBrowser"].(map[string]any)["mode"] != "never" || sc["cloudAppSecurity"] != nil {
		t.Errorf("session controls: %v", sc)
	}
	ex := r.body["conditions"].(map[string]any)["users"].(map[string]any)["excludeGuestsOrExternalUsers"].(map[string]any)
	if ex["guestOrExternalUserTypes"] != "internalGuest,b2bCollaborationGuest" || ex["externalTenants"].(map[string]any)["@odata.type"] != "#microsoft.graph.conditionalAccessAllExternalTenants" {
		t.Errorf("guests: %v", ex)
	}
	bad := `{"displayName":"x","state":"bogus"}`
	buf.Reset()
	zw = gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(bad))
	_ = zw.Close()
	if r := tt.do("POST", caPath, tok, buf.Bytes(), "Content-Encoding", "gzip"); r.status != 400 || !strings.Contains(r.errMessage(), "'bogus'") {
		t.Errorf("gzip error body: %d %s", r.status, r.raw)
	}
}

func TestReaderAppForbiddenOnWrites(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Compliant})
	reader := tt.token(true)
	if r := tt.do("GET", caPath, reader, nil); r.status != 200 || len(r.body["value"].([]any)) != 6 {
		t.Fatalf("reader list: %d %s", r.status, r.raw)
	}
	r := tt.do("POST", caPath, reader, tt.mfaPolicy("x"))
	if r.status != 403 || r.errCode() != "AccessDenied" || r.errMessage() != httpx.MsgPolicyAccessDenied {
		t.Fatalf("reader POST: %d %s", r.status, r.raw)
	}
	inner, _ := r.body["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["request-id"] == nil || inner["date"] == nil || inner["client-request-id"] == nil {
		t.Errorf("innerError: %v", inner)
	}
	if r := tt.do("PATCH", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", reader, map[string]any{"isEnabled": true}); r.status != 403 {
		t.Errorf("reader security defaults PATCH: %d", r.status)
	}
	// A token without directory permissions gets the directory's error shape.
	tt.Store.Mu.Lock()
	tt.Store.State.Apps[1].Roles = []string{"Policy.Read.All"}
	tt.Store.Mu.Unlock()
	if r := tt.do("GET", "/v1.0/users", tt.token(true), nil); r.status != 403 || r.errCode() != "Authorization_RequestDenied" || r.errMessage() != httpx.MsgDirectoryDenied {
		t.Errorf("users without User.Read.All: %d %s", r.status, r.raw)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
