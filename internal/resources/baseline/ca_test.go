// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

const (
	caTestBreakGlass = "6f1c2d3e-0000-4000-8000-00000000b001"
	caTestGroup      = "6f1c2d3e-0000-4000-8000-00000000b002"
)

func caTestEnv() *env {
	return newEnv(nil, providerdata.EmergencyAccess{UserIDs: []string{caTestBreakGlass}, GroupIDs: []string{caTestGroup}})
}

// caParse parses a policy as Graph would answer it.
func caParse(t *testing.T, js string) models.ConditionalAccessPolicyable {
	t.Helper()
	n, err := jsonserialization.NewJsonParseNode([]byte(js))
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	v, err := n.GetObjectValue(models.CreateConditionalAccessPolicyFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	return v.(models.ConditionalAccessPolicyable)
}

func asStrings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, len(arr))
	for i, e := range arr {
		out[i], _ = e.(string)
	}
	return out
}

func sameSet(a, b []string) bool { return caSet(a) == caSet(b) && len(a) == len(b) }

// mfaGraphEcho is the checklist MFA policy as Graph serves it: other casing, GUIDs in upper case,
// an empty operator-less list here and there, clientAppTypes and timestamps filled in.
const mfaGraphEcho = `{
  "id": "1b2c3d4e-0000-4000-8000-000000000001",
  "displayName": "HIPAA - Require MFA for all users",
  "state": "enabled",
  "createdDateTime": "2024-01-01T00:00:00Z",
  "conditions": {
    "clientAppTypes": ["all"], "signInRiskLevels": [], "userRiskLevels": [], "servicePrincipalRiskLevels": [],
    "platforms": null, "locations": null, "devices": null, "clientApplications": null,
    "applications": {"includeApplications": ["all"], "excludeApplications": [], "includeUserActions": [], "includeAuthenticationContextClassReferences": [], "applicationFilter": null},
    "users": {"includeUsers": ["All"], "excludeUsers": ["6F1C2D3E-0000-4000-8000-00000000B001"], "includeGroups": [], "excludeGroups": ["6f1c2d3e-0000-4000-8000-00000000b002"],
              "includeRoles": [], "excludeRoles": [], "includeGuestsOrExternalUsers": null, "excludeGuestsOrExternalUsers": null}
  },
  "grantControls": {"operator": "or", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [], "authenticationStrength": null},
  "sessionControls": null
}`

func TestCADesiredPolicyBody(t *testing.T) {
	m := mfaChecklist()
	body := graphjson.Payload(t, mfaDesired(&m).policy(caTestEnv()))

	if got := graphjson.At(t, body, "displayName"); got != policyNameMFA {
		t.Errorf("displayName = %v", got)
	}
	if got := graphjson.At(t, body, "state"); got != "enabledForReportingButNotEnforced" {
		t.Errorf("state = %v, want Graph's report-only spelling", got)
	}
	for path, want := range map[string][]string{
		"conditions.users.includeUsers":               {"All"},
		"conditions.users.excludeUsers":               {caTestBreakGlass},
		"conditions.users.excludeGroups":              {caTestGroup},
		"conditions.users.includeRoles":               {},
		"conditions.applications.includeApplications": {"All"},
		"conditions.applications.excludeApplications": {},
		"conditions.clientAppTypes":                   {"all"},
		"conditions.signInRiskLevels":                 {},
		"grantControls.builtInControls":               {"mfa"},
		"grantControls.termsOfUse":                    {},
	} {
		if got := asStrings(graphjson.At(t, body, path)); !sameSet(got, want) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
	// What the baseline does not use is sent as an explicit null, so that a PATCH clears what was
	// added out of band.
	for _, path := range []string{"conditions.locations", "conditions.platforms", "conditions.devices", "conditions.clientApplications",
		"conditions.users.includeGuestsOrExternalUsers", "conditions.applications.applicationFilter",
		"grantControls.authenticationStrength", "sessionControls"} {
		if got := graphjson.At(t, body, path); got != nil {
			t.Errorf("%s = %v, want null", path, got)
		}
	}
	if got := graphjson.At(t, body, "grantControls.operator"); got != "OR" {
		t.Errorf("operator = %v", got)
	}
}

func TestCAExclusionsAreMergedNotDuplicated(t *testing.T) {
	e := newEnv(nil, providerdata.EmergencyAccess{UserIDs: []string{"A", "b"}})
	w := caDesired{DisplayName: "x", State: caStateEnabled, Build: func(p models.ConditionalAccessPolicyable) {
		u := caAllUsers()
		u.SetExcludeUsers([]string{"a"})
		p.SetConditions(caConditions(u, []string{"All"}))
	}}
	got := w.policy(e).GetConditions().GetUsers().GetExcludeUsers()
	if len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("excludeUsers = %v, want [a b]", got)
	}
}

