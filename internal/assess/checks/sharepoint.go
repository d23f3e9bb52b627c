// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.SPO.1v1", checkSPOSharing)
	register("HIPAA.SPO.2v1", checkSPODomains)
	register("HIPAA.SPO.3v1", checkSPOGuestExpiry)
	register("HIPAA.SPO.4v1", checkSPOAnonymousExpiry)
	register("HIPAA.SPO.5v1", checkSPOUnmanagedDevices)
	register("HIPAA.SPO.6v1", checkSPOIdleSignOut)
	register("HIPAA.SPO.7v1", flagCheck{source: snapshot.GraphSharePointSettings, field: "isResharingByExternalUsersEnabled", want: false,
		expected: "Guests cannot reshare items they do not own.", wrong: "Guests can reshare items they do not own.", right: "Resharing by guests is off."}.check)
}

// spoSettings is Graph's /admin/sharepoint/settings. Pointers distinguish "absent" from the zero
// value: an absent field is unknown, never compliant.
type spoSettings struct {
	SharingCapability            *string     `json:"sharingCapability"`
	SharingDomainRestrictionMode *string     `json:"sharingDomainRestrictionMode"`
	SharingAllowedDomainList     flexStrings `json:"sharingAllowedDomainList"`
	SharingBlockedDomainList     flexStrings `json:"sharingBlockedDomainList"`
}

// idleSessionSignOut is the idleSessionSignOut setting of Graph's SharePoint settings.
type idleSessionSignOut struct {
	IsEnabled             flexBool `json:"isEnabled"`
	SignOutAfterInSeconds flexInt  `json:"signOutAfterInSeconds"`
}

// spoTenant is SharePoint's _api/SPO.Tenant (flat, PascalCase, enums as integers).
type spoTenant struct {
	SharingCapability                 *flexInt  `json:"SharingCapability"`
	ExternalUserExpirationRequired    *flexBool `json:"ExternalUserExpirationRequired"`
	ExternalUserExpireInDays          *flexInt  `json:"ExternalUserExpireInDays"`
	RequireAnonymousLinksExpireInDays *flexInt  `json:"RequireAnonymousLinksExpireInDays"`
}

func readSPOSettings(s *snapshot.Snapshot) (spoSettings, error) {
	var v spoSettings
	err := decodeObject(s, snapshot.GraphSharePointSettings, &v)
	return v, err
}

func readSPOTenant(s *snapshot.Snapshot) (spoTenant, error) {
	var v spoTenant
	err := decodeObject(s, snapshot.SharePointTenant, &v)
	return v, err
}

// sharingRestricted: only people in the organisation, or only guests already in the directory.
func sharingRestricted(c string) bool {
	return strings.EqualFold(c, "disabled") || strings.EqualFold(c, "existingExternalUserSharingOnly")
}

func checkSPOSharing(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "SharePoint and OneDrive external sharing is limited to existing guests or turned off."
	capability, err := readSetting[string](s, snapshot.GraphSharePointSettings, "sharingCapability")
	if err != nil {
		return errorOutcome(expected, err)
	}
	actual := fmt.Sprintf("External sharing is %s.", capability)
	if sharingRestricted(capability) {
		return pass(expected, actual)
	}
	return fail(expected, actual, "sharingCapability")
}

