// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
)

// The Terraform spellings of a Conditional Access policy's state, shared by every CA block.
const (
	caStateEnabled    = "enabled"
	caStateDisabled   = "disabled"
	caStateReportOnly = "report_only"

	graphStateReportOnly = "enabledForReportingButNotEnforced"
)

// caStateValues is the enum of every CA block's `state` attribute, in documentation order.
var caStateValues = []string{caStateEnabled, caStateReportOnly, caStateDisabled}

// caDesired is what a baseline CA policy must look like. Exclusions of env.emergency are added by the helper.
type caDesired struct {
	DisplayName string
	State       string                                     // Terraform spelling: enabled | disabled | report_only.
	Build       func(p models.ConditionalAccessPolicyable) // Sets conditions (without exclusions), grant and session controls.
}

// caLive is what Read learns about a baseline policy.
type caLive struct {
	ID     string
	State  string                             // Terraform spelling.
	Policy models.ConditionalAccessPolicyable // nil when not found.
	InSync bool                               // Conditions/controls/exclusions equal the desired ones (state and exposed attributes aside).
}

// caStateToGraph maps the Terraform spelling of a state to Graph's enum.
func caStateToGraph(s string) models.ConditionalAccessPolicyState {
	switch s {
	case caStateEnabled:
		return models.ENABLED_CONDITIONALACCESSPOLICYSTATE
	case caStateDisabled:
		return models.DISABLED_CONDITIONALACCESSPOLICYSTATE
	default:
		return models.ENABLEDFORREPORTINGBUTNOTENFORCED_CONDITIONALACCESSPOLICYSTATE
	}
}

// caStateOf returns the Terraform spelling of a policy's state ("" when Graph gave none).
func caStateOf(p models.ConditionalAccessPolicyable) string {
	if p == nil || p.GetState() == nil {
		return ""
	}
	s := p.GetState().String()
	if s == graphStateReportOnly {
		return caStateReportOnly
	}
	return s
}

// readBaselinePolicy reads a baseline policy by id, or by its display name when id is "" (import
// adopts the oldest policy of that name). A policy that is gone yields a caLive with ID "" and no
// error, so that the block can show the repair.
func readBaselinePolicy(ctx context.Context, e *env, id string, want caDesired) (caLive, error) {
	p, err := findBaselinePolicy(ctx, e, id, want.DisplayName, id == "")
	if err != nil || p == nil {
		return caLive{}, err
	}
	return caLive{ID: *p.GetId(), State: caStateOf(p), Policy: p, InSync: policyMatches(e, p, want)}, nil
}

// findBaselinePolicy returns the policy of id, or with byName the oldest policy named name.
// It returns nil, nil when there is none.
func findBaselinePolicy(ctx context.Context, e *env, id, name string, byName bool) (models.ConditionalAccessPolicyable, error) {
	if id != "" {
		p, err := capolicies.Get(ctx, e.tenant, id)
		if err == nil {
			return p, nil
		}
		if !m365.IsNotFound(err) {
			return nil, err
		}
		if !byName {
			return nil, nil
		}
	}
	found, err := capolicies.FindByDisplayName(ctx, e.tenant, name)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i].GetCreatedDateTime(), found[j].GetCreatedDateTime()
		return a != nil && (b == nil || a.Before(*b))
	})
	return found[0], nil
}

