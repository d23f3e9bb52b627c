// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/baseline"
)

// checklistBlocks are the names of every checklist block of hipaa_baseline, read from the
// schema so that a block added later is covered by the tests that range over them.
func checklistBlocks(t *testing.T) []string {
	t.Helper()
	var resp fwresource.SchemaResponse
	baseline.NewResource().Schema(context.Background(), fwresource.SchemaRequest{}, &resp)
	var names []string
	for name := range resp.Schema.Blocks {
		if name != "emergency_access" && name != "timeouts" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) < 11 {
		t.Fatalf("hipaa_baseline has %d checklist blocks (%v), want at least 11", len(names), names)
	}
	return names
}

// TestAccBaseline_AddRemoveEachBlock adds every block, one at a time, to a baseline that already
// exists, and removes it again: each apply must be consistent with its plan (no "Provider
// produced inconsistent result after apply") and leave nothing to change.
func TestAccBaseline_AddRemoveEachBlock(t *testing.T) {
	for _, name := range checklistBlocks(t) {
		t.Run(name, func(t *testing.T) {
			tn := acctest.Setup(t, "noncompliant")
			tn.UseCertificate(t) // The sharing block needs SharePoint admin, which refuses client secrets.
			base := "  guests {}\n"
			if name == "guests" {
				base = "  authentication_methods {}\n"
			}
			without := baselineConfig(tn, base)
			with := baselineConfig(tn, base+"  "+name+" {}\n")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: without},
					{
						Config: with,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(baselineAddr, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New(name), knownvalue.NotNull()),
						},
					},
					{
						Config: without,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(baselineAddr, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New(name), knownvalue.Null()),
						},
					},
				},
			})
		})
	}
}

