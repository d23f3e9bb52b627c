// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestDevicesDesired(t *testing.T) {
	m := devicesSpec.checked()
	body := graphjson.Payload(t, devicesDesired(&m).policy(caTestEnv()))
	if got := asStrings(graphjson.At(t, body, "conditions.applications.includeApplications")); !sameSet(got, []string{"Office365"}) {
		t.Errorf("includeApplications = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "grantControls.builtInControls")); !sameSet(got, []string{"compliantDevice", "domainJoinedDevice"}) {
		t.Errorf("builtInControls = %v", got)
	}
	if got := graphjson.At(t, body, "grantControls.operator"); got != "OR" {
		t.Errorf("operator = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "conditions.users.includeUsers")); !sameSet(got, []string{"All"}) {
		t.Errorf("includeUsers = %v", got)
	}
}

func TestDevicesFromLive(t *testing.T) {
	e := caTestEnv()
	js := strings.Replace(mfaGraphEcho, policyNameMFA, policyNameDevices, 1)
	js = strings.Replace(js, `"includeApplications": ["all"]`, `"includeApplications": ["office365", "AAAA0000-0000-4000-8000-000000000001"]`, 1)
	js = strings.Replace(js, `"builtInControls": ["mfa"]`, `"builtInControls": ["compliantDevice"]`, 1)
	m := devicesSpec.checked()
	p := caParse(t, js)
	devicesFromLive(p, &m)
	if got := setStrings(m.Applications); !sameSet(got, []string{"Office365", "AAAA0000-0000-4000-8000-000000000001"}) {
		t.Errorf("applications = %v", got)
	} else if !strings.Contains(strings.Join(got, ","), "Office365") {
		t.Errorf("applications = %v lost the configured spelling of Office365", got)
	}
	if got := setStrings(m.Require); !sameSet(got, []string{"compliantDevice"}) {
		t.Errorf("require = %v", got)
	}
	if d := policyDiff(e, p, devicesDesired(&m)); len(d) != 0 {
		t.Errorf("not in sync with what was read: %v", d)
	}
	// A grant the attributes cannot express (AND) is left to in_sync.
	p = caParse(t, strings.Replace(js, `"operator": "or"`, `"operator": "AND"`, 1))
	m = devicesSpec.checked()
	devicesFromLive(p, &m)
	if policyMatches(e, p, devicesDesired(&m)) {
		t.Error("operator AND is in sync")
	}
}

func TestDevicesApplicationValidator(t *testing.T) {
	for v, ok := range map[string]bool{"All": true, "Office365": true, "00000003-0000-0ff1-ce00-000000000000": true, "office": false, "": false} {
		resp := &validator.StringResponse{}
		devicesApplicationCheck.ValidateString(context.Background(), validator.StringRequest{
			Path: path.Root("devices").AtName("applications"), ConfigValue: types.StringValue(v)}, resp)
		if resp.Diagnostics.HasError() == ok {
			t.Errorf("%q: error %v, want valid %v", v, resp.Diagnostics, ok)
		}
	}
}
