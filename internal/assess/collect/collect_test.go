// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

func TestCollectCompliantReadsEverySource(t *testing.T) {
	srv, c := startTenant(t, "compliant", 1000, 0)
	var progress []snapshot.SourceID
	snap, err := Collect(context.Background(), c, AllSources(), Options{ToolVersion: "test",
		Progress: func(done, total int, id snapshot.SourceID) {
			if done != len(progress)+1 || total != len(snapshot.Specs) {
				t.Errorf("progress %d/%d after %d calls", done, total, len(progress))
			}
			progress = append(progress, id)
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != len(snapshot.Specs) || len(snap.Sources) != len(snapshot.Specs) {
		t.Fatalf("progress %d, sources %d, want %d", len(progress), len(snap.Sources), len(snapshot.Specs))
	}
	for id, src := range snap.Sources {
		if !snap.Has(id) {
			t.Errorf("%s: status %d error %q", id, src.Status, src.Error)
		}
		if !strings.HasPrefix(src.Request, "GET https://") && !strings.HasPrefix(src.Request, "POST https://") {
			t.Errorf("%s: request %q", id, src.Request)
		}
	}
	if snap.TenantID != srv.Env()["ARM_TENANT_ID"] || snap.ToolVersion != "test" {
		t.Errorf("snapshot header %q %q", snap.TenantID, snap.ToolVersion)
	}

	var reg snapshot.RegistrationSummary
	if err := snap.Decode(snapshot.GraphUserRegistrationDetails, &reg); err != nil {
		t.Fatal(err)
	}
	// 1 break-glass + 15 clinic members + 1000 synthetic; the guest is not a member.
	if reg.Members != 1016 || reg.MembersMFARegistered != 1016 || reg.UnregisteredTotal != 0 || reg.Pages != 2 {
		t.Errorf("registration summary %+v", reg)
	}

	// Lists are merged into {"value":[...]}, verbatim.
	var policies struct {
		Value []map[string]any `json:"value"`
	}
	if err := snap.Decode(snapshot.GraphDeviceCompliancePolicies, &policies); err != nil || len(policies.Value) != 3 {
		t.Fatalf("compliance policies: %v %v", err, policies)
	}
	for _, p := range policies.Value {
		if a, _ := p["assignments"].([]any); len(a) != 1 {
			t.Errorf("policy %v has no expanded assignment", p["displayName"])
		}
	}
	var graphSP struct {
		AppRoles []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"appRoles"`
	}
	if err := snap.Decode(snapshot.GraphGraphServicePrincipal, &graphSP); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range graphSP.AppRoles {
		found = found || (r.Value == "Mail.Read" && r.ID == "810c84a8-4a9e-49e6-bf7d-12d183f40d01")
	}
	if !found {
		t.Errorf("Microsoft Graph's appRoles lack Mail.Read: %v", graphSP.AppRoles)
	}
	var dlp []map[string]any
	if err := snap.Decode(snapshot.ComplianceDlpPolicies, &dlp); err != nil || len(dlp) != 1 || dlp[0]["Name"] != "HIPAA - Protect PHI" || dlp[0]["Mode"] != "Enable" {
		t.Errorf("DLP policies: %v %v", err, dlp)
	}
	var spo map[string]any
	if err := snap.Decode(snapshot.SharePointTenant, &spo); err != nil || spo["ExternalUserExpirationRequired"] != true {
		t.Errorf("SPO.Tenant: %v %v", err, spo)
	}
}

func TestCollectNoncompliantCapsTheUnregisteredAndKeepsUnavailableCmdlets(t *testing.T) {
	_, c := startTenant(t, "noncompliant", 300, 0)
	ids := []snapshot.SourceID{snapshot.GraphUserRegistrationDetails, snapshot.ExchangeSafeLinksPolicies, snapshot.GraphGraphAppRoleAssignedTo,
		snapshot.GraphUserRegistrationDetails}
	snap, err := Collect(context.Background(), c, ids, Options{MaxUnregisteredListed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Sources) != 3 {
		t.Errorf("%d sources, want 3 (duplicates read once)", len(snap.Sources))
	}
	var reg snapshot.RegistrationSummary
	if err := snap.Decode(snapshot.GraphUserRegistrationDetails, &reg); err != nil {
		t.Fatal(err)
	}
	// Three clinic members are registered; everyone else (break-glass, 12 staff, 300 synthetic) is not.
	if reg.Members != 316 || reg.MembersMFARegistered != 3 || reg.UnregisteredTotal != 313 || len(reg.Unregistered) != 5 {
		t.Errorf("registration summary %+v", reg)
	}
	if len(reg.AdminsUnregistered) == 0 {
		t.Errorf("unregistered admins missing: %+v", reg)
	}
	// The tenant has no Defender for Office 365: the cmdlet does not exist, and the error says so.
	sl := snap.Sources[snapshot.ExchangeSafeLinksPolicies]
	if snap.Has(snapshot.ExchangeSafeLinksPolicies) || sl.Status != 400 || !strings.Contains(sl.Error, "not available") {
		t.Errorf("Safe Links source: %+v", sl)
	}
	var grants struct {
		Value []struct {
			AppRoleID            string `json:"appRoleId"`
			PrincipalDisplayName string `json:"principalDisplayName"`
		} `json:"value"`
	}
	if err := snap.Decode(snapshot.GraphGraphAppRoleAssignedTo, &grants); err != nil {
		t.Fatal(err)
	}
	scheduler := map[string]bool{}
	for _, g := range grants.Value {
		if g.PrincipalDisplayName == "Contoso Scheduler" {
			scheduler[g.AppRoleID] = true
		}
	}
	if !scheduler["810c84a8-4a9e-49e6-bf7d-12d183f40d01"] || !scheduler["01d4889c-1287-42c6-ac1f-5d1e02578ef6"] || len(scheduler) != 2 {
		t.Errorf("Contoso Scheduler grants: %v", scheduler)
	}
}

func TestCollectRecordsFailuresAndRetriesThrottledItems(t *testing.T) {
	srv, c := startTenant(t, "compliant", 0, 0)
	srv.Faults().FailNext("GET", "/security/secureScores", 500, 1)
	srv.Faults().FailNext("GET", "/subscribedSkus", 429, 1)
	srv.Faults().FailCmdlet("Get-TransportRule", 404, 1)
	ids := []snapshot.SourceID{snapshot.GraphSecureScores, snapshot.GraphSubscribedSkus, snapshot.ExchangeTransportRules, snapshot.GraphOrganization}
	snap, err := Collect(context.Background(), c, ids, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ss := snap.Sources[snapshot.GraphSecureScores]
	if ss.Status != 500 || ss.Error == "" || ss.Body != nil {
		t.Errorf("failed source recorded as %+v", ss)
	}
	if !snap.Has(snapshot.GraphSubscribedSkus) {
		t.Errorf("a throttled item must be retried: %+v", snap.Sources[snapshot.GraphSubscribedSkus])
	}
	if tr := snap.Sources[snapshot.ExchangeTransportRules]; tr.Status != 404 || tr.Error == "" {
		t.Errorf("failed cmdlet recorded as %+v", tr)
	}
	if !snap.Has(snapshot.GraphOrganization) {
		t.Error("one failure must not stop the others")
	}
	// A failed source is not cached: the next caller of the run reads it again.
	again, err := Collect(context.Background(), c, []snapshot.SourceID{snapshot.GraphSecureScores}, Options{})
	if err != nil || !again.Has(snapshot.GraphSecureScores) {
		t.Errorf("second read of the failed source: %v %+v", err, again.Sources[snapshot.GraphSecureScores])
	}
}

func TestCollectFailsWhenSignInFails(t *testing.T) {
	srv, _ := startTenant(t, "empty", 0, 0)
	env := srv.Env()
	c, err := m365.NewClient(m365.Config{
		Endpoints:   m365.Endpoints{Authority: env["HIPAA_AUTHORITY_HOST"], Graph: env["HIPAA_GRAPH_ENDPOINT"]},
		Credentials: m365.Credentials{TenantID: env["ARM_TENANT_ID"], ClientID: env["ARM_CLIENT_ID"], ClientSecret: "wrong"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(context.Background(), c, AllSources(), Options{}); err == nil || !strings.Contains(err.Error(), "AADSTS") && !strings.Contains(err.Error(), "token") {
		t.Errorf("Collect with a wrong secret: %v", err)
	}
}

func TestRunCacheReadsEachSourceOncePerClient(t *testing.T) {
	srv, c := startTenant(t, "compliant", 0, 0)
	ids := []snapshot.SourceID{snapshot.GraphConditionalAccessPolicies, snapshot.ExchangeOrganizationConfig, snapshot.GraphSecureScores}
	if _, err := Collect(context.Background(), c, ids, Options{}); err != nil {
		t.Fatal(err)
	}
	before := srv.Stats().Total
	// The data source and the baseline ask at the same time, overlapping the first call.
	var wg sync.WaitGroup
	snaps := make([]*snapshot.Snapshot, 2)
	for i := range snaps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Collect(context.Background(), c, append(ids, snapshot.GraphOrganization), Options{})
			if err != nil {
				t.Error(err)
			}
			snaps[i] = s
		}()
	}
	wg.Wait()
	if d := srv.Stats().Total - before; d != 1 {
		t.Errorf("%d requests for two overlapping collections of cached sources plus one new one, want 1 batch", d)
	}
	for _, s := range snaps {
		a, _ := json.Marshal(s.Sources[snapshot.GraphConditionalAccessPolicies])
		b, _ := json.Marshal(snaps[0].Sources[snapshot.GraphConditionalAccessPolicies])
		if len(s.Sources) != 4 || string(a) != string(b) {
			t.Errorf("cached snapshot differs: %d sources", len(s.Sources))
		}
	}
	// Another client is another run: it reads again.
	c2 := newClient(t, srv)
	before = srv.Stats().Total
	if _, err := Collect(context.Background(), c2, ids[:1], Options{}); err != nil {
		t.Fatal(err)
	}
	if srv.Stats().Total == before {
		t.Error("a new client must not see the previous run's cache")
	}
}