// syncBaselinePolicy makes the tenant hold the desired policy: it patches the policy of id, adopts
// a policy with the baseline's name when id is "" or gone (never creating a duplicate), or creates
// it. It waits until Graph reads back what was written and returns the policy's id, also on error
// once the policy exists, so that state never forgets a created policy.
func syncBaselinePolicy(ctx context.Context, e *env, id string, want caDesired) (string, error) {
	live, err := findBaselinePolicy(ctx, e, id, want.DisplayName, true)
	if err != nil {
		return id, err
	}
	body := want.policy(e)
	done := func(p models.ConditionalAccessPolicyable) bool {
		return p != nil && caStateOf(p) == want.State && policyMatches(e, p, want)
	}
	switch {
	case live == nil:
		created, err := capolicies.Create(ctx, e.tenant, body)
		if err != nil {
			return "", err
		}
		id = *created.GetId()
	case done(live):
		return *live.GetId(), nil
	default:
		id = *live.GetId()
		if err := capolicies.Update(ctx, e.tenant, id, body); err != nil {
			return id, err
		}
	}
	if _, err := capolicies.WaitFor(ctx, e.tenant, id, done); err != nil {
		return id, fmt.Errorf("waiting for %s to read back as written: %w", capolicies.Object(id), err)
	}
	return id, nil
}

// deleteBaselinePolicy deletes a baseline policy; a policy that is already gone is not an error.
func deleteBaselinePolicy(ctx context.Context, e *env, id string) error {
	if id == "" {
		return nil
	}
	return capolicies.Delete(ctx, e.tenant, id)
}

// policy builds the full request body for both POST and PATCH. A Conditional Access PATCH
// replaces nested objects wholesale, so every condition and control the baseline does not use is
// sent as an empty list or an explicit null: whatever was added out of band is removed.
func (w caDesired) policy(e *env) models.ConditionalAccessPolicyable {
	p := models.NewConditionalAccessPolicy()
	name := w.DisplayName
	p.SetDisplayName(&name)
	state := caStateToGraph(w.State)
	p.SetState(&state)
	if w.Build != nil {
		w.Build(p)
	}

	c := p.GetConditions()
	if c == nil {
		c = models.NewConditionalAccessConditionSet()
		p.SetConditions(c)
	}
	u := c.GetUsers()
	if u == nil {
		u = models.NewConditionalAccessUsers()
		c.SetUsers(u)
	}
	u.SetExcludeUsers(caUnion(u.GetExcludeUsers(), e.emergency.UserIDs))
	u.SetExcludeGroups(caUnion(u.GetExcludeGroups(), e.emergency.GroupIDs))
	for _, l := range []struct {
		get func() []string
		set func([]string)
	}{
		{u.GetIncludeUsers, u.SetIncludeUsers}, {u.GetIncludeGroups, u.SetIncludeGroups},
		{u.GetIncludeRoles, u.SetIncludeRoles}, {u.GetExcludeRoles, u.SetExcludeRoles},
	} {
		l.set(caNonNil(l.get()))
	}
	if u.GetIncludeGuestsOrExternalUsers() == nil {
		capolicies.SetJSONNull(u, "includeGuestsOrExternalUsers")
	}
	if u.GetExcludeGuestsOrExternalUsers() == nil {
		capolicies.SetJSONNull(u, "excludeGuestsOrExternalUsers")
	}

	a := c.GetApplications()
	if a == nil {
		a = models.NewConditionalAccessApplications()
		c.SetApplications(a)
	}
	a.SetIncludeApplications(caNonNil(a.GetIncludeApplications()))
	a.SetExcludeApplications(caNonNil(a.GetExcludeApplications()))
	a.SetIncludeUserActions(caNonNil(a.GetIncludeUserActions()))
	a.SetIncludeAuthenticationContextClassReferences(caNonNil(a.GetIncludeAuthenticationContextClassReferences()))
	if a.GetApplicationFilter() == nil {
		capolicies.SetJSONNull(a, "applicationFilter")
	}

	if len(c.GetClientAppTypes()) == 0 {
		c.SetClientAppTypes([]models.ConditionalAccessClientApp{models.ALL_CONDITIONALACCESSCLIENTAPP})
	}
	if c.GetSignInRiskLevels() == nil {
		c.SetSignInRiskLevels([]models.RiskLevel{})
	}
	if c.GetUserRiskLevels() == nil {
		c.SetUserRiskLevels([]models.RiskLevel{})
	}
	if c.GetServicePrincipalRiskLevels() == nil {
		c.SetServicePrincipalRiskLevels([]models.RiskLevel{})
	}
	nullWhereUnset(c, map[string]bool{
		"clientApplications":  c.GetClientApplications() == nil,
		"platforms":           c.GetPlatforms() == nil,
		"locations":           c.GetLocations() == nil,
		"devices":             c.GetDevices() == nil,
		"insiderRiskLevels":   c.GetInsiderRiskLevels() == nil,
		"authenticationFlows": c.GetAuthenticationFlows() == nil,
	})

	if g := p.GetGrantControls(); g == nil {
		capolicies.SetJSONNull(p, "grantControls")
	} else {
		if g.GetOperator() == nil {
			op := "OR"
			g.SetOperator(&op)
		}
		if g.GetBuiltInControls() == nil {
			g.SetBuiltInControls([]models.ConditionalAccessGrantControl{})
		}
		g.SetTermsOfUse(caNonNil(g.GetTermsOfUse()))
		g.SetCustomAuthenticationFactors(caNonNil(g.GetCustomAuthenticationFactors()))
		if g.GetAuthenticationStrength() == nil {
			capolicies.SetJSONNull(g, "authenticationStrength")
		}
	}
	if s := p.GetSessionControls(); s == nil {
		capolicies.SetJSONNull(p, "sessionControls")
	} else {
		nullWhereUnset(s, map[string]bool{
			"applicationEnforcedRestrictions": s.GetApplicationEnforcedRestrictions() == nil,
			"cloudAppSecurity":                s.GetCloudAppSecurity() == nil,
			"persistentBrowser":               s.GetPersistentBrowser() == nil,
			"signInFrequency":                 s.GetSignInFrequency() == nil,
			"disableResilienceDefaults":       s.GetDisableResilienceDefaults() == nil,
			"secureSignInSession":             s.GetSecureSignInSession() == nil,
		})
	}
	return p
}

