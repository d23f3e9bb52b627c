// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assessment_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

const addr = "data.hipaa_assessment.this"

// attestAllManual attests every manual control, as a covered entity with its paperwork done would.
func attestAllManual() string {
	var b strings.Builder
	b.WriteString("  attestations = [\n")
	for i := 1; i <= 11; i++ {
		fmt.Fprintf(&b, `    {
      control_id   = "HIPAA.MAN.%dv1"
      attested_by  = "privacy.officer@clinic.example"
      date         = "2026-10-01"
      evidence_url = "https://clinic.example/compliance/evidence-%d.pdf"
      expires      = "2099-12-31"
    },
`, i, i)
	}
	b.WriteString("  ]\n")
	return b.String()
}

// The noncompliant clinic fails the checklist: the assessment says so per control and per
// safeguard, with gaps ready for a check block.
func TestAccAssessment_noncompliantTenant(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.RequireDevtenant(t) // Asserts the clinic seed's licences and content.
	tn.UseCertificate(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.Config(`data "hipaa_assessment" "this" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("compliant"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(tn.Env["ARM_TENANT_ID"])),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("snapshot_sha256"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{64}$`))),
			},
			Check: resource.ComposeTestCheckFunc(
				// MFA for all users is missing: the gap names the control, its citation and the fix.
				resource.TestMatchResourceAttr(addr, "gaps.#", regexp.MustCompile(`^[1-9][0-9]*$`)),
				checkAnyAttr(addr, "gaps.", regexp.MustCompile(`HIPAA\.CA\.1v1 .*164\.312\(d\).*hipaa_baseline\.mfa`)),
				checkControlStatus("HIPAA.CA.1v1", "fail"),
				checkControlStatus("HIPAA.EXO.1v1", "fail"),
				// No Defender for Office 365 in the clinic's licences: not a failure, not a pass.
				checkControlStatus("HIPAA.EXO.5v1", "not_licensed"),
				checkControlStatus("HIPAA.MAN.1v1", "manual_missing"),
				// Five permanent Global Administrators, named by user principal name.
				checkControlStatus("HIPAA.IAM.1v1", "fail"),
				checkControlObjects(addr, "HIPAA.IAM.1v1", regexp.MustCompile(`^[a-z0-9.]+@contosoclinic\.onmicrosoft\.com$`)),
				checkSafeguardStatus(addr, "164.312(d)", "fail"),
				// The third-party scheduling app reads mail without a BAA on file.
				checkAnyAttr(addr, "baa.apps_needing_baa.", regexp.MustCompile(`Contoso Scheduler`)),
				resource.TestMatchResourceAttr(addr, "counts.fail", regexp.MustCompile(`^[1-9][0-9]*$`)),
			),
		}},
	})
}

// The compliant seed, with every manual control attested, is compliant: no fail, no error.
func TestAccAssessment_compliantTenant(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.UseCertificate(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.Config("data \"hipaa_assessment\" \"this\" {\n" + attestAllManual() + "}\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("compliant"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("gaps"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("counts").AtMapKey("fail"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("counts").AtMapKey("error"), knownvalue.Int64Exact(0)),
			},
			Check: resource.ComposeTestCheckFunc(
				checkControlStatus("HIPAA.CA.1v1", "pass"),
				checkControlStatus("HIPAA.MAN.1v1", "manual_attested"),
				checkSafeguardStatus(addr, "164.312(d)", "pass"),
			),
		}},
	})
}

// The same compliant tenant without emergency-access ids is not compliant: the policies'
// exclusions of the break-glass account cannot be verified, and the first gap says what to set.
func TestAccAssessment_compliantTenantWithoutEmergencyAccessIDs(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.UseCertificate(t)
	t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", "")
	t.Setenv("HIPAA_EMERGENCY_ACCESS_GROUP_IDS", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.Config("data \"hipaa_assessment\" \"this\" {\n" + attestAllManual() + "}\n"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("compliant"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("gaps").AtSliceIndex(0),
					knownvalue.StringRegexp(regexp.MustCompile(`no emergency-access ids were given.*emergency_access_user_ids.*HIPAA_EMERGENCY_ACCESS_USER_IDS`))),
			},
			Check: resource.ComposeTestCheckFunc(
				checkControlStatus("HIPAA.CA.1v1", "fail"),
				checkControlStatus("HIPAA.CA.7v1", "fail"),
				checkSafeguardStatus(addr, "164.312(d)", "fail"),
			),
		}},
	})
}