// TestAccBaseline_CreateBehindLostAnswer: a Conditional Access policy and a mail flow rule are
// created, but the gateway answers 503. Sending the create again would make a second enforced
// policy of the same name; the provider reads back instead and keeps exactly one of each.
func TestAccBaseline_CreateBehindLostAnswer(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	var mfaID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				dev.Faults().FailAfterCommit(http.MethodPost, "/identity/conditionalAccess/policies", http.StatusServiceUnavailable, 1)
				dev.Faults().FailCmdletAfterCommit("New-TransportRule", http.StatusServiceUnavailable, 1)
			},
			Config: baselineConfig(tn, "  mfa {}\n  legacy_authentication {}\n  email {}\n"),
			Check: func(s *terraform.State) error {
				for _, name := range []string{caNameMFA, caNameLegacy} {
					if got := caPolicies(t, tn, name); len(got) != 1 {
						return fmt.Errorf("%d policies named %q, want exactly 1", len(got), name)
					} else if name == caNameMFA {
						mfaID, _ = got[0]["id"].(string)
					}
				}
				// One create each: the lost answer was read back, not answered with a second create.
				if n := dev.Stats().ByRoute["POST /v1.0/identity/conditionalAccess/policies"]; n != 2 {
					return fmt.Errorf("%d policy creates sent for 2 policies", n)
				}
				if n := dev.Stats().ByRoute["POST /exo InvokeCommand New-TransportRule"]; n != 2 {
					return fmt.Errorf("%d New-TransportRule sent for 2 rules", n)
				}
				rules := tn.Exchange(t, "Get-TransportRule", nil)
				for _, name := range []string{accRulePHI, accRuleKeywords} {
					if n := acctest.CountNamed(rules, name); n != 1 {
						return fmt.Errorf("%d transport rules named %q, want exactly 1", n, name)
					}
				}
				if got := s.RootModule().Resources[baselineAddr].Primary.Attributes["mfa.policy_id"]; got != mfaID {
					return fmt.Errorf("state holds MFA policy %q, the tenant %q", got, mfaID)
				}
				return nil
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// TestAccBaseline_FirstApplyFailsHalfWay: the first apply of a baseline with several blocks fails
// in the email block, after the Conditional Access policies exist. Terraform taints the resource
// and plans a replacement; the next apply deletes nothing and completes the rest: every policy
// keeps its id, no object is duplicated, and the plan after it is empty.
func TestAccBaseline_FirstApplyFailsHalfWay(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	cfg := baselineConfig(tn, "  mfa {}\n  legacy_authentication {}\n  admins {}\n  email {}\n  alerts {}\n")
	ids := map[string]string{}
	var deletesBefore int64
	deletes := func() int64 {
		var n int64
		for route, c := range dev.Stats().ByRoute {
			if strings.HasPrefix(route, "DELETE /v1.0/identity/conditionalAccess") || strings.Contains(route, "InvokeCommand Remove-") {
				n += c
			}
		}
		return n
	}
	policies := func(t *testing.T) map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, name := range []string{caNameMFA, caNameLegacy, caNameAdmins} {
			p := caPolicies(t, tn, name)
			if len(p) != 1 {
				t.Errorf("%d policies named %q, want exactly 1", len(p), name)
				continue
			}
			got[name] = p[0]["id"].(string)
		}
		return got
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             caNoCAPolicies(t, tn),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { dev.Faults().FailCmdlet("New-TransportRule", http.StatusInternalServerError, 1) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Error Applying Email Block`),
			},
			{
				PreConfig: func() {
					ids = policies(t)
					if n := acctest.CountNamed(tn.Compliance(t, "Get-ProtectionAlert", nil), accAlertDownload); n != 0 {
						t.Errorf("the alerts block ran after the failure: %d alerts", n)
					}
					deletesBefore = deletes()
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Terraform plans the tainted resource's replacement; the provider makes it a continuation.
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(baselineAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if n := deletes() - deletesBefore; n != 0 {
						return fmt.Errorf("the second apply deleted %d objects", n)
					}
					after := policies(t)
					for name, id := range ids {
						if after[name] != id {
							return fmt.Errorf("policy %q is %s after the second apply, was %s: it was re-created", name, after[name], id)
						}
					}
					attrs := s.RootModule().Resources[baselineAddr].Primary.Attributes
					if attrs["mfa.policy_id"] != ids[caNameMFA] || attrs["admins.policy_id"] != ids[caNameAdmins] {
						return fmt.Errorf("state holds mfa %s, admins %s; the tenant %v", attrs["mfa.policy_id"], attrs["admins.policy_id"], ids)
					}
					rules := tn.Exchange(t, "Get-TransportRule", nil)
					for _, name := range []string{accRulePHI, accRuleKeywords} {
						if n := acctest.CountNamed(rules, name); n != 1 {
							return fmt.Errorf("%d transport rules named %q, want 1", n, name)
						}
					}
					alerts := tn.Compliance(t, "Get-ProtectionAlert", nil)
					for _, name := range accAlerts {
						if n := acctest.CountNamed(alerts, name); n != 1 {
							return fmt.Errorf("%d alert policies named %q, want 1", n, name)
						}
					}
					return nil
				},
			},
		},
	})
}

// TestAccBaseline_DestroyAfterHalfWayFailure: destroying a baseline whose first apply failed half
// way deletes what it made; the continuation of the previous test is for replacements only.
func TestAccBaseline_DestroyAfterHalfWayFailure(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	cfg := baselineConfig(tn, "  mfa {}\n  legacy_authentication {}\n  email {}\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := acctest.CountNamed(tn.Exchange(t, "Get-TransportRule", nil), accRulePHI); n != 0 {
				return fmt.Errorf("%d transport rules left", n)
			}
			return caNoCAPolicies(t, tn)(nil)
		},
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { dev.Faults().FailCmdlet("New-TransportRule", http.StatusInternalServerError, 1) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Error Applying Email Block`),
			},
			{
				// A destroy plan with refresh, as `terraform destroy` runs it.
				PreConfig: func() {
					if n := len(caPolicies(t, tn, caNameMFA)); n != 1 {
						t.Fatalf("%d MFA policies after the failed apply, want 1", n)
					}
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}
