// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// Plan-time validation of hipaa_ca_policy as Terraform shows it: every error of a configuration
// in one plan, each detail naming the nested attribute (Terraform points only at the resource).
func TestAccCAPolicy_planTimeValidation(t *testing.T) {
	acctest.Setup(t, "empty")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.Config(`
resource "hipaa_ca_policy" "x" {
  display_name = "All errors at once"
  state        = "report_only"
  conditions = {
    users        = { exclude_users = ["alice@contoso.com"] }
    applications = { include_applications = ["All"] }
  }
  grant_controls   = { built_in_controls = ["block", "mfa"] }
  session_controls = { sign_in_frequency = { value = 366, type = "days" } }
}`),
				PlanOnly: true,
				// All in one resource, so Terraform keeps the provider's order: the cross-field
				// checks, then the attributes.
				ExpectError: acctest.DiagText(
					"No Users In Scope", "conditions.users: Conditional Access needs at least one user target",
					"Block Combined With Other Controls", "grant_controls.built_in_controls: \"block\" denies access",
					"Invalid Object Id", `conditions.users.exclude_users: "alice@contoso.com" is not an object id`),
			},
			{
				// A GUID that is no built-in role would make the policy target nobody, silently.
				Config: acctest.Config(`
resource "hipaa_ca_policy" "x" {
  display_name = "Unknown role"
  state        = "report_only"
  conditions = {
    users        = { include_roles = ["11111111-2222-3333-4444-555555555555"] }
    applications = { include_applications = ["All"] }
  }
  grant_controls = { built_in_controls = ["mfa"] }
}`),
				PlanOnly: true,
				ExpectError: acctest.DiagText("Unknown Directory Role",
					`conditions.users.include_roles: "11111111-2222-3333-4444-555555555555" is not the template id of a built-in Microsoft Entra role`),
			},
		},
	})
}
