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
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

const entraSharingAllBlocks = `
  authentication_methods {}
  guests {}
  sharing {}
`

// entraSharingGet reads a Graph object as the portal would and fails the test on an error.
func entraSharingGet(t *testing.T, tn *acctest.Tenant, path string) map[string]any {
	t.Helper()
	status, body := tn.Graph(t, http.MethodGet, path, nil)
	if status != http.StatusOK {
		t.Fatalf("portal GET %s: HTTP %d %v", path, status, body)
	}
	return body
}

func entraSharingPatch(t *testing.T, tn *acctest.Tenant, path string, body map[string]any) {
	t.Helper()
	if status, out := tn.Graph(t, http.MethodPatch, path, body); status/100 != 2 {
		t.Fatalf("portal PATCH %s: HTTP %d %v", path, status, out)
	}
}

// entraSharingExpect compares Graph values at dotted paths.
func entraSharingExpect(obj map[string]any, want map[string]any) error {
	for path, w := range want {
		var v any = obj
		for _, k := range strings.Split(path, ".") {
			m, _ := v.(map[string]any)
			v = m[k]
		}
		if fmt.Sprint(v) != fmt.Sprint(w) {
			return fmt.Errorf("%s = %v, want %v", path, v, w)
		}
	}
	return nil
}

// entraSharingCompliant checks through Graph and SharePoint (not state) that the tenant now has
// the checklist's values, including the unmanaged-devices policy in report-only state (its default).
func entraSharingCompliant(t *testing.T, tn *acctest.Tenant) resource.TestCheckFunc {
	const policyState = "enabledForReportingButNotEnforced"
	return func(s *terraform.State) error {
		checks := []struct {
			path string
			want map[string]any
		}{
			{"/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "adminsAndGuestInviters",
				"guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b"}},
			{"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", map[string]any{"state": "disabled"}},
			{"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice", map[string]any{"state": "disabled"}},
			{"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2", map[string]any{"state": "enabled"}},
			{"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator", map[string]any{"state": "enabled",
				"featureSettings.displayAppInformationRequiredState.state":            "enabled",
				"featureSettings.displayAppInformationRequiredState.includeTarget.id": "all_users",
				"featureSettings.displayLocationInformationRequiredState.state":       "enabled"}},
			{"/admin/sharepoint/settings", map[string]any{"sharingCapability": "existingExternalUserSharingOnly",
				"sharingDomainRestrictionMode": "none", "isResharingByExternalUsersEnabled": false}},
		}
		for _, c := range checks {
			if err := entraSharingExpect(entraSharingGet(t, tn, c.path), c.want); err != nil {
				return fmt.Errorf("GET %s: %w", c.path, err)
			}
		}
		spo := tn.SPOTenant(t)
		if err := entraSharingExpect(spo, map[string]any{"ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 30,
			"RequireAnonymousLinksExpireInDays": 30, "ConditionalAccessPolicy": 2}); err != nil {
			return fmt.Errorf("SPO.Tenant: %w", err)
		}
		id := s.RootModule().Resources[baselineAddr].Primary.Attributes["sharing.unmanaged_devices_policy_id"]
		if id == "" {
			return fmt.Errorf("no unmanaged_devices_policy_id in state")
		}
		policy := entraSharingGet(t, tn, "/identity/conditionalAccess/policies/"+id)
		return entraSharingExpect(policy, map[string]any{
			"displayName": "HIPAA - App-enforced restrictions for unmanaged devices", "state": policyState,
			"conditions.applications.includeApplications":               "[Office365]",
			"sessionControls.applicationEnforcedRestrictions.isEnabled": true,
		})
	}
}

// entraSharingPolicies counts the unmanaged-devices policies: the baseline never duplicates one.
func entraSharingPolicies(t *testing.T, tn *acctest.Tenant) []string {
	t.Helper()
	body := entraSharingGet(t, tn, "/identity/conditionalAccess/policies")
	var ids []string
	list, _ := body["value"].([]any)
	for _, p := range list {
		m, _ := p.(map[string]any)
		if m["displayName"] == "HIPAA - App-enforced restrictions for unmanaged devices" {
			ids = append(ids, fmt.Sprint(m["id"]))
		}
	}
	return ids
}

