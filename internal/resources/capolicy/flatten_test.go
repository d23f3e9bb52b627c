// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

// flattenJSON flattens Graph JSON over a prior model (the zero model, as on import) and returns
// the model and the same model as state, which also proves it fits the schema.
func flattenJSON(t *testing.T, body []byte, prior caPolicyResourceModel) (caPolicyResourceModel, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	m := prior
	if d := flattenPolicy(ctx, parsePolicy(t, body), &m); d.HasError() {
		t.Fatalf("flatten: %v", d)
	}
	if m.Timeouts.IsNull() && len(m.Timeouts.AttributeTypes(ctx)) == 0 {
		m.Timeouts = planFromConfig(t, configFromJSON(t, `{}`)).Timeouts
	}
	st := tfsdk.State{Schema: testSchema}
	if d := st.Set(ctx, &m); d.HasError() {
		t.Fatalf("model does not fit the schema: %v", d)
	}
	return m, st
}

// get reads one attribute of a state as a Go value for assertions: strings, bools, int64s, sorted
// []string for sets, nil for null, "<object>" for a non-null object.
func get(t *testing.T, st tfsdk.State, p path.Path) any {
	t.Helper()
	var v attr.Value
	if d := st.GetAttribute(context.Background(), p, &v); d.HasError() {
		t.Fatalf("get %s: %v", p, d)
	}
	if v.IsNull() {
		return nil
	}
	if v.IsUnknown() {
		return "<unknown>"
	}
	switch x := v.(type) {
	case types.String:
		return x.ValueString()
	case types.Bool:
		return x.ValueBool()
	case types.Int64:
		return x.ValueInt64()
	case types.Set:
		out, _ := knownStrings(x)
		sort.Strings(out)
		return out
	case types.Object:
		return "<object>"
	}
	t.Fatalf("unexpected type %T at %s", v, p)
	return nil
}

// at builds a path from dotted attribute names.
func at(dotted string) path.Path {
	p := path.Empty()
	for _, n := range strings.Split(dotted, ".") {
		p = p.AtName(n)
	}
	return p
}

