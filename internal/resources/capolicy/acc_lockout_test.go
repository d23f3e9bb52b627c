// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy_test

import (
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// missingID is an object id no tenant object has.
const missingID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

// emergencyGroup is the id of the tenant's "Emergency Access Accounts" group, read as the portal would.
func emergencyGroup(t *testing.T, tn *acctest.Tenant) string {
	t.Helper()
	status, body := tn.Graph(t, "GET", "/groups?$filter="+url.QueryEscape("displayName eq 'Emergency Access Accounts'"), nil)
	items, _ := body["value"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("finding the emergency-access group: HTTP %d %v", status, body)
	}
	return items[0].(map[string]any)["id"].(string)
}

// guardedPolicy is an enforced policy for all users with the given controls and exclusions.
func guardedPolicy(controls, excludes string) string {
	return acctest.Config(fmt.Sprintf(`
resource "hipaa_ca_policy" "test" {
  display_name = "Lockout guard"
  state        = "enabled"
  conditions = {
    users        = { include_users = ["All"]%s }
    applications = { include_applications = ["All"] }
  }
  %s
}
`, excludes, controls))
}

// TestAccCAPolicy_lockoutGuardEveryControl: every control an emergency-access account might not
// satisfy is refused at plan while the provider's break-glass account is not excluded, and
// accepted once it is.
func TestAccCAPolicy_lockoutGuardEveryControl(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	controls := []string{
		`grant_controls = { built_in_controls = ["block"] }`,
		`grant_controls = { built_in_controls = ["mfa"] }`,
		`grant_controls = { authentication_strength_id = "00000000-0000-0000-0000-000000000004" }`,
		`grant_controls = { built_in_controls = ["compliantDevice"] }`,
		`grant_controls = { built_in_controls = ["domainJoinedDevice"] }`,
		`session_controls = { sign_in_frequency = { frequency_interval = "everyTime" } }`,
	}
	var steps []resource.TestStep
	for _, c := range controls {
		steps = append(steps,
			resource.TestStep{
				Config:      guardedPolicy(c, `, exclude_users = ["00000000-0000-0000-0000-0000000000aa"]`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Policy Would Lock Out Emergency Access.*` + regexp.QuoteMeta(bg)),
			},
			resource.TestStep{
				Config:             guardedPolicy(c, fmt.Sprintf(`, exclude_users = [%q]`, bg)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
}

// TestAccCAPolicy_lockoutGuardChecksIDs: each emergency-access id the guard relies on must exist
// and be of its kind, at plan, with the attribute and the id in the error.
func TestAccCAPolicy_lockoutGuardChecksIDs(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	tn.RequireDevtenant(t)
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	group := emergencyGroup(t, tn)
	mfa := `grant_controls = { built_in_controls = ["mfa"] }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckCAPolicyDestroyed(t, tn),
		Steps: []resource.TestStep{
			// The provider's break-glass id names nothing: excluding it protects nobody.
			{
				PreConfig:   func() { t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", missingID) },
				Config:      guardedPolicy(mfa, fmt.Sprintf(`, exclude_users = [%q]`, missingID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Emergency-Access Account Not Found.*emergency_access_user_ids.*` + missingID),
			},
			// The provider lists a group among its users.
			{
				PreConfig:   func() { t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", group) },
				Config:      guardedPolicy(mfa, fmt.Sprintf(`, exclude_users = [%q]`, group)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Emergency-Access Id Is a Group, Not a User.*` + group + `.*emergency_access_group_ids`),
			},
			// Without provider ids the exclusions stand in for the break-glass account, so they are checked.
			{
				PreConfig:   func() { t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", "") },
				Config:      guardedPolicy(mfa, fmt.Sprintf(`, exclude_users = [%q]`, missingID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Emergency-Access Account Not Found.*conditions\.users\.exclude_users.*` + missingID),
			},
			// Every id of the provider, user and group, must be excluded: the user alone is not enough ...
			{
				PreConfig: func() {
					t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", bg)
					t.Setenv("HIPAA_EMERGENCY_ACCESS_GROUP_IDS", group)
				},
				Config:      guardedPolicy(mfa, fmt.Sprintf(`, exclude_users = [%q]`, bg)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Policy Would Lock Out Emergency Access.*` + group),
			},
			// ... and with both excluded the policy is created and enforced.
			{
				Config: guardedPolicy(mfa, fmt.Sprintf(`, exclude_users = [%q], exclude_groups = [%q]`, bg, group)),
				Check: resource.ComposeTestCheckFunc(
					testAccCheckGraphPolicyState(t, tn, "enabled"),
					func(*terraform.State) error { return testAccCheckPolicyCount(t, tn, "Lockout guard", 1) },
				),
			},
		},
	})
}

// TestAccCAPolicy_lockoutGuardUnreadableTenant: when the directory cannot be read, plan only
// warns, and apply stops before writing anything.
func TestAccCAPolicy_lockoutGuardUnreadableTenant(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	dev := tn.RequireDevtenant(t)
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { dev.Faults().FailNext("GET", "/users/", 403, 1000) },
				Config:      guardedPolicy(`grant_controls = { built_in_controls = ["mfa"] }`, fmt.Sprintf(`, exclude_users = [%q]`, bg)),
				ExpectError: regexp.MustCompile(`(?s)Unable to Verify Emergency-Access Accounts.*Nothing\s+was\s+written`),
			},
		},
		// Nothing was created: the tenant has no such policy after the failed apply.
		CheckDestroy: func(*terraform.State) error { return testAccCheckPolicyCount(t, tn, "Lockout guard", 0) },
	})
}
