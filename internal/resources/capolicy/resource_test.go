// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/zclconf/go-cty/cty"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

const addr = "hipaa_ca_policy.test"

// testAccCAPolicyConfig_mfa is the checklist's "require MFA for all users" policy as the
// documentation shows it: examples/resources/hipaa_ca_policy/resource.tf without its other
// policies, the MFA one managed as hipaa_ca_policy.test under another name and state with extra
// HCL added to its body, and the example's break-glass variable defaulting to breakGlass.
func testAccCAPolicyConfig_mfa(t *testing.T, name, state, breakGlass, extra string) string {
	t.Helper()
	f := acctest.Example(t, "resources/hipaa_ca_policy/resource.tf")
	for _, b := range f.Body().Blocks() {
		if b.Type() == "resource" && b.Labels()[1] != "require_mfa_all_users" {
			f.Body().RemoveBlock(b)
		}
	}
	variable := f.Body().FirstMatchingBlock("variable", []string{"break_glass_user_id"})
	variable.Body().SetAttributeValue("default", cty.StringVal(breakGlass))
	policy := f.Body().FirstMatchingBlock("resource", []string{"hipaa_ca_policy", "require_mfa_all_users"})
	policy.SetLabels([]string{"hipaa_ca_policy", "test"})
	policy.Body().SetAttributeValue("display_name", cty.StringVal(name))
	policy.Body().SetAttributeValue("state", cty.StringVal(state))
	more, diags := hclwrite.ParseConfig([]byte(extra), "extra.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing the extra HCL: %v", diags)
	}
	policy.Body().AppendUnstructuredTokens(more.BuildTokens(nil))
	return acctest.Config(string(f.Bytes()))
}

const sessionControls = `
  session_controls = {
    sign_in_frequency = {
      value = 8
      type  = "hours"
    }
    persistent_browser = "never"
  }
  timeouts {
    update = "5m"
  }
`

func TestAccCAPolicy_lifecycle(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	bg := tn.Env["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	if bg == "" {
		bg = tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	}
	var firstID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckCAPolicyDestroyed(t, tn),
		Steps: []resource.TestStep{
			// Create and Read testing.
			{
				Config: testAccCAPolicyConfig_mfa(t, "HIPAA - Require MFA - All users", "report_only", bg, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("report_only")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("conditions").AtMapKey("users").AtMapKey("exclude_users"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(bg)})),
				},
				Check: resource.ComposeTestCheckFunc(
					func(s *terraform.State) error {
						firstID = s.RootModule().Resources[addr].Primary.ID
						return nil
					},
					testAccCheckGraphPolicyState(t, tn, "enabledForReportingButNotEnforced"),
				),
			},
			// Update and Read testing: enforce it and add the session controls.
			{
				Config: testAccCAPolicyConfig_mfa(t, "HIPAA - Require MFA - All users (enforced)", "enabled", bg, sessionControls),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("session_controls").AtMapKey("persistent_browser"), knownvalue.StringExact("never")),
				},
				Check: testAccCheckGraphPolicyState(t, tn, "enabled"),
			},
			// ImportState testing.
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			// An administrator disables the policy in the portal: plan shows exactly that drift,
			// and apply restores it.
			{
				PreConfig: func() {
					status, body := tn.Graph(t, "PATCH", "/identity/conditionalAccess/policies/"+firstID, map[string]any{"state": "disabled"})
					if status != 204 {
						t.Fatalf("out-of-band PATCH: HTTP %d %v", status, body)
					}
				},
				Config: testAccCAPolicyConfig_mfa(t, "HIPAA - Require MFA - All users (enforced)", "enabled", bg, sessionControls),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						acctest.ExpectOnlyAttributesChanged(addr, "state"),
					},
				},
				Check: testAccCheckGraphPolicyState(t, tn, "enabled"),
			},
			// The policy is deleted behind Terraform's back: it is removed from state and re-created.
			{
				PreConfig: func() {
					if status, body := tn.Graph(t, "DELETE", "/identity/conditionalAccess/policies/"+firstID, nil); status != 204 {
						t.Fatalf("out-of-band DELETE: HTTP %d %v", status, body)
					}
				},
				Config: testAccCAPolicyConfig_mfa(t, "HIPAA - Require MFA - All users (enforced)", "enabled", bg, sessionControls),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources[addr].Primary.ID; id == firstID || id == "" {
						return fmt.Errorf("expected a new policy id after re-creation, got %q (old %q)", id, firstID)
					}
					return nil
				},
			},
		},
	})
}

