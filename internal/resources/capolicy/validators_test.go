// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// cfg renders a configuration from its parts; empty parts are left out.
func cfg(conditions, grant, session string) string {
	s := `{"display_name": "x", "state": "enabled", "conditions": ` + conditions
	if grant != "" {
		s += `, "grant_controls": ` + grant
	}
	if session != "" {
		s += `, "session_controls": ` + session
	}
	return s + "}"
}

const (
	okConditions = `{"users": {"include_users": ["All"]}, "applications": {"include_applications": ["All"]}}`
	okGrant      = `{"built_in_controls": ["mfa"]}`
)

func conditionsWith(users, apps, extra string) string {
	return fmt.Sprintf(`{"users": %s, "applications": %s%s}`, users, apps, extra)
}

func TestSchemaValidation(t *testing.T) {
	t.Parallel()
	allApps := `{"include_applications": ["All"]}`
	allUsers := `{"include_users": ["All"]}`
	cases := map[string]struct {
		config  string
		summary string // "" means the configuration is valid.
		path    string
		detail  string
	}{
		"valid baseline":           {config: cfg(okConditions, okGrant, "")},
		"keywords in any casing":   {config: cfg(conditionsWith(`{"include_users": ["all"], "exclude_users": ["guestsOrExternalUsers"]}`, `{"include_applications": ["office365"]}`, `, "locations": {"include_locations": ["alltrusted"]}`), okGrant, "")},
		"unknown state":            {config: strings.Replace(cfg(okConditions, okGrant, ""), `"enabled"`, `"on"`, 1), summary: "Invalid Attribute Value Match", path: "state", detail: "report_only"},
		"Graph's report-only name": {config: strings.Replace(cfg(okConditions, okGrant, ""), `"enabled"`, `"enabledForReportingButNotEnforced"`, 1), summary: "Invalid Attribute Value Match", path: "state"},
		"bad client app type":      {config: cfg(conditionsWith(allUsers, allApps, `, "client_app_types": ["legacy"]`), okGrant, ""), summary: "Invalid Attribute Value Match", detail: "legacy"},
		"empty client app types":   {config: cfg(conditionsWith(allUsers, allApps, `, "client_app_types": []`), okGrant, ""), summary: "Invalid Attribute Value", path: "conditions.client_app_types"},
		"empty insider risk":       {config: cfg(conditionsWith(allUsers, allApps, `, "insider_risk_levels": []`), okGrant, ""), summary: "Invalid Attribute Value", path: "conditions.insider_risk_levels"},
		"hidden risk level":        {config: cfg(conditionsWith(allUsers, allApps, `, "user_risk_levels": ["hidden"]`), okGrant, ""), summary: "Invalid Attribute Value Match"},
		"user principal name":      {config: cfg(conditionsWith(`{"include_users": ["alice@contoso.com"]}`, allApps, ""), okGrant, ""), summary: "Invalid Object Id", detail: "not a display name"},
		"keyword where none fits":  {config: cfg(conditionsWith(`{"include_users": ["All"], "include_groups": ["All"]}`, allApps, ""), okGrant, ""), summary: "Invalid Object Id"},
		"All is not an exclusion":  {config: cfg(conditionsWith(`{"include_users": ["All"], "exclude_users": ["All"]}`, allApps, ""), okGrant, ""), summary: "Invalid Object Id", detail: "GuestsOrExternalUsers"},
		"bad auth context":         {config: cfg(conditionsWith(allUsers, `{"include_authentication_context_class_references": ["x1"]}`, ""), okGrant, ""), summary: "Invalid Attribute Value Match", detail: "c1 to c99"},
		"unknown role template": {
			config:  cfg(conditionsWith(`{"include_roles": ["11111111-2222-3333-4444-555555555555"]}`, allApps, ""), okGrant, ""),
			summary: "Unknown Directory Role", path: `conditions.users.include_roles[Value("11111111-2222-3333-4444-555555555555")]`,
			detail: `conditions.users.include_roles: "11111111-2222-3333-4444-555555555555" is not the template id of a built-in`,
		},
		"role by its name": {
			config:  cfg(conditionsWith(`{"include_users": ["All"], "exclude_roles": ["Global Administrator"]}`, allApps, ""), okGrant, ""),
			summary: "Role Name Instead of Template Id", detail: "62e90394-69f5-4237-9190-012177145e10",
		},
		"built-in roles in any case": {config: cfg(conditionsWith(`{"include_roles": ["62E90394-69F5-4237-9190-012177145E10", "c4e39bd9-1100-46d3-8c65-fb160da0071f"]}`, allApps, ""), okGrant, "")},
		"no users":                   {config: cfg(conditionsWith(`{"exclude_users": ["GuestsOrExternalUsers"]}`, allApps, ""), okGrant, ""), summary: "No Users In Scope", path: "conditions.users"},
		"guests alone are a target":  {config: cfg(conditionsWith(`{"include_guests_or_external_users": {"guest_or_external_user_types": ["internalGuest"]}}`, allApps, ""), okGrant, "")},
		"no applications":            {config: cfg(conditionsWith(allUsers, `{"exclude_applications": ["Office365"]}`, ""), okGrant, ""), summary: "No Applications In Scope", path: "conditions.applications"},
		"apps and user actions":      {config: cfg(conditionsWith(allUsers, `{"include_applications": ["All"], "include_user_actions": ["urn:user:registersecurityinfo"]}`, ""), okGrant, ""), summary: "Conflicting Application Targets"},
		"enumerated without members": {
			config:  cfg(conditionsWith(`{"include_guests_or_external_users": {"guest_or_external_user_types": ["internalGuest"], "external_tenants": {"membership_kind": "enumerated"}}}`, allApps, ""), okGrant, ""),
			summary: "Missing External Tenant Ids", path: "conditions.users.include_guests_or_external_users.external_tenants.members",
		},
		"all with members": {
			config:  cfg(conditionsWith(`{"include_guests_or_external_users": {"guest_or_external_user_types": ["internalGuest"], "external_tenants": {"membership_kind": "all", "members": ["c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"]}}}`, allApps, ""), okGrant, ""),
			summary: "External Tenant Ids Not Allowed",
		},
		"no grant and no session": {config: cfg(okConditions, "", ""), summary: "Missing Policy Controls", path: "grant_controls"},
		"empty grant controls":    {config: cfg(okConditions, `{"operator": "AND"}`, ""), summary: "Empty Grant Controls", path: "grant_controls"},
		"block with mfa":          {config: cfg(okConditions, `{"built_in_controls": ["block", "mfa"]}`, ""), summary: "Block Combined With Other Controls", path: "grant_controls.built_in_controls"},
		"mfa with strength":       {config: cfg(okConditions, `{"built_in_controls": ["mfa"], "authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`, ""), summary: "MFA Combined With Authentication Strength", detail: "Remove \"mfa\""},
		"strength with device":    {config: cfg(okConditions, `{"operator": "AND", "built_in_controls": ["compliantDevice"], "authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`, "")},
		"strength is a GUID":      {config: cfg(okConditions, `{"authentication_strength_id": "Phishing-resistant MFA"}`, ""), summary: "Invalid Object Id"},
		"lower-case operator":     {config: cfg(okConditions, `{"operator": "or", "built_in_controls": ["mfa"]}`, ""), summary: "Invalid Attribute Value Match"},
		"empty session controls":  {config: cfg(okConditions, "", `{"disable_resilience_defaults": false}`), summary: "Empty Session Controls", path: "session_controls"},
		"session only":            {config: cfg(okConditions, "", `{"sign_in_frequency": {"value": 8, "type": "hours"}}`)},
		"frequency without value": {config: cfg(okConditions, "", `{"sign_in_frequency": {"type": "hours"}}`), summary: "Missing Sign-In Frequency Value", detail: "everyTime"},
		"every time with value":   {config: cfg(okConditions, "", `{"sign_in_frequency": {"frequency_interval": "everyTime", "value": 1, "type": "days"}}`), summary: "Sign-In Frequency Value Not Allowed"},
		"24 hours":                {config: cfg(okConditions, "", `{"sign_in_frequency": {"value": 24, "type": "hours"}}`), summary: "Sign-In Frequency Out Of Range", detail: "days"},
		"366 days":                {config: cfg(okConditions, "", `{"sign_in_frequency": {"value": 366, "type": "days"}}`), summary: "Invalid Attribute Value"},
		"persistent browser, one app": {
			config:  cfg(conditionsWith(allUsers, `{"include_applications": ["00000003-0000-0ff1-ce00-000000000000"]}`, ""), "", `{"persistent_browser": "never"}`),
			summary: "Persistent Browser Needs All Cloud Apps", path: "session_controls.persistent_browser",
		},
		"persistent browser, all apps": {config: cfg(okConditions, "", `{"persistent_browser": "always"}`)},
		"bad cloud app security":       {config: cfg(okConditions, "", `{"cloud_app_security": "audit"}`), summary: "Invalid Attribute Value Match"},
		"filter without rule":          {config: cfg(conditionsWith(allUsers, allApps, `, "devices": {"device_filter": {"mode": "include", "rule": ""}}`), okGrant, ""), summary: "Invalid Attribute Value Length"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			diags := validateConfig(t, configFromJSON(t, tc.config))
			if tc.summary == "" {
				if diags.HasError() {
					t.Fatalf("want no error, got %v", diags)
				}
				return
			}
			d := findError(diags, tc.summary)
			if d == nil {
				t.Fatalf("want error %q, got %v", tc.summary, diags)
			}
			if tc.path != "" {
				dp, ok := d.(diag.DiagnosticWithPath)
				if !ok || dp.Path().String() != tc.path {
					t.Errorf("error at %v, want %s", d, tc.path)
				}
			}
			if !strings.Contains(d.Detail(), tc.detail) {
				t.Errorf("detail lacks %q: %s", tc.detail, d.Detail())
			}
		})
	}
}

