// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

func TestDlpPoliciesAndRules(t *testing.T) {
	tt, tok, base := startCompliance(t, Options{Seed: seed.Compliant})

	r := tt.invoke(base, tok, "Get-DlpCompliancePolicy", nil)
	if r.status != 200 || len(r.values()) != 1 {
		t.Fatalf("seeded policies: %d %s", r.status, r.raw)
	}
	p := r.values()[0]
	if p["Name"] != "HIPAA - Protect PHI" || p["Mode"] != "Enable" || p["Workload"] != "Exchange, SharePoint, OneDriveForBusiness, Teams" || p["Identity"] != p["Guid"] {
		t.Errorf("seeded policy %v", p)
	}
	rules := tt.invoke(base, tok, "Get-DlpComplianceRule", nil).values()
	if len(rules) != 1 || rules[0]["ParentPolicyName"] != "HIPAA - Protect PHI" || rules[0]["Policy"] != p["Guid"] ||
		len(rules[0]["ContentContainsSensitiveInformation"].([]any)) != 4 {
		t.Errorf("seeded rule %v", rules)
	}

	r = tt.invoke(base, tok, "New-DlpCompliancePolicy", map[string]any{"Name": "Test", "Mode": "TestWithNotifications", "ExchangeLocation": "All"})
	if r.status != 200 || r.values()[0]["Workload"] != "Exchange" {
		t.Fatalf("new policy: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "New-DlpCompliancePolicy", map[string]any{"Name": "Nowhere"}); r.status != 400 {
		t.Errorf("policy without a location: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Set-DlpCompliancePolicy", map[string]any{"Identity": "Test", "Mode": "Enable", "AddTeamsLocation": []any{"All"}}); r.status != 200 && r.status != 204 {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	got := tt.invoke(base, tok, "Get-DlpCompliancePolicy", map[string]any{"Identity": "Test"}).values()[0]
	if got["Mode"] != "Enable" || got["Workload"] != "Exchange, Teams" || got["AddTeamsLocation"] != nil {
		t.Errorf("after set: %v", got)
	}
	sit := map[string]any{"@odata.type": "#Exchange.GenericHashTable", "Name": "U.S. Social Security Number (SSN)", "minCount": "1"}
	r = tt.invoke(base, tok, "New-DlpComplianceRule", map[string]any{"Name": "Test rule", "Policy": "Test", "ContentContainsSensitiveInformation": []any{sit}, "BlockAccess": true})
	if r.status != 200 {
		t.Fatalf("new rule: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "New-DlpComplianceRule", map[string]any{"Name": "Orphan", "Policy": "Missing"}); r.status != 404 {
		t.Errorf("rule of a missing policy: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Remove-DlpCompliancePolicy", map[string]any{"Identity": "Test"}); r.status != 204 {
		t.Fatalf("remove: %d %s", r.status, r.raw)
	}
	if rules := tt.invoke(base, tok, "Get-DlpComplianceRule", nil).values(); len(rules) != 1 {
		t.Errorf("removing a policy must remove its rules: %v", rules)
	}
	// The reader (Global Reader) may read but not write.
	rtok := tt.adminToken(true, tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"])
	if r := tt.invoke(base, rtok, "Get-DlpCompliancePolicy", nil); r.status != 200 {
		t.Errorf("reader get: %d", r.status)
	}
	if r := tt.invoke(base, rtok, "New-DlpCompliancePolicy", map[string]any{"Name": "X", "ExchangeLocation": "All"}); r.status != 403 {
		t.Errorf("reader new: %d", r.status)
	}
	// The noncompliant tenant has none.
	nc, ntok, nbase := startCompliance(t, Options{Seed: seed.Noncompliant})
	if r := nc.invoke(nbase, ntok, "Get-DlpCompliancePolicy", nil); r.status != 200 || len(r.values()) != 0 {
		t.Errorf("noncompliant DLP: %d %s", r.status, r.raw)
	}
}

// TestDlpExceptionsAndOrder: the properties that narrow a policy or spare content are returned
// unset (empty lists, null conditions, $false) as Get-DlpCompliancePolicy / Get-DlpComplianceRule
// do, are set with the cmdlets' parameters, and a new rule goes last in its own policy.
func TestDlpExceptionsAndOrder(t *testing.T) {
	tt, tok, base := startCompliance(t, Options{Seed: seed.Compliant})

	p := tt.invoke(base, tok, "Get-DlpCompliancePolicy", nil).values()[0]
	for _, k := range []string{"SharePointLocationException", "OneDriveLocationException", "TeamsLocationException", "ExchangeSenderMemberOf",
		"ExchangeSenderMemberOfException", "OneDriveSharedBy", "OneDriveSharedByMemberOf", "ExceptIfOneDriveSharedBy", "ExceptIfOneDriveSharedByMemberOf"} {
		if v, ok := p[k].([]any); !ok || len(v) != 0 {
			t.Errorf("seeded policy %s = %#v, want an empty list", k, p[k])
		}
	}
	rule := tt.invoke(base, tok, "Get-DlpComplianceRule", nil).values()[0]
	if rule["ExceptIfSentTo"] != nil || rule["ExceptIfContentContainsSensitiveInformation"] != nil || rule["ExceptIfDocumentIsPasswordProtected"] != false ||
		rule["StopPolicyProcessing"] != false || rule["Priority"] != float64(0) {
		t.Errorf("seeded rule %v", rule)
	}

	r := tt.invoke(base, tok, "New-DlpCompliancePolicy", map[string]any{"Name": "Scoped", "ExchangeLocation": "All", "SharePointLocation": "All",
		"SharePointLocationException": []any{"https://contoso.sharepoint.com/sites/billing"}, "ExchangeSenderMemberOfException": []any{"billing@contoso.com"}})
	if r.status != 200 {
		t.Fatalf("new policy: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(base, tok, "Set-DlpCompliancePolicy", map[string]any{"Identity": "Scoped", "AddTeamsLocation": []any{"All"},
		"AddTeamsLocationException": []any{"ceo@contoso.com"}, "RemoveSharePointLocationException": []any{"https://contoso.sharepoint.com/sites/billing"}}); r.status != 200 && r.status != 204 {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	got := tt.invoke(base, tok, "Get-DlpCompliancePolicy", map[string]any{"Identity": "Scoped"}).values()[0]
	if te := got["TeamsLocationException"].([]any); len(te) != 1 || te[0] != "ceo@contoso.com" || len(got["SharePointLocationException"].([]any)) != 0 ||
		len(got["ExchangeSenderMemberOfException"].([]any)) != 1 || got["AddTeamsLocationException"] != nil {
		t.Errorf("after set: %v", got)
	}

	for i, name := range []string{"First", "Second"} {
		r := tt.invoke(base, tok, "New-DlpComplianceRule", map[string]any{"Name": name, "Policy": "Scoped", "StopPolicyProcessing": i == 0,
			"ExceptIfRecipientDomainIs": []any{"partner.example"}})
		if r.status != 200 {
			t.Fatalf("new rule %s: %d %s", name, r.status, r.raw)
		}
		v := r.values()[0]
		if v["Priority"] != float64(i) || v["StopPolicyProcessing"] != (i == 0) || len(v["ExceptIfRecipientDomainIs"].([]any)) != 1 {
			t.Errorf("rule %s: %v", name, v)
		}
	}
}
