// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"fmt"
	"net/http"
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

// adoptWrites counts the requests that change Conditional Access policies or run a cmdlet that
// writes: a refused takeover must not have sent one.
func adoptWrites(tn *acctest.Tenant) int64 {
	var n int64
	for route, c := range tn.Dev.Stats().ByRoute {
		switch {
		case strings.HasPrefix(route, "POST /v1.0/identity/conditionalAccess"), strings.HasPrefix(route, "PATCH /v1.0/identity/conditionalAccess"),
			strings.HasPrefix(route, "DELETE /v1.0/identity/conditionalAccess"), strings.HasPrefix(route, "PATCH /v1.0/policies"):
			n += c
		case strings.Contains(route, "InvokeCommand ") && !strings.Contains(route, "InvokeCommand Get-"):
			n += c
		}
	}
	return n
}

// TestAccBaseline_NoTakeoverOnCreate: the compliant seed already has the baseline's policy, rules
// and alerts (as if another configuration managed them). Creating a baseline fails before any
// write, naming them and the import command; adopt_existing = true takes them over, keeping
// their ids instead of making duplicates.
func TestAccBaseline_NoTakeoverOnCreate(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.RequireDevtenant(t)
	seeded := caPolicies(t, tn, caNameMFA)
	if len(seeded) != 1 || seeded[0]["state"] != "enabled" {
		t.Fatalf("the compliant seed's MFA policy: %v", seeded)
	}
	mfaID := seeded[0]["id"].(string)
	blocks := "  mfa {}\n  email {}\n  alerts {}\n"
	tenant := regexp.QuoteMeta(tn.Env["ARM_TENANT_ID"])
	var before int64
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() { before = adoptWrites(tn) },
				Config:    baselineConfig(tn, blocks),
				ExpectError: regexp.MustCompile(`(?s)Objects Already Exist.*Conditional Access policy\s+"HIPAA - Require MFA\s+for\s+all\s+users"\s+\(mfa\s+block\),\s+id\s+` +
					regexp.QuoteMeta(mfaID) + `.*mail\s+flow\s+rule\s+"HIPAA - Encrypt external mail containing PHI".*alert\s+policy\s+"HIPAA - Mass\s+file\s+download".*` +
					`terraform\s+import\s+hipaa_baseline.<name>\s+` + tenant + `.*adopt_existing\s+=\s+true`),
			},
			{
				// Nothing was written: the other configuration's enforced policy is as it was.
				PreConfig: func() {
					if n := adoptWrites(tn) - before; n != 0 {
						t.Errorf("the refused apply sent %d writes", n)
					}
					if p := caPolicies(t, tn, caNameMFA); len(p) != 1 || p[0]["state"] != "enabled" || p[0]["modifiedDateTime"] != nil {
						t.Errorf("the MFA policy was changed: %v", p)
					}
				},
				Config: baselineConfig(tn, "  adopt_existing = true\n"+blocks),
				Check: func(s *terraform.State) error {
					if p := caPolicies(t, tn, caNameMFA); len(p) != 1 || p[0]["id"] != mfaID {
						return fmt.Errorf("after adopting: policies %v, want the seed's %s only", p, mfaID)
					}
					if got := s.RootModule().Resources[baselineAddr].Primary.Attributes["mfa.policy_id"]; got != mfaID {
						return fmt.Errorf("state holds policy %q, want the adopted %s", got, mfaID)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("adopt_existing"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccBaseline_NoTakeoverOnAddedBlock: a block added to an existing baseline would take over a
// policy someone created with its name; the apply fails before writing and leaves the state.
func TestAccBaseline_NoTakeoverOnAddedBlock(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.RequireDevtenant(t)
	var theirs string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: baselineConfig(tn, "  guests {}\n")},
			{
				PreConfig: func() {
					status, body := tn.Graph(t, http.MethodPost, "/identity/conditionalAccess/policies", map[string]any{
						"displayName": caNameSession, "state": "disabled",
						"conditions": map[string]any{"users": map[string]any{"includeUsers": []any{"None"}},
							"applications": map[string]any{"includeApplications": []any{"None"}}},
						"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"mfa"}},
					})
					if status != http.StatusCreated {
						t.Fatalf("creating the other policy: HTTP %d %v", status, body)
					}
					theirs = body["id"].(string)
				},
				Config:      baselineConfig(tn, "  guests {}\n  session {}\n"),
				ExpectError: regexp.MustCompile(`(?s)Objects Already Exist.*"HIPAA - Session lifetime"\s+\(session\s+block\).*adopt_existing\s+=\s+true`),
			},
			{
				// The state is as before the refused apply (session not managed, nothing to change)
				// and the other policy is untouched.
				Config: baselineConfig(tn, "  guests {}\n"),
				Check: func(*terraform.State) error {
					p := caPolicies(t, tn, caNameSession)
					if len(p) != 1 || p[0]["id"] != theirs || p[0]["state"] != "disabled" || p[0]["modifiedDateTime"] != nil {
						return fmt.Errorf("the other policy was changed: %v", p)
					}
					return nil
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("session"), knownvalue.Null()),
				},
			},
		},
	})
}
