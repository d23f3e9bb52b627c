// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// Object names of the checklist (names.go is internal to the package under test).
const (
	accRulePHI         = "HIPAA - Encrypt external mail containing PHI"
	accRuleKeywords    = "HIPAA - Encrypt external mail with medical keywords"
	accAlertDownload   = "HIPAA - Mass file download"
	accAlertForwarding = "HIPAA - Mail forwarding rule created"
	accAlertSignIns    = "HIPAA - Repeated failed sign-ins"
	accAlertAdminRole  = "HIPAA - Admin role assigned"
	accSafeLinks       = "HIPAA - Safe Links"
	accRetentionPolicy = "HIPAA - Audit log retention"
	accPartnerTLS      = "HIPAA - Enforce TLS to partners"
	// The tenant's default OME configuration (Microsoft's name, not the baseline's).
	accOMEConfiguration = "OME Configuration"
)

var accAlerts = []string{accAlertDownload, accAlertForwarding, accAlertSignIns, accAlertAdminRole}

const exoAllBlocks = `
  audit {}
  email {}
  alerts {}
`

func exoAttr(block, name string) tfjsonpath.Path { return tfjsonpath.New(block).AtMapKey(name) }

// exoCheckCompliant asserts, through the cmdlets, that the tenant now has the checklist's
// audit, email and alert settings, each object exactly once.
func exoCheckCompliant(t *testing.T, tn *acctest.Tenant, licensed bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var errs []string
		expect := func(ok bool, format string, args ...any) {
			if !ok {
				errs = append(errs, fmt.Sprintf(format, args...))
			}
		}
		audit := tn.ExchangeSingle(t, "Get-AdminAuditLogConfig", nil)
		expect(audit["UnifiedAuditLogIngestionEnabled"] == true, "UnifiedAuditLogIngestionEnabled = %v", audit["UnifiedAuditLogIngestionEnabled"])
		org := tn.ExchangeSingle(t, "Get-OrganizationConfig", nil)
		expect(org["AuditDisabled"] == false, "AuditDisabled = %v", org["AuditDisabled"])
		irm := tn.ExchangeSingle(t, "Get-IRMConfiguration", nil)
		expect(irm["AzureRMSLicensingEnabled"] == true && irm["SimplifiedClientAccessEnabled"] == true, "IRM = %v/%v",
			irm["AzureRMSLicensingEnabled"], irm["SimplifiedClientAccessEnabled"])
		ome := tn.ExchangeSingle(t, "Get-OMEConfiguration", map[string]any{"Identity": accOMEConfiguration})
		expect(ome["OTPEnabled"] == true && ome["SocialIdSignIn"] == false, "OME OTPEnabled %v SocialIdSignIn %v", ome["OTPEnabled"], ome["SocialIdSignIn"])
		rules := tn.Exchange(t, "Get-TransportRule", nil)
		for _, name := range []string{accRulePHI, accRuleKeywords} {
			expect(acctest.CountNamed(rules, name) == 1, "%d transport rules %q, want 1", acctest.CountNamed(rules, name), name)
			if r := acctest.Named(rules, name); r != nil {
				expect(r["Mode"] == "Enforce" && r["SentToScope"] == "NotInOrganization" && r["ApplyRightsProtectionTemplate"] == "Encrypt",
					"rule %q: Mode %v SentToScope %v template %v", name, r["Mode"], r["SentToScope"], r["ApplyRightsProtectionTemplate"])
			}
		}
		if r := acctest.Named(rules, accRulePHI); r != nil {
			raw, _ := json.Marshal(r["MessageContainsDataClassifications"])
			expect(strings.Contains(string(raw), "U.S. Social Security Number (SSN)") && strings.Contains(string(raw), `"minCount":"1"`),
				"rule %q classifications %s", accRulePHI, raw)
		}
		spam := tn.ExchangeSingle(t, "Get-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default"})
		expect(spam["AutoForwardingMode"] == "Off", "AutoForwardingMode = %v", spam["AutoForwardingMode"])
		remote := tn.ExchangeSingle(t, "Get-RemoteDomain", map[string]any{"Identity": "Default"})
		expect(remote["AutoForwardEnabled"] == false, "AutoForwardEnabled = %v", remote["AutoForwardEnabled"])
		malware := tn.ExchangeSingle(t, "Get-MalwareFilterPolicy", map[string]any{"Identity": "Default"})
		types := fmt.Sprint(malware["FileTypes"])
		expect(malware["EnableFileFilter"] == true && malware["FileTypeAction"] == "Reject" && strings.Contains(types, "ps1") && !strings.Contains(types, "docm"),
			"malware filter %v %v %v", malware["EnableFileFilter"], malware["FileTypeAction"], types)
		alerts := tn.Compliance(t, "Get-ProtectionAlert", nil)
		for _, name := range accAlerts {
			expect(acctest.CountNamed(alerts, name) == 1, "%d alert policies %q, want 1", acctest.CountNamed(alerts, name), name)
		}
		if d := acctest.Named(alerts, accAlertDownload); d != nil {
			expect(d["Severity"] == "High" && fmt.Sprint(d["Threshold"]) == "100", "mass download alert %v %v", d["Severity"], d["Threshold"])
		}
		if licensed {
			pols := tn.Compliance(t, "Get-UnifiedAuditLogRetentionPolicy", nil)
			expect(acctest.CountNamed(pols, accRetentionPolicy) == 1, "%d retention policies", acctest.CountNamed(pols, accRetentionPolicy))
			links := tn.Exchange(t, "Get-SafeLinksRule", nil)
			expect(acctest.CountNamed(links, accSafeLinks) == 1, "%d Safe Links rules", acctest.CountNamed(links, accSafeLinks))
		}
		if len(errs) > 0 {
			return fmt.Errorf("tenant not compliant:\n  %s", strings.Join(errs, "\n  "))
		}
		return nil
	}
}

