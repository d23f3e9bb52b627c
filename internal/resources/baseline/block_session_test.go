// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
)

const sessionGraphEcho = `"sessionControls": {"applicationEnforcedRestrictions": null, "cloudAppSecurity": null, "disableResilienceDefaults": null,
  "persistentBrowser": {"isEnabled": true, "mode": "never"},
  "signInFrequency": {"isEnabled": true, "type": "hours", "value": 8, "frequencyInterval": "timeBased", "authenticationType": "primaryAndSecondaryAuthentication"}}`

func sessionEcho(t *testing.T, replacements ...string) string {
	t.Helper()
	js := strings.Replace(mfaGraphEcho, policyNameMFA, policyNameSession, 1)
	js = strings.Replace(js, `"grantControls": {"operator": "or", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null}`, `"grantControls": null`, 1)
	js = strings.Replace(js, `"sessionControls": null`, sessionGraphEcho, 1)
	for i := 0; i+1 < len(replacements); i += 2 {
		before := js
		js = strings.Replace(js, replacements[i], replacements[i+1], 1)
		if js == before {
			t.Fatalf("replacement %q did not apply", replacements[i])
		}
	}
	return js
}

func TestSessionDesired(t *testing.T) {
	m := sessionChecklist()
	body := graphjson.Payload(t, sessionDesired(&m).policy(caTestEnv()))
	if got := graphjson.At(t, body, "grantControls"); got != nil {
		t.Errorf("grantControls = %v, want null", got)
	}
	for p, want := range map[string]any{
		"sessionControls.signInFrequency.isEnabled":          true,
		"sessionControls.signInFrequency.type":               "hours",
		"sessionControls.signInFrequency.value":              float64(8),
		"sessionControls.signInFrequency.frequencyInterval":  "timeBased",
		"sessionControls.signInFrequency.authenticationType": "primaryAndSecondaryAuthentication",
		"sessionControls.persistentBrowser.isEnabled":        true,
		"sessionControls.persistentBrowser.mode":             "never",
	} {
		if got := graphjson.At(t, body, p); got != want {
			t.Errorf("%s = %v, want %v", p, got, want)
		}
	}
	if got := graphjson.At(t, body, "sessionControls.applicationEnforcedRestrictions"); got != nil {
		t.Errorf("applicationEnforcedRestrictions = %v, want null", got)
	}
}

func TestSessionFromLive(t *testing.T) {
	e := caTestEnv()
	m := sessionChecklist()
	p := caParse(t, sessionEcho(t, `"value": 8`, `"value": 12`, `"mode": "never"`, `"mode": "always"`))
	sessionFromLive(p, &m)
	if m.SignInFrequencyHours.ValueInt64() != 12 || m.PersistentBrowser.ValueString() != "always" {
		t.Errorf("read hours=%v browser=%v", m.SignInFrequencyHours, m.PersistentBrowser)
	}
	if d := policyDiff(e, p, sessionDesired(&m)); len(d) != 0 {
		t.Errorf("not in sync with what was read: %v", d)
	}
	// Days cannot be expressed in hours: the attribute keeps its value and in_sync reports it.
	m = sessionChecklist()
	p = caParse(t, sessionEcho(t, `"type": "hours"`, `"type": "days"`))
	sessionFromLive(p, &m)
	if m.SignInFrequencyHours.ValueInt64() != 8 {
		t.Errorf("days read as %v hours", m.SignInFrequencyHours)
	}
	if policyMatches(e, p, sessionDesired(&m)) {
		t.Error("a frequency in days is in sync")
	}
}

// The setting's PATCH body, read-back and comparison are tested with it, in internal/m365/sharepoint.
func TestIdleSignOut(t *testing.T) {
	want := sharepoint.IdleSignOut{Enabled: true, WarnAfter: 600, SignOutAfter: 900}
	if s, w := idleMinutes(want); s.ValueInt64() != 15 || w.ValueInt64() != 10 {
		t.Errorf("minutes = %v %v", s, w)
	}
	if s, w := idleMinutes(sharepoint.IdleSignOut{WarnAfter: 600, SignOutAfter: 900}); s.ValueInt64() != 0 || w.ValueInt64() != 0 {
		t.Errorf("off reads as %v %v, want 0 0", s, w)
	}
}

func TestIdleOrderValidator(t *testing.T) {
	obj := func(signOut, warn attr.Value) basetypes.ObjectValue {
		return types.ObjectValueMust(attrTypes(sessionBlock{}), map[string]attr.Value{
			"state": types.StringNull(), "sign_in_frequency_hours": types.Int64Null(), "persistent_browser": types.StringNull(),
			"idle_sign_out_minutes": signOut, "idle_warning_minutes": warn, "policy_id": types.StringUnknown(), "in_sync": types.BoolUnknown(),
		})
	}
	for name, c := range map[string]struct {
		signOut, warn attr.Value
		ok            bool
	}{
		"defaults":               {types.Int64Null(), types.Int64Null(), true},
		"warning first":          {types.Int64Value(60), types.Int64Value(55), true},
		"equal":                  {types.Int64Value(30), types.Int64Value(30), false},
		"sign-out below default": {types.Int64Value(5), types.Int64Null(), false},
		"unknown":                {types.Int64Unknown(), types.Int64Value(30), true},
	} {
		resp := &validator.ObjectResponse{}
		idleOrderValidator{}.ValidateObject(context.Background(), validator.ObjectRequest{Path: path.Root("session"), ConfigValue: obj(c.signOut, c.warn)}, resp)
		if resp.Diagnostics.HasError() == c.ok {
			t.Errorf("%s: diagnostics %v, want ok %v", name, resp.Diagnostics, c.ok)
		}
	}
}