func findError(diags diag.Diagnostics, summary string) diag.Diagnostic {
	for _, d := range diags.Errors() {
		if d.Summary() == summary {
			return d
		}
	}
	return nil
}

// One validation reports every error: a cross-field error in an object does not hide the errors
// of the attributes inside it, and each detail starts with the attribute's path, since
// Terraform shows the error against the resource, not the nested attribute.
func TestSchemaValidation_allErrorsAtOnce(t *testing.T) {
	t.Parallel()
	config := cfg(conditionsWith(`{"exclude_users": ["alice@contoso.com"]}`, `{"include_applications": ["All"]}`, ""),
		`{"built_in_controls": ["block", "sms"]}`,
		`{"sign_in_frequency": {"type": "weeks"}}`)
	diags := validateConfig(t, configFromJSON(t, config))
	for _, want := range []struct{ summary, path, detail string }{
		{"No Users In Scope", "conditions.users", "conditions.users: "},
		{"Invalid Object Id", `conditions.users.exclude_users[Value("alice@contoso.com")]`, `conditions.users.exclude_users: "alice@contoso.com" is not an object id`},
		{"Block Combined With Other Controls", "grant_controls.built_in_controls", "grant_controls.built_in_controls: "},
		{"Invalid Attribute Value Match", `grant_controls.built_in_controls[Value("sms")]`, "sms"},
		{"Missing Sign-In Frequency Value", "session_controls.sign_in_frequency", "session_controls.sign_in_frequency: "},
		{"Invalid Attribute Value Match", "session_controls.sign_in_frequency.type", "weeks"},
	} {
		found := false
		for _, d := range diags.Errors() {
			dp, ok := d.(diag.DiagnosticWithPath)
			if d.Summary() == want.summary && ok && dp.Path().String() == want.path && strings.Contains(d.Detail(), want.detail) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q at %s with %q among %v", want.summary, want.path, want.detail, diags)
		}
	}
}

