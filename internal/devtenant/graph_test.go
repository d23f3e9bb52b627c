// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

func TestUsersPagingAndSelect(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty, Users: 250}, asReader)
	seen := map[string]bool{}
	next := "/v1.0/users?$top=100&$select=displayName,accountEnabled,id"
	pages := 0
	for next != "" {
		r := tt.do("GET", next, tok, nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.raw)
		}
		pages++
		for _, v := range r.body["value"].([]any) {
			u := v.(map[string]any)
			if len(u) != 3 || u["accountEnabled"] != true || u["displayName"] == nil {
				t.Fatalf("$select not applied: %v", u)
			}
			seen[u["id"].(string)] = true
		}
		next, _ = r.body["@odata.nextLink"].(string)
		if next != "" && (!strings.Contains(next, "$skiptoken=") || !strings.Contains(next, "select=displayName")) {
			t.Fatalf("nextLink %q", next)
		}
	}
	if pages != 3 || len(seen) != 251 {
		t.Fatalf("pages=%d users=%d, want 3 pages and 251 users", pages, len(seen))
	}
	// Without $select: Graph's default property set and a 100-item page.
	r := tt.do("GET", "/v1.0/users", tok, nil)
	first := r.body["value"].([]any)[0].(map[string]any)
	if len(r.body["value"].([]any)) != 100 || first["accountEnabled"] != nil || first["userPrincipalName"] == nil || len(first) != len(graph.UserDefaultProps) {
		t.Errorf("default page: %d items, first=%v", len(r.body["value"].([]any)), first)
	}
	if r := tt.do("GET", "/v1.0/users?$top=1000", tok, nil); r.status != 400 {
		t.Errorf("$top=1000: %d", r.status)
	}
	if r := tt.do("GET", "/v1.0/users?$select=nope", tok, nil); r.status != 400 || !strings.Contains(r.errMessage(), "'nope'") {
		t.Errorf("bad $select: %d %s", r.status, r.raw)
	}
}

func TestDirectoryReadsOnClinicSeed(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asReader)
	bg := tt.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	q := func(s string) string { return strings.ReplaceAll(s, " ", "%20") }
	ra := tt.do("GET", q("/v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '"+directory.GlobalAdministrator+"'"), tok, nil)
	if ra.status != 200 || len(ra.body["value"].([]any)) != 5 {
		t.Fatalf("global admin assignments: %d %s", ra.status, ra.raw)
	}
	ra = tt.do("GET", q("/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '"+bg+"' and roleDefinitionId eq '"+directory.GlobalAdministrator+"'"), tok, nil)
	if len(ra.body["value"].([]any)) != 1 {
		t.Errorf("break-glass assignment: %s", ra.raw)
	}
	groups := tt.do("GET", q("/v1.0/groups?$filter=displayName eq 'Emergency Access Accounts'"), tok, nil)
	gid := groups.body["value"].([]any)[0].(map[string]any)["id"].(string)
	m := tt.do("GET", "/v1.0/groups/"+gid+"/members", tok, nil)
	member := m.body["value"].([]any)[0].(map[string]any)
	if member["id"] != bg || member["@odata.type"] != "#microsoft.graph.user" {
		t.Errorf("emergency group members: %s", m.raw)
	}
	skus := tt.do("GET", "/v1.0/subscribedSkus", tok, nil)
	parts := []string{}
	for _, s := range skus.body["value"].([]any) {
		parts = append(parts, s.(map[string]any)["skuPartNumber"].(string))
	}
	if strings.Join(parts, ",") != "SPE_E3,AAD_PREMIUM" {
		t.Errorf("skus = %v", parts)
	}
	sd := tt.do("GET", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", tok, nil)
	if sd.body["isEnabled"] != false {
		t.Errorf("security defaults: %s", sd.raw)
	}
	ca := tt.do("GET", caPath, tok, nil)
	if v := ca.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["state"] != "disabled" {
		t.Errorf("noncompliant CA policies: %s", ca.raw)
	}
	if r := tt.do("GET", "/v1.0/users/"+store.NewGUID(), tok, nil); r.status != 404 || r.errCode() != "Request_ResourceNotFound" {
		t.Errorf("unknown user: %d %s", r.status, r.raw)
	}
	if r := tt.do("GET", "/v1.0/nosuchthing", tok, nil); r.status != 400 {
		t.Errorf("unknown segment: %d %s", r.status, r.raw)
	}
}

