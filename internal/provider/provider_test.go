// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

func policyConfig(breakGlass string) string {
	return acctest.Config(`
resource "hipaa_ca_policy" "test" {
  display_name = "provider auth test"
  state        = "report_only"
  conditions = {
    users        = { include_users = ["All"], exclude_users = ["` + breakGlass + `"] }
    applications = { include_applications = ["All"] }
  }
  grant_controls = { built_in_controls = ["mfa"] }
}
`)
}

// The provider signs in with a client certificate (the credential SharePoint admin requires).
func TestAccProvider_clientCertificate(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	dev := tn.RequireDevtenant(t)
	t.Setenv("ARM_CLIENT_SECRET", "")
	t.Setenv("ARM_CLIENT_CERTIFICATE_PATH", dev.WriterCertificatePath())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: policyConfig(tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("hipaa_ca_policy.test", tfjsonpath.New("state"), knownvalue.StringExact("report_only")),
			},
		}},
	})
}

// Values that are only known after apply cannot configure the provider; say so at plan time.
func TestAccProvider_invalidEndpoint(t *testing.T) {
	acctest.Setup(t, "empty")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "hipaa" {
  endpoints = { graph = "http://graph.example.com" }
}
resource "hipaa_ca_policy" "test" {
  display_name = "x"
  state        = "disabled"
  conditions = {
    users        = { include_users = ["None"] }
    applications = { include_applications = ["All"] }
  }
  grant_controls = { built_in_controls = ["mfa"] }
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Invalid Endpoint URL.*https://`),
		}},
	})
}

// Emergency-access ids from the environment are checked like the attribute's.
func TestAccProvider_invalidEmergencyAccessEnv(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	t.Setenv("HIPAA_EMERGENCY_ACCESS_USER_IDS", tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]+",breakglass01@contoso.example")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      policyConfig(tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)HIPAA_EMERGENCY_ACCESS_USER_IDS holds\s+"breakglass01@contoso.example"`),
		}},
	})
}
