// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// Conditional Access policy as Graph v1.0 serves it, with only the fields the checks read.
type caPolicy struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	State       string `json:"state"`
	Conditions  struct {
		Users struct {
			IncludeUsers                 flexStrings     `json:"includeUsers"`
			ExcludeUsers                 flexStrings     `json:"excludeUsers"`
			IncludeGroups                flexStrings     `json:"includeGroups"`
			ExcludeGroups                flexStrings     `json:"excludeGroups"`
			IncludeRoles                 flexStrings     `json:"includeRoles"`
			ExcludeRoles                 flexStrings     `json:"excludeRoles"`
			ExcludeGuestsOrExternalUsers json.RawMessage `json:"excludeGuestsOrExternalUsers"`
		} `json:"users"`
		Applications struct {
			IncludeApplications flexStrings `json:"includeApplications"`
			ExcludeApplications flexStrings `json:"excludeApplications"`
		} `json:"applications"`
		ClientAppTypes   flexStrings     `json:"clientAppTypes"`
		SignInRiskLevels flexStrings     `json:"signInRiskLevels"`
		UserRiskLevels   flexStrings     `json:"userRiskLevels"`
		Platforms        json.RawMessage `json:"platforms"`
		Locations        json.RawMessage `json:"locations"`
		Devices          json.RawMessage `json:"devices"`
	} `json:"conditions"`
	GrantControls *struct {
		Operator               string      `json:"operator"`
		BuiltInControls        flexStrings `json:"builtInControls"`
		AuthenticationStrength *struct {
			ID                  string      `json:"id"`
			AllowedCombinations flexStrings `json:"allowedCombinations"`
		} `json:"authenticationStrength"`
	} `json:"grantControls"`
	SessionControls *struct {
		SignInFrequency *struct {
			IsEnabled         flexBool `json:"isEnabled"`
			Type              string   `json:"type"`
			Value             flexInt  `json:"value"`
			FrequencyInterval string   `json:"frequencyInterval"`
		} `json:"signInFrequency"`
		PersistentBrowser *struct {
			IsEnabled flexBool `json:"isEnabled"`
			Mode      string   `json:"mode"`
		} `json:"persistentBrowser"`
	} `json:"sessionControls"`
}

func (p caPolicy) name() string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.ID
}

