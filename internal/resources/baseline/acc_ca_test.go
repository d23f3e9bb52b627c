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

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// The checklist's policy names (names.go is internal to the package under test).
const (
	caNameMFA     = "HIPAA - Require MFA for all users"
	caNameLegacy  = "HIPAA - Block legacy authentication"
	caNameAdmins  = "HIPAA - Phishing-resistant MFA for administrators"
	caNameDevices = "HIPAA - Require compliant or hybrid joined device"
	caNameSession = "HIPAA - Session lifetime"
)

var caAllNames = []string{caNameMFA, caNameLegacy, caNameAdmins, caNameDevices, caNameSession}

// caAllBlocks holds every CA block, the MFA policy enforced.
const caAllBlocks = `
  mfa {
    state = "enabled"
  }
  legacy_authentication {}
  admins {}
  devices {}
  session {}
`

// caPolicies returns the tenant's policies with a display name, as the portal sees them.
func caPolicies(t *testing.T, tn *acctest.Tenant, name string) []map[string]any {
	t.Helper()
	status, body := tn.Graph(t, http.MethodGet, "/identity/conditionalAccess/policies", nil)
	if status != http.StatusOK {
		t.Fatalf("listing policies: HTTP %d %v", status, body)
	}
	var out []map[string]any
	for _, v := range body["value"].([]any) {
		p := v.(map[string]any)
		if p["displayName"] == name {
			out = append(out, p)
		}
	}
	return out
}

// caOnePolicy returns the one policy with the name, failing on none or duplicates.
func caOnePolicy(t *testing.T, tn *acctest.Tenant, name string) map[string]any {
	t.Helper()
	found := caPolicies(t, tn, name)
	if len(found) != 1 {
		t.Fatalf("%d policies named %q, want exactly 1", len(found), name)
	}
	return found[0]
}

func caGet(m map[string]any, dotted string) any {
	var v any = m
	for _, k := range strings.Split(dotted, ".") {
		obj, _ := v.(map[string]any)
		v = obj[k]
	}
	return v
}

func caStrings(v any) string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		out = append(out, strings.ToLower(fmt.Sprint(e)))
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// caExpect compares values at dotted paths; lists compare as sets, ignoring case.
func caExpect(p map[string]any, want map[string]any) error {
	for path, w := range want {
		got := caGet(p, path)
		if ws, ok := w.([]string); ok {
			wa := make([]any, len(ws))
			for i, s := range ws {
				wa[i] = s
			}
			if caStrings(got) != caStrings(wa) {
				return fmt.Errorf("%v: %s = %v, want %v", p["displayName"], path, got, ws)
			}
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			return fmt.Errorf("%v: %s = %v, want %v", p["displayName"], path, got, w)
		}
	}
	return nil
}

func caSecurityDefaults(t *testing.T, tn *acctest.Tenant) bool {
	t.Helper()
	status, body := tn.Graph(t, http.MethodGet, "/policies/identitySecurityDefaultsEnforcementPolicy", nil)
	if status != http.StatusOK {
		t.Fatalf("reading security defaults: HTTP %d %v", status, body)
	}
	return body["isEnabled"] == true
}

func caSetSecurityDefaults(t *testing.T, tn *acctest.Tenant, on bool) {
	t.Helper()
	if status, body := tn.Graph(t, http.MethodPatch, "/policies/identitySecurityDefaultsEnforcementPolicy",
		map[string]any{"isEnabled": on}); status/100 != 2 {
		t.Fatalf("setting security defaults: HTTP %d %v", status, body)
	}
}

