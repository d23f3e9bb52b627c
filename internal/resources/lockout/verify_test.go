// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package lockout

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/devtenanttest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

// firstID returns the id of the first object of a Graph list query.
func firstID(t *testing.T, c *m365.Client, query string) string {
	t.Helper()
	status, body, err := c.GraphGet(context.Background(), query)
	if err != nil || status != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", query, status, err, body)
	}
	var list struct {
		Value []struct {
			ID string `json:"id"`
		} `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil || len(list.Value) == 0 {
		t.Fatalf("GET %s: no object in %s", query, body)
	}
	return list.Value[0].ID
}

func TestVerify(t *testing.T) {
	srv, c := devtenanttest.Start(t, "noncompliant")
	bg := srv.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	group := firstID(t, c, "/groups?$filter="+url.QueryEscape("displayName eq 'Emergency Access Accounts'"))
	disabled := firstID(t, c, "/users?$filter="+url.QueryEscape("accountEnabled eq false"))
	const missing = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
	usersAt := path.Root("emergency_access").AtName("user_ids")
	user := func(id string) ID {
		return ID{Value: id, Kind: User, Path: usersAt, Attribute: "emergency_access.user_ids", OtherKind: "emergency_access.group_ids"}
	}

	cases := map[string]struct {
		ids         []ID
		wantError   string // Summary of the one error, "" for none.
		wantWarning string
		inDetail    []string
	}{
		"the break-glass user":       {ids: []ID{user(bg)}},
		"the break-glass group":      {ids: []ID{{Value: group, Kind: Group, Attribute: "group_ids", OtherKind: "user_ids"}}},
		"an id that does not exist":  {ids: []ID{user(missing)}, wantError: "Emergency-Access Account Not Found", inDetail: []string{missing, "emergency_access.user_ids"}},
		"a group listed as a user":   {ids: []ID{user(group)}, wantError: "Emergency-Access Id Is a Group, Not a User", inDetail: []string{group, "emergency_access.group_ids"}},
		"a user listed as a group":   {ids: []ID{{Value: bg, Kind: Group, Attribute: "group_ids", OtherKind: "user_ids"}}, wantError: "Emergency-Access Id Is a User, Not a Group"},
		"a disabled user":            {ids: []ID{user(disabled)}, wantWarning: "Emergency-Access Account Disabled"},
		"the provider's unknown ids": {ids: ProviderIDs(providerEA(missing)), wantError: "Emergency-Access Account Not Found", inDetail: []string{"emergency_access_user_ids"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			diags := Verify(context.Background(), c, tc.ids, AtApply)
			checkOne(t, diags.Errors(), tc.wantError, tc.inDetail)
			checkOne(t, diags.Warnings(), tc.wantWarning, nil)
			if tc.wantError != "" && len(tc.ids[0].Path.Steps()) > 0 {
				if dp, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !dp.Path().Equal(tc.ids[0].Path) {
					t.Errorf("error is not at %s", tc.ids[0].Path)
				}
			}
		})
	}

	// A tenant that cannot be read: a warning at plan, an error at apply.
	srv.Faults().FailNext("GET", "/users/", http.StatusForbidden, 2)
	diags := Verify(context.Background(), c, []ID{user(bg)}, AtPlan)
	checkOne(t, diags.Errors(), "", nil)
	checkOne(t, diags.Warnings(), "Unable to Verify Emergency-Access Accounts", []string{bg, "again at apply"})
	srv.Faults().FailNext("GET", "/users/", http.StatusForbidden, 2)
	diags = Verify(context.Background(), c, []ID{user(bg)}, AtApply)
	checkOne(t, diags.Errors(), "Unable to Verify Emergency-Access Accounts", []string{"Nothing was written", "User.Read.All"})
}

func checkOne(t *testing.T, got diag.Diagnostics, summary string, inDetail []string) {
	t.Helper()
	if summary == "" {
		if len(got) > 0 {
			t.Errorf("unexpected diagnostics: %v", got)
		}
		return
	}
	if len(got) != 1 || got[0].Summary() != summary {
		t.Fatalf("diagnostics = %v, want one %q", got, summary)
	}
	for _, s := range inDetail {
		if !strings.Contains(got[0].Detail(), s) {
			t.Errorf("detail lacks %q: %s", s, got[0].Detail())
		}
	}
}

func providerEA(users ...string) providerdata.EmergencyAccess {
	return providerdata.EmergencyAccess{UserIDs: users}
}
