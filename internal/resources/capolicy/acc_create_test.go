// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// TestAccCAPolicy_createBehindLostAnswer: the policy is created but the gateway answers 504, and
// replicas show the new policy only two seconds later. Sending the create again would leave two
// enforced policies of one name; the provider reads back until the policy appears and keeps it.
func TestAccCAPolicy_createBehindLostAnswer(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	dev := tn.RequireDevtenant(t)
	bg := tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]
	const name = "HIPAA - created behind a 504"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				dev.Faults().SetReplicationDelay(2 * time.Second)
				dev.Faults().FailAfterCommit(http.MethodPost, "/identity/conditionalAccess/policies", http.StatusGatewayTimeout, 1)
			},
			Config: testAccCAPolicyConfig_mfa(t, name, "report_only", bg, ""),
			Check: func(*terraform.State) error {
				if n := dev.Stats().ByRoute["POST /v1.0/identity/conditionalAccess/policies"]; n != 1 {
					return fmt.Errorf("%d creates sent, want 1: the lost answer was answered with another create", n)
				}
				return testAccCheckPolicyCount(t, tn, name, 1)
			},
		}},
	})
}