func TestFlattenPolicy_fixtures(t *testing.T) {
	t.Parallel()
	empty := []string{}
	cases := map[string]map[string]any{
		"portal_policy.json": {
			"id":                             "7d3a1c9e-5b2f-4e8a-9c61-2f0b8e4d7a15",
			"display_name":                   "CA001: Require phishing-resistant MFA for admins",
			"state":                          "report_only",
			"created_date_time":              "2024-03-11T09:15:42Z",
			"conditions.users.include_users": empty,
			"conditions.users.include_roles": []string{"194ae4cb-b126-40b2-bd5b-6091b380977d", "62e90394-69f5-4237-9190-012177145e10"},
			"conditions.users.exclude_users": []string{"0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"},
			"conditions.users.include_guests_or_external_users":                                  nil,
			"conditions.users.exclude_guests_or_external_users.guest_or_external_user_types":     []string{"b2bCollaborationGuest", "internalGuest"},
			"conditions.users.exclude_guests_or_external_users.external_tenants.membership_kind": "enumerated",
			"conditions.users.exclude_guests_or_external_users.external_tenants.members":         []string{"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"},
			"conditions.applications.include_applications":                                       []string{"All"},
			"conditions.applications.application_filter":                                         nil,
			"conditions.client_app_types":                                                        []string{"all"},
			"conditions.locations.exclude_locations":                                             []string{"AllTrusted"},
			"conditions.platforms":                                                               nil,
			"conditions.devices":                                                                 nil,
			"conditions.client_applications":                                                     nil,
			"conditions.insider_risk_levels":                                                     nil,
			"conditions.user_risk_levels":                                                        empty,
			"grant_controls.operator":                                                            "OR",
			"grant_controls.built_in_controls":                                                   empty,
			"grant_controls.authentication_strength_id":                                          "00000000-0000-0000-0000-000000000004",
			"session_controls.sign_in_frequency.value":                                           int64(4),
			"session_controls.sign_in_frequency.type":                                            "hours",
			"session_controls.sign_in_frequency.frequency_interval":                              "timeBased",
			"session_controls.persistent_browser":                                                nil,
			"session_controls.disable_resilience_defaults":                                       false,
			"session_controls.application_enforced_restrictions":                                 false,
		},
		// Graph leaves lists out of this body entirely; they must still flatten to empty sets, the
		// value an unset attribute plans, and absent objects to null.
		"minimal_policy.json": {
			"state":                                        "enabled",
			"conditions.users.include_users":               []string{"All"},
			"conditions.users.exclude_users":               empty,
			"conditions.users.include_groups":              empty,
			"conditions.users.exclude_groups":              []string{"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"},
			"conditions.applications.exclude_applications": empty,
			"conditions.client_app_types":                  []string{"exchangeActiveSync", "other"},
			"conditions.sign_in_risk_levels":               empty,
			"conditions.service_principal_risk_levels":     empty,
			"conditions.locations":                         nil,
			"grant_controls.built_in_controls":             []string{"block"},
			"grant_controls.terms_of_use":                  empty,
			"grant_controls.authentication_strength_id":    nil,
			"session_controls":                             nil,
		},
		"full_policy.json": {
			"state":                                                                          "disabled",
			"conditions.user_risk_levels":                                                    []string{"high"},
			"conditions.sign_in_risk_levels":                                                 []string{"high", "medium"},
			"conditions.service_principal_risk_levels":                                       []string{"low"},
			"conditions.insider_risk_levels":                                                 []string{"elevated", "moderate"},
			"conditions.platforms.exclude_platforms":                                         []string{"android", "iOS"},
			"conditions.devices.device_filter.mode":                                          "exclude",
			"conditions.devices.device_filter.rule":                                          "device.isCompliant -eq True",
			"conditions.authentication_flows.transfer_methods":                               []string{"authenticationTransfer", "deviceCodeFlow"},
			"conditions.client_applications.include_service_principals":                      []string{"ServicePrincipalsInMyTenant"},
			"conditions.client_applications.service_principal_filter.mode":                   "include",
			"conditions.applications.application_filter.rule":                                `CustomSecurityAttribute.Sensitivity -eq "High"`,
			"conditions.users.include_guests_or_external_users.guest_or_external_user_types": []string{"b2bDirectConnectUser", "otherExternalUser"},
			// "All tenants" is what an absent external_tenants means; without a prior value it stays absent.
			"conditions.users.include_guests_or_external_users.external_tenants":         nil,
			"conditions.users.exclude_guests_or_external_users.external_tenants.members": []string{"c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a"},
			"grant_controls.operator":                                "AND",
			"grant_controls.built_in_controls":                       []string{"compliantDevice", "domainJoinedDevice"},
			"grant_controls.custom_authentication_factors":           []string{"customControl1"},
			"grant_controls.authentication_strength_id":              "00000000-0000-0000-0000-000000000002",
			"session_controls.application_enforced_restrictions":     true,
			"session_controls.cloud_app_security":                    "blockDownloads",
			"session_controls.persistent_browser":                    "never",
			"session_controls.disable_resilience_defaults":           true,
			"session_controls.secure_sign_in_session":                true,
			"session_controls.sign_in_frequency.frequency_interval":  "everyTime",
			"session_controls.sign_in_frequency.authentication_type": "secondaryAuthentication",
			"session_controls.sign_in_frequency.value":               nil,
			"session_controls.sign_in_frequency.type":                nil,
		},
	}
	for fixture, want := range cases {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			_, st := flattenJSON(t, readFixture(t, fixture), caPolicyResourceModel{})
			for p, w := range want {
				if diff := cmp.Diff(w, get(t, st, at(p))); diff != "" {
					t.Errorf("%s (-want +got):\n%s", p, diff)
				}
			}
		})
	}
}

// TestFlattenPolicy_roundTrip: a policy made elsewhere (the portal, Graph Explorer) and imported
// must re-expand to the body it came from, or the first apply after import would change it.
func TestFlattenPolicy_roundTrip(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"portal_policy.json", "minimal_policy.json", "full_policy.json"} {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			raw := readFixture(t, fixture)
			m, _ := flattenJSON(t, raw, caPolicyResourceModel{})
			body, diags := expandPolicy(context.Background(), m)
			if diags.HasError() {
				t.Fatalf("expand: %v", diags)
			}
			var original map[string]any
			if err := json.Unmarshal(raw, &original); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(normalizeGraph(original), normalizeGraph(graphjson.Payload(t, body))); diff != "" {
				t.Errorf("re-expanded body differs from the original (-original +expanded):\n%s", diff)
			}
		})
	}
}