// TestAccCAPolicy_importPortalPolicy imports a policy made "in the portal" (raw Graph JSON, with
// lists in another order and server defaults left out) and requires an empty plan.
func TestAccCAPolicy_importPortalPolicy(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	status, created := tn.Graph(t, "POST", "/identity/conditionalAccess/policies", map[string]any{
		"displayName": "Block legacy authentication",
		"state":       "enabledForReportingButNotEnforced",
		"conditions": map[string]any{
			"users":          map[string]any{"includeUsers": []string{"All"}, "excludeUsers": []string{bg}},
			"applications":   map[string]any{"includeApplications": []string{"All"}},
			"clientAppTypes": []string{"other", "exchangeActiveSync"},
		},
		"grantControls": map[string]any{"operator": "OR", "builtInControls": []string{"block"}},
	})
	if status != 201 {
		t.Fatalf("portal create: HTTP %d %v", status, created)
	}
	id, _ := created["id"].(string)
	waitVisible(t, tn, id)

	config := acctest.Config(fmt.Sprintf(`
resource "hipaa_ca_policy" "test" {
  display_name = "Block legacy authentication"
  state        = "report_only"
  conditions = {
    users = {
      include_users = ["All"]
      exclude_users = [%[1]q]
    }
    applications = {
      include_applications = ["All"]
    }
    client_app_types = ["exchangeActiveSync", "other"]
  }
  grant_controls = {
    built_in_controls = ["block"]
  }
}
`, bg))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      id,
				ImportStatePersist: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccCAPolicy_lockoutGuard(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	blockAll := func(state, excludes string) string {
		return acctest.Config(fmt.Sprintf(`
resource "hipaa_ca_policy" "test" {
  display_name = "Block everyone"
  state        = %[1]q
  conditions = {
    users        = { include_users = ["All"]%[2]s }
    applications = { include_applications = ["All"] }
  }
  grant_controls = { built_in_controls = ["block"] }
}
`, state, excludes))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Enforced, all users, no emergency-access exclusion: refused at plan time.
			{
				Config:      blockAll("enabled", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Lock.*Out.*Emergency`),
			},
			// Excluding some other user is not enough when the provider knows the break-glass account.
			{
				Config:      blockAll("enabled", `, exclude_users = ["00000000-0000-0000-0000-0000000000aa"]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Lock.*Out.*Emergency`),
			},
			// Report-only is the safe rollout state: allowed.
			{
				Config:             blockAll("report_only", ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			// Enforced with the break-glass account excluded: allowed.
			{
				Config:             blockAll("enabled", fmt.Sprintf(", exclude_users = [%q]", bg)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccCAPolicy_invalidEnumRejectedAtPlan(t *testing.T) {
	acctest.Setup(t, "empty")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccCAPolicyConfig_mfa(t, "bad state", "on", "00000000-0000-0000-0000-000000000001", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)state.*value must be one of`),
			},
			{
				Config: acctest.Config(`
resource "hipaa_ca_policy" "test" {
  display_name = "bad client app type"
  state        = "report_only"
  conditions = {
    users            = { include_users = ["All"] }
    applications     = { include_applications = ["All"] }
    client_app_types = ["legacy"]
  }
  grant_controls = { built_in_controls = ["mfa"] }
}
`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)client_app_types.*legacy`),
			},
		},
	})
}

// TestAccCAPolicy_readOnlyAppForbidden: the read-only app may not create a policy, and the error
// names the permission it lacks.
func TestAccCAPolicy_readOnlyAppForbidden(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseReaderApp(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccCAPolicyConfig_mfa(t, "needs write permission", "report_only", tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"], ""),
				ExpectError: regexp.MustCompile(`(?s)forbidden.*Policy\.ReadWrite\.ConditionalAccess`),
			},
		},
	})
}

// TestAccCAPolicy_throttlingAndReplicationDelay: injected 429s and a replication delay are
// absorbed with no error and no duplicate policy.
func TestAccCAPolicy_throttlingAndReplicationDelay(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	const name = "HIPAA - throttled create"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					dev.Faults().SetReplicationDelay(2 * time.Second)
					dev.Faults().ThrottleNext(3)
				},
				Config: testAccCAPolicyConfig_mfa(t, name, "report_only", bg, ""),
				Check: func(*terraform.State) error {
					if got := dev.Stats().Throttled; got < 3 {
						return fmt.Errorf("devtenant answered %d requests with 429, want at least 3: the fault was not exercised", got)
					}
					return testAccCheckPolicyCount(t, tn, name, 1)
				},
			},
		},
	})
}

// waitVisible waits out devtenant's or Entra's replication after an out-of-band create.
func waitVisible(t *testing.T, tn *acctest.Tenant, id string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		status, _ := tn.Graph(t, "GET", "/identity/conditionalAccess/policies/"+id, nil)
		if status == 200 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("policy %s not visible after a minute (last HTTP %d)", id, status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// testAccCheckGraphPolicyState reads the policy straight from Graph and compares its state.
func testAccCheckGraphPolicyState(t *testing.T, tn *acctest.Tenant, want string) resource.TestCheckFunc {
	const property = "state"
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[addr].Primary.ID
		status, body := tn.Graph(t, "GET", "/identity/conditionalAccess/policies/"+id, nil)
		if status != 200 {
			return fmt.Errorf("GET policy %s: HTTP %d %v", id, status, body)
		}
		if got := fmt.Sprint(body[property]); got != want {
			return fmt.Errorf("policy %s in the tenant has %s = %q, want %q", id, property, got, want)
		}
		return nil
	}
}

func testAccCheckPolicyCount(t *testing.T, tn *acctest.Tenant, name string, want int) error {
	status, body := tn.Graph(t, "GET", "/identity/conditionalAccess/policies", nil)
	if status != 200 {
		return fmt.Errorf("listing policies: HTTP %d %v", status, body)
	}
	n := 0
	items, _ := body["value"].([]any)
	for _, it := range items {
		if m, _ := it.(map[string]any); m["displayName"] == name {
			n++
		}
	}
	if n != want {
		return fmt.Errorf("the tenant has %d policies named %q, want %d", n, name, want)
	}
	return nil
}

func testAccCheckCAPolicyDestroyed(t *testing.T, tn *acctest.Tenant) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "hipaa_ca_policy" {
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			for {
				status, _ := tn.Graph(t, "GET", "/identity/conditionalAccess/policies/"+rs.Primary.ID, nil)
				if status == 404 {
					break
				}
				if ctx.Err() != nil {
					return fmt.Errorf("policy %s still exists after destroy (HTTP %d)", rs.Primary.ID, status)
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
		return nil
	}
}