// checkSPODomains is partial (a failure is advisory): when anyone can share with new external
// people, those people should come from known domains. With sharing limited to existing guests
// or off, no new external person can be reached by sharing, so a domain list adds nothing.
func checkSPODomains(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Sharing with new external people is limited to allowed domains (or blocks listed domains), unless external sharing is limited to existing guests or off."
	v, err := readSPOSettings(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	if v.SharingCapability == nil {
		return errorOutcome(expected, missingField(snapshot.GraphSharePointSettings, "sharingCapability"))
	}
	if sharingRestricted(*v.SharingCapability) {
		return pass(expected, fmt.Sprintf("External sharing is %s, so no new external people can be invited by sharing.", *v.SharingCapability))
	}
	if v.SharingDomainRestrictionMode == nil {
		return errorOutcome(expected, missingField(snapshot.GraphSharePointSettings, "sharingDomainRestrictionMode"))
	}
	switch mode := *v.SharingDomainRestrictionMode; {
	case strings.EqualFold(mode, "allowList"):
		return pass(expected, fmt.Sprintf("Sharing is limited to %s.", plural(len(v.SharingAllowedDomainList), "allowed domain", "allowed domains")))
	case strings.EqualFold(mode, "blockList"):
		return pass(expected, fmt.Sprintf("Sharing blocks %s.", plural(len(v.SharingBlockedDomainList), "domain", "domains")))
	}
	return fail(expected, fmt.Sprintf("External sharing is %s with no domain restriction.", *v.SharingCapability), "sharingDomainRestrictionMode")
}

func checkSPOGuestExpiry(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Guest access to SharePoint sites expires automatically after at most 30 days."
	t, err := readSPOTenant(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	if t.ExternalUserExpirationRequired == nil || t.ExternalUserExpireInDays == nil {
		return errorOutcome(expected, missingField(snapshot.SharePointTenant, "ExternalUserExpirationRequired or ExternalUserExpireInDays"))
	}
	if !t.ExternalUserExpirationRequired.V {
		return fail(expected, "Guest access never expires.", "ExternalUserExpirationRequired")
	}
	days := t.ExternalUserExpireInDays.V
	if days < 1 || days > 30 {
		return fail(expected, fmt.Sprintf("Guest access expires after %d days.", days), "ExternalUserExpireInDays")
	}
	return pass(expected, fmt.Sprintf("Guest access expires after %d days.", days))
}

// SPO.Tenant SharingCapability 2 is ExternalUserAndGuestSharing: the only level with "Anyone" links.
const spoAnyoneSharing = 2

func checkSPOAnonymousExpiry(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "\"Anyone\" links expire within 1 to 30 days, or anonymous sharing is off."
	t, err := readSPOTenant(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	if t.SharingCapability == nil || t.RequireAnonymousLinksExpireInDays == nil {
		return errorOutcome(expected, missingField(snapshot.SharePointTenant, "SharingCapability or RequireAnonymousLinksExpireInDays"))
	}
	if t.SharingCapability.V != spoAnyoneSharing {
		return pass(expected, "Anonymous (\"Anyone\") sharing is off.")
	}
	days := t.RequireAnonymousLinksExpireInDays.V
	if days < 1 || days > 30 {
		actual := "\"Anyone\" links never expire."
		if days > 30 {
			actual = fmt.Sprintf("\"Anyone\" links expire after %d days.", days)
		}
		return fail(expected, actual, "RequireAnonymousLinksExpireInDays")
	}
	return pass(expected, fmt.Sprintf("\"Anyone\" links expire after %d days.", days))
}

func checkSPOUnmanagedDevices(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Unmanaged devices get limited, web-only access to SharePoint and OneDrive, or are blocked."
	access, err := readSetting[flexInt](s, snapshot.SharePointTenant, "ConditionalAccessPolicy")
	if err != nil {
		return errorOutcome(expected, err)
	}
	switch access.V {
	case 1:
		return pass(expected, "Unmanaged devices get limited, web-only access.")
	case 2:
		return pass(expected, "Unmanaged devices are blocked.")
	}
	return fail(expected, "Unmanaged devices have full access, including downloads and sync.", "ConditionalAccessPolicy")
}

func checkSPOIdleSignOut(s *snapshot.Snapshot, p Params) Outcome {
	p = p.Defaults()
	expected := fmt.Sprintf("Idle SharePoint and OneDrive browser sessions are signed out after at most %d minutes.", p.IdleSignOutMinutes)
	idle, err := readSetting[idleSessionSignOut](s, snapshot.GraphSharePointSettings, "idleSessionSignOut")
	if err != nil {
		return errorOutcome(expected, err)
	}
	if !idle.IsEnabled.V {
		return fail(expected, "Idle session sign-out is disabled.", "idleSessionSignOut")
	}
	secs := idle.SignOutAfterInSeconds.V
	if secs <= 0 || secs > p.IdleSignOutMinutes*60 {
		return fail(expected, fmt.Sprintf("Idle sessions are signed out after %d minutes.", secs/60), "idleSessionSignOut")
	}
	return pass(expected, fmt.Sprintf("Idle sessions are signed out after %d minutes.", secs/60))
}
