// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

// fullConfig is a configuration that touches every part of expand, written the way a user might:
// keywords in lower case, an upper-case GUID, defaults left out.
const fullConfig = `{
  "display_name": "HIPAA - Require MFA",
  "state": "report_only",
  "conditions": {
    "users": {
      "include_users": ["all"],
      "exclude_users": ["0B1E3F5A-7C9D-4E2F-8A6B-1C3D5E7F9A0B"],
      "exclude_groups": ["66666666-7777-4888-9999-aaaaaaaaaaaa"],
      "include_guests_or_external_users": {
        "guest_or_external_user_types": ["b2bCollaborationGuest", "internalGuest"],
        "external_tenants": {"membership_kind": "enumerated", "members": ["c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"]}
      }
    },
    "applications": {"include_applications": ["All"], "exclude_applications": ["office365"]},
    "platforms": {"include_platforms": ["all"], "exclude_platforms": ["iOS"]},
    "locations": {"include_locations": ["All"], "exclude_locations": ["alltrusted"]},
    "devices": {"device_filter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}},
    "sign_in_risk_levels": ["medium", "high"],
    "insider_risk_levels": ["elevated"],
    "authentication_flows": {"transfer_methods": ["deviceCodeFlow"]}
  },
  "grant_controls": {"built_in_controls": ["mfa", "compliantDevice"], "terms_of_use": ["8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b"]},
  "session_controls": {
    "sign_in_frequency": {"value": 8, "type": "hours"},
    "persistent_browser": "never",
    "application_enforced_restrictions": true
  }
}`

const fullConfigBody = `{
  "displayName": "HIPAA - Require MFA",
  "state": "enabledForReportingButNotEnforced",
  "conditions": {
    "users": {
      "includeUsers": ["All"],
      "excludeUsers": ["0B1E3F5A-7C9D-4E2F-8A6B-1C3D5E7F9A0B"],
      "includeGroups": [],
      "excludeGroups": ["66666666-7777-4888-9999-aaaaaaaaaaaa"],
      "includeRoles": [],
      "excludeRoles": [],
      "includeGuestsOrExternalUsers": {
        "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest",
        "externalTenants": {
          "@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants",
          "membershipKind": "enumerated",
          "members": ["c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"]
        }
      },
      "excludeGuestsOrExternalUsers": null
    },
    "applications": {
      "includeApplications": ["All"],
      "excludeApplications": ["Office365"],
      "includeUserActions": [],
      "includeAuthenticationContextClassReferences": [],
      "applicationFilter": null
    },
    "clientApplications": null,
    "clientAppTypes": ["all"],
    "platforms": {"includePlatforms": ["all"], "excludePlatforms": ["iOS"]},
    "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
    "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.isCompliant -eq True"}},
    "signInRiskLevels": ["high", "medium"],
    "userRiskLevels": [],
    "servicePrincipalRiskLevels": [],
    "insiderRiskLevels": "elevated",
    "authenticationFlows": {"transferMethods": "deviceCodeFlow"}
  },
  "grantControls": {
    "operator": "OR",
    "builtInControls": ["compliantDevice", "mfa"],
    "termsOfUse": ["8e7d6c5b-4a3f-4e2d-9c1b-0a9f8e7d6c5b"],
    "customAuthenticationFactors": [],
    "authenticationStrength": null
  },
  "sessionControls": {
    "applicationEnforcedRestrictions": {"@odata.type": "#microsoft.graph.applicationEnforcedRestrictionsSessionControl", "isEnabled": true},
    "cloudAppSecurity": null,
    "persistentBrowser": {"@odata.type": "#microsoft.graph.persistentBrowserSessionControl", "isEnabled": true, "mode": "never"},
    "signInFrequency": {
      "@odata.type": "#microsoft.graph.signInFrequencySessionControl",
      "isEnabled": true,
      "value": 8,
      "type": "hours",
      "frequencyInterval": "timeBased",
      "authenticationType": "primaryAndSecondaryAuthentication"
    },
    "disableResilienceDefaults": null,
    "secureSignInSession": null
  }
}`

func TestExpandPolicy_fullBody(t *testing.T) {
	t.Parallel()
	plan := planFromConfig(t, configFromJSON(t, fullConfig))
	body, diags := expandPolicy(context.Background(), plan)
	if diags.HasError() {
		t.Fatalf("expand: %v", diags)
	}
	got := graphjson.Payload(t, body)
	if diff := cmp.Diff(mustJSON(t, fullConfigBody), got); diff != "" {
		t.Errorf("request body mismatch (-want +got):\n%s", diff)
	}
}