// TestSchemaValidation_ownMessagesAreSentences checks the style rule for this package's own
// diagnostics: a Title Case summary and a detail of full sentences saying how to fix the problem.
func TestSchemaValidation_ownMessagesAreSentences(t *testing.T) {
	t.Parallel()
	for _, config := range []string{
		cfg(conditionsWith(`{"include_users": ["bob"]}`, `{"include_applications": ["All"], "include_user_actions": ["urn:user:registerdevice"]}`, ""), "", ""),
		cfg(okConditions, `{"built_in_controls": ["block", "mfa"], "authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`, `{"sign_in_frequency": {"value": 30, "type": "hours"}}`),
		cfg(conditionsWith(`{}`, `{}`, ""), "", `{"disable_resilience_defaults": false}`),
	} {
		diags := validateConfig(t, configFromJSON(t, config))
		if len(diags.Errors()) < 2 {
			t.Fatalf("want several errors, got %v", diags)
		}
		for _, d := range diags.Errors() {
			if strings.HasPrefix(d.Summary(), "Invalid Attribute") {
				continue // The framework-validators' own wording.
			}
			for _, w := range strings.Fields(d.Summary()) {
				if c := w[0]; c < 'A' || c > 'Z' {
					t.Errorf("summary %q is not Title Case", d.Summary())
				}
			}
			if !strings.HasSuffix(d.Detail(), ".") || len(strings.Fields(d.Detail())) < 8 {
				t.Errorf("detail of %q is not a full sentence: %q", d.Summary(), d.Detail())
			}
		}
	}
}

// TestSchema_descriptions: every attribute is documented, every default is stated, and every enum
// list in a description matches its validator (both come from one slice).
func TestSchema_descriptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if d := testSchema.ValidateImplementation(ctx); d.HasError() {
		t.Fatalf("schema: %v", d)
	}
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			full := prefix + name
			if name == "timeouts" {
				continue
			}
			desc := a.GetMarkdownDescription()
			if len(desc) < 15 {
				t.Errorf("%s: missing description", full)
			}
			hasDefault := false
			switch at := a.(type) {
			case schema.SetAttribute:
				hasDefault = at.Default != nil
			case schema.StringAttribute:
				hasDefault = at.Default != nil
			case schema.BoolAttribute:
				hasDefault = at.Default != nil
			case schema.SingleNestedAttribute:
				walk(full+".", at.Attributes)
			}
			if hasDefault && !strings.Contains(desc, "Default") {
				t.Errorf("%s: has a default the description does not state: %q", full, desc)
			}
		}
	}
	walk("", testSchema.Attributes)

	for _, tc := range []struct {
		desc   string
		values []string
	}{
		{testSchema.Attributes["state"].GetMarkdownDescription(), stateValues},
		{sessionControlsAttribute().Attributes["cloud_app_security"].GetMarkdownDescription(), cloudAppSecurityValues},
		{grantControlsAttribute().Attributes["built_in_controls"].GetMarkdownDescription(), builtInControlValues},
	} {
		for _, v := range tc.values {
			if !strings.Contains(tc.desc, "`"+v+"`") {
				t.Errorf("description lacks %q: %s", v, tc.desc)
			}
		}
	}
}
