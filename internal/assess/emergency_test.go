// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assess

import (
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Without emergency-access ids no Conditional Access exclusion can be verified, so an assessment
// that selects a Conditional Access control is never compliant, whatever hides HIPAA.CA.7's
// failure (an exception, an attestation of the partial control, leaving it out of the selection),
// and its first gap says what to set.
func TestEvaluate_noEmergencyAccessIDsIsNeverCompliant(t *testing.T) {
	cat := realCatalog(t)
	const ca7 = "HIPAA.CA.7v1"
	except := []Exception{{ControlID: ca7, Reason: "break-glass review pending", Expires: "2099-12-31"},
		{ControlID: "HIPAA.GUEST.1v1", Reason: "partner onboarding", Expires: "2099-12-31"}}
	attest := []Attestation{{ControlID: ca7, By: "security officer", Date: "2026-01-01", EvidenceURL: "https://clinic.example/ea.pdf"}}
	ids := checks.Params{EmergencyAccessUserIDs: []string{"5b1f6f0e-0000-4000-8000-00000000b001"}}
	cases := []struct {
		name      string
		in        Inputs
		compliant bool
	}{
		{"CA.7 excepted, no ids", Inputs{Include: []string{ca7}, Exceptions: except}, false},
		{"CA.7 excepted, ids given", Inputs{Include: []string{ca7}, Exceptions: except, Params: ids}, true},
		{"CA.7 attested, no ids", Inputs{Include: []string{ca7}, Attestations: attest}, false},
		{"CA.7 left out, CA.1 excepted, no ids", Inputs{Include: []string{"HIPAA.CA.1v1"},
			Exceptions: []Exception{{ControlID: "HIPAA.CA.1v1", Reason: "rollout", Expires: "2099-12-31"}}}, false},
		{"no Conditional Access control selected", Inputs{Include: []string{"HIPAA.GUEST.1v1"}, Exceptions: except}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Evaluate(cat, testSnapshot(srcCA), c.in, testNow)
			if r.Compliant != c.compliant {
				t.Fatalf("compliant = %v, want %v; findings %+v", r.Compliant, c.compliant, r.Findings)
			}
			hinted := len(r.Gaps) > 0 && r.Gaps[0] == EmergencyAccessGap
			if hinted == c.compliant {
				t.Errorf("gaps %q: the emergency-access line must be first exactly when the ids are missing", r.Gaps)
			}
			if !r.Compliant && len(r.Gaps) == 0 {
				t.Error("not compliant without a gap saying why")
			}
		})
	}
}

// The one line names the settings the provider and the drift CLI really read.
func TestEmergencyAccessGapNamesTheRealSettings(t *testing.T) {
	for _, s := range []m365.Setting{m365.SettingEmergencyAccessUserIDs, m365.SettingEmergencyAccessGroupIDs} {
		if !strings.Contains(EmergencyAccessGap, s.Attribute) || !strings.Contains(EmergencyAccessGap, s.Env) {
			t.Errorf("EmergencyAccessGap does not name %s / %s", s.Attribute, s.Env)
		}
	}
	if strings.Contains(EmergencyAccessGap, "\n") {
		t.Error("EmergencyAccessGap must be one line")
	}
}
