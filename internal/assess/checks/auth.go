// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.AUTH.1v1", checkAuthWeakMethods)
	register("HIPAA.AUTH.2v1", checkAuthStrongMethods)
	register("HIPAA.AUTH.3v1", checkAuthRegistration)
}

type featureTarget struct {
	State         string `json:"state"`
	IncludeTarget struct {
		ID string `json:"id"`
	} `json:"includeTarget"`
	ExcludeTarget struct {
		ID string `json:"id"`
	} `json:"excludeTarget"`
}

type authMethodConfig struct {
	ID                           string `json:"id"`
	State                        string `json:"state"`
	AllowExternalIDToUseEmailOtp string `json:"allowExternalIdToUseEmailOtp"` // Email only.
	FeatureSettings              *struct {
		DisplayAppInformationRequiredState      *featureTarget `json:"displayAppInformationRequiredState"`
		DisplayLocationInformationRequiredState *featureTarget `json:"displayLocationInformationRequiredState"`
	} `json:"featureSettings"`
}

// readAuthMethods returns the method configurations of the authentication methods policy by
// lower-case id. The policy singleton carries them inline in authenticationMethodConfigurations.
func readAuthMethods(s *snapshot.Snapshot) (map[string]authMethodConfig, error) {
	var pol struct {
		Configs []json.RawMessage `json:"authenticationMethodConfigurations"`
	}
	if err := decodeObject(s, snapshot.GraphAuthenticationMethods, &pol); err != nil {
		return nil, err
	}
	if pol.Configs == nil {
		return nil, fmt.Errorf("source %s has no authenticationMethodConfigurations", snapshot.GraphAuthenticationMethods)
	}
	out := map[string]authMethodConfig{}
	for _, raw := range pol.Configs {
		var c authMethodConfig
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, decodingError(snapshot.GraphAuthenticationMethods, err)
		}
		out[strings.ToLower(c.ID)] = c
	}
	return out, nil
}

func checkAuthWeakMethods(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "The SMS and voice call authentication methods are disabled."
	methods, err := readAuthMethods(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	var on []string
	for _, id := range []string{"Sms", "Voice"} {
		c, ok := methods[strings.ToLower(id)]
		if !ok {
			return errorOutcome(expected, fmt.Errorf("source %s has no %s configuration", snapshot.GraphAuthenticationMethods, id))
		}
		if !strings.EqualFold(c.State, "disabled") {
			on = append(on, id)
		}
	}
	var out Outcome
	if len(on) > 0 {
		out = fail(expected, strings.Join(on, " and ")+" sign-in "+map[bool]string{true: "is", false: "are"}[len(on) == 1]+" enabled.", on...)
	} else {
		out = pass(expected, "SMS and voice call are disabled.")
	}
	out.Detail = emailOTPNote(methods["email"])
	return out
}

// emailOTPNote says why an enabled email one-time passcode does not count against HIPAA.AUTH.1:
// per Microsoft's emailAuthenticationMethodConfiguration, the tenant's own users can use it only
// for self-service password reset, and external users to redeem invitations; it is never a
// second factor, so MFA (HIPAA.CA.1, which covers guests) is still required after it.
func emailOTPNote(c authMethodConfig) string {
	var uses []string
	if strings.EqualFold(c.State, "enabled") {
		uses = append(uses, "members can use it for self-service password reset")
	}
	switch strings.ToLower(c.AllowExternalIDToUseEmailOtp) {
	case "enabled", "default":
		uses = append(uses, "guests to redeem invitations")
	}
	if len(uses) == 0 {
		return ""
	}
	return "Email one-time passcode is on (" + strings.Join(uses, ", ") + "); it is not counted, because it is never a " +
		"second factor: MFA is still required after it."
}

// targetsAll reports whether a feature setting is enabled for all users with no exclusion.
func (f *featureTarget) targetsAll() bool {
	if f == nil || !strings.EqualFold(f.State, "enabled") || !strings.EqualFold(f.IncludeTarget.ID, "all_users") {
		return false
	}
	return f.ExcludeTarget.ID == "" || f.ExcludeTarget.ID == emptyGUID
}

// checkAuthStrongMethods: FIDO2 security keys must be available, and the Authenticator app, when
// enabled, must show the application and location so that users can spot MFA fatigue attacks.
// A tenant that disables Authenticator altogether (FIDO2 only) passes.
func checkAuthStrongMethods(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "FIDO2 security keys are enabled, and Microsoft Authenticator, when enabled, shows the application and location to all users."
	methods, err := readAuthMethods(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	var problems, objects []string
	if f, ok := methods["fido2"]; !ok || !strings.EqualFold(f.State, "enabled") {
		problems = append(problems, "FIDO2 security keys are not enabled")
		objects = append(objects, "Fido2")
	}
	a, ok := methods["microsoftauthenticator"]
	if !ok {
		return errorOutcome(expected, fmt.Errorf("source %s has no MicrosoftAuthenticator configuration", snapshot.GraphAuthenticationMethods))
	}
	if strings.EqualFold(a.State, "enabled") {
		var app, loc *featureTarget
		if a.FeatureSettings != nil {
			app, loc = a.FeatureSettings.DisplayAppInformationRequiredState, a.FeatureSettings.DisplayLocationInformationRequiredState
		}
		if !app.targetsAll() {
			problems = append(problems, "Authenticator does not show the application name to all users")
		}
		if !loc.targetsAll() {
			problems = append(problems, "Authenticator does not show the sign-in location to all users")
		}
		if !app.targetsAll() || !loc.targetsAll() {
			objects = append(objects, "MicrosoftAuthenticator")
		}
	}
	if len(problems) > 0 {
		return fail(expected, strings.Join(problems, "; ")+".", objects...)
	}
	if strings.EqualFold(a.State, "enabled") {
		return pass(expected, "FIDO2 is enabled and Authenticator shows application and location context to all users.")
	}
	return pass(expected, "FIDO2 is enabled and Authenticator is disabled.")
}

func checkAuthRegistration(s *snapshot.Snapshot, p Params) Outcome {
	p = p.Defaults()
	expected := fmt.Sprintf("At least %g%% of member users have registered an MFA method.", p.MFARegistrationPercent)
	var sum snapshot.RegistrationSummary
	if err := decodeObject(s, snapshot.GraphUserRegistrationDetails, &sum); err != nil {
		return errorOutcome(expected, err)
	}
	if sum.Members == 0 {
		return Outcome{Status: StatusNotApplicable, Expected: expected, Actual: "The tenant has no member users."}
	}
	pct := float64(sum.MembersMFARegistered) * 100 / float64(sum.Members)
	actual := fmt.Sprintf("%d of %d member users (%.1f%%) have registered MFA.", sum.MembersMFARegistered, sum.Members, pct)
	if pct+1e-9 >= p.MFARegistrationPercent {
		return pass(expected, actual)
	}
	out := fail(expected, actual, sum.Unregistered...)
	missing := sum.UnregisteredTotal
	if missing == 0 {
		missing = sum.Members - sum.MembersMFARegistered
	}
	out.Detail = fmt.Sprintf("%s without MFA", plural(missing, "member", "members"))
	if len(sum.AdminsUnregistered) > 0 {
		out.Detail += fmt.Sprintf(", including administrators %s", joinNames(sum.AdminsUnregistered))
	}
	out.Detail += "."
	return out
}
