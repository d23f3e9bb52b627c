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

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
)

const (
	breakGlassUser  = "0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"
	breakGlassGroup = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"
	otherUser       = "00000000-0000-0000-0000-0000000000aa"
)

// policyConfig renders a configuration for the lockout cases; grant may also be a whole
// `"session_controls": {...}` member.
func policyConfig(state, users, grant string) string {
	g := ""
	switch {
	case strings.HasPrefix(grant, `"session_controls"`):
		g = ", " + grant
	case grant != "":
		g = `, "grant_controls": ` + grant
	default:
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
		wantPath    path.Path
	}{
		"enabled, all users, block, no exclusion":         {config: policyConfig("enabled", allUsers, block), wantErr: true, wantInError: "exclude_users"},
		"report-only is the safe rollout state":           {config: policyConfig("report_only", allUsers, block)},
		"disabled":                                        {config: policyConfig("disabled", allUsers, block)},
		"mfa for all users, no exclusion":                 {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["mfa"]}`), wantErr: true},
		"authentication strength, no exclusion":           {config: policyConfig("enabled", allUsers, `{"authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`), wantErr: true},
		"compliant device locks out too":                  {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["compliantDevice"]}`), wantErr: true, wantInError: "compliant device"},
		"hybrid joined device locks out too":              {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["domainJoinedDevice"]}`), wantErr: true, wantInError: "hybrid joined"},
		"app protection locks a desktop out":              {config: policyConfig("enabled", allUsers, `{"built_in_controls": ["compliantApplication"]}`), wantErr: true},
		"custom control":                                  {config: policyConfig("enabled", allUsers, `{"custom_authentication_factors": ["x"]}`), wantErr: true},
		"terms of use alone can always be accepted":       {config: policyConfig("enabled", allUsers, `{"terms_of_use": ["11111111-2222-4333-8444-555555555555"]}`)},
		"sign-in every time":                              {config: policyConfig("enabled", allUsers, `"session_controls": {"sign_in_frequency": {"frequency_interval": "everyTime"}}`), wantErr: true, wantInError: "everyTime"},
		"time-based sign-in frequency only":               {config: policyConfig("enabled", allUsers, "")},
		"one group, not all users":                        {config: policyConfig("enabled", `{"include_groups": ["11111111-2222-4333-8444-555555555555"]}`, block)},
		"keyword all in lower case still counts":          {config: policyConfig("enabled", `{"include_users": ["all"]}`, block), wantErr: true},
		"no provider ids: any excluded user will do":      {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block)},
		"no provider ids: an excluded group will do":      {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_groups": ["`+breakGlassGroup+`"]}`, block)},
		"excluding only guests is no emergency exclusion": {config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["GuestsOrExternalUsers"]}`, block), wantErr: true},
		"provider ids: another user is not enough": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			users:  []string{breakGlassUser}, wantErr: true, wantInError: `exclude_users = ["` + otherUser + `", "` + breakGlassUser + `"]`,
		},
		"provider ids: break-glass user excluded, any casing": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+strings.ToUpper(breakGlassUser)+`"]}`, block),
			users:  []string{breakGlassUser},
		},
		"provider ids: every id must be excluded, the group is not enough": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_groups": ["`+breakGlassGroup+`"]}`, block),
			users:  []string{breakGlassUser}, groups: []string{breakGlassGroup}, wantErr: true, wantInError: breakGlassUser,
		},
		"provider ids: user and group both excluded": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+breakGlassUser+`"], "exclude_groups": ["`+breakGlassGroup+`"]}`, block),
			users:  []string{breakGlassUser}, groups: []string{breakGlassGroup},
		},
		"provider group ids: group missing": {
			config: policyConfig("enabled", `{"include_users": ["All"], "exclude_users": ["`+otherUser+`"]}`, block),
			groups: []string{breakGlassGroup}, wantErr: true, wantInError: `exclude_groups = ["` + breakGlassGroup + `"]`,
			wantPath: pathExcludeGroups,
		},
		"provider ids: a policy naming the break-glass user reaches it": {
			config: policyConfig("enabled", `{"include_users": ["`+breakGlassUser+`"]}`, block),
			users:  []string{breakGlassUser}, wantErr: true,
		},
		"provider ids: a policy on the break-glass group reaches it": {
			config: policyConfig("enabled", `{"include_groups": ["`+breakGlassGroup+`"]}`, `{"built_in_controls": ["mfa"]}`),
			groups: []string{breakGlassGroup}, wantErr: true, wantInError: "emergency-access group", wantPath: pathExcludeGroups,
		},
		"provider ids: a policy on any group may reach a member": {
			config: policyConfig("enabled", `{"include_groups": ["11111111-2222-4333-8444-555555555555"]}`, block),
			users:  []string{breakGlassUser}, wantErr: true, wantInError: "member",
		},
		"provider ids: a policy on roles reaches Global Administrators": {
			config: policyConfig("enabled", `{"include_roles": ["62e90394-69f5-4237-9190-012177145e10"]}`, `{"authentication_strength_id": "00000000-0000-0000-0000-000000000004"}`),
			users:  []string{breakGlassUser}, wantErr: true, wantInError: "roles",
		},
		"provider ids: a policy on other listed users only": {
			config: policyConfig("enabled", `{"include_users": ["`+otherUser+`"]}`, block),
			users:  []string{breakGlassUser},
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
			r := &caPolicyResource{data: &providerdata.ProviderData{EmergencyAccess: providerdata.EmergencyAccess{UserIDs: tc.users, GroupIDs: tc.groups}}}
			diags := r.guard(context.Background(), plan, lockout.AtPlan)
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
			want := tc.wantPath
			if len(want.Steps()) == 0 {
				want = pathExcludeUsers
			}
			dp, ok := d.(diag.DiagnosticWithPath)
			if !ok || !dp.Path().Equal(want) {
				t.Errorf("diagnostic is not at %s: %#v", want, d)
			}
		})
	}
}