func TestPolicyMatches(t *testing.T) {
	e := caTestEnv()
	m := mfaChecklist()
	want := mfaDesired(&m) // report_only: the state is not part of the comparison.

	if diff := policyDiff(e, caParse(t, mfaGraphEcho), want); len(diff) != 0 {
		t.Fatalf("Graph's echo of the checklist policy differs: %v", diff)
	}
	cases := map[string]struct {
		old, new string
		field    string
	}{
		"break-glass user removed":  {`"excludeUsers": ["6F1C2D3E-0000-4000-8000-00000000B001"]`, `"excludeUsers": []`, "users.excludeUsers"},
		"another user excluded":     {`"excludeUsers": ["6F1C2D3E-0000-4000-8000-00000000B001"]`, `"excludeUsers": ["6F1C2D3E-0000-4000-8000-00000000B001", "x"]`, "users.excludeUsers"},
		"group exclusion removed":   {`"excludeGroups": ["6f1c2d3e-0000-4000-8000-00000000b002"]`, `"excludeGroups": []`, "users.excludeGroups"},
		"location condition added":  {`"locations": null`, `"locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}`, "locations"},
		"app excluded":              {`"excludeApplications": []`, `"excludeApplications": ["00000003-0000-0ff1-ce00-000000000000"]`, "applications.excludeApplications"},
		"client app types narrowed": {`"clientAppTypes": ["all"]`, `"clientAppTypes": ["browser"]`, "clientAppTypes"},
		"grant weakened":            {`"builtInControls": ["mfa"]`, `"builtInControls": ["mfa", "compliantDevice"]`, "grantControls"},
		"session control added":     {`"sessionControls": null`, `"sessionControls": {"persistentBrowser": {"isEnabled": true, "mode": "always"}}`, "sessionControls"},
		"renamed":                   {`"HIPAA - Require MFA for all users"`, `"MFA"`, "displayName"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			js := strings.Replace(mfaGraphEcho, c.old, c.new, 1)
			if js == mfaGraphEcho {
				t.Fatal("the replacement did not apply")
			}
			diff := policyDiff(e, caParse(t, js), want)
			if len(diff) != 1 || !strings.HasPrefix(diff[0], c.field+":") {
				t.Errorf("diff = %v, want exactly %s", diff, c.field)
			}
		})
	}
	// Empty objects mean the same as none.
	js := strings.Replace(mfaGraphEcho, `"platforms": null`, `"platforms": {"includePlatforms": [], "excludePlatforms": []}`, 1)
	if diff := policyDiff(e, caParse(t, js), want); len(diff) != 0 {
		t.Errorf("an empty platforms object differs: %v", diff)
	}
	if policyMatches(e, nil, want) {
		t.Error("a missing policy matches")
	}
}

func TestCAState(t *testing.T) {
	for _, s := range caStateValues {
		st := caStateToGraph(s)
		p := models.NewConditionalAccessPolicy()
		p.SetState(&st)
		if got := caStateOf(p); got != s {
			t.Errorf("%s -> %s -> %s", s, st.String(), got)
		}
	}
	if got := caStateToGraph(caStateReportOnly).String(); got != graphStateReportOnly {
		t.Errorf("report_only is %s in Graph", got)
	}
	if caStateOf(models.NewConditionalAccessPolicy()) != "" {
		t.Error("a policy without state has one")
	}
}

