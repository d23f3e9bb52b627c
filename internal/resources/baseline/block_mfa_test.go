// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestMFADesiredStrengthAndGuests(t *testing.T) {
	m := mfaChecklist()
	m.AuthenticationStrength = types.StringValue(strengthPasswordless)
	m.IncludeGuests = types.BoolValue(false)
	m.State = types.StringValue(caStateEnabled)
	body := graphjson.Payload(t, mfaDesired(&m).policy(caTestEnv()))

	if got := graphjson.At(t, body, "state"); got != "enabled" {
		t.Errorf("state = %v", got)
	}
	if got := graphjson.At(t, body, "grantControls.authenticationStrength.id"); got != strengthIDPasswordless {
		t.Errorf("strength = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "grantControls.builtInControls")); len(got) != 0 {
		t.Errorf("builtInControls = %v, want [] with a strength", got)
	}
	kinds := graphjson.At(t, body, "conditions.users.excludeGuestsOrExternalUsers.guestOrExternalUserTypes").(string)
	if caSet(strings.Split(kinds, ",")) != caSet(strings.Split(mfaGuestTypes, ",")) {
		t.Errorf("excluded guest types = %s", kinds)
	}
	if got := graphjson.At(t, body, "conditions.users.excludeGuestsOrExternalUsers.externalTenants.membershipKind"); got != "all" {
		t.Errorf("external tenants = %v", got)
	}
}

func TestMFAFromLive(t *testing.T) {
	e := caTestEnv()
	// The checklist policy reads back as the defaults, in sync.
	m := mfaChecklist()
	p := caParse(t, mfaGraphEcho)
	mfaFromLive(p, &m)
	if m.AuthenticationStrength.ValueString() != strengthMFA || !m.IncludeGuests.ValueBool() || m.DisplayName.ValueString() != policyNameMFA {
		t.Errorf("read %+v", m)
	}
	if !policyMatches(e, p, mfaDesired(&m)) {
		t.Error("checklist policy not in sync")
	}

	// Every guest type excluded with a phishing-resistant strength reads as those attributes, in sync.
	js := strings.Replace(mfaGraphEcho, `"excludeGuestsOrExternalUsers": null`,
		`"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "serviceProvider,internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser", "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"}}`, 1)
	js = strings.Replace(js, `"builtInControls": ["mfa"]`, `"builtInControls": []`, 1)
	js = strings.Replace(js, `"authenticationStrength": null`, `"authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}`, 1)
	m = mfaChecklist()
	p = caParse(t, js)
	mfaFromLive(p, &m)
	if m.IncludeGuests.ValueBool() || m.AuthenticationStrength.ValueString() != strengthPhishingResistant {
		t.Errorf("read include_guests=%v strength=%v", m.IncludeGuests, m.AuthenticationStrength)
	}
	if d := policyDiff(e, p, mfaDesired(&m)); len(d) != 0 {
		t.Errorf("not in sync: %v", d)
	}

	// Only some guest types excluded: include_guests stays true and in_sync reports it.
	js = strings.Replace(mfaGraphEcho, `"excludeGuestsOrExternalUsers": null`,
		`"excludeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest"}`, 1)
	m = mfaChecklist()
	p = caParse(t, js)
	mfaFromLive(p, &m)
	if !m.IncludeGuests.ValueBool() {
		t.Error("a partial guest exclusion reads as include_guests = false")
	}
	if policyMatches(e, p, mfaDesired(&m)) {
		t.Error("a partial guest exclusion is in sync")
	}
}

func TestRequiresMFAForAll(t *testing.T) {
	cases := map[string]struct {
		old, new string
		want     bool
	}{
		"checklist policy":        {"", "", true},
		"report-only":             {`"state": "enabled"`, `"state": "enabledForReportingButNotEnforced"`, false},
		"one group only":          {`"includeUsers": ["All"]`, `"includeUsers": [], "includeGroups": ["g"]`, false},
		"some apps only":          {`"includeApplications": ["all"]`, `"includeApplications": ["Office365"]`, false},
		"mfa or device":           {`"builtInControls": ["mfa"]`, `"builtInControls": ["mfa", "compliantDevice"]`, false},
		"mfa and device":          {`"operator": "or", "builtInControls": ["mfa"]`, `"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]`, true},
		"authentication strength": {`"builtInControls": ["mfa"]`, `"builtInControls": [], "authenticationStrength": {"id": "x"}`, true},
		"block only":              {`"builtInControls": ["mfa"]`, `"builtInControls": ["block"]`, false},
	}
	for name, c := range cases {
		js := mfaGraphEcho
		if c.old != "" {
			js = strings.Replace(js, c.old, c.new, 1)
			if js == mfaGraphEcho {
				t.Fatalf("%s: the replacement did not apply", name)
			}
		}
		if name == "authentication strength" {
			js = strings.Replace(js, `"authenticationStrength": null`, `"x": null`, 1)
		}
		if got := requiresMFAForAll(caParse(t, js)); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