// Apply on the noncompliant seed: the tenant becomes compliant where licensed, the unlicensed
// Audit (Premium) and Defender for Office 365 settings report not_licensed, and a second plan is empty.
func TestAccBaseline_ExchangeApplyNoncompliant(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.RequireDevtenant(t) // Asserts the clinic seed's licences.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: baselineConfig(tn, exoAllBlocks),
				Check:  exoCheckCompliant(t, tn, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_status"), knownvalue.StringExact("not_licensed")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "effective_retention_days"), knownvalue.Int64Exact(180)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_duration"), knownvalue.StringExact("SevenYears")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_policy_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "safe_links_status"), knownvalue.StringExact("not_licensed")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "safe_attachments_status"), knownvalue.StringExact("not_licensed")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "in_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "transport_rule_ids"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("alerts", "alert_ids"), knownvalue.MapSizeExact(4)),
				},
			},
			{
				Config:            baselineConfig(tn, exoAllBlocks),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(baselineAddr, exoAttr("alerts", "in_sync"), knownvalue.Bool(true))},
			},
		},
	})
}

// Drift per block: one setting changed out of band shows as exactly that attribute, and apply
// repairs it.
func TestAccBaseline_ExchangeDrift(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	cfg := baselineConfig(tn, exoAllBlocks)
	drift := func(paths []string, change func(), check func() error) resource.TestStep {
		return resource.TestStep{
			PreConfig: change,
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				acctest.ExpectOnlyAttributesChanged(baselineAddr, paths...),
			}},
			Check: func(*terraform.State) error { return check() },
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg},
			drift([]string{"audit.mailbox_auditing"},
				func() { tn.Exchange(t, "Set-OrganizationConfig", map[string]any{"AuditDisabled": true}) },
				func() error {
					if v := tn.ExchangeSingle(t, "Get-OrganizationConfig", nil)["AuditDisabled"]; v != false {
						return fmt.Errorf("AuditDisabled = %v after repair", v)
					}
					return nil
				}),
			drift([]string{"audit.unified_audit_log_ingestion"},
				func() {
					tn.Exchange(t, "Set-AdminAuditLogConfig", map[string]any{"UnifiedAuditLogIngestionEnabled": false})
				},
				func() error {
					if v := tn.ExchangeSingle(t, "Get-AdminAuditLogConfig", nil)["UnifiedAuditLogIngestionEnabled"]; v != true {
						return fmt.Errorf("UnifiedAuditLogIngestionEnabled = %v after repair", v)
					}
					return nil
				}),
			drift([]string{"email.external_auto_forwarding"},
				func() {
					tn.Exchange(t, "Set-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default", "AutoForwardingMode": "Automatic"})
				},
				func() error {
					if v := tn.ExchangeSingle(t, "Get-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default"})["AutoForwardingMode"]; v != "Off" {
						return fmt.Errorf("AutoForwardingMode = %v after repair", v)
					}
					return nil
				}),
			drift([]string{"email.ome_social_id_sign_in"},
				func() {
					tn.Exchange(t, "Set-OMEConfiguration", map[string]any{"Identity": accOMEConfiguration, "SocialIdSignIn": true})
				},
				func() error {
					o := tn.ExchangeSingle(t, "Get-OMEConfiguration", map[string]any{"Identity": accOMEConfiguration})
					if o["SocialIdSignIn"] != false || o["OTPEnabled"] != true {
						return fmt.Errorf("OME SocialIdSignIn %v OTPEnabled %v after repair", o["SocialIdSignIn"], o["OTPEnabled"])
					}
					return nil
				}),
			drift([]string{"email.in_sync"},
				func() {
					tn.Exchange(t, "Set-TransportRule", map[string]any{"Identity": accRulePHI, "SentToScope": "InOrganization"})
				},
				func() error {
					if v := tn.ExchangeSingle(t, "Get-TransportRule", map[string]any{"Identity": accRulePHI})["SentToScope"]; v != "NotInOrganization" {
						return fmt.Errorf("SentToScope = %v after repair", v)
					}
					return nil
				}),
			drift([]string{"email.blocked_attachment_types"},
				func() {
					tn.Exchange(t, "Set-MalwareFilterPolicy", map[string]any{"Identity": "Default", "EnableFileFilter": false})
				},
				func() error {
					if v := tn.ExchangeSingle(t, "Get-MalwareFilterPolicy", map[string]any{"Identity": "Default"})["EnableFileFilter"]; v != true {
						return fmt.Errorf("EnableFileFilter = %v after repair", v)
					}
					return nil
				}),
			drift([]string{"alerts.mass_file_download", "alerts.alert_ids"},
				func() { tn.Compliance(t, "Remove-ProtectionAlert", map[string]any{"Identity": accAlertDownload}) },
				func() error {
					if n := acctest.CountNamed(tn.Compliance(t, "Get-ProtectionAlert", nil), accAlertDownload); n != 1 {
						return fmt.Errorf("%d alert policies %q after repair, want 1", n, accAlertDownload)
					}
					return nil
				}),
			drift([]string{"alerts.in_sync"},
				func() {
					tn.Compliance(t, "Set-ProtectionAlert", map[string]any{"Identity": accAlertSignIns, "Threshold": 500})
				},
				func() error {
					a := tn.Compliance(t, "Get-ProtectionAlert", map[string]any{"Identity": accAlertSignIns})
					if len(a) != 1 || fmt.Sprint(a[0]["Threshold"]) != "10" {
						return fmt.Errorf("failed sign-ins alert after repair: %v", a)
					}
					return nil
				}),
		},
	})
}

