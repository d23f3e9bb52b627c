// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"testing"

	"github.com/google/uuid"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestGuests_defaultsAreTheChecklist(t *testing.T) {
	got := schemaDefaults(t, guestsBlock{})
	want := map[string]any{"allow_invites_from": "adminsAndGuestInviters", "guest_user_role": "restricted"}
	if len(got) != len(want) {
		t.Fatalf("defaults %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default of %s = %v, want %v", k, got[k], v)
		}
	}
	// The checklist's restricted guest role id.
	if guestsRoleIDs["restricted"] != "2af84b1e-32c8-42b7-82bc-daa82404023b" {
		t.Errorf("restricted role id = %s", guestsRoleIDs["restricted"])
	}
}

func TestGuests_flatten(t *testing.T) {
	p := models.NewAuthorizationPolicy()
	everyone := models.EVERYONE_ALLOWINVITESFROM
	p.SetAllowInvitesFrom(&everyone)
	member := uuid.MustParse("A0B1B346-4D3E-4E8B-98F8-753987BE4970")
	p.SetGuestUserRoleId(&member)
	if got, want := flattenGuests(p), (guestsSettings{AllowInvitesFrom: "everyone", GuestUserRole: "member"}); got != want {
		t.Errorf("flattenGuests = %+v, want %+v", got, want)
	}

	// A role id the provider does not know shows as itself, so plan shows what the tenant has.
	other := uuid.MustParse("11111111-2222-3333-4444-555555555555")
	p.SetGuestUserRoleId(&other)
	if got := flattenGuests(p).GuestUserRole; got != "11111111-2222-3333-4444-555555555555" {
		t.Errorf("unknown role flattens to %q", got)
	}
	if got := flattenGuests(nil); got != (guestsSettings{}) {
		t.Errorf("flattenGuests(nil) = %+v", got)
	}
}

func TestGuests_expandPatchOnlyWhatDiffers(t *testing.T) {
	got := guestsSettings{AllowInvitesFrom: "everyone", GuestUserRole: "restricted"}
	patch, changed, err := expandGuestsPatch(guestsChecklist, got)
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	body := graphjson.Payload(t, patch)
	if body["allowInvitesFrom"] != "adminsAndGuestInviters" {
		t.Errorf("allowInvitesFrom = %v", body["allowInvitesFrom"])
	}
	if _, sent := body["guestUserRoleId"]; sent {
		t.Errorf("guestUserRoleId sent although it did not differ: %v", body)
	}

	patch, changed, err = expandGuestsPatch(guestsChecklist, guestsSettings{AllowInvitesFrom: "adminsAndGuestInviters", GuestUserRole: "guest"})
	if err != nil || !changed {
		t.Fatalf("changed=%v err=%v", changed, err)
	}
	body = graphjson.Payload(t, patch)
	if body["guestUserRoleId"] != "2af84b1e-32c8-42b7-82bc-daa82404023b" {
		t.Errorf("guestUserRoleId = %v", body["guestUserRoleId"])
	}
	if _, sent := body["allowInvitesFrom"]; sent {
		t.Errorf("allowInvitesFrom sent although it did not differ: %v", body)
	}

	if _, changed, err := expandGuestsPatch(guestsChecklist, guestsChecklist); changed || err != nil {
		t.Errorf("no difference: changed=%v err=%v", changed, err)
	}
	if _, _, err := expandGuestsPatch(guestsSettings{AllowInvitesFrom: "sometimes", GuestUserRole: "restricted"}, got); err == nil {
		t.Error("an unknown allowInvitesFrom must be an error")
	}
}