// Exceptions turn a failing control into not_applicable with the reason.
func TestAccAssessment_exceptionsAndValidation(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.RequireDevtenant(t) // Asserts the clinic seed's licences and content.
	tn.UseCertificate(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(`
data "hipaa_assessment" "this" {
  include_controls = ["HIPAA.CA.1v1", "HIPAA.CA.2v1"]
  exceptions = [{
    control_id = "HIPAA.CA.2v1"
    reason     = "Legacy fax gateway until the migration; compensating control: network isolation."
    expires    = "2099-01-01"
  }]
}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("controls"), knownvalue.ListSizeExact(2)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkControlStatus("HIPAA.CA.1v1", "fail"),
					checkControlStatus("HIPAA.CA.2v1", "not_applicable"),
				),
			},
		},
	})
}

// When the licences cannot be read, baa.services_in_use is null (with a warning), not an empty
// list that would say the tenant uses no service.
func TestAccAssessment_servicesInUseUnreadable(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	tn.UseCertificate(t)
	dev.Faults().FailNext("GET", "/v1.0/subscribedSkus", http.StatusForbidden, 100)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.Config(`data "hipaa_assessment" "this" { include_controls = ["HIPAA.BAA.1v1"] }`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("baa").AtMapKey("services_in_use"), knownvalue.Null()),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("compliant"), knownvalue.Bool(false)),
			},
			Check: checkControlStatus("HIPAA.BAA.1v1", "error"),
		}},
	})
}

// Bad inputs are refused before anything is read from the tenant.
func TestAccAssessment_invalidInputs(t *testing.T) {
	acctest.Setup(t, "empty")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      acctest.Config(`data "hipaa_assessment" "this" { include_controls = ["CA-1"] }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)must be a control id such as\s+HIPAA\.CA\.1v1`),
			},
			{
				Config: acctest.Config(`
data "hipaa_assessment" "this" {
  exceptions = [{ control_id = "HIPAA.CA.1v1", reason = "because of reasons", expires = "next year" }]
}`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`YYYY-MM-DD`),
			},
			{
				// Not a day of the calendar, though written YYYY-MM-DD.
				Config:      acctest.Config(attestation("2026-02-30", "https://clinic.example/e.pdf", "2027-02-28")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Date.*attestations\[0\]\.date must be a date`),
			},
			{
				Config:      acctest.Config(attestation("2026-10-01", "https://clinic.example/e.pdf", "2025-10-01")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attestation Expires Before Its Date.*attestations\[0\]\.expires\s+\(2025-10-01\)\s+is\s+before\s+attestations\[0\]\.date\s+\(2026-10-01\)`),
			},
			{
				// The evidence link is not an endpoint of the provider: the error says what it is.
				Config:      acctest.Config(attestation("2026-10-01", "evidence/risk-analysis.pdf", "2027-10-01")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Evidence URL.*attestations\[0\]\.evidence_url must be an absolute\s+https://\s+link`),
			},
		},
	})
}

// attestation is an assessment with one attestation of HIPAA.MAN.1v1.
func attestation(date, evidence, expires string) string {
	return fmt.Sprintf(`
data "hipaa_assessment" "this" {
  attestations = [{
    control_id   = "HIPAA.MAN.1v1"
    attested_by  = "privacy.officer@clinic.example"
    date         = %q
    evidence_url = %q
    expires      = %q
  }]
}`, date, evidence, expires)
}

// checkControlStatus finds a control among the data source's findings and compares its status.
func checkControlStatus(id, want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		for i := 0; ; i++ {
			got, ok := attrs[fmt.Sprintf("controls.%d.id", i)]
			if !ok {
				return fmt.Errorf("control %s not among the findings", id)
			}
			if got == id {
				if st := attrs[fmt.Sprintf("controls.%d.status", i)]; st != want {
					return fmt.Errorf("control %s: status %q (actual: %s; detail: %s), want %q", id, st,
						attrs[fmt.Sprintf("controls.%d.actual", i)], attrs[fmt.Sprintf("controls.%d.detail", i)], want)
				}
				return nil
			}
		}
	}
}

// checkControlObjects requires every object a control's finding names to match re.
func checkControlObjects(addr, id string, re *regexp.Regexp) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		for i := 0; ; i++ {
			got, ok := attrs[fmt.Sprintf("controls.%d.id", i)]
			if !ok {
				return fmt.Errorf("control %s not among the findings", id)
			}
			if got != id {
				continue
			}
			n := attrs[fmt.Sprintf("controls.%d.objects.#", i)]
			if n == "" || n == "0" {
				return fmt.Errorf("control %s names no objects", id)
			}
			for j := 0; ; j++ {
				o, ok := attrs[fmt.Sprintf("controls.%d.objects.%d", i, j)]
				if !ok {
					return nil
				}
				if !re.MatchString(o) {
					return fmt.Errorf("control %s names %q, want it to match %s", id, o, re)
				}
			}
		}
	}
}

func checkSafeguardStatus(addr, citation, want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[addr].Primary.Attributes
		for i := 0; ; i++ {
			got, ok := attrs[fmt.Sprintf("safeguards.%d.citation", i)]
			if !ok {
				return fmt.Errorf("safeguard %s not in the result", citation)
			}
			if got == citation {
				if st := attrs[fmt.Sprintf("safeguards.%d.status", i)]; st != want {
					return fmt.Errorf("safeguard %s: status %q, want %q", citation, st, want)
				}
				return nil
			}
		}
	}
}

// checkAnyAttr passes when some attribute with the prefix matches.
func checkAnyAttr(addr, prefix string, re *regexp.Regexp) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for k, v := range s.RootModule().Resources[addr].Primary.Attributes {
			if strings.HasPrefix(k, prefix) && re.MatchString(v) {
				return nil
			}
		}
		return fmt.Errorf("no %s* attribute matches %s", prefix, re)
	}
}