// Apply on the noncompliant seed makes the tenant compliant; out-of-band changes then show as
// exactly the attribute that drifted, and apply repairs each.
func TestAccBaseline_EntraSharing_applyDriftRepair(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseCertificate(t)
	config := baselineConfig(tn, entraSharingAllBlocks)
	var policyID string
	drift := func(name string, change func(), paths ...string) resource.TestStep {
		return resource.TestStep{
			PreConfig: func() { t.Logf("out-of-band change: %s", name); change() },
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(baselineAddr, plancheck.ResourceActionUpdate),
				acctest.ExpectOnlyAttributesChanged(baselineAddr, paths...),
			}},
			Check: entraSharingCompliant(t, tn),
		}
	}
	cfgPath := "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					entraSharingCompliant(t, tn),
					resource.TestCheckResourceAttr(baselineAddr, "sharing.in_sync", "true"),
					func(s *terraform.State) error {
						policyID = s.RootModule().Resources[baselineAddr].Primary.Attributes["sharing.unmanaged_devices_policy_id"]
						return nil
					},
				),
			},
			drift("guests", func() {
				entraSharingPatch(t, tn, "/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "everyone"})
			}, "guests.allow_invites_from"),
			drift("guest role", func() {
				entraSharingPatch(t, tn, "/policies/authorizationPolicy", map[string]any{"guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3"})
			}, "guests.guest_user_role"),
			drift("sms", func() {
				entraSharingPatch(t, tn, cfgPath+"Sms", map[string]any{"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "state": "enabled"})
			}, "authentication_methods.sms_enabled"),
			drift("authenticator context", func() {
				entraSharingPatch(t, tn, cfgPath+"MicrosoftAuthenticator", map[string]any{
					"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
					"featureSettings": map[string]any{"displayLocationInformationRequiredState": map[string]any{"state": "disabled",
						"includeTarget": map[string]any{"targetType": "group", "id": "all_users"}}}})
			}, "authentication_methods.authenticator_additional_context"),
			drift("sharing capability", func() {
				entraSharingPatch(t, tn, "/admin/sharepoint/settings", map[string]any{"sharingCapability": "externalUserAndGuestSharing"})
			}, "sharing.sharing_capability"),
			drift("guest expiry", func() {
				tn.SetSPO(t, m365.CSOMProperty{Name: "ExternalUserExpireInDays", Value: 90})
			}, "sharing.guest_access_expiration_days"),
			drift("unmanaged devices", func() {
				tn.SetSPO(t, m365.CSOMProperty{Name: "ConditionalAccessPolicy", Value: m365.CSOMEnum(0)})
			}, "sharing.unmanaged_devices"),
			drift("policy content", func() {
				entraSharingPatch(t, tn, "/identity/conditionalAccess/policies/"+policyID, map[string]any{
					"conditions": map[string]any{
						"users":          map[string]any{"includeUsers": []any{"All"}, "excludeUsers": []any{breakGlass(tn)}},
						"applications":   map[string]any{"includeApplications": []any{"Office365"}},
						"clientAppTypes": []any{"browser"},
					}})
			}, "sharing.in_sync"),
			drift("policy deleted", func() {
				if status, body := tn.Graph(t, http.MethodDelete, "/identity/conditionalAccess/policies/"+policyID, nil); status/100 != 2 {
					t.Fatalf("portal DELETE policy: HTTP %d %v", status, body)
				}
				// The id goes from null to unknown, which the JSON plan does not list as a value.
			}, "sharing.in_sync"),
			{
				// Repairs never duplicated the policy.
				Config: config,
				Check: func(*terraform.State) error {
					if ids := entraSharingPolicies(t, tn); len(ids) != 1 {
						return fmt.Errorf("%d unmanaged-devices policies, want 1: %v", len(ids), ids)
					}
					return nil
				},
			},
		},
	})
}

// A SharePoint failure after the Graph part succeeded leaves state holding the Graph part; the
// next apply converges without duplicating anything.
func TestAccBaseline_EntraSharing_partialFailure(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	tn.UseCertificate(t)
	config := baselineConfig(tn, entraSharingAllBlocks)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Created without the sharing block, so that the failing step is an update.
				Config: baselineConfig(tn, "  guests {}\n"),
			},
			{
				PreConfig: func() {
					dev.Faults().FailNext(http.MethodPost, "/spo/_vti_bin/client.svc/ProcessQuery", http.StatusInternalServerError, 1)
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`Error Applying Sharing Block`),
			},
			{
				PreConfig: func() {
					// The Graph part was applied, the SharePoint part was not.
					if err := entraSharingExpect(entraSharingGet(t, tn, "/admin/sharepoint/settings"),
						map[string]any{"sharingCapability": "existingExternalUserSharingOnly", "isResharingByExternalUsersEnabled": false}); err != nil {
						t.Fatalf("after the failure: %v", err)
					}
					if err := entraSharingExpect(tn.SPOTenant(t), map[string]any{"ConditionalAccessPolicy": 0}); err != nil {
						t.Fatalf("after the failure: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// State kept the Graph part: only the SharePoint part (and the policy, whose id
					// goes from null to unknown) are left to do.
					acctest.ExpectOnlyAttributesChanged(baselineAddr,
						"sharing.guest_access_expiration_days", "sharing.anonymous_link_expiration_days", "sharing.unmanaged_devices"),
				}},
				Check: resource.ComposeTestCheckFunc(
					entraSharingCompliant(t, tn),
					func(*terraform.State) error {
						if ids := entraSharingPolicies(t, tn); len(ids) != 1 {
							return fmt.Errorf("%d unmanaged-devices policies, want 1: %v", len(ids), ids)
						}
						return nil
					},
				),
			},
		},
	})
}