var guidRE = regexp.MustCompile(`[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}`)

// graphEcho plays Graph for a create: it stores the request body and answers with it plus the
// server-side properties, in Graph's own spelling (lower-case GUIDs).
func graphEcho(t *testing.T, m caPolicyResourceModel) []byte {
	t.Helper()
	body, diags := expandPolicy(context.Background(), m)
	if diags.HasError() {
		t.Fatalf("expand: %v", diags)
	}
	resp := graphjson.Payload(t, body)
	resp["id"] = "a2b4c6d8-e0f2-4a4c-8e6f-0a2b4c6d8e0f"
	resp["createdDateTime"] = "2025-06-01T12:00:00Z"
	resp["modifiedDateTime"] = nil
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(guidRE.ReplaceAllStringFunc(string(b), strings.ToLower))
}

// TestFlattenPolicy_noFalseDrift drives the whole loop: configuration → plan (defaults applied) →
// request body → Graph's answer → state. The state must equal the plan, and a second read must
// equal the state, or Terraform reports an inconsistent result or a diff on every plan.
func TestFlattenPolicy_noFalseDrift(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"require mfa, defaults left out": `{"display_name": "MFA", "state": "enabled",
		  "conditions": {"users": {"include_users": ["All"], "exclude_users": ["0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"]},
		    "applications": {"include_applications": ["All"]}},
		  "grant_controls": {"built_in_controls": ["mfa"]}}`,
		"block legacy authentication": `{"display_name": "Legacy", "state": "report_only",
		  "conditions": {"users": {"include_users": ["All"]}, "applications": {"include_applications": ["All"]},
		    "client_app_types": ["other", "exchangeActiveSync"]},
		  "grant_controls": {"operator": "OR", "built_in_controls": ["block"]}}`,
		"every attribute, odd casing": fullConfig,
		"session only, every sign-in": `{"display_name": "Reauth", "state": "enabled",
		  "conditions": {"users": {"include_roles": ["62E90394-69F5-4237-9190-012177145E10"]},
		    "applications": {"include_authentication_context_class_references": ["c1"]}},
		  "session_controls": {"sign_in_frequency": {"frequency_interval": "everyTime"}}}`,
		"external tenants all, written out": `{"display_name": "Guests", "state": "enabled",
		  "conditions": {"users": {"include_guests_or_external_users": {"guest_or_external_user_types": ["internalGuest"],
		    "external_tenants": {"membership_kind": "all"}}},
		    "applications": {"include_applications": ["All"]},
		    "client_applications": {"include_service_principals": ["servicePrincipalsInMyTenant"]}},
		  "grant_controls": {"authentication_strength_id": "00000000-0000-0000-0000-000000000004", "terms_of_use": []}}`,
	}
	for name, config := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			plan := planFromConfig(t, configFromJSON(t, config))

			state, stateVal := flattenJSON(t, graphEcho(t, plan), plan)
			if state.ID.ValueString() == "" || state.CreatedDateTime.IsUnknown() || state.CreatedDateTime.IsNull() {
				t.Fatalf("computed attributes not filled: id %s, created %s", state.ID, state.CreatedDateTime)
			}
			want := plan
			want.ID, want.CreatedDateTime = state.ID, state.CreatedDateTime
			wantState := tfsdk.State{Schema: testSchema}
			if d := wantState.Set(context.Background(), &want); d.HasError() {
				t.Fatal(d)
			}
			if !wantState.Raw.Equal(stateVal.Raw) {
				t.Errorf("state after create differs from plan:\n%s", cmp.Diff(wantState.Raw.String(), stateVal.Raw.String()))
			}

			// Refresh: read the same policy again with the state as prior.
			_, again := flattenJSON(t, graphEcho(t, state), state)
			if !again.Raw.Equal(stateVal.Raw) {
				t.Errorf("refresh changed the state:\n%s", cmp.Diff(stateVal.Raw.String(), again.Raw.String()))
			}
		})
	}
}

