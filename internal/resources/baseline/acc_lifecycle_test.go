// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"context"
	"sort"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
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
