// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestLegacyAuthenticationDesired(t *testing.T) {
	m := legacyAuthenticationSpec.checked()
	m.State = types.StringValue(caStateEnabled)
	body := graphjson.Payload(t, legacyAuthenticationSpec.desired(&m).policy(caTestEnv()))
	if got := graphjson.At(t, body, "displayName"); got != policyNameLegacyAuth {
		t.Errorf("displayName = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "conditions.clientAppTypes")); !sameSet(got, []string{"exchangeActiveSync", "other"}) {
		t.Errorf("clientAppTypes = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "grantControls.builtInControls")); !sameSet(got, []string{"block"}) {
		t.Errorf("builtInControls = %v", got)
	}

	// Graph's echo of the checklist shape is in sync; widening the client app types is not.
	js := strings.Replace(mfaGraphEcho, policyNameMFA, policyNameLegacyAuth, 1)
	js = strings.Replace(js, `"clientAppTypes": ["all"]`, `"clientAppTypes": ["other", "exchangeActiveSync"]`, 1)
	js = strings.Replace(js, `"builtInControls": ["mfa"]`, `"builtInControls": ["block"]`, 1)
	e := caTestEnv()
	if d := policyDiff(e, caParse(t, js), legacyAuthenticationSpec.desired(&m)); len(d) != 0 {
		t.Errorf("checklist echo differs: %v", d)
	}
	js = strings.Replace(js, `["other", "exchangeActiveSync"]`, `["other"]`, 1)
	if policyMatches(e, caParse(t, js), legacyAuthenticationSpec.desired(&m)) {
		t.Error("a policy that lets Exchange ActiveSync through is in sync")
	}
}
