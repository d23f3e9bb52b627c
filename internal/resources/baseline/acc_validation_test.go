// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// Plan-time validation of hipaa_baseline: each error names the attribute it is about, and a
// configuration is refused before anything is read from or written to the tenant.
func TestAccBaseline_planTimeValidation(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// One precise message, not "must be one of [0]" next to "must be between 30 and 730".
				Config:      baselineConfig(tn, `  sharing { guest_access_expiration_days = 10 }`),
				PlanOnly:    true,
				ExpectError: acctest.DiagText("sharing.guest_access_expiration_days must be 0 (never) or between 30 and 730, got 10."),
			},
			{
				Config:   baselineConfig(tn, `  admins { role_ids = ["62e90394-69f5-4237-9190-012177145e10", "11111111-2222-3333-4444-555555555555"] }`),
				PlanOnly: true,
				ExpectError: acctest.DiagText("Unknown Directory Role",
					`admins.role_ids: "11111111-2222-3333-4444-555555555555" is not the template id of a built-in Microsoft Entra role`),
			},
			{
				// Cross-field errors do not hide the range errors of the same block: one plan reports
				// them all (Terraform lists them in the order of the configuration).
				Config: baselineConfig(tn, `
  session {
    idle_warning_minutes    = 30
    idle_sign_out_minutes   = 20
    sign_in_frequency_hours = 50
  }
  sharing {
    domain_restriction_mode      = "allowList"
    guest_access_expiration_days = 10
  }`),
				PlanOnly: true,
				ExpectError: acctest.DiagText(
					"Idle Warning Not Before Sign-Out", "session.idle_warning_minutes (30) must be less than session.idle_sign_out_minutes (20)",
					"session.sign_in_frequency_hours value must be between 1 and 23, got: 50",
					"Sharing Domains Do Not Match the Restriction Mode", "sharing.allowed_domains: domain_restriction_mode",
					"sharing.guest_access_expiration_days must be 0 (never)"),
			},
		},
	})
}
