// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"strings"
	"testing"
)

// checklistAreas are the areas whose values the HIPAA checklist (hipaa_baseline's defaults,
// docs/resources/baseline.md) and devtenant's seeds set.
var checklistAreas = []string{"CA", "AUTH", "SPO", "GUEST", "AUDIT", "EXO", "ALERT"}

func inChecklist(id string) bool {
	for _, a := range checklistAreas {
		if strings.HasPrefix(id, "HIPAA."+a+".") && id != "HIPAA.AUTH.3v1" {
			return true
		}
	}
	return false
}

// TestChecksAgreeWithChecklist: the checklist's compliant values pass every check of the areas
// the baseline manages, and its noncompliant values fail them. Where the noncompliant tenant
// lacks the licence (Audit Premium, Defender for Office 365) the verdict is not_licensed, and
// with no enabled Conditional Access policy there is nothing for HIPAA.CA.7 to check.
func TestChecksAgreeWithChecklist(t *testing.T) {
	notFail := map[string]Status{
		"HIPAA.AUDIT.3v1": StatusNotLicensed,
		"HIPAA.EXO.5v1":   StatusNotLicensed,
		"HIPAA.EXO.6v1":   StatusNotLicensed,
		"HIPAA.CA.7v1":    StatusNotApplicable,
	}
	good, bad := build(t, compliant()), build(t, noncompliant())
	n := 0
	for _, id := range IDs() {
		if !inChecklist(id) {
			continue
		}
		n++
		if o := run(t, id, good, eaParams); o.Status != StatusPass {
			t.Errorf("compliant %s: %s: %s %s", id, o.Status, o.Actual, o.Detail)
		}
		want := StatusFail
		if s, ok := notFail[id]; ok {
			want = s
		}
		if o := run(t, id, bad, eaParams); o.Status != want {
			t.Errorf("noncompliant %s: %s, want %s: %s", id, o.Status, want, o.Actual)
		}
	}
	if n != 28 {
		t.Errorf("%d checklist controls, want 28", n)
	}
}

// The checklist's default state for every CA block is report-only: that must not pass.
func TestChecklistReportOnlyPoliciesDoNotPass(t *testing.T) {
	src := compliant()
	src["graph.conditionalAccessPolicies"] = list(checklistCA("enabledForReportingButNotEnforced")...)
	s := build(t, src)
	for _, id := range []string{"HIPAA.CA.1v1", "HIPAA.CA.2v1", "HIPAA.CA.3v1", "HIPAA.CA.4v1", "HIPAA.CA.5v1", "HIPAA.CA.6v1"} {
		o := run(t, id, s, eaParams)
		if o.Status != StatusFail {
			t.Errorf("%s with report-only policies: %s", id, o.Status)
		}
		if id != "HIPAA.CA.6v1" && !strings.Contains(o.Actual, "report-only") {
			t.Errorf("%s must say report-only is not enforcement: %q", id, o.Actual)
		}
	}
}