// Partial failure: a cmdlet failing half way leaves the objects created so far in the state, and
// the next apply converges with exactly one object per name.
func TestAccBaseline_ExchangePartialFailure(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	partial := baselineConfig(tn, `
  email {
    phi_keywords = []
  }
  alerts {
    forwarding_rule_created = false
    failed_sign_ins         = false
    admin_role_assigned     = false
  }
`)
	full := baselineConfig(tn, `
  email {}
  alerts {}
`)
	counts := func(want map[string]int) func() {
		return func() {
			rules := tn.Exchange(t, "Get-TransportRule", nil)
			alerts := tn.Compliance(t, "Get-ProtectionAlert", nil)
			for name, n := range want {
				got := acctest.CountNamed(rules, name) + acctest.CountNamed(alerts, name)
				if got != n {
					t.Errorf("%d objects named %q, want %d", got, name, n)
				}
			}
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: partial,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "transport_rule_ids"), knownvalue.MapSizeExact(1)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("alerts", "alert_ids"), knownvalue.MapSizeExact(1)),
				},
			},
			{
				// The second rule fails: the email block keeps the first rule, alerts are not attempted.
				PreConfig: func() {
					dev.Faults().FailCmdlet("New-TransportRule", 500, 1)
				},
				Config:      full,
				ExpectError: regexp.MustCompile(`Error Applying Email Block`),
			},
			{
				// Email converges; the first new alert policy fails after the existing one was kept.
				PreConfig: func() {
					counts(map[string]int{accRulePHI: 1, accRuleKeywords: 0, accAlertDownload: 1, accAlertForwarding: 0})()
					dev.Faults().FailCmdlet("New-ProtectionAlert", 500, 1)
				},
				Config:      full,
				ExpectError: regexp.MustCompile(`Error Applying Alerts Block(.|\n)*New-ProtectionAlert`),
			},
			{
				PreConfig: counts(map[string]int{accRulePHI: 1, accRuleKeywords: 1, accAlertDownload: 1, accAlertForwarding: 0}),
				Config:    full,
				Check: func(*terraform.State) error {
					counts(map[string]int{accRulePHI: 1, accRuleKeywords: 1, accAlertDownload: 1, accAlertForwarding: 1, accAlertSignIns: 1, accAlertAdminRole: 1})()
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "transport_rule_ids"), knownvalue.MapSizeExact(2)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("alerts", "alert_ids"), knownvalue.MapSizeExact(4)),
				},
			},
		},
	})
}