// nullWhereUnset sends each property of holder that unset marks as an explicit JSON null, so that
// the PATCH clears what was set out of band.
func nullWhereUnset(holder absser.AdditionalDataHolder, unset map[string]bool) {
	for key, isNil := range unset {
		if isNil {
			capolicies.SetJSONNull(holder, key)
		}
	}
}

// policyMatches reports whether a live policy has the desired name, conditions, controls and
// exactly the emergency-access exclusions; the state is compared by the caller.
func policyMatches(e *env, live models.ConditionalAccessPolicyable, want caDesired) bool {
	return len(policyDiff(e, live, want)) == 0
}

// policyDiff lists the normalised fields in which a live policy differs from the desired one
// (state aside), for in_sync and for the debug log.
func policyDiff(e *env, live models.ConditionalAccessPolicyable, want caDesired) []string {
	if live == nil {
		return []string{"policy"}
	}
	a, b := caShape(want.policy(e)), caShape(live)
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, fmt.Sprintf("%s: %q, want %q", k, b[k], v))
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok && v != "" {
			out = append(out, fmt.Sprintf("%s: %q, want none", k, v))
		}
	}
	sort.Strings(out)
	return out
}

// caShape flattens a policy (state aside) into normalised fields: lists as sorted sets, ids and
// keywords in lower case, absent objects and Graph's defaults spelled one way, so that two
// equivalent policies give the same map whatever Graph echoes back.
func caShape(p models.ConditionalAccessPolicyable) map[string]string {
	s := map[string]string{"displayName": caStr(p.GetDisplayName())}

	c := p.GetConditions()
	if c == nil {
		c = models.NewConditionalAccessConditionSet()
	}
	u := c.GetUsers()
	if u == nil {
		u = models.NewConditionalAccessUsers()
	}
	s["users.includeUsers"] = caSet(u.GetIncludeUsers())
	s["users.excludeUsers"] = caSet(u.GetExcludeUsers())
	s["users.includeGroups"] = caSet(u.GetIncludeGroups())
	s["users.excludeGroups"] = caSet(u.GetExcludeGroups())
	s["users.includeRoles"] = caSet(u.GetIncludeRoles())
	s["users.excludeRoles"] = caSet(u.GetExcludeRoles())
	s["users.includeGuestsOrExternalUsers"] = guestsShape(u.GetIncludeGuestsOrExternalUsers())
	s["users.excludeGuestsOrExternalUsers"] = guestsShape(u.GetExcludeGuestsOrExternalUsers())

	a := c.GetApplications()
	if a == nil {
		a = models.NewConditionalAccessApplications()
	}
	s["applications.includeApplications"] = caSet(a.GetIncludeApplications())
	s["applications.excludeApplications"] = caSet(a.GetExcludeApplications())
	s["applications.includeUserActions"] = caSet(a.GetIncludeUserActions())
	s["applications.includeAuthenticationContextClassReferences"] = caSet(a.GetIncludeAuthenticationContextClassReferences())
	s["applications.applicationFilter"] = filterShape(a.GetApplicationFilter())

	clientApps := caSet(m365.EnumStrings(c.GetClientAppTypes()))
	if clientApps == "" {
		clientApps = "all" // Graph's default.
	}
	s["clientAppTypes"] = clientApps
	if ca := c.GetClientApplications(); ca != nil {
		s["clientApplications"] = caSet(ca.GetIncludeServicePrincipals()) + "|" + caSet(ca.GetExcludeServicePrincipals()) + "|" +
			filterShape(ca.GetServicePrincipalFilter())
	}
	if pl := c.GetPlatforms(); pl != nil {
		s["platforms"] = caSet(m365.EnumStrings(pl.GetIncludePlatforms())) + "|" + caSet(m365.EnumStrings(pl.GetExcludePlatforms()))
	}
	if l := c.GetLocations(); l != nil {
		s["locations"] = caSet(l.GetIncludeLocations()) + "|" + caSet(l.GetExcludeLocations())
	}
	if d := c.GetDevices(); d != nil {
		s["devices"] = filterShape(d.GetDeviceFilter())
	}
	for _, k := range []string{"clientApplications", "platforms", "locations", "devices"} {
		if strings.Trim(s[k], "|") == "" {
			s[k] = "" // An empty object means the same as none.
		}
	}
	s["signInRiskLevels"] = caSet(m365.EnumStrings(c.GetSignInRiskLevels()))
	s["userRiskLevels"] = caSet(m365.EnumStrings(c.GetUserRiskLevels()))
	s["servicePrincipalRiskLevels"] = caSet(m365.EnumStrings(c.GetServicePrincipalRiskLevels()))
	if irl := c.GetInsiderRiskLevels(); irl != nil {
		s["insiderRiskLevels"] = caSet(strings.Split(irl.String(), ","))
	}
	if af := c.GetAuthenticationFlows(); af != nil && af.GetTransferMethods() != nil {
		s["authenticationFlows"] = caSet(strings.Split(af.GetTransferMethods().String(), ","))
	}

	s["grantControls"] = grantShape(p.GetGrantControls())
	s["sessionControls"] = sessionShape(p.GetSessionControls())
	return s
}