// TestFlattenPolicy_nullAndEmptyNormalisation: Graph spells "nothing" as null, as an object of
// empty lists, or as a disabled control; all of them must read back as the attribute left out.
func TestFlattenPolicy_nullAndEmptyNormalisation(t *testing.T) {
	t.Parallel()
	base := func(conditionsExtra, rest string) []byte {
		return []byte(`{"id": "a2b4c6d8-e0f2-4a4c-8e6f-0a2b4c6d8e0f", "displayName": "x", "state": "enabled",
		  "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}` + conditionsExtra + `}` + rest + `}`)
	}
	cases := map[string]struct {
		body []byte
		path string
		want any
	}{
		"platforms of empty lists":   {base(`, "platforms": {"includePlatforms": [], "excludePlatforms": []}`, ""), "conditions.platforms", nil},
		"devices without filter":     {base(`, "devices": {"deviceFilter": null}`, ""), "conditions.devices", nil},
		"device filter without rule": {base(`, "devices": {"deviceFilter": {"mode": "include", "rule": ""}}`, ""), "conditions.devices", nil},
		"locations of empty lists":   {base(`, "locations": {"includeLocations": [], "excludeLocations": []}`, ""), "conditions.locations", nil},
		"client applications empty":  {base(`, "clientApplications": {"includeServicePrincipals": [], "excludeServicePrincipals": [], "servicePrincipalFilter": null}`, ""), "conditions.client_applications", nil},
		"authentication flows none":  {base(`, "authenticationFlows": {"transferMethods": "none"}`, ""), "conditions.authentication_flows", nil},
		"insider risk null":          {base(`, "insiderRiskLevels": null`, ""), "conditions.insider_risk_levels", nil},
		"guests of type none": {[]byte(`{"displayName": "x", "state": "enabled", "conditions": {"users": {"includeUsers": ["All"],
		  "includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "none", "externalTenants": null}},
		  "applications": {"includeApplications": ["All"]}}}`), "conditions.users.include_guests_or_external_users", nil},
		"client app types missing":      {base(``, ""), "conditions.client_app_types", []string{"all"}},
		"client app types empty":        {base(`, "clientAppTypes": []`, ""), "conditions.client_app_types", []string{"all"}},
		"risk levels missing":           {base(``, ""), "conditions.user_risk_levels", []string{}},
		"role lists missing":            {base(``, ""), "conditions.users.exclude_roles", []string{}},
		"grant controls empty":          {base(``, `, "grantControls": {"operator": "OR", "builtInControls": [], "termsOfUse": [], "customAuthenticationFactors": [], "authenticationStrength": null}`), "grant_controls", nil},
		"grant operator missing":        {base(``, `, "grantControls": {"builtInControls": ["mfa"]}`), "grant_controls.operator", "OR"},
		"grant operator lower case":     {base(``, `, "grantControls": {"operator": "and", "builtInControls": ["mfa", "compliantDevice"]}`), "grant_controls.operator", "AND"},
		"session controls all null":     {base(``, `, "sessionControls": {"disableResilienceDefaults": null, "applicationEnforcedRestrictions": null, "cloudAppSecurity": null, "persistentBrowser": null, "signInFrequency": null}`), "session_controls", nil},
		"session controls disabled":     {base(``, `, "sessionControls": {"disableResilienceDefaults": false, "applicationEnforcedRestrictions": {"isEnabled": false}, "persistentBrowser": {"isEnabled": false, "mode": "always"}, "signInFrequency": {"isEnabled": false, "value": 1, "type": "days"}}`), "session_controls", nil},
		"sign-in frequency defaults":    {base(``, `, "sessionControls": {"signInFrequency": {"isEnabled": true, "value": 12, "type": "hours"}}`), "session_controls.sign_in_frequency.authentication_type", "primaryAndSecondaryAuthentication"},
		"sign-in frequency interval":    {base(``, `, "sessionControls": {"signInFrequency": {"isEnabled": true, "value": 12, "type": "hours"}}`), "session_controls.sign_in_frequency.frequency_interval", "timeBased"},
		"resilience false not null":     {base(``, `, "sessionControls": {"signInFrequency": {"isEnabled": true, "value": 1, "type": "days"}}`), "session_controls.disable_resilience_defaults", false},
		"strength object keeps only id": {base(``, `, "grantControls": {"operator": "OR", "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000003", "displayName": "Passwordless MFA", "allowedCombinations": ["fido2"]}}`), "grant_controls.authentication_strength_id", "00000000-0000-0000-0000-000000000003"},
		"duplicate ids collapse":        {base(`, "locations": {"includeLocations": ["All", "all"]}`, ""), "conditions.locations.include_locations", []string{"All"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, st := flattenJSON(t, tc.body, caPolicyResourceModel{})
			if diff := cmp.Diff(tc.want, get(t, st, at(tc.path))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestFlattenPolicy_keepsConfiguredSpelling: Graph answers keywords and GUIDs in its own casing;
// the configured spelling must survive, and without a prior value Graph's spelling is used.
func TestFlattenPolicy_keepsConfiguredSpelling(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id": "a2b4c6d8-e0f2-4a4c-8e6f-0a2b4c6d8e0f", "displayName": "x", "state": "enabled",
	  "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": ["0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"]},
	    "applications": {"includeApplications": ["All"]}},
	  "grantControls": {"builtInControls": ["mfa"]}}`)
	prior := planFromConfig(t, configFromJSON(t, `{"display_name": "x", "state": "enabled",
	  "conditions": {"users": {"include_users": ["all"], "exclude_users": ["0B1E3F5A-7C9D-4E2F-8A6B-1C3D5E7F9A0B"]},
	    "applications": {"include_applications": ["ALL"]}},
	  "grant_controls": {"built_in_controls": ["mfa"]}}`))

	_, st := flattenJSON(t, body, prior)
	for p, want := range map[string][]string{
		"conditions.users.include_users":               {"all"},
		"conditions.users.exclude_users":               {"0B1E3F5A-7C9D-4E2F-8A6B-1C3D5E7F9A0B"},
		"conditions.applications.include_applications": {"ALL"},
	} {
		if diff := cmp.Diff(want, get(t, st, at(p))); diff != "" {
			t.Errorf("with prior, %s (-want +got):\n%s", p, diff)
		}
	}

	_, imported := flattenJSON(t, body, caPolicyResourceModel{})
	if diff := cmp.Diff([]string{"All"}, get(t, imported, at("conditions.users.include_users"))); diff != "" {
		t.Errorf("on import, include_users (-want +got):\n%s", diff)
	}
}

func TestFlattenPolicy_keepsTimeouts(t *testing.T) {
	t.Parallel()
	prior := planFromConfig(t, configFromJSON(t, `{"timeouts": {"create": "7m"}}`))
	m, _ := flattenJSON(t, readFixture(t, "minimal_policy.json"), prior)
	if !m.Timeouts.Equal(prior.Timeouts) {
		t.Errorf("timeouts = %v, want %v", m.Timeouts, prior.Timeouts)
	}
}

// TestFlattenPolicy_externalTenantsAllWithoutBody: Graph may drop an externalTenants that only
// says "all tenants"; a configuration that wrote it out must not see a difference.
func TestFlattenPolicy_externalTenantsAllWithoutBody(t *testing.T) {
	t.Parallel()
	prior := planFromConfig(t, configFromJSON(t, `{"display_name": "x", "state": "enabled",
	  "conditions": {"users": {"include_guests_or_external_users": {"guest_or_external_user_types": ["internalGuest"],
	    "external_tenants": {"membership_kind": "all"}}}, "applications": {"include_applications": ["All"]}},
	  "grant_controls": {"built_in_controls": ["mfa"]}}`))
	body := []byte(`{"displayName": "x", "state": "enabled", "conditions": {"users": {
	  "includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest", "externalTenants": null}},
	  "applications": {"includeApplications": ["All"]}}, "grantControls": {"builtInControls": ["mfa"]}}`)
	_, st := flattenJSON(t, body, prior)
	if got := get(t, st, at("conditions.users.include_guests_or_external_users.external_tenants.membership_kind")); got != "all" {
		t.Errorf("membership_kind = %v, want all", got)
	}
	_, imported := flattenJSON(t, body, caPolicyResourceModel{})
	if got := get(t, imported, at("conditions.users.include_guests_or_external_users.external_tenants")); got != nil {
		t.Errorf("on import external_tenants = %v, want null", got)
	}
}