// caCompliant checks through Graph, not state, that the tenant has the checklist's policies, with
// the MFA policy enabled.
func caCompliant(t *testing.T, tn *acctest.Tenant) resource.TestCheckFunc {
	const mfaState = "enabled"
	return func(*terraform.State) error {
		bg := breakGlass(tn)
		allUsers := map[string]any{"conditions.users.includeUsers": []string{"All"}, "conditions.users.excludeUsers": []string{bg},
			"conditions.applications.includeApplications": []string{"All"}, "conditions.clientAppTypes": []string{"all"}}
		with := func(extra map[string]any) map[string]any {
			out := map[string]any{}
			for k, v := range allUsers {
				out[k] = v
			}
			for k, v := range extra {
				out[k] = v
			}
			return out
		}
		checks := map[string]map[string]any{
			caNameMFA: with(map[string]any{"state": mfaState, "grantControls.operator": "OR", "grantControls.builtInControls": []string{"mfa"}}),
			caNameLegacy: with(map[string]any{"state": "enabledForReportingButNotEnforced",
				"conditions.clientAppTypes": []string{"exchangeActiveSync", "other"}, "grantControls.builtInControls": []string{"block"}}),
			caNameAdmins: {"state": "enabledForReportingButNotEnforced", "conditions.users.excludeUsers": []string{bg},
				"conditions.users.includeRoles": caAdminRoles, "conditions.applications.includeApplications": []string{"All"},
				"grantControls.builtInControls": []string{}, "grantControls.authenticationStrength.id": "00000000-0000-0000-0000-000000000004"},
			caNameDevices: with(map[string]any{"state": "enabledForReportingButNotEnforced",
				"conditions.applications.includeApplications": []string{"Office365"},
				"grantControls.builtInControls":               []string{"compliantDevice", "domainJoinedDevice"}}),
			caNameSession: with(map[string]any{"state": "enabledForReportingButNotEnforced", "grantControls": nil,
				"sessionControls.signInFrequency.isEnabled": true, "sessionControls.signInFrequency.type": "hours",
				"sessionControls.signInFrequency.value": 8, "sessionControls.persistentBrowser.mode": "never"}),
		}
		for name, want := range checks {
			found := caPolicies(t, tn, name)
			if len(found) != 1 {
				return fmt.Errorf("%d policies named %q, want exactly 1", len(found), name)
			}
			if err := caExpect(found[0], want); err != nil {
				return err
			}
		}
		if caSecurityDefaults(t, tn) {
			return fmt.Errorf("security defaults are still on")
		}
		status, sp := tn.Graph(t, http.MethodGet, "/admin/sharepoint/settings", nil)
		if status != http.StatusOK {
			return fmt.Errorf("reading SharePoint settings: HTTP %d %v", status, sp)
		}
		return caExpect(sp, map[string]any{"idleSessionSignOut.isEnabled": true,
			"idleSessionSignOut.signOutAfterInSeconds": 900, "idleSessionSignOut.warnAfterInSeconds": 600})
	}
}

// caAdminRoles are the roles of Microsoft's "Require phishing-resistant multifactor
// authentication for administrators" template, written out so that the test does not read the
// list it checks.
var caAdminRoles = []string{
	"62e90394-69f5-4237-9190-012177145e10", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "c4e39bd9-1100-46d3-8c65-fb160da0071f",
	"b0f54661-2d74-4c50-afa3-1ec803f12efe", "158c047a-c907-4556-b7ef-446551a6b5f7", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
	"29232cdf-9323-42fd-ade2-1d097af3e4de", "729827e3-9c14-49f7-bb1b-9608f156bbb8", "966707d0-3269-4727-9be2-8c3a10f19b9d",
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "e8611ab8-c189-46e8-94e1-60213ab1f814", "194ae4cb-b126-40b2-bd5b-6091b380977d",
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "fe930be7-5e62-47db-91af-98c3a49a38b1",
}

// caPatchPolicy changes a policy out of band: fields replace top-level properties.
func caPatchPolicy(t *testing.T, tn *acctest.Tenant, id string, fields map[string]any) {
	t.Helper()
	if status, body := tn.Graph(t, http.MethodPatch, "/identity/conditionalAccess/policies/"+id, fields); status/100 != 2 {
		t.Fatalf("portal PATCH policy %s: HTTP %d %v", id, status, body)
	}
}

func caID(p map[string]any) string { s, _ := p["id"].(string); return s }

