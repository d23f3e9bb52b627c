// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestAdminsDesired(t *testing.T) {
	m := adminsSpec.checked()
	body := graphjson.Payload(t, adminsDesired(&m).policy(caTestEnv()))
	if got := asStrings(graphjson.At(t, body, "conditions.users.includeRoles")); !sameSet(got, adminRoleIDs) {
		t.Errorf("includeRoles = %v", got)
	}
	if got := asStrings(graphjson.At(t, body, "conditions.users.includeUsers")); len(got) != 0 {
		t.Errorf("includeUsers = %v, want none: the policy targets roles", got)
	}
	if got := asStrings(graphjson.At(t, body, "conditions.users.excludeUsers")); !sameSet(got, []string{caTestBreakGlass}) {
		t.Errorf("excludeUsers = %v", got)
	}
	if got := graphjson.At(t, body, "grantControls.authenticationStrength.id"); got != strengthIDPhishingResistant {
		t.Errorf("strength = %v", got)
	}
}

func TestAdminsFromLive(t *testing.T) {
	e := caTestEnv()
	// Graph's echo: upper-case role ids, fewer roles, plain MFA.
	js := strings.Replace(mfaGraphEcho, `"includeUsers": ["All"]`, `"includeUsers": []`, 1)
	js = strings.Replace(js, `"includeRoles": []`, `"includeRoles": ["62E90394-69F5-4237-9190-012177145E10", "e8611ab8-c189-46e8-94e1-60213ab1f814"]`, 1)
	js = strings.Replace(js, policyNameMFA, policyNameAdmins, 1)
	m := adminsSpec.checked()
	m.RoleIDs = caStaticSet("62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814")
	p := caParse(t, js)
	adminsSpec.fromLive(p, &m)
	got := setStrings(m.RoleIDs)
	if !sameSet(got, []string{"62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814"}) {
		t.Errorf("role_ids = %v", got)
	}
	for _, r := range got {
		if r != strings.ToLower(r) {
			t.Errorf("role id %s lost the configured spelling", r)
		}
	}
	if m.AuthenticationStrength.ValueString() != strengthMFA {
		t.Errorf("strength = %v", m.AuthenticationStrength)
	}
	if d := policyDiff(e, p, adminsDesired(&m)); len(d) != 0 {
		t.Errorf("what was read is not in sync with itself: %v", d)
	}
	// A role added to the configuration is a difference.
	m.RoleIDs = caStaticSet(append(setStrings(m.RoleIDs), "194ae4cb-b126-40b2-bd5b-6091b380977d")...)
	m.AuthenticationStrength = types.StringValue(strengthMFA)
	if policyMatches(e, p, adminsDesired(&m)) {
		t.Error("a missing role is in sync")
	}
}
