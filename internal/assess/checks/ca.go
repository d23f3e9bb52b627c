// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

// privilegedRoles are the role template ids Microsoft's phishing-resistant MFA for administrators
// template targets; the baseline's administrator policy targets the same.
var privilegedRoles = directory.Privileged()

// Exclusions: a user or group excluded from a policy is accepted only when the inputs name it as
// emergency access (Params.EmergencyAccessUserIDs and GroupIDs). Without ids no exclusion can
// be verified, so a policy with user or group exclusions does not count, and HIPAA.CA.7 fails:
// a tenant that exempts a whole group from MFA must not look compliant because the tool was not
// told who the break-glass accounts are. Role, guest and application exclusions always
// disqualify a policy: they are never emergency access.

func init() {
	registerUsingEmergencyAccess("HIPAA.CA.1v1", checkCAMFA)
	registerUsingEmergencyAccess("HIPAA.CA.2v1", checkCALegacy)
	registerUsingEmergencyAccess("HIPAA.CA.3v1", checkCAAdmins)
	registerUsingEmergencyAccess("HIPAA.CA.4v1", checkCADevices)
	registerUsingEmergencyAccess("HIPAA.CA.5v1", checkCASession)
	registerUsingEmergencyAccess("HIPAA.CA.6v1", checkCASecurityDefaults)
	registerUsingEmergencyAccess("HIPAA.CA.7v1", checkCAEmergency)
}

func checkCAMFA(s *snapshot.Snapshot, p Params) Outcome {
	return evaluateCA(s, p, caRequirement{
		expected: "An enabled Conditional Access policy requires MFA for all users and all apps, excluding only emergency-access accounts.",
		what:     "requires MFA",
		control:  caPolicy.requiresMFA,
		scope:    scopeOptions{apps: []string{"All"}},
	})
}

func checkCALegacy(s *snapshot.Snapshot, p Params) Outcome {
	return evaluateCA(s, p, caRequirement{
		expected: "An enabled Conditional Access policy blocks legacy authentication (Exchange ActiveSync and other clients) for all users and apps.",
		what:     "blocks legacy authentication",
		control:  caPolicy.blocks,
		scope:    scopeOptions{apps: []string{"All"}, legacyOnly: true},
	})
}

func checkCAAdmins(s *snapshot.Snapshot, p Params) Outcome {
	return evaluateCA(s, p, caRequirement{
		expected: "An enabled Conditional Access policy requires phishing-resistant MFA for the 14 administrator roles of Microsoft's template, including Global Administrator.",
		what:     "requires phishing-resistant MFA",
		control:  caPolicy.requiresPhishingResistant,
		scope:    scopeOptions{apps: []string{"All"}, roles: privilegedRoles},
	})
}

func checkCADevices(s *snapshot.Snapshot, p Params) Outcome {
	return evaluateCA(s, p, caRequirement{
		expected: "An enabled Conditional Access policy requires a compliant or hybrid-joined device for all users on Office 365 or all apps.",
		what:     "requires a compliant or hybrid-joined device",
		control:  caPolicy.requiresDevice,
		scope:    scopeOptions{apps: []string{"All", "Office365"}},
	})
}

func checkCASession(s *snapshot.Snapshot, p Params) Outcome {
	p = p.Defaults()
	expected := fmt.Sprintf("Enabled Conditional Access policies for all users and apps set sign-in frequency to at most %d hours and persistent browser sessions to never.", p.SignInFrequencyHours)
	freq := evaluateCA(s, p, caRequirement{
		expected: expected,
		what:     fmt.Sprintf("limits sign-in frequency to %d hours or less", p.SignInFrequencyHours),
		control: func(c caPolicy) bool {
			sc := c.SessionControls
			if sc == nil || sc.SignInFrequency == nil || !sc.SignInFrequency.IsEnabled.V {
				return false
			}
			f := sc.SignInFrequency
			if strings.EqualFold(f.FrequencyInterval, "everyTime") {
				return true
			}
			hours := f.Value.V
			if strings.EqualFold(f.Type, "days") {
				hours *= 24
			}
			return f.Value.Set && hours > 0 && hours <= p.SignInFrequencyHours
		},
		scope: scopeOptions{apps: []string{"All"}},
	})
	browser := evaluateCA(s, p, caRequirement{
		expected: expected,
		what:     "sets persistent browser sessions to never",
		control: func(c caPolicy) bool {
			sc := c.SessionControls
			return sc != nil && sc.PersistentBrowser != nil && sc.PersistentBrowser.IsEnabled.V && strings.EqualFold(sc.PersistentBrowser.Mode, "never")
		},
		scope: scopeOptions{apps: []string{"All"}},
	})
	switch {
	case freq.Status != StatusPass:
		return freq
	case browser.Status != StatusPass:
		return browser
	}
	out := pass(expected, strings.TrimSuffix(freq.Actual, ".")+"; "+browser.Actual)
	out.Detail = strings.TrimSpace(freq.Detail + " " + browser.Detail)
	out.Objects = freq.Objects
	return out
}