func guestsShape(g models.ConditionalAccessGuestsOrExternalUsersable) string {
	if g == nil || g.GetGuestOrExternalUserTypes() == nil {
		return ""
	}
	kinds := caSet(strings.Split(g.GetGuestOrExternalUserTypes().String(), ","))
	if kinds == "" || kinds == "none" {
		return ""
	}
	tenants := "all" // No externalTenants means all of them.
	if et := g.GetExternalTenants(); et != nil {
		if k := et.GetMembershipKind(); k != nil && k.String() != "all" {
			tenants = k.String()
		}
		if en, ok := et.(models.ConditionalAccessEnumeratedExternalTenantsable); ok && len(en.GetMembers()) > 0 {
			tenants += ":" + caSet(en.GetMembers())
		}
	}
	return kinds + "|" + tenants
}

func filterShape(f models.ConditionalAccessFilterable) string {
	if f == nil || f.GetRule() == nil || *f.GetRule() == "" {
		return ""
	}
	mode := ""
	if f.GetMode() != nil {
		mode = f.GetMode().String()
	}
	return mode + "|" + *f.GetRule()
}

func grantShape(g models.ConditionalAccessGrantControlsable) string {
	if g == nil {
		return ""
	}
	strength := ""
	if st := g.GetAuthenticationStrength(); st != nil {
		strength = strings.ToLower(caStr(st.GetId()))
	}
	builtIn := caSet(m365.EnumStrings(g.GetBuiltInControls()))
	terms, factors := caSet(g.GetTermsOfUse()), caSet(g.GetCustomAuthenticationFactors())
	if builtIn == "" && terms == "" && factors == "" && strength == "" {
		return "" // Grant controls without a control mean no grant controls.
	}
	op := strings.ToUpper(caStr(g.GetOperator()))
	if op == "" {
		op = "OR"
	}
	return strings.Join([]string{op, builtIn, terms, factors, strength}, "|")
}

