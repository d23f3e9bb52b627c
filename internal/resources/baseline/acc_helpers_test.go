// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

// baselineAddr is the resource every baseline acceptance test manages.
const baselineAddr = "hipaa_baseline.test"

// baselineConfig is a baseline excluding the tenant's emergency-access account, holding blocks.
func baselineConfig(tn *acctest.Tenant, blocks string) string {
	return acctest.Config(fmt.Sprintf(`
resource "hipaa_baseline" "test" {
  emergency_access {
    user_ids = [%q]
  }
%s
}
`, breakGlass(tn), blocks))
}

// caBlocks are the blocks of hipaa_baseline that each manage one Conditional Access policy.
var caBlocks = []string{"mfa", "legacy_authentication", "admins", "devices", "session"}

// caBlocksEnforced is every Conditional Access block with its policy enforced, as devtenant's
// compliant seed holds them.
func caBlocksEnforced() string {
	var b strings.Builder
	for _, name := range caBlocks {
		fmt.Fprintf(&b, "  %s {\n    state = \"enabled\"\n  }\n", name)
	}
	return b.String()
}

// breakGlass is the tenant's (first) emergency-access user.
func breakGlass(tn *acctest.Tenant) string {
	return strings.Split(tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"], ",")[0]
}