func TestBatch(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	bg := tt.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	tt.Faults().FailNext("GET", "/organization", 503, 1)
	body := map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/users/" + bg},
		map[string]any{"id": "2", "method": "GET", "url": "/users/" + store.NewGUID()},
		map[string]any{"id": "3", "method": "POST", "url": "/identity/conditionalAccess/policies", "headers": map[string]any{"Content-Type": "application/json"}, "body": tt.mfaPolicy("batched")},
		map[string]any{"id": "4", "method": "GET", "url": "/users/" + store.NewGUID() + "/nothing", "dependsOn": []any{"2"}},
		map[string]any{"id": "5", "method": "GET", "url": "/organization"},
	}}
	r := tt.do("POST", "/v1.0/$batch", tok, body)
	if r.status != 200 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	status := map[string]float64{}
	items := map[string]map[string]any{}
	for _, v := range r.body["responses"].([]any) {
		it := v.(map[string]any)
		status[it["id"].(string)] = it["status"].(float64)
		items[it["id"].(string)] = it
	}
	want := map[string]float64{"1": 200, "2": 404, "3": 201, "4": 424, "5": 503}
	for id, s := range want {
		if status[id] != s {
			t.Errorf("item %s status %v, want %v (%s)", id, status[id], s, r.raw)
		}
	}
	if items["3"]["body"].(map[string]any)["displayName"] != "batched" {
		t.Errorf("item 3 body: %v", items["3"])
	}
	if h := items["5"]["headers"].(map[string]any); h["Retry-After"] == nil {
		t.Errorf("inner 503 lacks Retry-After: %v", h)
	}
	many := []any{}
	for i := 0; i < 21; i++ {
		many = append(many, map[string]any{"id": string(rune('a' + i)), "method": "GET", "url": "/organization"})
	}
	if r := tt.do("POST", "/v1.0/$batch", tok, map[string]any{"requests": many}); r.status != 400 || r.errCode() != "BadRequest" {
		t.Errorf("21 requests: %d %s", r.status, r.raw)
	}
	st := tt.Stats()
	if st.ByRoute["GET /v1.0/users/{id}"] != 2 || st.ByRoute["POST /v1.0/$batch"] != 2 {
		t.Errorf("stats by route: %v", st.ByRoute)
	}
}

func TestThrottleNext(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	tt.Faults().ThrottleNext(2)
	for i := 0; i < 2; i++ {
		r := tt.do("GET", "/v1.0/organization", tok, nil)
		if r.status != 429 || r.header.Get("Retry-After") != "1" || r.errCode() != "TooManyRequests" {
			t.Fatalf("request %d: %d %v %s", i, r.status, r.header, r.raw)
		}
	}
	if r := tt.do("GET", "/v1.0/organization", tok, nil); r.status != 200 {
		t.Fatalf("after throttling: %d", r.status)
	}
	// An inner $batch item is throttled on its own; the envelope stays 200.
	tt.Faults().ThrottleNext(1)
	r := tt.do("POST", "/v1.0/$batch", tok, map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/organization"},
		map[string]any{"id": "2", "method": "GET", "url": "/organization"},
	}})
	resp := r.body["responses"].([]any)
	if r.status != 200 || resp[0].(map[string]any)["status"] != float64(429) || resp[1].(map[string]any)["status"] != float64(200) {
		t.Fatalf("batch throttling: %d %s", r.status, r.raw)
	}
	if got := tt.Stats().Throttled; got != 3 {
		t.Errorf("Throttled = %d, want 3", got)
	}
	tt.Faults().SetThrottleRate(1)
	if r := tt.do("GET", "/v1.0/organization", tok, nil); (r.status != 429 && r.status != 503) || r.header.Get("Retry-After") == "" {
		t.Errorf("throttle rate 1: %d %v", r.status, r.header)
	}
}

func TestReplicationDelay(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty, ReplicationDelay: 400 * time.Millisecond}, asWriter)
	r := tt.do("POST", caPath, tok, tt.mfaPolicy("eventual"))
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	id := r.body["id"].(string)
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.status != 404 || g.errCode() != "ResourceNotFound" {
		t.Fatalf("right after create: %d %s", g.status, g.raw)
	}
	if l := tt.do("GET", caPath, tok, nil); len(l.body["value"].([]any)) != 0 {
		t.Fatalf("list right after create: %s", l.raw)
	}
	time.Sleep(450 * time.Millisecond)
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.status != 200 {
		t.Fatalf("after the delay: %d %s", g.status, g.raw)
	}
	if p := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"displayName": "renamed"}); p.status != 204 {
		t.Fatal(p.raw)
	}
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.body["displayName"] != "eventual" {
		t.Errorf("right after PATCH the old version is served, got %v", g.body["displayName"])
	}
	tt.Faults().SetReplicationDelay(0)
	if g := tt.do("GET", caPath+"/"+id, tok, nil); g.body["displayName"] != "renamed" {
		t.Errorf("with the delay removed: %v", g.body["displayName"])
	}
}

func TestPersistenceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	tt := startTenant(t, Options{DataDir: dir, Seed: seed.Empty})
	env1 := tt.Env()
	r := tt.do("POST", caPath, tt.token(false), tt.mfaPolicy("survives"))
	if r.status != 201 {
		t.Fatal(r.raw)
	}
	id := r.body["id"].(string)
	if err := tt.Close(); err != nil {
		t.Fatal(err)
	}
	// The seed flag is ignored for an existing data dir.
	tt2 := reopenTenant(t, Options{DataDir: dir, Seed: seed.Compliant})
	env2 := tt2.Env()
	for _, k := range []string{"ARM_TENANT_ID", "ARM_CLIENT_ID", "HIPAA_DEVTENANT_CLIENT_SECRET", "HIPAA_DEVTENANT_READER_CLIENT_SECRET", "HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"} {
		if env1[k] != env2[k] {
			t.Errorf("%s changed across restart", k)
		}
	}
	l := tt2.do("GET", caPath, tt2.token(false), nil)
	v := l.body["value"].([]any)
	if len(v) != 1 || v[0].(map[string]any)["id"] != id {
		t.Fatalf("after restart: %s", l.raw)
	}
}
