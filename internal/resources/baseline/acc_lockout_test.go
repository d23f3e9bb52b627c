// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// lockoutMissingID is an object id no tenant object has.
const lockoutMissingID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

// lockoutConfig is a baseline with the given emergency_access attributes and an enforced MFA policy.
func lockoutConfig(emergency string) string {
	return acctest.Config(fmt.Sprintf(`
resource "hipaa_baseline" "test" {
  emergency_access {
    %s
  }
  mfa {
    state = "enabled"
  }
}
`, emergency))
}

// lockoutGroup is the id of the tenant's "Emergency Access Accounts" group, read as the portal would.
func lockoutGroup(t *testing.T, tn *acctest.Tenant) string {
	t.Helper()
	status, body := tn.Graph(t, http.MethodGet, "/groups?$filter="+url.QueryEscape("displayName eq 'Emergency Access Accounts'"), nil)
	items, _ := body["value"].([]any)
	if status != http.StatusOK || len(items) != 1 {
		t.Fatalf("finding the emergency-access group: HTTP %d %v", status, body)
	}
	return items[0].(map[string]any)["id"].(string)
}

// TestAccBaseline_lockoutGuard: the baseline's policies are judged against the provider's
// break-glass account as well as its own emergency_access, and each id must exist as its kind.
func TestAccBaseline_lockoutGuard(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	tn.RequireDevtenant(t)
	bg := breakGlass(tn) // Also the provider's HIPAA_EMERGENCY_ACCESS_USER_IDS.
	group := lockoutGroup(t, tn)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             caNoCAPolicies(t, tn),
		Steps: []resource.TestStep{
			// The baseline excludes only its own group: the provider's break-glass user would be
			// locked out by the enforced MFA policy.
			{
				Config:      lockoutConfig(fmt.Sprintf(`group_ids = [%q]`, group)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Policy Would Lock Out Emergency Access.*` + regexp.QuoteMeta(bg) + `.*user_ids\s*=\s*\[`),
			},
			// A GUID that names nothing in the tenant is refused at plan, naming the attribute.
			{
				Config:      lockoutConfig(fmt.Sprintf(`user_ids = [%q, %q]`, bg, lockoutMissingID)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Emergency-Access Account Not Found.*emergency_access\.user_ids\s+lists\s+` + lockoutMissingID),
			},
			// A group among the users is refused, and the fix names group_ids.
			{
				Config:      lockoutConfig(fmt.Sprintf(`user_ids = [%q, %q]`, bg, group)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Emergency-Access Id Is a Group, Not a User.*` + group + `.*emergency_access\.group_ids`),
			},
			// The provider's user and the baseline's group, both excluded: applied and enforced.
			{
				Config: lockoutConfig(fmt.Sprintf(`user_ids = [%q]
    group_ids = [%q]`, bg, group)),
				Check: func(*terraform.State) error {
					return caExpect(caOnePolicy(t, tn, caNameMFA), map[string]any{"state": "enabled",
						"conditions.users.excludeUsers": []string{bg}, "conditions.users.excludeGroups": []string{group}})
				},
			},
		},
	})
}

// TestAccBaseline_lockoutGuardUnreadableTenant: when the directory cannot be read, apply stops
// before the first write.
func TestAccBaseline_lockoutGuardUnreadableTenant(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	dev := tn.RequireDevtenant(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig:   func() { dev.Faults().FailNext("GET", "/users/", http.StatusForbidden, 1000) },
			Config:      lockoutConfig(fmt.Sprintf(`user_ids = [%q]`, breakGlass(tn))),
			ExpectError: regexp.MustCompile(`(?s)Unable to Verify Emergency-Access Accounts.*Nothing\s+was\s+written`),
		}},
		// Nothing was created: no baseline policy exists after the failed apply.
		CheckDestroy: caNoCAPolicies(t, tn),
	})
}
