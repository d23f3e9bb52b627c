// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"context"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// TestDLPExceptionsReachTheCheck: what the DLP cmdlets return for a narrowed policy or rule
// reaches HIPAA.DLP.1 through the collector, and each narrowing turns its pass into a fail that
// names the property. The seeded policy, returned with every exception property unset, passes.
func TestDLPExceptionsReachTheCheck(t *testing.T) {
	srv, c := startTenant(t, "compliant", 0, 0)
	check, ok := checks.Lookup("HIPAA.DLP.1v1")
	if !ok {
		t.Fatal("HIPAA.DLP.1v1 is not registered")
	}
	ids := []snapshot.SourceID{snapshot.ComplianceDlpPolicies, snapshot.ComplianceDlpRules}
	run := func() checks.Outcome {
		t.Helper()
		// A fresh client: the run cache would otherwise answer with the first read.
		snap, err := Collect(context.Background(), newClient(t, srv), ids, Options{ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return check(snap, checks.Params{})
	}
	if o := run(); o.Status != checks.StatusPass {
		t.Fatalf("seeded DLP policy: %s: %s", o.Status, o.Actual)
	}
	steps := []struct {
		cmdlet string
		params map[string]any
		want   string
	}{
		{"Set-DlpCompliancePolicy", map[string]any{"Identity": "HIPAA - Protect PHI", "AddSharePointLocationException": []any{"https://contoso.sharepoint.com/sites/billing"}},
			"SharePointLocationException"},
		{"Set-DlpCompliancePolicy", map[string]any{"Identity": "HIPAA - Protect PHI", "RemoveSharePointLocationException": []any{"https://contoso.sharepoint.com/sites/billing"},
			"ExchangeSenderMemberOfException": []any{"billing@contoso.com"}}, "ExchangeSenderMemberOfException"},
		{"Set-DlpCompliancePolicy", map[string]any{"Identity": "HIPAA - Protect PHI", "ExchangeSenderMemberOfException": []any{}}, ""},
		{"Set-DlpComplianceRule", map[string]any{"Identity": "HIPAA - Protect PHI - external sharing", "ExceptIfRecipientDomainIs": []any{"partner.example"}},
			"ExceptIfRecipientDomainIs"},
		{"Set-DlpComplianceRule", map[string]any{"Identity": "HIPAA - Protect PHI - external sharing", "ExceptIfRecipientDomainIs": []any{}, "Priority": 1}, ""},
		{"New-DlpComplianceRule", map[string]any{"Name": "Notify first", "Policy": "HIPAA - Protect PHI", "Priority": 0, "StopPolicyProcessing": true},
			"stops policy processing"},
	}
	for _, s := range steps {
		if _, err := c.Compliance().Invoke(context.Background(), s.cmdlet, s.params); err != nil {
			t.Fatalf("%s %v: %v", s.cmdlet, s.params, err)
		}
		o := run()
		if s.want == "" {
			if o.Status != checks.StatusPass {
				t.Errorf("after %s %v: %s: %s", s.cmdlet, s.params, o.Status, o.Actual)
			}
			continue
		}
		if o.Status != checks.StatusFail || !strings.Contains(o.Actual, s.want) {
			t.Errorf("after %s %v: %s: %s, want a fail naming %s", s.cmdlet, s.params, o.Status, o.Actual, s.want)
		}
	}
}
