// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"reflect"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

func TestSharing_defaultsAreTheChecklist(t *testing.T) {
	got := schemaDefaults(t, sharingBlock{})
	want := map[string]any{
		"sharing_capability": "existingExternalUserSharingOnly", "domain_restriction_mode": "none",
		"allowed_domains": "", "blocked_domains": "", "resharing_by_external_users": false,
		"guest_access_expiration_days": int64(30), "anonymous_link_expiration_days": int64(30),
		"unmanaged_devices": "block", "unmanaged_devices_policy_state": "report_only",
	}
	if len(got) != len(want) {
		t.Fatalf("defaults %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default of %s = %v (%T), want %v", k, got[k], got[k], v)
		}
	}
}

func TestSharing_flattenGraph(t *testing.T) {
	s := models.NewSharepointSettings()
	cap := models.EXTERNALUSERANDGUESTSHARING_SHARINGCAPABILITIES
	mode := models.BLOCKLIST_SHARINGDOMAINRESTRICTIONMODE
	on := true
	s.SetSharingCapability(&cap)
	s.SetSharingDomainRestrictionMode(&mode)
	s.SetSharingBlockedDomainList([]string{"Rival.example", "b.example", "rival.example"})
	s.SetIsResharingByExternalUsersEnabled(&on)
	want := sharingGraphSettings{Capability: "externalUserAndGuestSharing", DomainMode: "blockList",
		Allowed: []string{}, Blocked: []string{"b.example", "rival.example"}, Resharing: true}
	if got := flattenSharingGraph(s); !reflect.DeepEqual(got, want) {
		t.Errorf("flattenSharingGraph = %+v, want %+v", got, want)
	}
}

func TestSharing_expandGraphPatch(t *testing.T) {
	noncompliant := sharingGraphSettings{Capability: "externalUserAndGuestSharing", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: true}
	patch, changed, err := expandSharingGraphPatch(sharingChecklistGraph, noncompliant)
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	body := entraPayload(t, patch)
	if body["sharingCapability"] != "existingExternalUserSharingOnly" || body["isResharingByExternalUsersEnabled"] != false {
		t.Errorf("payload %v", body)
	}
	for _, k := range []string{"sharingDomainRestrictionMode", "sharingAllowedDomainList", "sharingBlockedDomainList", "idleSessionSignOut"} {
		if _, sent := body[k]; sent {
			t.Errorf("%s sent although the block did not change it: %v", k, body)
		}
	}

	// Going back from an allow list: the mode and an explicitly empty list are both sent.
	was := sharingGraphSettings{Capability: "existingExternalUserSharingOnly", DomainMode: "allowList",
		Allowed: []string{"partner.example"}, Blocked: []string{}}
	patch, _, err = expandSharingGraphPatch(sharingChecklistGraph, was)
	if err != nil {
		t.Fatal(err)
	}
	body = entraPayload(t, patch)
	if list, ok := body["sharingAllowedDomainList"].([]any); !ok || len(list) != 0 {
		t.Errorf("sharingAllowedDomainList = %#v, want []", body["sharingAllowedDomainList"])
	}
	if body["sharingDomainRestrictionMode"] != "none" {
		t.Errorf("sharingDomainRestrictionMode = %v", body["sharingDomainRestrictionMode"])
	}
	if _, changed, _ := expandSharingGraphPatch(sharingChecklistGraph, sharingChecklistGraph); changed {
		t.Error("no difference, yet a patch")
	}
}

