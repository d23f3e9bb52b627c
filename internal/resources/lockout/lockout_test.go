// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package lockout

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

const (
	bgUser  = "0b1e3f5a-7c9d-4e2f-8a6b-1c3d5e7f9a0b"
	bgGroup = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"
	other   = "00000000-0000-0000-0000-0000000000aa"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	ea := providerdata.EmergencyAccess{UserIDs: []string{bgUser}, GroupIDs: []string{bgGroup}}
	all := func(controls ...string) Policy {
		return Policy{Enforced: true, IncludeUsers: []string{"All"}, BuiltInControls: controls}
	}
	excluding := func(p Policy, users, groups []string) Policy {
		p.ExcludeUsers, p.ExcludeGroups = users, groups
		return p
	}
	cases := map[string]struct {
		p             Policy
		ea            providerdata.EmergencyAccess
		wantUsers     []string
		wantGroups    []string
		wantNoneKnown bool
		clean         bool
	}{
		"block, nothing excluded":             {p: all("block"), ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"mfa, only the user excluded":         {p: excluding(all("mfa"), []string{bgUser}, nil), ea: ea, wantGroups: []string{bgGroup}},
		"every id excluded":                   {p: excluding(all("mfa"), []string{strings.ToUpper(bgUser)}, []string{bgGroup}), ea: ea, clean: true},
		"report-only never locks out":         {p: Policy{IncludeUsers: []string{"All"}, BuiltInControls: []string{"block"}}, ea: ea, clean: true},
		"terms of use only":                   {p: all(), ea: ea, clean: true},
		"compliant device":                    {p: all("compliantDevice"), ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"hybrid joined device":                {p: all("domainJoinedDevice"), ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"authentication strength":             {p: Policy{Enforced: true, IncludeUsers: []string{"All"}, AuthenticationStrength: true}, ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"sign-in every time":                  {p: Policy{Enforced: true, IncludeUsers: []string{"All"}, SignInEveryTime: true}, ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"other users only":                    {p: Policy{Enforced: true, IncludeUsers: []string{other}, BuiltInControls: []string{"block"}}, ea: ea, clean: true},
		"guests only":                         {p: Policy{Enforced: true, IncludeUsers: []string{"GuestsOrExternalUsers"}, BuiltInControls: []string{"block"}}, ea: ea, clean: true},
		"roles":                               {p: Policy{Enforced: true, IncludeRoles: []string{"62e90394-69f5-4237-9190-012177145e10"}, BuiltInControls: []string{"mfa"}}, ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"no ids known, nothing excluded":      {p: all("block"), wantNoneKnown: true},
		"no ids known, someone excluded":      {p: excluding(all("block"), []string{other}, nil), clean: true},
		"no ids known, only guests excluded":  {p: excluding(all("block"), []string{"GuestsOrExternalUsers"}, nil), wantNoneKnown: true},
		"no ids known, a group is not all":    {p: Policy{Enforced: true, IncludeGroups: []string{bgGroup}, BuiltInControls: []string{"block"}}, clean: true},
		"the break-glass user is the target":  {p: Policy{Enforced: true, IncludeUsers: []string{bgUser}, BuiltInControls: []string{"block"}}, ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
		"the break-glass group is the target": {p: Policy{Enforced: true, IncludeGroups: []string{bgGroup}, BuiltInControls: []string{"block"}}, ea: ea, wantUsers: []string{bgUser}, wantGroups: []string{bgGroup}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := Check(tc.p, tc.ea)
			if tc.clean {
				if f != nil {
					t.Fatalf("refused: %+v", f)
				}
				return
			}
			if f == nil {
				t.Fatal("not refused")
			}
			if f.NoneKnown != tc.wantNoneKnown || !reflect.DeepEqual(f.MissingUsers, tc.wantUsers) || !reflect.DeepEqual(f.MissingGroups, tc.wantGroups) {
				t.Errorf("finding = %+v, want users %v groups %v noneKnown %v", f, tc.wantUsers, tc.wantGroups, tc.wantNoneKnown)
			}
			if !strings.Contains(f.Explain("P"), "164.312(a)(2)(ii)") || len(f.Controls) == 0 {
				t.Errorf("explanation lacks the reason: %s", f.Explain("P"))
			}
		})
	}
}

func TestFromGraph(t *testing.T) {
	t.Parallel()
	p := models.NewConditionalAccessPolicy()
	state := models.ENABLED_CONDITIONALACCESSPOLICYSTATE
	p.SetState(&state)
	c := models.NewConditionalAccessConditionSet()
	u := models.NewConditionalAccessUsers()
	u.SetIncludeUsers([]string{"All"})
	u.SetExcludeUsers([]string{bgUser})
	c.SetUsers(u)
	p.SetConditions(c)
	s := models.NewConditionalAccessSessionControls()
	f := models.NewSignInFrequencySessionControl()
	on := true
	f.SetIsEnabled(&on)
	every := models.EVERYTIME_SIGNINFREQUENCYINTERVAL
	f.SetFrequencyInterval(&every)
	s.SetSignInFrequency(f)
	p.SetSessionControls(s)

	got := FromGraph(p)
	if !got.Enforced || !got.SignInEveryTime || !reflect.DeepEqual(got.ExcludeUsers, []string{bgUser}) {
		t.Fatalf("FromGraph = %+v", got)
	}
	if Check(got, providerdata.EmergencyAccess{UserIDs: []string{bgUser}}) != nil {
		t.Error("a policy excluding the break-glass user is refused")
	}
	if Check(got, providerdata.EmergencyAccess{UserIDs: []string{bgUser, other}}) == nil {
		t.Error("a policy missing one of two emergency-access users passes")
	}

	report := models.ENABLEDFORREPORTINGBUTNOTENFORCED_CONDITIONALACCESSPOLICYSTATE
	p.SetState(&report)
	if FromGraph(p).Enforced {
		t.Error("report-only read as enforced")
	}
}

func TestUnion(t *testing.T) {
	t.Parallel()
	got := Union(providerdata.EmergencyAccess{UserIDs: []string{bgUser}},
		providerdata.EmergencyAccess{UserIDs: []string{strings.ToUpper(bgUser), other}, GroupIDs: []string{bgGroup}})
	want := providerdata.EmergencyAccess{UserIDs: []string{bgUser, other}, GroupIDs: []string{bgGroup}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Union = %+v, want %+v", got, want)
	}
}

func TestFix(t *testing.T) {
	t.Parallel()
	users := path.Root("conditions").AtName("users").AtName("exclude_users")
	groups := path.Root("conditions").AtName("users").AtName("exclude_groups")
	have := providerdata.EmergencyAccess{UserIDs: []string{other}}
	cases := map[string]struct {
		f       Finding
		wantHCL string
		wantAt  path.Path
	}{
		"a user missing":  {f: Finding{MissingUsers: []string{bgUser}}, wantHCL: `exclude_users = ["` + other + `", "` + bgUser + `"]`, wantAt: users},
		"a group missing": {f: Finding{MissingGroups: []string{bgGroup}}, wantHCL: `exclude_groups = ["` + bgGroup + `"]`, wantAt: groups},
		"both missing": {f: Finding{MissingUsers: []string{bgUser}, MissingGroups: []string{bgGroup}},
			wantHCL: `exclude_users = ["` + other + `", "` + bgUser + `"] and exclude_groups = ["` + bgGroup + `"]`, wantAt: users},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			hcl, at := tc.f.Fix(have, users, groups)
			if hcl != tc.wantHCL || !at.Equal(tc.wantAt) {
				t.Errorf("Fix = %s at %s, want %s at %s", hcl, at, tc.wantHCL, tc.wantAt)
			}
		})
	}
}