// The compliant seed imports with an empty plan.
func TestAccBaseline_EntraSharing_importCompliant(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.UseCertificate(t)
	config := baselineConfig(tn, `
  authentication_methods {}
  guests {}
  sharing {
    unmanaged_devices_policy_state = "enabled"
  }
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       baselineAddr,
				ImportState:        true,
				ImportStateId:      tn.Env["ARM_TENANT_ID"],
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					// The seed's policy was adopted by its name, not left for apply to duplicate.
					a := states[0].Attributes
					if a["sharing.unmanaged_devices_policy_id"] == "" || a["sharing.in_sync"] != "true" ||
						a["sharing.unmanaged_devices_policy_state"] != "enabled" || a["guests.guest_user_role"] != "restricted" ||
						a["authentication_methods.authenticator_additional_context"] != "true" {
						return fmt.Errorf("imported attributes: %v", a)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.ExpectNoChangesUnder(baselineAddr, "authentication_methods", "guests", "sharing"),
				}},
			},
		},
	})
}

// SharePoint admin refuses tokens obtained with a client secret: the error says to use a certificate.
func TestAccBaseline_EntraSharing_secretCredential(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseClientSecret(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      baselineConfig(tn, "  sharing {}\n"),
			ExpectError: regexp.MustCompile(`(?s)Error Applying Sharing Block.*certificate`),
		}},
	})
}

// The read-only app can read but not write: the error names the missing permission.
func TestAccBaseline_EntraSharing_readOnlyApp(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseReaderApp(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      baselineConfig(tn, "  guests {}\n"),
			ExpectError: regexp.MustCompile(`(?s)Error Applying Guests Block.*Policy\.ReadWrite\.Authorization`),
		}},
	})
}

// Destroy with restore_on_destroy puts Microsoft's defaults back and deletes the policy.
func TestAccBaseline_EntraSharing_restoreOnDestroy(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	tn.UseCertificate(t)
	config := strings.Replace(baselineConfig(tn, entraSharingAllBlocks), `resource "hipaa_baseline" "test" {`,
		`resource "hipaa_baseline" "test" {
  restore_on_destroy = true`, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, Check: entraSharingCompliant(t, tn)}},
		CheckDestroy: func(*terraform.State) error {
			cfg := "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"
			checks := []struct {
				path string
				want map[string]any
			}{
				{"/policies/authorizationPolicy", map[string]any{"allowInvitesFrom": "everyone", "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3"}},
				{cfg + "Sms", map[string]any{"state": "disabled"}},
				{cfg + "Fido2", map[string]any{"state": "disabled"}},
				{cfg + "MicrosoftAuthenticator", map[string]any{"state": "enabled", "featureSettings.displayAppInformationRequiredState.state": "default"}},
				{"/admin/sharepoint/settings", map[string]any{"sharingCapability": "externalUserAndGuestSharing", "isResharingByExternalUsersEnabled": true}},
			}
			for _, c := range checks {
				if err := entraSharingExpect(entraSharingGet(t, tn, c.path), c.want); err != nil {
					return fmt.Errorf("GET %s: %w", c.path, err)
				}
			}
			if err := entraSharingExpect(tn.SPOTenant(t), map[string]any{"ExternalUserExpirationRequired": false,
				"RequireAnonymousLinksExpireInDays": -1, "ConditionalAccessPolicy": 0}); err != nil {
				return fmt.Errorf("SPO.Tenant: %w", err)
			}
			if ids := entraSharingPolicies(t, tn); len(ids) != 0 {
				return fmt.Errorf("unmanaged-devices policies left after destroy: %v", ids)
			}
			return nil
		},
	})
}

// Import with a client secret still imports the rest of the baseline; only the sharing block,
// which SharePoint will not let a secret read, is left out (with a warning).
func TestAccBaseline_EntraSharing_importWithSecret(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	tn.UseClientSecret(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:        baselineConfig(tn, "  guests {}\n"),
			ResourceName:  baselineAddr,
			ImportState:   true,
			ImportStateId: tn.Env["ARM_TENANT_ID"],
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				a := states[0].Attributes
				if a["guests.guest_user_role"] != "restricted" {
					return fmt.Errorf("guests not imported: %v", a)
				}
				if _, ok := a["sharing.sharing_capability"]; ok {
					return fmt.Errorf("sharing imported although SharePoint cannot be read with a secret: %v", a)
				}
				return nil
			},
		}},
	})
}