func readCAPolicies(s *snapshot.Snapshot) ([]caPolicy, error) {
	var ps []caPolicy
	if err := decodeList(s, snapshot.GraphConditionalAccessPolicies, &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// Built-in authentication strengths.
const (
	strengthMFA               = "00000000-0000-0000-0000-000000000002"
	strengthPasswordless      = "00000000-0000-0000-0000-000000000003"
	strengthPhishingResistant = "00000000-0000-0000-0000-000000000004"
)

// Authentication method combinations that are phishing resistant, and single methods that are
// multifactor on their own. A combination like "password,microsoftAuthenticatorPush" is
// multifactor because it has two factors.
var (
	phishingResistantModes = []string{"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"}
	multifactorSingleModes = []string{"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush",
		"temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "federatedMultiFactor"}
)

// requiresMFA reports whether a policy's grant can only be satisfied with multifactor
// authentication: "mfa" or a multifactor authentication strength, and (with OR) no alternative
// control that lets a user in without MFA.
func (p caPolicy) requiresMFA() bool {
	g := p.GrantControls
	if g == nil {
		return false
	}
	has := containsFold(g.BuiltInControls, "mfa")
	if a := g.AuthenticationStrength; a != nil {
		switch {
		case a.ID == strengthMFA || a.ID == strengthPasswordless || a.ID == strengthPhishingResistant:
			has = true
		case len(a.AllowedCombinations) > 0:
			all := true
			for _, c := range a.AllowedCombinations {
				if !strings.Contains(c, ",") && !containsFold(multifactorSingleModes, c) {
					all = false
				}
			}
			has = has || all
		}
	}
	return has && !p.orBypass()
}

// orBypass reports whether an OR grant offers a device or app control as an alternative to the
// authentication requirement.
func (p caPolicy) orBypass() bool {
	g := p.GrantControls
	if strings.EqualFold(g.Operator, "AND") {
		return false
	}
	for _, c := range g.BuiltInControls {
		switch strings.ToLower(c) {
		case "compliantdevice", "domainjoineddevice", "approvedapplication", "compliantapplication":
			return true
		}
	}
	return false
}

// requiresPhishingResistant reports whether the grant requires the built-in phishing-resistant
// strength or a custom strength made only of phishing-resistant methods.
func (p caPolicy) requiresPhishingResistant() bool {
	g := p.GrantControls
	if g == nil || g.AuthenticationStrength == nil || p.orBypass() {
		return false
	}
	a := g.AuthenticationStrength
	if a.ID == strengthPhishingResistant {
		return true
	}
	return len(a.AllowedCombinations) > 0 && subsetFold(a.AllowedCombinations, phishingResistantModes)
}

func (p caPolicy) blocks() bool {
	return p.GrantControls != nil && containsFold(p.GrantControls.BuiltInControls, "block")
}

// requiresDevice reports whether the grant needs a compliant or hybrid-joined device. With OR,
// every alternative must be a device control, and an authentication strength is an alternative
// too (a user who satisfies it on an unmanaged device is let in); with AND, one device control
// suffices.
func (p caPolicy) requiresDevice() bool {
	g := p.GrantControls
	if g == nil {
		return false
	}
	var device, other int
	if g.AuthenticationStrength != nil {
		other++
	}
	for _, c := range g.BuiltInControls {
		switch strings.ToLower(c) {
		case "compliantdevice", "domainjoineddevice":
			device++
		default:
			other++
		}
	}
	if strings.EqualFold(g.Operator, "AND") {
		return device > 0
	}
	return device > 0 && other == 0
}

// emergency is the set of emergency-access ("break-glass") ids from the inputs.
type emergency struct{ users, groups []string }

func (e emergency) known() bool { return len(e.users)+len(e.groups) > 0 }

func emergencyOf(p Params) emergency {
	return emergency{users: p.EmergencyAccessUserIDs, groups: p.EmergencyAccessGroupIDs}
}

// scope says how a policy falls short of "everyone, everything, always, enforced". problems
// disqualify the policy; unverifiable is set when one of them is an exclusion that could not be
// checked because the inputs name no emergency-access ids.
type scope struct {
	problems     []string
	unverifiable bool
}

// scopeOptions is what a control accepts as its target.
type scopeOptions struct {
	apps        []string // Accepted includeApplications values, e.g. All or Office365.
	roles       []string // When set, includeRoles covering these ids is as good as All users.
	legacyOnly  bool     // The policy targets legacy clients (exchangeActiveSync and other).
	ignoreState bool
}

func (p caPolicy) scope(ea emergency, o scopeOptions) scope {
	var sc scope
	u := p.Conditions.Users
	switch {
	case containsFold(u.IncludeUsers, "All"):
	case len(o.roles) > 0 && subsetFold(o.roles, u.IncludeRoles):
	case len(o.roles) > 0:
		sc.problems = append(sc.problems, "does not target all users or every privileged role")
	default:
		sc.problems = append(sc.problems, "does not target all users")
	}
	apps := p.Conditions.Applications
	if !slices.ContainsFunc(o.apps, func(a string) bool { return containsFold(apps.IncludeApplications, a) }) {
		sc.problems = append(sc.problems, "does not target "+strings.Join(o.apps, " or ")+" applications")
	}
	if len(apps.ExcludeApplications) > 0 {
		sc.problems = append(sc.problems, "excludes applications ("+joinNames(apps.ExcludeApplications)+")")
	}
	if len(u.ExcludeRoles) > 0 {
		sc.problems = append(sc.problems, "excludes directory roles ("+joinNames(u.ExcludeRoles)+")")
	}
	if isSet(u.ExcludeGuestsOrExternalUsers) {
		sc.problems = append(sc.problems, "excludes guest or external users")
	}
	// An excluded user or group is acceptable only when the inputs name it as emergency access.
	// Without ids nothing can be verified: the excluded group may be a whole department, so the
	// exclusion disqualifies the policy rather than being assumed to be the break-glass account.
	var bad []string
	for _, id := range u.ExcludeUsers {
		if !containsFold(ea.users, id) {
			bad = append(bad, "user "+id)
		}
	}
	for _, id := range u.ExcludeGroups {
		if !containsFold(ea.groups, id) {
			bad = append(bad, "group "+id)
		}
	}
	switch {
	case len(bad) == 0:
	case ea.known():
		sc.problems = append(sc.problems, "excludes accounts that are not emergency access ("+joinNames(bad)+")")
	default:
		sc.problems = append(sc.problems, "excludes accounts that cannot be verified as emergency access, as no emergency-access ids were given ("+joinNames(bad)+")")
		sc.unverifiable = true
	}
	c := p.Conditions
	if len(c.SignInRiskLevels) > 0 || len(c.UserRiskLevels) > 0 {
		sc.problems = append(sc.problems, "applies only to risky sign-ins or users")
	}
	if platformsNarrow(c.Platforms) {
		sc.problems = append(sc.problems, "applies only to some device platforms")
	}
	if locationsNarrow(c.Locations) {
		sc.problems = append(sc.problems, "applies only in some locations")
	}
	if narrow := devicesNarrow(c.Devices); narrow != "" {
		sc.problems = append(sc.problems, narrow)
	}
	types := c.ClientAppTypes
	if o.legacyOnly {
		if !containsFold(types, "all") && (!containsFold(types, "exchangeActiveSync") || !containsFold(types, "other")) {
			sc.problems = append(sc.problems, "does not cover both legacy client types (exchangeActiveSync and other)")
		}
	} else if len(types) > 0 && !containsFold(types, "all") && (!containsFold(types, "browser") || !containsFold(types, "mobileAppsAndDesktopClients")) {
		sc.problems = append(sc.problems, "applies only to some client apps ("+joinNames(types)+")")
	}
	if !o.ignoreState {
		switch p.State {
		case "enabled":
		case "enabledForReportingButNotEnforced":
			sc.problems = append(sc.problems, "is report-only, which logs but does not enforce")
		default:
			sc.problems = append(sc.problems, "is "+orUnknown(p.State))
		}
	}
	return sc
}

func orUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

// isSet reports whether a raw JSON condition is present and not null or empty.
func isSet(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}"))
}

// listConditions are the conditions of a policy that include and exclude by list.
type listConditions struct {
	IncludePlatforms flexStrings `json:"includePlatforms"`
	ExcludePlatforms flexStrings `json:"excludePlatforms"`
	IncludeLocations flexStrings `json:"includeLocations"`
	ExcludeLocations flexStrings `json:"excludeLocations"`
}

func platformsNarrow(raw json.RawMessage) bool {
	return listNarrow(raw, func(c listConditions) (include, exclude flexStrings) { return c.IncludePlatforms, c.ExcludePlatforms })
}

func locationsNarrow(raw json.RawMessage) bool {
	return listNarrow(raw, func(c listConditions) (include, exclude flexStrings) { return c.IncludeLocations, c.ExcludeLocations })
}

// listNarrow reports whether the list condition that lists picks applies to less than all: it
// excludes something, or includes a list without "All". A condition that cannot be read
// narrows.
func listNarrow(raw json.RawMessage, lists func(listConditions) (include, exclude flexStrings)) bool {
	if !isSet(raw) {
		return false
	}
	var c listConditions
	if json.Unmarshal(raw, &c) != nil {
		return true
	}
	include, exclude := lists(c)
	return len(exclude) > 0 || (len(include) > 0 && !containsFold(include, "all"))
}

// devicesNarrow says how a device filter narrows a policy, or "" when it does not. Either mode
// narrows: "include" applies the policy only to the devices the rule matches, "exclude" to all
// but those. Microsoft's own template for sign-in frequency ("Require reauthentication and
// disable browser persistence") includes only devices that are not both hybrid joined and
// compliant, so the managed devices, where shared clinical workstations usually are, keep their
// sessions; a control that asks for everyone does not count such a policy.
func devicesNarrow(raw json.RawMessage) string {
	if !isSet(raw) {
		return ""
	}
	var v struct {
		DeviceFilter *struct {
			Mode string `json:"mode"`
			Rule string `json:"rule"`
		} `json:"deviceFilter"`
		IncludeDevices flexStrings `json:"includeDevices"` // Deprecated beta shape.
		ExcludeDevices flexStrings `json:"excludeDevices"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return "applies only to some devices (unreadable device condition)"
	}
	if f := v.DeviceFilter; f != nil && strings.TrimSpace(f.Rule) != "" {
		mode := f.Mode
		if mode == "" {
			mode = "no mode"
		}
		if strings.EqualFold(f.Mode, "exclude") {
			return fmt.Sprintf("applies to every device except those its device filter matches (%s: %s)", mode, f.Rule)
		}
		return fmt.Sprintf("applies only to the devices its device filter matches (%s: %s), not to every device", mode, f.Rule)
	}
	if len(v.ExcludeDevices) > 0 || (len(v.IncludeDevices) > 0 && !containsFold(v.IncludeDevices, "All")) {
		return "applies only to some device states"
	}
	return ""
}

// caRequirement describes one CA control: what the grant or session must do and the scope.
type caRequirement struct {
	expected string
	what     string // "requires MFA", used in sentences.
	control  func(caPolicy) bool
	scope    scopeOptions
}

// evaluateCA finds a policy that does what the control asks for the whole scope, enforced.
func evaluateCA(s *snapshot.Snapshot, p Params, r caRequirement) Outcome {
	if o := licenceGate(s, r.expected, "Microsoft Entra ID P1", planAADP1, planAADP2); o != nil {
		return *o
	}
	policies, err := readCAPolicies(s)
	if err != nil {
		return errorOutcome(r.expected, err)
	}
	ea := emergencyOf(p)
	var candidates, reasons []string
	unverifiable := false
	for _, pol := range policies {
		if !r.control(pol) {
			continue
		}
		sc := pol.scope(ea, r.scope)
		if len(sc.problems) == 0 {
			return pass(r.expected, fmt.Sprintf("Policy %q %s and is enforced.", pol.name(), r.what))
		}
		unverifiable = unverifiable || sc.unverifiable
		candidates = append(candidates, pol.name())
		reasons = append(reasons, fmt.Sprintf("%q %s", pol.name(), strings.Join(sc.problems, "; ")))
	}
	if len(candidates) == 0 {
		return fail(r.expected, "No Conditional Access policy "+r.what+".")
	}
	out := fail(r.expected, fmt.Sprintf("%s %s but none applies to everyone, enforced: %s.",
		plural(len(candidates), "policy", "policies"), r.what, strings.Join(reasons, "; ")), candidates...)
	if unverifiable {
		out.Detail = noEmergencyIDsDetail
	}
	return out
}

// noEmergencyIDsDetail is the detail of a finding that failed because exclusions could not be
// verified; the assessment's gaps say where to set the ids (the engine knows the callers).
const noEmergencyIDsDetail = "No emergency-access ids were given, so excluded users and groups cannot be told apart from " +
	"break-glass accounts; name the emergency-access users or groups in the assessment inputs."
