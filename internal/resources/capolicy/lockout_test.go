// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

const (
	breakGlassUser  = "0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"
	breakGlassGroup = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"
	otherUser       = "00000000-0000-0000-0000-0000000000aa"
)

// policyConfig renders a configuration for the lockout cases.
func policyConfig(state, users, grant string) string {
	g := ""
	if grant != "" {
		g = `, "grant_controls": ` + grant
	} else {
		g = `, "session_controls": {"sign_in_frequency": {"value": 1, "type": "hours"}}`
	}
	return fmt.Sprintf(`{"display_name": "x", "state": %q,
	  "conditions": {"users": %s, "applications": {"include_applications": ["All"]}}%s}`, state, users, g)
}

// withUnknown replaces the value at p with an unknown one, as when it refers to a resource that
// does not exist yet.
func withUnknown(t *testing.T, cfg tfsdk.Config, p *tftypes.AttributePath) tfsdk.Config {
	t.Helper()
	raw, err := tftypes.Transform(cfg.Raw, func(ap *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if ap.Equal(p) {
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tfsdk.Config{Schema: cfg.Schema, Raw: raw}
}

func TestLockoutDiagnostics(t *testing.T) {
	t.Parallel()
	allUsers := `{"include_users": ["All"]}`
	block := `{"built_in_controls": ["block"]}`
	usersPath := tftypes.NewAttributePath().WithAttributeName("conditions").WithAttributeName("users")

	cases := map[string]struct {
		config      string
		unknown     *tftypes.AttributePath
		users       []string
		groups      []string
		wantErr     bool
		wantInError string
	}{
		"enabled, all users, block, no exclusion":         {config: policyConfig("enabled", allUsers, block), wantErr: true, wantInError: "exclude_users"},
		"report-only is the safe rollout state":           {config: policyConfig("report_only", allUsers, block)},
		"disabled":                                        {config: policyConfig("disabled", allUsers, block)},
		"mfa for all users, no exclusion":                 {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["mfa"]}`), wantErr: true},
		"authentication strength, no exclusion":           {config: policyConfig("enabled", allUsers, `{"authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`), wantErr: true},
		"compliant device only is not a lockout grant":    {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["compliantDevice"]}`)},
		"session controls only":                           {config: policyConfig("enabled", allUsers, "")},
		"one group, not all users":                        {config: policyConfig("enabled", `{"include_groups": ["11111111-2222-4333-8444-555555555555"]}`, block)},
		"keyword all in lower case still counts":          {config: policyConfig("enabled", `{"include_users": ["all"]}`, block), wantErr: true},
		"no provider ids: any excluded user will do":      {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block)},
		"no provider ids: an excluded group will do":      {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_groups": ["`+breakGlassGroup+`"]}`, block)},
		"excluding only guests is no emergency exclusion": {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["GuestsOrExternalUsers"]}`, block), wantErr: true},
		"provider ids: another user is not enough": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			users:  []string{breakGlassUser}, wantErr: true, wantInError: `exclude_users = ["` + breakGlassUser + `"]`,
		},
		"provider ids: break-glass user excluded, any casing": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+strings.ToUpper(breakGlassUser)+`"]}`, block),
			users:  []string{breakGlassUser},
		},
		"provider ids: break-glass group excluded": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_groups": ["`+breakGlassGroup+`"]}`, block),
			users:  []string{breakGlassUser}, groups: []string{breakGlassGroup},
		},
		"provider group ids: group missing": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			groups: []string{breakGlassGroup}, wantErr: true, wantInError: `exclude_groups = ["` + breakGlassGroup + `"]`,
		},
		"unknown exclusion (id from a resource not yet created)": {
			config:  policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			unknown: usersPath.WithAttributeName("exclude_users"), users: []string{breakGlassUser},
		},
		"unknown exclusion element": {
			config:  policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			unknown: usersPath.WithAttributeName("exclude_users").WithElementKeyValue(tftypes.NewValue(tftypes.String, otherUser)),
			users:   []string{breakGlassUser},
		},
		"unknown state": {
			config:  policyConfig("enabled", allUsers, block),
			unknown: tftypes.NewAttributePath().WithAttributeName("state"),
		},
		"unknown grant controls": {
			config:  policyConfig("enabled", allUsers, block),
			unknown: tftypes.NewAttributePath().WithAttributeName("grant_controls").WithAttributeName("built_in_controls"),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := configFromJSON(t, tc.config)
			if tc.unknown != nil {
				cfg = withUnknown(t, cfg, tc.unknown)
			}
			plan := planFromConfig(t, cfg)
			diags := lockoutDiagnostics(context.Background(), plan, tc.users, tc.groups)
			if got := diags.HasError(); got != tc.wantErr {
				t.Fatalf("error = %v, want %v: %v", got, tc.wantErr, diags)
			}
			if !tc.wantErr {
				return
			}
			d := diags.Errors()[0]
			if d.Summary() != "Policy Would Lock Out Emergency Access" {
				t.Errorf("summary = %q", d.Summary())
			}
			for _, s := range []string{"164.312(a)(2)(ii)", "report_only", tc.wantInError} {
				if !strings.Contains(d.Detail(), s) {
					t.Errorf("detail lacks %q: %s", s, d.Detail())
				}
			}
			dp, ok := d.(diag.DiagnosticWithPath)
			if !ok || !dp.Path().Equal(path.Root("conditions").AtName("users").AtName("exclude_users")) {
				t.Errorf("diagnostic is not at conditions.users.exclude_users: %#v", d)
			}
		})
	}
}
