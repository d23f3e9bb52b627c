// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// baselineAllBlocksEnforced is the whole checklist with every Conditional Access policy
// enforced: what devtenant's compliant seed holds.
var baselineAllBlocksEnforced = caBlocksEnforced() + `
  authentication_methods {}
  sharing {
    unmanaged_devices_policy_state = "enabled"
  }
  guests {}
  audit {}
  email {}
  alerts {}
`

// TestAccBaseline_ImportCompliantTenant imports a tenant that already meets the whole checklist,
// signed in with a certificate (SharePoint's admin API needs one), and requires an empty plan
// for a configuration that lists every block at its defaults.
func TestAccBaseline_ImportCompliantTenant(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.UseCertificate(t)
	cfg := baselineConfig(tn, baselineAllBlocksEnforced)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg, ResourceName: baselineAddr, ImportState: true, ImportStatePersist: true,
				ImportStateId: tn.Env["ARM_TENANT_ID"],
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("id"), knownvalue.StringExact(tn.Env["ARM_TENANT_ID"])),
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("email").AtMapKey("safe_links_status"), knownvalue.StringExact("applied")),
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("audit").AtMapKey("retention_status"), knownvalue.StringExact("applied")),
				},
			},
		},
	})
}

// TestAccBaseline_NoncompliantToCompliant applies the whole checklist to the noncompliant clinic
// tenant in one apply and requires the next plan to be empty (no false drift anywhere).
func TestAccBaseline_NoncompliantToCompliant(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.RequireDevtenant(t) // Asserts the clinic seed's licences and content.
	tn.UseCertificate(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: baselineConfig(tn, baselineAllBlocksEnforced),
				ConfigStateChecks: []statecheck.StateCheck{
					// The clinic has neither Defender for Office 365 nor Audit Premium.
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("email").AtMapKey("safe_links_status"), knownvalue.StringExact("not_licensed")),
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("audit").AtMapKey("effective_retention_days"), knownvalue.Int64Exact(180)),
				},
			},
			{
				Config:   baselineConfig(tn, baselineAllBlocksEnforced),
				PlanOnly: true,
			},
		},
	})
}