// Import of the compliant seed adopts the audit, email and alert objects by name, with nothing
// left to change in those blocks; then a licensed apply (Audit Premium, Defender for Office 365)
// changes the retention and adds a partner connector without duplicating anything.
func TestAccBaseline_ExchangeImportCompliant(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	cfg := baselineConfig(tn, exoAllBlocks)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             cfg,
				ResourceName:       baselineAddr,
				ImportState:        true,
				ImportStateId:      tn.Portal.TenantID,
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("%d imported states", len(states))
					}
					a := states[0].Attributes
					for k, want := range map[string]string{
						"audit.retention_status": "applied", "audit.retention_duration": "SevenYears", "audit.effective_retention_days": "2555",
						"audit.retention_days": "2190", "audit.in_sync": "true", "email.safe_links_status": "applied", "email.safe_attachments_status": "applied",
						"email.in_sync": "true", "email.transport_rule_ids.%": "2", "alerts.alert_ids.%": "4", "alerts.in_sync": "true",
						"email.phi_sensitive_info_types.#": "4", "email.blocked_attachment_types.#": "26",
						"email.ome_one_time_passcode": "true", "email.ome_social_id_sign_in": "false",
					} {
						if a[k] != want {
							return fmt.Errorf("imported %s = %q, want %q", k, a[k], want)
						}
					}
					return nil
				},
			},
			{
				// Only the blocks of this area are configured: the plan drops the others, but must not
				// touch audit, email or alerts.
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					acctest.ExpectNoChangesUnder(baselineAddr, "audit", "email", "alerts"),
				}},
			},
		},
	})
}

func TestAccBaseline_ExchangeLicensedApply(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The compliant seed has the baseline's objects already: take them over on purpose.
				Config: baselineConfig(tn, `
  adopt_existing = true
  audit {
    retention_days = 3000
  }
  email {
    tls_partner_domains = ["partner.example"]
  }
  alerts {}
`),
				Check: resource.ComposeTestCheckFunc(
					exoCheckCompliant(t, tn, true),
					func(*terraform.State) error {
						pols := tn.Compliance(t, "Get-UnifiedAuditLogRetentionPolicy", nil)
						if p := acctest.Named(pols, accRetentionPolicy); p == nil || p["RetentionDuration"] != "TenYears" {
							return fmt.Errorf("retention policy %v, want TenYears", p)
						}
						conns := tn.Exchange(t, "Get-OutboundConnector", nil)
						c := acctest.Named(conns, accPartnerTLS)
						if c == nil || c["TlsSettings"] != "CertificateValidation" || fmt.Sprint(c["RecipientDomains"]) != "[partner.example]" {
							return fmt.Errorf("partner connector %v", c)
						}
						return nil
					},
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_status"), knownvalue.StringExact("applied")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_duration"), knownvalue.StringExact("TenYears")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "effective_retention_days"), knownvalue.Int64Exact(3650)),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("audit", "retention_policy_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "safe_links_status"), knownvalue.StringExact("applied")),
					statecheck.ExpectKnownValue(baselineAddr, exoAttr("email", "safe_links"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// A read-only application gets an error that names what it lacks.
func TestAccBaseline_ExchangeReaderApp(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseReaderApp(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      baselineConfig(tn, "  audit {}\n"),
				ExpectError: regexp.MustCompile(`(?s)Error Applying Audit Block.*Exchange\.ManageAsApp.*Exchange\s+Administrator`),
			},
		},
	})
}
