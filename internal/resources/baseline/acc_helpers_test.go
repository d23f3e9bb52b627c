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

// breakGlass is the tenant's (first) emergency-access user.
func breakGlass(tn *acctest.Tenant) string {
	return strings.Split(tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"], ",")[0]
}