func TestSharing_flattenSPO(t *testing.T) {
	cases := []struct {
		name   string
		tenant map[string]any
		want   sharingSPOSettings
	}{
		{"compliant seed", map[string]any{"ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 30.0,
			"RequireAnonymousLinksExpireInDays": 30.0, "ConditionalAccessPolicy": 2.0}, sharingChecklistSPO},
		{"noncompliant seed", map[string]any{"ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60.0,
			"RequireAnonymousLinksExpireInDays": -1.0, "ConditionalAccessPolicy": 0.0},
			sharingSPOSettings{GuestExpiryDays: 0, AnonymousExpiryDays: 0, Unmanaged: "allow"}},
		{"limited", map[string]any{"ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 90.0,
			"RequireAnonymousLinksExpireInDays": 7.0, "ConditionalAccessPolicy": 1.0},
			sharingSPOSettings{GuestExpiryDays: 90, AnonymousExpiryDays: 7, Unmanaged: "limited"}},
		{"unknown access policy shows as itself", map[string]any{"ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60.0,
			"RequireAnonymousLinksExpireInDays": 0.0, "ConditionalAccessPolicy": 3.0},
			sharingSPOSettings{Unmanaged: "3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := flattenSharingSPO(tc.tenant)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("flattenSharingSPO = %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := flattenSharingSPO(map[string]any{"ExternalUserExpirationRequired": true}); err == nil {
		t.Error("missing properties must be an error, not zeros")
	}
}

func TestSharing_expandSPO(t *testing.T) {
	noncompliant := sharingSPOSettings{GuestExpiryDays: 0, AnonymousExpiryDays: 0, Unmanaged: "allow"}
	got := expandSharingSPO(sharingChecklistSPO, noncompliant)
	want := []m365.CSOMProperty{
		{Name: "ExternalUserExpirationRequired", Value: true}, {Name: "ExternalUserExpireInDays", Value: int64(30)},
		{Name: "RequireAnonymousLinksExpireInDays", Value: int64(30)}, {Name: "ConditionalAccessPolicy", Value: m365.CSOMEnum(2)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expandSharingSPO = %#v, want %#v", got, want)
	}
	// Turning guest expiry off only clears the requirement; the days stay as they were.
	got = expandSharingSPO(sharingSPOSettings{GuestExpiryDays: 0, AnonymousExpiryDays: 30, Unmanaged: "block"}, sharingChecklistSPO)
	if want := []m365.CSOMProperty{{Name: "ExternalUserExpirationRequired", Value: false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("expiry off = %#v, want %#v", got, want)
	}
	got = expandSharingSPO(sharingSPOSettings{GuestExpiryDays: 30, AnonymousExpiryDays: 30, Unmanaged: "limited"}, sharingChecklistSPO)
	if want := []m365.CSOMProperty{{Name: "ConditionalAccessPolicy", Value: m365.CSOMEnum(1)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("limited = %#v, want %#v", got, want)
	}
	got = expandSharingSPO(sharingDefaultsSPO, sharingSPOSettings{GuestExpiryDays: 0, AnonymousExpiryDays: 30, Unmanaged: "allow"})
	if want := []m365.CSOMProperty{{Name: "RequireAnonymousLinksExpireInDays", Value: int64(-1)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("anonymous expiry off = %#v, want %#v", got, want)
	}
	if got := expandSharingSPO(sharingChecklistSPO, sharingChecklistSPO); len(got) != 0 {
		t.Errorf("no difference, yet %v", got)
	}
}

func TestSharing_domainProblems(t *testing.T) {
	cases := []struct {
		mode             string
		allowed, blocked int
		want             []string
	}{
		{"none", 0, 0, nil},
		{"allowList", 2, 0, nil},
		{"blockList", 0, 1, nil},
		{"none", 1, 0, []string{"allowed_domains"}},
		{"allowList", 0, 1, []string{"blocked_domains", "allowed_domains"}},
		{"blockList", 0, 0, []string{"blocked_domains"}},
	}
	for _, tc := range cases {
		var got []string
		for _, p := range sharingDomainProblems(tc.mode, tc.allowed, tc.blocked) {
			got = append(got, p.attr)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("mode %s, %d allowed, %d blocked: problems with %v, want %v", tc.mode, tc.allowed, tc.blocked, got, tc.want)
		}
	}
}

func TestSharing_unmanagedPolicy(t *testing.T) {
	e := &env{emergency: providerdata.EmergencyAccess{UserIDs: []string{"11111111-1111-1111-1111-111111111111"}}}
	want := sharingUnmanagedPolicy(caStateEnabled)
	p := want.policy(e)
	shape := caShape(p)
	checks := map[string]string{
		"displayName":                      "HIPAA - App-enforced restrictions for unmanaged devices",
		"users.includeUsers":               "all",
		"users.excludeUsers":               "11111111-1111-1111-1111-111111111111",
		"applications.includeApplications": "office365",
		"clientAppTypes":                   "all",
		"grantControls":                    "",
		"sessionControls":                  "applicationEnforcedRestrictions",
	}
	for k, v := range checks {
		if shape[k] != v {
			t.Errorf("%s = %q, want %q", k, shape[k], v)
		}
	}
	if p.GetState() == nil || *p.GetState() != models.ENABLED_CONDITIONALACCESSPOLICYSTATE {
		t.Errorf("state = %v, want enabled", p.GetState())
	}
	if !policyMatches(e, p, sharingUnmanagedPolicy(caStateReportOnly)) {
		t.Error("the state must not count as a difference of the policy's content")
	}
}
