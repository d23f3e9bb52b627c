// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"reflect"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

// checklist is what the baseline's sharing block applies.
var checklist = Sharing{Capability: "existingExternalUserSharingOnly", DomainMode: "none", Allowed: []string{}, Blocked: []string{}}

func TestSharing_flatten(t *testing.T) {
	s := models.NewSharepointSettings()
	capability := models.EXTERNALUSERANDGUESTSHARING_SHARINGCAPABILITIES
	mode := models.BLOCKLIST_SHARINGDOMAINRESTRICTIONMODE
	on := true
	s.SetSharingCapability(&capability)
	s.SetSharingDomainRestrictionMode(&mode)
	s.SetSharingBlockedDomainList([]string{"Rival.example", "b.example", "rival.example"})
	s.SetIsResharingByExternalUsersEnabled(&on)
	want := Sharing{Capability: "externalUserAndGuestSharing", DomainMode: "blockList",
		Allowed: []string{}, Blocked: []string{"b.example", "rival.example"}, Resharing: true}
	if got := flattenSharing(s); !reflect.DeepEqual(got, want) {
		t.Errorf("flattenSharing = %+v, want %+v", got, want)
	}
	if got := flattenSharing(nil); got.Allowed == nil || got.Blocked == nil {
		t.Errorf("flattenSharing(nil) = %+v: the domain lists must be empty, not nil", got)
	}
}

func TestSharing_expandPatch(t *testing.T) {
	noncompliant := Sharing{Capability: "externalUserAndGuestSharing", DomainMode: "none",
		Allowed: []string{}, Blocked: []string{}, Resharing: true}
	patch, changed, err := expandSharingPatch(checklist, noncompliant)
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	body := graphjson.Payload(t, patch)
	if body["sharingCapability"] != "existingExternalUserSharingOnly" || body["isResharingByExternalUsersEnabled"] != false {
		t.Errorf("payload %v", body)
	}
	for _, k := range []string{"sharingDomainRestrictionMode", "sharingAllowedDomainList", "sharingBlockedDomainList", "idleSessionSignOut"} {
		if _, sent := body[k]; sent {
			t.Errorf("%s sent although the block did not change it: %v", k, body)
		}
	}

	// Going back from an allow list: the mode and an explicitly empty list are both sent.
	was := Sharing{Capability: "existingExternalUserSharingOnly", DomainMode: "allowList",
		Allowed: []string{"partner.example"}, Blocked: []string{}}
	patch, _, err = expandSharingPatch(checklist, was)
	if err != nil {
		t.Fatal(err)
	}
	body = graphjson.Payload(t, patch)
	if list, ok := body["sharingAllowedDomainList"].([]any); !ok || len(list) != 0 {
		t.Errorf("sharingAllowedDomainList = %#v, want []", body["sharingAllowedDomainList"])
	}
	if body["sharingDomainRestrictionMode"] != "none" {
		t.Errorf("sharingDomainRestrictionMode = %v", body["sharingDomainRestrictionMode"])
	}
	if _, changed, _ := expandSharingPatch(checklist, checklist); changed {
		t.Error("no difference, yet a patch")
	}
	for _, bad := range []Sharing{{Capability: "anyone"}, {Capability: checklist.Capability, DomainMode: "allowEverything"}} {
		if _, _, err := expandSharingPatch(bad, checklist); err == nil {
			t.Errorf("%+v: want an error for the unknown value", bad)
		}
	}
}

func TestSharing_equalAndDomains(t *testing.T) {
	if got := Domains([]string{" B.example", "a.example", "b.example", ""}); !reflect.DeepEqual(got, []string{"a.example", "b.example"}) {
		t.Errorf("Domains = %q", got)
	}
	if got := Domains(nil); got == nil || len(got) != 0 {
		t.Errorf("Domains(nil) = %#v, want an empty list", got)
	}
	other := checklist
	other.Allowed = []string{"partner.example"}
	if !checklist.Equal(checklist) || checklist.Equal(other) {
		t.Error("Equal must compare the domain lists")
	}
}