// TestExpandPolicy_removedControlsAreExplicitNull: a CA PATCH replaces nested objects wholesale,
// and Graph only clears grantControls or sessionControls when it sees an explicit null.
func TestExpandPolicy_removedControlsAreExplicitNull(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		config  string
		nullKey string
		setKey  string
	}{
		"no session controls": {
			config: `{"display_name": "x", "state": "enabled",
			  "conditions": {"users": {"include_users": ["All"]}, "applications": {"include_applications": ["All"]}},
			  "grant_controls": {"built_in_controls": ["mfa"]}}`,
			nullKey: "sessionControls",
			setKey:  "grantControls",
		},
		"no grant controls": {
			config: `{"display_name": "x", "state": "enabled",
			  "conditions": {"users": {"include_users": ["All"]}, "applications": {"include_applications": ["All"]}},
			  "session_controls": {"sign_in_frequency": {"frequency_interval": "everyTime"}}}`,
			nullKey: "grantControls",
			setKey:  "sessionControls",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body, diags := expandPolicy(context.Background(), planFromConfig(t, configFromJSON(t, tc.config)))
			if diags.HasError() {
				t.Fatalf("expand: %v", diags)
			}
			w := jsonserialization.NewJsonSerializationWriter()
			if err := w.WriteObjectValue("", body); err != nil {
				t.Fatal(err)
			}
			raw, err := w.GetSerializedContent()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(raw), `"`+tc.nullKey+`":null`) {
				t.Errorf("body lacks an explicit %q null:\n%s", tc.nullKey, raw)
			}
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			if v, ok := m[tc.nullKey]; !ok || string(v) != "null" {
				t.Errorf("%s = %s (present %v), want null", tc.nullKey, v, ok)
			}
			if v := m[tc.setKey]; len(v) == 0 || string(v) == "null" {
				t.Errorf("%s = %s, want an object", tc.setKey, v)
			}
		})
	}
}

func TestExpandPolicy_neverSendsReadOnlyProperties(t *testing.T) {
	t.Parallel()
	plan := planFromConfig(t, configFromJSON(t, fullConfig))
	plan.ID = types.StringValue("7d3a1c9e-5b2f-4e8a-9c61-2f0b8e4d7a15")
	plan.CreatedDateTime = types.StringValue("2024-03-11T09:15:42Z")
	body, diags := expandPolicy(context.Background(), plan)
	if diags.HasError() {
		t.Fatalf("expand: %v", diags)
	}
	got := graphjson.Payload(t, body)
	for _, k := range []string{"id", "createdDateTime", "modifiedDateTime", "templateId"} {
		if _, ok := got[k]; ok {
			t.Errorf("body carries read-only %q", k)
		}
	}
}

func TestExpandPolicy_sessionControlsEveryTime(t *testing.T) {
	t.Parallel()
	plan := planFromConfig(t, configFromJSON(t, `{"display_name": "x", "state": "disabled",
	  "conditions": {"users": {"include_roles": ["62e90394-69f5-4237-9190-012177145e10"]}, "applications": {"include_user_actions": ["urn:user:registersecurityinfo"]}},
	  "session_controls": {"sign_in_frequency": {"frequency_interval": "everyTime", "authentication_type": "secondaryAuthentication"},
	    "cloud_app_security": "monitorOnly", "disable_resilience_defaults": true, "secure_sign_in_session": true}}`))
	body, diags := expandPolicy(context.Background(), plan)
	if diags.HasError() {
		t.Fatalf("expand: %v", diags)
	}
	got := graphjson.Payload(t, body)["sessionControls"]
	want := mustJSON(t, `{"s": {
	  "applicationEnforcedRestrictions": null,
	  "cloudAppSecurity": {"@odata.type": "#microsoft.graph.cloudAppSecuritySessionControl", "isEnabled": true, "cloudAppSecurityType": "monitorOnly"},
	  "persistentBrowser": null,
	  "signInFrequency": {"@odata.type": "#microsoft.graph.signInFrequencySessionControl", "isEnabled": true,
	    "frequencyInterval": "everyTime", "authenticationType": "secondaryAuthentication"},
	  "disableResilienceDefaults": true,
	  "secureSignInSession": {"@odata.type": "#microsoft.graph.secureSignInSessionControl", "isEnabled": true}
	}}`)["s"]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sessionControls mismatch (-want +got):\n%s", diff)
	}
}

func TestStateMapping(t *testing.T) {
	t.Parallel()
	for tf, graph := range map[string]string{
		"enabled":     "enabled",
		"disabled":    "disabled",
		"report_only": "enabledForReportingButNotEnforced",
	} {
		if got := stateToGraph(tf); got != graph {
			t.Errorf("stateToGraph(%q) = %q, want %q", tf, got, graph)
		}
		if got := stateFromGraph(graph); got != tf {
			t.Errorf("stateFromGraph(%q) = %q, want %q", graph, got, tf)
		}
		plan := planFromConfig(t, configFromJSON(t, `{"display_name": "x", "state": "`+tf+`",
		  "conditions": {"users": {"include_users": ["None"]}, "applications": {"include_applications": ["None"]}},
		  "grant_controls": {"built_in_controls": ["mfa"]}}`))
		body, diags := expandPolicy(context.Background(), plan)
		if diags.HasError() {
			t.Fatalf("expand: %v", diags)
		}
		if got := graphjson.Payload(t, body)["state"]; got != graph {
			t.Errorf("state %q serialized as %v, want %q", tf, got, graph)
		}
	}
}