// checkCASecurityDefaults: security defaults and Conditional Access are alternatives. Both off
// without an enforced MFA policy leaves the tenant without MFA; both on is a configuration
// Microsoft refuses for new policies and a sign the tenant's intent is unclear.
func checkCASecurityDefaults(s *snapshot.Snapshot, p Params) Outcome {
	const expected = "Either security defaults are on, or they are off and an enforced Conditional Access policy requires MFA for all users; not both, not neither."
	defaultsOn, err := readSetting[flexBool](s, snapshot.GraphSecurityDefaults, "isEnabled")
	if err != nil {
		return errorOutcome(expected, err)
	}
	policies, err := readCAPolicies(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	var enabled, mfa, reasons []string
	unverifiable := false
	for _, pol := range policies {
		if pol.State != "enabled" {
			continue
		}
		enabled = append(enabled, pol.name())
		if !pol.requiresMFA() {
			continue
		}
		sc := pol.scope(emergencyOf(p), scopeOptions{apps: []string{"All"}})
		if len(sc.problems) == 0 {
			mfa = append(mfa, pol.name())
			continue
		}
		unverifiable = unverifiable || sc.unverifiable
		reasons = append(reasons, fmt.Sprintf("%q %s", pol.name(), strings.Join(sc.problems, "; ")))
	}
	switch {
	case defaultsOn.V && len(enabled) > 0:
		return fail(expected, fmt.Sprintf("Security defaults are on and %s enabled as well.", plural(len(enabled), "Conditional Access policy is", "Conditional Access policies are")), enabled...)
	case defaultsOn.V:
		return pass(expected, "Security defaults are on and no Conditional Access policy is enabled.")
	case len(mfa) > 0:
		return pass(expected, fmt.Sprintf("Security defaults are off and policy %q enforces MFA for all users.", mfa[0]))
	case len(reasons) > 0:
		out := fail(expected, fmt.Sprintf("Security defaults are off and no enforced Conditional Access policy requires MFA of all users: %s.", strings.Join(reasons, "; ")))
		if unverifiable {
			out.Detail = noEmergencyIDsDetail
		}
		return out
	}
	return fail(expected, "Security defaults are off and no enforced Conditional Access policy requires MFA for all users, so nothing requires MFA.")
}

// checkCAEmergency is partial: it needs the emergency-access ids from the inputs, and without
// them it fails, because nothing shows that any policy spares the break-glass accounts.
// Report-only policies are checked as well as enabled ones: Microsoft's rollout is report-only
// first, then On, so a report-only policy without the exclusion locks the break-glass accounts
// out the moment it is switched on. Disabled policies are not evaluated at sign-in; they are
// skipped (turning one on is a change that the lockout guard, or this check afterwards, sees).
func checkCAEmergency(s *snapshot.Snapshot, p Params) Outcome {
	const expected = "Every enabled or report-only Conditional Access policy excludes the emergency-access accounts, so a policy mistake cannot lock every administrator out."
	if o := licenceGate(s, expected, "Microsoft Entra ID P1", planAADP1, planAADP2); o != nil {
		return *o
	}
	ea := emergencyOf(p)
	if !ea.known() {
		out := fail(expected, "No emergency-access account ids were given, so no policy can be shown to exclude the emergency-access accounts.")
		out.Detail = noEmergencyIDsDetail
		return out
	}
	policies, err := readCAPolicies(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	var bad, details []string
	n := 0
	for _, pol := range policies {
		if pol.State != "enabled" && pol.State != "enabledForReportingButNotEnforced" {
			continue
		}
		n++
		u := pol.Conditions.Users
		var missing []string
		groupExcluded := false
		for _, g := range ea.groups {
			if containsFold(u.ExcludeGroups, g) {
				groupExcluded = true
			}
		}
		if len(ea.groups) > 0 && !groupExcluded {
			missing = append(missing, "group "+strings.Join(ea.groups, "/"))
		}
		if !groupExcluded {
			for _, id := range ea.users {
				if !containsFold(u.ExcludeUsers, id) {
					missing = append(missing, "user "+id)
				}
			}
		}
		if len(missing) > 0 {
			bad = append(bad, pol.name())
			details = append(details, fmt.Sprintf("%q does not exclude %s", pol.name(), strings.Join(missing, ", ")))
		}
	}
	if n == 0 {
		return Outcome{Status: StatusNotApplicable, Expected: expected, Actual: "No Conditional Access policy is enabled or report-only, so none can lock the administrators out."}
	}
	if len(bad) > 0 {
		out := fail(expected, fmt.Sprintf("%s of %d enabled or report-only do not exclude the emergency-access accounts.", plural(len(bad), "policy", "policies"), n), bad...)
		out.Detail = strings.Join(details, "; ") + "."
		return out
	}
	return pass(expected, fmt.Sprintf("All %d enabled or report-only policies exclude the emergency-access accounts.", n))
}