func sessionShape(s models.ConditionalAccessSessionControlsable) string {
	if s == nil {
		return ""
	}
	var parts []string
	if r := s.GetApplicationEnforcedRestrictions(); r != nil && caTrue(r.GetIsEnabled()) {
		parts = append(parts, "applicationEnforcedRestrictions")
	}
	if r := s.GetCloudAppSecurity(); r != nil && caTrue(r.GetIsEnabled()) {
		t := ""
		if r.GetCloudAppSecurityType() != nil {
			t = r.GetCloudAppSecurityType().String()
		}
		parts = append(parts, "cloudAppSecurity="+t)
	}
	if r := s.GetPersistentBrowser(); r != nil && caTrue(r.GetIsEnabled()) {
		m := ""
		if r.GetMode() != nil {
			m = r.GetMode().String()
		}
		parts = append(parts, "persistentBrowser="+m)
	}
	if r := s.GetSignInFrequency(); r != nil && caTrue(r.GetIsEnabled()) {
		interval, auth, kind, value := "timeBased", "primaryAndSecondaryAuthentication", "", ""
		if r.GetFrequencyInterval() != nil {
			interval = r.GetFrequencyInterval().String()
		}
		if r.GetAuthenticationType() != nil {
			auth = r.GetAuthenticationType().String()
		}
		if r.GetTypeEscaped() != nil {
			kind = r.GetTypeEscaped().String()
		}
		if r.GetValue() != nil {
			value = strconv.Itoa(int(*r.GetValue()))
		}
		parts = append(parts, "signInFrequency="+strings.Join([]string{interval, auth, kind, value}, ","))
	}
	if caTrue(s.GetDisableResilienceDefaults()) {
		parts = append(parts, "disableResilienceDefaults")
	}
	if r := s.GetSecureSignInSession(); r != nil && caTrue(r.GetIsEnabled()) {
		parts = append(parts, "secureSignInSession")
	}
	return strings.Join(parts, ";")
}

// caSet is a canonical spelling of a list compared as a set: lower case, sorted, deduplicated.
func caSet(vals []string) string {
	seen := map[string]bool{}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		v = strings.ToLower(strings.TrimSpace(v))
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// caUnion returns a followed by the elements of b it lacks (ids compared case-insensitively).
func caUnion(a, b []string) []string {
	out := caNonNil(append([]string(nil), a...))
	for _, v := range b {
		if !containsFold(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// caNonNil returns [] for nil: the kiota writer omits a nil slice but writes [] for an empty one,
// and Graph must see the empty list to clear a previous value.
func caNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func caStr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func caTrue(b *bool) bool { return b != nil && *b }
