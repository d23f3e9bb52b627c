// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.GUEST.1v1", checkGuestInvites)
	register("HIPAA.GUEST.2v1", checkGuestRole)
}

// Guest user role ids: restricted guest access and the (default) limited guest access. The
// third, a0b1b346-4d3e-4e8b-98f8-753987be4970, gives guests the same access as members.
var restrictedGuestRoles = []string{"2af84b1e-32c8-42b7-82bc-daa82404023b", "10dae51f-b6af-4016-8d66-8c2a99b929b3"}

type authorizationPolicy struct {
	AllowInvitesFrom *string `json:"allowInvitesFrom"`
	GuestUserRoleID  *string `json:"guestUserRoleId"`
}

func checkGuestInvites(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Only administrators and users in the Guest Inviter role can invite guests (or nobody can)."
	var a authorizationPolicy
	if err := decodeObject(s, snapshot.GraphAuthorizationPolicy, &a); err != nil {
		return errorOutcome(expected, err)
	}
	if a.AllowInvitesFrom == nil {
		return errorOutcome(expected, missingField(snapshot.GraphAuthorizationPolicy, "allowInvitesFrom"))
	}
	v := *a.AllowInvitesFrom
	actual := fmt.Sprintf("Guest invitations are allowed from %q.", v)
	if strings.EqualFold(v, "none") || strings.EqualFold(v, "adminsAndGuestInviters") {
		return pass(expected, actual)
	}
	return fail(expected, actual, "allowInvitesFrom")
}

func checkGuestRole(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Guests have limited or restricted access to directory objects."
	var a authorizationPolicy
	if err := decodeObject(s, snapshot.GraphAuthorizationPolicy, &a); err != nil {
		return errorOutcome(expected, err)
	}
	if a.GuestUserRoleID == nil {
		return errorOutcome(expected, missingField(snapshot.GraphAuthorizationPolicy, "guestUserRoleId"))
	}
	if containsFold(restrictedGuestRoles, *a.GuestUserRoleID) {
		return pass(expected, "Guests have limited or restricted directory access.")
	}
	if strings.EqualFold(*a.GuestUserRoleID, "a0b1b346-4d3e-4e8b-98f8-753987be4970") {
		return fail(expected, "Guests have the same directory access as members.", "guestUserRoleId")
	}
	return fail(expected, fmt.Sprintf("The guest user role is %q, not a restricted one.", *a.GuestUserRoleID), "guestUserRoleId")
}
