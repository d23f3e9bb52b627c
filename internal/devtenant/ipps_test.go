// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// discoverIPPS follows the contract: GET EXOModuleFile without following redirects, then take
// the Location's origin and the path before /adminapi.
func discoverIPPS(t *testing.T, tt *testTenant, tok string) string {
	t.Helper()
	ipps := tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"]
	req, _ := http.NewRequest("GET", ipps+"/adminapi/v1.0/"+tt.Env()["ARM_TENANT_ID"]+"/EXOModuleFile?Version=3.7.1", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	c := *tt.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close() // Only the status is checked.
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("discovery: %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	before, _, ok := strings.Cut(loc.Path, "/adminapi")
	if !ok {
		t.Fatalf("Location %s", loc)
	}
	return loc.Scheme + "://" + loc.Host + before
}

func TestIPPSDiscoveryAndRetentionPolicies(t *testing.T) {
	tt, tok, base := startCompliance(t, Options{Seed: seed.Compliant})
	if base != tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"]+"/nam01" {
		t.Fatalf("base = %s", base)
	}
	r := tt.invoke(base, tok, "Get-UnifiedAuditLogRetentionPolicy", nil)
	if r.status != 200 || len(r.values()) != 1 {
		t.Fatalf("get: %d %s", r.status, r.raw)
	}
	p := r.values()[0]
	if p["Name"] != "HIPAA - Audit log retention" || p["RetentionDuration"] != "SevenYears" || p["Priority"] != float64(100) || p["Identity"] != p["Guid"] {
		t.Errorf("seeded policy: %v", p)
	}
	r = tt.invoke(base, tok, "New-UnifiedAuditLogRetentionPolicy", map[string]any{"Name": "Short", "RetentionDuration": "Forever", "Priority": 5})
	if d := r.exoDetail(); r.status != 400 || !strings.Contains(d[2], "SevenDays, OneMonth, ThreeMonths") {
		t.Errorf("bad duration: %d %s", r.status, r.raw)
	}
	r = tt.invoke(base, tok, "New-UnifiedAuditLogRetentionPolicy", map[string]any{"Name": "Short", "RetentionDuration": "OneMonth"})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "missing mandatory parameters: Priority") {
		t.Errorf("missing priority: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "New-UnifiedAuditLogRetentionPolicy", map[string]any{"Name": "Short", "RetentionDuration": "OneMonth", "Priority": 100}); r.status != 400 {
		t.Errorf("duplicate priority: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Set-UnifiedAuditLogRetentionPolicy", map[string]any{"Identity": "hipaa - audit log retention", "RetentionDuration": "TenYears"}); r.status != 200 {
		t.Errorf("set by name: %d %s", r.status, r.raw)
	}
	// The same cmdlets are unknown to the Exchange endpoint.
	exo := tt.Env()["HIPAA_EXCHANGE_ENDPOINT"]
	if r := tt.invoke(exo, tt.adminToken(false, exo), "Get-UnifiedAuditLogRetentionPolicy", nil); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
		t.Errorf("on exo: %d %s", r.status, r.raw)
	}
}

func TestIPPSProtectionAlertsAndLicensing(t *testing.T) {
	tt, tok, base := startCompliance(t, Options{Seed: seed.Noncompliant})
	if r := tt.invoke(base, tok, "Get-UnifiedAuditLogRetentionPolicy", nil); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
		t.Errorf("no Audit Premium: %d %s", r.status, r.raw)
	}
	r := tt.invoke(base, tok, "New-ProtectionAlert", map[string]any{"Name": "HIPAA - Mass file download", "Category": "ThreatManagement", "ThreatType": "Activity",
		"Operation": []any{"FileDownloaded"}, "Severity": "High", "AggregationType": "SimpleAggregation", "Threshold": 100, "TimeWindow": 60})
	if r.status != 200 || r.values()[0]["Threshold"] != float64(100) || r.values()[0]["Operation@odata.type"] != "#Collection(String)" {
		t.Fatalf("new alert: %d %s", r.status, r.raw)
	}
	r = tt.invoke(base, tok, "New-ProtectionAlert", map[string]any{"Name": "agg", "Category": "ThreatManagement", "ThreatType": "Activity",
		"Operation": []any{"FileDownloaded"}, "AggregationType": "SimpleAggregation"})
	if r.status != 400 {
		t.Errorf("aggregation without threshold: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Remove-ProtectionAlert", map[string]any{"Identity": "Suspicious email forwarding activity"}); r.status != 400 {
		t.Errorf("system alert removal: %d %s", r.status, r.raw)
	}
	reader := tt.adminToken(true, tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"])
	if r := tt.invoke(base, reader, "Remove-ProtectionAlert", map[string]any{"Identity": "HIPAA - Mass file download"}); r.status != 403 {
		t.Errorf("reader remove: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Remove-ProtectionAlert", map[string]any{"Identity": "HIPAA - Mass file download"}); r.status != 204 {
		t.Errorf("remove: %d %s", r.status, r.raw)
	}
	if tt.Stats().ByRoute["POST /ipps InvokeCommand New-ProtectionAlert"] != 2 {
		t.Errorf("stats: %v", tt.Stats().ByRoute)
	}
}