func TestCAStrength(t *testing.T) {
	for _, s := range strengthValues {
		if got := caStrengthOf(caStrengthGrant(s)); got != s {
			t.Errorf("%s -> %s", s, got)
		}
	}
	g := caStrengthGrant(strengthPhishingResistant)
	if got := caStr(g.GetAuthenticationStrength().GetId()); got != strengthIDPhishingResistant {
		t.Errorf("phishing_resistant strength id = %s", got)
	}
	if len(g.GetBuiltInControls()) != 0 {
		t.Errorf("a strength grant has built-in controls %v", g.GetBuiltInControls())
	}
	if got := caStrengthOf(caGrant(models.MFA_CONDITIONALACCESSGRANTCONTROL, models.COMPLIANTDEVICE_CONDITIONALACCESSGRANTCONTROL)); got != "" {
		t.Errorf("mfa OR compliant device reads as %q", got)
	}
	if caStrengthOf(nil) != "" {
		t.Error("no grant controls read as a strength")
	}
}

func TestCAStringSetKeepsPriorSpelling(t *testing.T) {
	prior := caStaticSet("Office365", "abc-DEF")
	got := setStrings(caStringSet([]string{"office365", "ABC-def", "new", "NEW"}, prior))
	if !sameSet(got, []string{"Office365", "abc-DEF", "new"}) || len(got) != 3 {
		t.Errorf("got %v", got)
	}
	if got := caStringSet(nil, types.SetNull(types.StringType)); got.IsNull() || len(got.Elements()) != 0 {
		t.Errorf("nil gives %v, want an empty set", got)
	}
}

// TestCABlocksDefaultsAreTheChecklist pins the defaults to the HIPAA checklist's values (as
// docs/resources/baseline.md states them), and checks that the import starting point (checked)
// agrees with the schema.
func TestCABlocksDefaultsAreTheChecklist(t *testing.T) {
	roles := "158c047a-c907-4556-b7ef-446551a6b5f7,194ae4cb-b126-40b2-bd5b-6091b380977d,29232cdf-9323-42fd-ade2-1d097af3e4de," +
		"62e90394-69f5-4237-9190-012177145e10,729827e3-9c14-49f7-bb1b-9608f156bbb8,7be44c8a-adaf-4e2a-84d6-ab2649e08a13," +
		"966707d0-3269-4727-9be2-8c3a10f19b9d,9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3,b0f54661-2d74-4c50-afa3-1ec803f12efe," +
		"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9,c4e39bd9-1100-46d3-8c65-fb160da0071f,e8611ab8-c189-46e8-94e1-60213ab1f814," +
		"f28a1f50-f6e7-4571-818b-6a12f2af6b6c,fe930be7-5e62-47db-91af-98c3a49a38b1"
	want := map[string]map[string]any{
		"mfa":                   {"display_name": policyNameMFA, "state": "report_only", "authentication_strength": "mfa", "include_guests": true},
		"legacy_authentication": {"state": "report_only"},
		"admins":                {"state": "report_only", "role_ids": roles, "authentication_strength": "phishing_resistant"},
		"devices":               {"state": "report_only", "applications": "office365", "require": "compliantdevice,domainjoineddevice"},
		"session": {"state": "report_only", "sign_in_frequency_hours": int64(8), "persistent_browser": "never",
			"idle_sign_out_minutes": int64(15), "idle_warning_minutes": int64(10)},
	}
	for _, b := range []block{mfaBlock{}, legacyAuthenticationBlock{}, adminsBlock{}, devicesBlock{}, sessionBlock{}} {
		got := schemaDefaults(t, b)
		w := want[b.Name()]
		if len(got) != len(w) {
			t.Errorf("%s: defaults %v, want %v", b.Name(), got, w)
		}
		for k, v := range w {
			if got[k] != v {
				t.Errorf("%s.%s default = %v, want %v", b.Name(), k, got[k], v)
			}
		}
	}
	// The import starting points must describe the same policies as the defaults.
	e := caTestEnv()
	for name, pair := range map[string][2]caDesired{
		"admins":  {adminsSpec.desired(caPtr(adminsSpec.checked())), adminsDesired(caPtr(adminsSpec.checked()))},
		"devices": {devicesSpec.desired(caPtr(devicesSpec.checked())), devicesDesired(caPtr(devicesSpec.checked()))},
	} {
		if d := policyDiff(e, pair[0].policy(e), pair[1]); len(d) != 0 {
			t.Errorf("%s: %v", name, d)
		}
	}
	if len(adminRoleIDs) != 14 {
		t.Errorf("%d admin roles, Microsoft's administrator template has 14", len(adminRoleIDs))
	}
}

func caPtr[T any](v T) *T { return &v }
