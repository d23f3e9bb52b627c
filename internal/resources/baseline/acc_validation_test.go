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
		},
	})
}
