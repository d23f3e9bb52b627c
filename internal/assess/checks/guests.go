// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

func init() {
	register("HIPAA.GUEST.1v1", checkGuestInvites)
	register("HIPAA.GUEST.2v1", checkGuestRole)
}

// Guest user role ids: restricted guest access and the (default) limited guest access. The
// third, directory.User, gives guests the same access as members.
var restrictedGuestRoles = []string{directory.RestrictedGuestUser, directory.GuestUser}

func checkGuestInvites(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Only administrators and users in the Guest Inviter role can invite guests (or nobody can)."
	v, err := readSetting[string](s, snapshot.GraphAuthorizationPolicy, "allowInvitesFrom")
	if err != nil {
		return errorOutcome(expected, err)
	}
	actual := fmt.Sprintf("Guest invitations are allowed from %q.", v)
	if strings.EqualFold(v, "none") || strings.EqualFold(v, "adminsAndGuestInviters") {
		return pass(expected, actual)
	}
	return fail(expected, actual, "allowInvitesFrom")
}

func checkGuestRole(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Guests have limited or restricted access to directory objects."
	role, err := readSetting[string](s, snapshot.GraphAuthorizationPolicy, "guestUserRoleId")
	if err != nil {
		return errorOutcome(expected, err)
	}
	if containsFold(restrictedGuestRoles, role) {
		return pass(expected, "Guests have limited or restricted directory access.")
	}
	if strings.EqualFold(role, directory.User) {
		return fail(expected, "Guests have the same directory access as members.", "guestUserRoleId")
	}
	return fail(expected, fmt.Sprintf("The guest user role is %q, not a restricted one.", role), "guestUserRoleId")
}