// caNoCAPolicies checks that destroy removed every baseline policy.
func caNoCAPolicies(t *testing.T, tn *acctest.Tenant) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, n := range caAllNames {
			if got := caPolicies(t, tn, n); len(got) != 0 {
				return fmt.Errorf("%d policies named %q left after destroy", len(got), n)
			}
		}
		return nil
	}
}

func TestAccBaseline_CANoncompliant(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	cfg := baselineConfig(tn, caAllBlocks)
	var deletedDevices string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             caNoCAPolicies(t, tn),
		Steps: []resource.TestStep{
			{
				// Noncompliant tenant -> every policy in place with the checklist's shape.
				Config: cfg,
				Check:  caCompliant(t, tn),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("mfa").AtMapKey("security_defaults_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("legacy_authentication").AtMapKey("in_sync"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("admins").AtMapKey("policy_id"), knownvalue.NotNull()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Someone disables the MFA policy in the portal: the plan shows exactly that, apply repairs it.
				PreConfig: func() {
					caPatchPolicy(t, tn, caID(caOnePolicy(t, tn, caNameMFA)), map[string]any{"state": "disabled"})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectOnlyAttributesChanged(baselineAddr, "mfa.state")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: caCompliant(t, tn),
			},
			{
				// The break-glass user is removed from a policy's exclusions: in_sync shows it.
				PreConfig: func() {
					p := caOnePolicy(t, tn, caNameLegacy)
					cond := p["conditions"].(map[string]any)
					cond["users"].(map[string]any)["excludeUsers"] = []any{}
					caPatchPolicy(t, tn, caID(p), map[string]any{"conditions": cond})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectOnlyAttributesChanged(baselineAddr, "legacy_authentication.in_sync")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: caCompliant(t, tn),
			},
			{
				// A policy deleted in the portal is re-created.
				PreConfig: func() {
					deletedDevices = caID(caOnePolicy(t, tn, caNameDevices))
					if status, body := tn.Graph(t, http.MethodDelete, "/identity/conditionalAccess/policies/"+deletedDevices, nil); status != http.StatusNoContent {
						t.Fatalf("portal DELETE: HTTP %d %v", status, body)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(baselineAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(baselineAddr, tfjsonpath.New("devices").AtMapKey("policy_id")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					caCompliant(t, tn),
					func(*terraform.State) error {
						if id := caID(caOnePolicy(t, tn, caNameDevices)); id == deletedDevices {
							return fmt.Errorf("devices policy %s was not re-created", id)
						}
						return nil
					},
				),
			},
			{
				// Idle session sign-out turned off in SharePoint: the two minutes attributes show it.
				PreConfig: func() {
					if status, body := tn.Graph(t, http.MethodPatch, "/admin/sharepoint/settings",
						map[string]any{"idleSessionSignOut": map[string]any{"isEnabled": false}}); status/100 != 2 {
						t.Fatalf("portal PATCH sharepoint settings: HTTP %d %v", status, body)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectOnlyAttributesChanged(baselineAddr,
						"session.idle_sign_out_minutes", "session.idle_warning_minutes")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: caCompliant(t, tn),
			},
		},
	})
}

// caPriorIDs checks the refreshed prior state of a plan: the blocks in withID have a policy id,
// those in withoutID have none (or are absent).
type caPriorIDs struct{ withID, withoutID []string }

func (c caPriorIDs) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != baselineAddr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		id := func(blk string) any {
			b, _ := before[blk].(map[string]any)
			return b["policy_id"]
		}
		for _, b := range c.withID {
			if s, _ := id(b).(string); s == "" {
				resp.Error = fmt.Errorf("state lost the policy id of %s after the partial failure: %v", b, before[b])
				return
			}
		}
		for _, b := range c.withoutID {
			if id(b) != nil {
				resp.Error = fmt.Errorf("state has a policy id for %s, which was never created", b)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("%s not in the plan", baselineAddr)
}

func TestAccBaseline_CAPartialFailure(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	first := baselineConfig(tn, "  mfa {}\n  legacy_authentication {}\n")
	all := baselineConfig(tn, "  mfa {}\n  legacy_authentication {}\n  admins {}\n  devices {}\n  session {}\n")
	counts := func(want map[string]int) {
		t.Helper()
		for name, n := range want {
			if got := len(caPolicies(t, tn, name)); got != n {
				t.Errorf("%d policies named %q, want %d", got, name, n)
			}
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             caNoCAPolicies(t, tn),
		Steps: []resource.TestStep{
			{Config: first},
			{
				// Creating the third block's policy fails: the apply errors, what exists stays in state.
				PreConfig: func() {
					dev.Faults().FailNext("POST", "/v1.0/identity/conditionalAccess/policies", http.StatusInternalServerError, 1)
				},
				Config:      all,
				ExpectError: regexp.MustCompile(`Error Applying Admins Block`),
			},
			{
				// The next apply converges without duplicates.
				PreConfig: func() {
					counts(map[string]int{caNameMFA: 1, caNameLegacy: 1, caNameAdmins: 0, caNameDevices: 0, caNameSession: 0})
				},
				Config: all,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{caPriorIDs{
						withID: []string{"mfa", "legacy_authentication"}, withoutID: []string{"admins", "devices", "session"}}},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					counts(map[string]int{caNameMFA: 1, caNameLegacy: 1, caNameAdmins: 1, caNameDevices: 1, caNameSession: 1})
					return nil
				},
			},
		},
	})
}

func TestAccBaseline_CAReaderApp(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseReaderApp(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      baselineConfig(tn, "  legacy_authentication {}\n"),
			ExpectError: regexp.MustCompile(`(?s)Legacy Authentication Block.*Policy\.ReadWrite\.ConditionalAccess`),
		}},
	})
}

// TestAccBaseline_CAImportCompliant imports devtenant's compliant seed: with the CA blocks
// enforced the plan must be empty, i.e. the seed is exactly the checklist. Import adopts every
// block the tenant has, so the configuration holds the other blocks at their defaults too (all
// but sharing, which import does not adopt: a plan with it shows the whole block being added).
func TestAccBaseline_CAImportCompliant(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	// With the secret, SharePoint cannot be read, so import leaves out the sharing block this
	// configuration does not declare (a certificate would import it too).
	tn.UseClientSecret(t)
	cfg := baselineConfig(tn, caBlocksEnforced()+`
  authentication_methods {}
  guests {}
  audit {}
  email {}
  alerts {}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg, ResourceName: baselineAddr, ImportState: true, ImportStatePersist: true,
				ImportStateId: tn.Env["ARM_TENANT_ID"],
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccBaseline_CASecurityDefaults: security defaults stay on under a report-only policy and
// are replaced by the policy once it is enforced; destroy turns them back on.
func TestAccBaseline_CASecurityDefaults(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	mfa := func(state string) string {
		return baselineConfig(tn, fmt.Sprintf("  mfa {\n    state = %q\n  }\n", state))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if !caSecurityDefaults(t, tn) {
				return fmt.Errorf("destroy left the tenant with neither the MFA policy nor security defaults")
			}
			return caNoCAPolicies(t, tn)(nil)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() { caSetSecurityDefaults(t, tn, true) },
				Config:    mfa("report_only"),
				Check: func(*terraform.State) error {
					if !caSecurityDefaults(t, tn) {
						return fmt.Errorf("a report-only policy turned security defaults off")
					}
					return caExpect(caOnePolicy(t, tn, caNameMFA), map[string]any{"state": "enabledForReportingButNotEnforced"})
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("mfa").AtMapKey("security_defaults_enabled"), knownvalue.Bool(true)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: mfa("enabled"),
				Check: func(*terraform.State) error {
					if caSecurityDefaults(t, tn) {
						return fmt.Errorf("security defaults are still on under an enforced MFA policy")
					}
					return caExpect(caOnePolicy(t, tn, caNameMFA), map[string]any{"state": "enabled"})
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(baselineAddr, tfjsonpath.New("mfa").AtMapKey("security_defaults_enabled"), knownvalue.Bool(false)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(baselineAddr,
						tfjsonpath.New("mfa").AtMapKey("security_defaults_enabled"), knownvalue.Bool(false))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
