// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

func sampleReport() *Report {
	res := assess.Result{
		TenantID: "tid", SnapshotSHA256: strings.Repeat("ab", 32), Score: 50,
		Counts: map[checks.Status]int{checks.StatusPass: 1, checks.StatusFail: 1},
		Safeguards: []assess.SafeguardResult{
			{Citation: "164.308(a)(2)", Title: "Assigned security responsibility", Category: controls.CategoryAdministrative,
				Kind: controls.KindStandard, Requirement: controls.Required, Status: checks.StatusNotApplicable, Detail: assess.NotAssessed, ControlIDs: []string{}},
			{Citation: "164.312(a)(2)(iii)", Title: "Automatic logoff", Category: controls.CategoryTechnical,
				Kind: controls.KindSpecification, Requirement: controls.Addressable, Status: checks.StatusPass, ControlIDs: []string{"HIPAA.CA.5v1"}},
			{Citation: "164.312(d)", Title: "Person or entity authentication", Category: controls.CategoryTechnical,
				Kind: controls.KindStandard, Requirement: controls.Required, Status: checks.StatusFail, ControlIDs: []string{"HIPAA.CA.1v1"}},
		},
		Findings: []assess.Finding{
			{ControlID: "HIPAA.CA.1v1", Status: checks.StatusFail, Citations: []string{"164.312(d)"},
				Remediation: controls.Remediation{PortalPath: "Entra > Conditional Access"}},
			{ControlID: "HIPAA.CA.5v1", Status: checks.StatusPass, Citations: []string{"164.312(a)(2)(iii)"}},
		},
		Gaps: []string{`HIPAA.CA.1v1 [164.312(d)] MFA for all users enforced: report-only. Fix: set hipaa_baseline.mfa.state = "enabled"`},
		BAA: assess.BAA{Services: assess.BAAItem{ControlID: "HIPAA.BAA.1v1", Status: checks.StatusPass, Actual: "3 services, all covered."},
			Apps: assess.BAAItem{ControlID: "HIPAA.BAA.2v1", Status: checks.StatusFail, Actual: "1 app", Objects: []string{"Acme Archiver"}}},
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	return New(res, "1.2.3", at.Add(-time.Hour), at)
}

func TestJSON_schema(t *testing.T) {
	var buf bytes.Buffer
	if err := (JSON{}).Render(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for _, want := range []string{"report_version", "tenant", "tool_version", "generated_at", "snapshot_collected_at", "snapshot_sha256",
		"score", "compliant", "counts", "safeguards", "controls", "gaps", "baa"} {
		if _, ok := m[want]; !ok {
			t.Errorf("report.json lacks %q (has %v)", want, keys)
		}
	}
	if m["report_version"] != "1" || m["generated_at"] != "2026-03-01T10:00:00Z" {
		t.Errorf("version %v generated_at %v", m["report_version"], m["generated_at"])
	}
	counts := m["counts"].(map[string]any)
	if len(counts) != len(assess.Statuses) || counts["fail"] != float64(1) || counts["manual_missing"] != float64(0) {
		t.Errorf("counts must list every status: %v", counts)
	}
	if !strings.Contains(buf.String(), `Entra > Conditional Access`) {
		t.Error("HTML escaping mangled the remediation")
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || !reflect.DeepEqual(back.Controls[0].Citations, []string{"164.312(d)"}) {
		t.Fatalf("round trip: %v %+v", err, back.Controls)
	}
}

func TestText_summary(t *testing.T) {
	var buf bytes.Buffer
	if err := (Text{}).Render(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"NOT COMPLIANT  score 50/100",
		"Controls: 1 pass, 1 fail",
		"Administrative safeguards (164.308)\n  – 164.308(a)(2) Assigned security responsibility: not assessed\n",
		"    ✔ 164.312(a)(2)(iii) Automatic logoff (addressable): pass [HIPAA.CA.5v1]\n",
		"  ✘ 164.312(d) Person or entity authentication: fail [HIPAA.CA.1v1]\n",
		"Gaps (1)\n  ✘ HIPAA.CA.1v1 [164.312(d)] MFA for all users enforced",
		"✔ Services in use covered by Microsoft's BAA: pass (3 services, all covered)",
		"✘ Apps with PHI-capable permissions: fail (1 app)\n      need a vendor BAA: Acme Archiver\n",
		"(canonical content sha256 abababababab, not the file hash)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	// Technical safeguards come after administrative ones, in catalog order.
	if strings.Index(out, "Administrative") > strings.Index(out, "Technical") {
		t.Error("categories out of order")
	}
}

func TestLookupAndFailing(t *testing.T) {
	if r, err := Lookup("text"); err != nil || r.Name() != "text" {
		t.Fatalf("Lookup(text) = %v, %v", r, err)
	}
	if _, err := Lookup("sarif"); err == nil || !strings.Contains(err.Error(), "json, text") {
		t.Fatalf("Lookup(sarif) = %v", err)
	}
	r := sampleReport()
	if !r.Failing() {
		t.Fatal("a report with a failing control is not Failing")
	}
	r.Controls[0].Advisory = true
	if r.Failing() {
		t.Fatal("an advisory fail made the report Failing")
	}
	r.Controls[1].Status = checks.StatusError
	if !r.Failing() {
		t.Fatal("a control in error did not make the report Failing")
	}
}
