// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
)

// expandPolicy builds the full request body for both POST and PATCH. A Conditional Access PATCH
// replaces nested objects wholesale, so the body always carries every attribute; an absent optional
// object is sent as an explicit JSON null so that removing it from the configuration clears it in
// Graph. Read-only properties (id, createdDateTime, modifiedDateTime) are never set.
func expandPolicy(ctx context.Context, m caPolicyResourceModel) (models.ConditionalAccessPolicyable, diag.Diagnostics) {
	var diags diag.Diagnostics
	p := models.NewConditionalAccessPolicy()
	p.SetDisplayName(strPtr(m.DisplayName.ValueString()))

	state, err := m365.ParseEnum[models.ConditionalAccessPolicyState](models.ParseConditionalAccessPolicyState, stateToGraph(m.State.ValueString()))
	if err != nil {
		diags.AddAttributeError(pathState, "Invalid Policy State", err.Error())
	}
	p.SetState(state)

	conditions, d := expandConditions(ctx, m.Conditions)
	diags.Append(d...)
	p.SetConditions(conditions)

	if m.GrantControls.IsNull() || m.GrantControls.IsUnknown() {
		capolicies.SetJSONNull(p, "grantControls")
	} else {
		g, d := expandGrantControls(ctx, m.GrantControls)
		diags.Append(d...)
		p.SetGrantControls(g)
	}

	if m.SessionControls.IsNull() || m.SessionControls.IsUnknown() {
		capolicies.SetJSONNull(p, "sessionControls")
	} else {
		s, d := expandSessionControls(ctx, m.SessionControls)
		diags.Append(d...)
		p.SetSessionControls(s)
	}
	return p, diags
}

func expandConditions(ctx context.Context, obj types.Object) (models.ConditionalAccessConditionSetable, diag.Diagnostics) {
	c, diags := objectAs[conditionsModel](ctx, obj)
	out := models.NewConditionalAccessConditionSet()

	u, d := objectAs[usersModel](ctx, c.Users)
	diags.Append(d...)
	users := models.NewConditionalAccessUsers()
	users.SetIncludeUsers(expandStrings(u.IncludeUsers, includeUserKeywords))
	users.SetExcludeUsers(expandStrings(u.ExcludeUsers, excludeUserKeywords))
	users.SetIncludeGroups(expandStrings(u.IncludeGroups, nil))
	users.SetExcludeGroups(expandStrings(u.ExcludeGroups, nil))
	users.SetIncludeRoles(expandStrings(u.IncludeRoles, nil))
	users.SetExcludeRoles(expandStrings(u.ExcludeRoles, nil))
	if g, d := expandGuests(ctx, u.IncludeGuestsOrExternalUsers); g != nil || d.HasError() {
		diags.Append(d...)
		users.SetIncludeGuestsOrExternalUsers(g)
	} else {
		capolicies.SetJSONNull(users, "includeGuestsOrExternalUsers")
	}
	if g, d := expandGuests(ctx, u.ExcludeGuestsOrExternalUsers); g != nil || d.HasError() {
		diags.Append(d...)
		users.SetExcludeGuestsOrExternalUsers(g)
	} else {
		capolicies.SetJSONNull(users, "excludeGuestsOrExternalUsers")
	}
	out.SetUsers(users)

	a, d := objectAs[applicationsModel](ctx, c.Applications)
	diags.Append(d...)
	apps := models.NewConditionalAccessApplications()
	apps.SetIncludeApplications(expandStrings(a.IncludeApplications, includeApplicationKeywords))
	apps.SetExcludeApplications(expandStrings(a.ExcludeApplications, excludeApplicationKeywords))
	apps.SetIncludeUserActions(expandStrings(a.IncludeUserActions, nil))
	apps.SetIncludeAuthenticationContextClassReferences(expandStrings(a.IncludeAuthenticationContextClassReferences, nil))
	if f, d := expandFilter(ctx, a.ApplicationFilter); f != nil || d.HasError() {
		diags.Append(d...)
		apps.SetApplicationFilter(f)
	} else {
		capolicies.SetJSONNull(apps, "applicationFilter")
	}
	out.SetApplications(apps)

	if c.ClientApplications.IsNull() || c.ClientApplications.IsUnknown() {
		capolicies.SetJSONNull(out, "clientApplications")
	} else {
		ca, d := objectAs[clientApplicationsModel](ctx, c.ClientApplications)
		diags.Append(d...)
		sp := models.NewConditionalAccessClientApplications()
		sp.SetIncludeServicePrincipals(expandStrings(ca.IncludeServicePrincipals, includeSPKeywords))
		sp.SetExcludeServicePrincipals(expandStrings(ca.ExcludeServicePrincipals, nil))
		if f, d := expandFilter(ctx, ca.ServicePrincipalFilter); f != nil || d.HasError() {
			diags.Append(d...)
			sp.SetServicePrincipalFilter(f)
		}
		out.SetClientApplications(sp)
	}

	clientAppTypes := expandStrings(c.ClientAppTypes, nil)
	if len(clientAppTypes) == 0 {
		// Graph's own default; sending it keeps the body explicit.
		clientAppTypes = []string{"all"}
	}
	cat, err := m365.ParseEnums[models.ConditionalAccessClientApp](models.ParseConditionalAccessClientApp, clientAppTypes)
	diags.Append(enumDiag(err)...)
	out.SetClientAppTypes(cat)

	if c.Platforms.IsNull() || c.Platforms.IsUnknown() {
		capolicies.SetJSONNull(out, "platforms")
	} else {
		pm, d := objectAs[platformsModel](ctx, c.Platforms)
		diags.Append(d...)
		pl := models.NewConditionalAccessPlatforms()
		inc, err := m365.ParseEnums[models.ConditionalAccessDevicePlatform](models.ParseConditionalAccessDevicePlatform, expandStrings(pm.IncludePlatforms, nil))
		diags.Append(enumDiag(err)...)
		exc, err := m365.ParseEnums[models.ConditionalAccessDevicePlatform](models.ParseConditionalAccessDevicePlatform, expandStrings(pm.ExcludePlatforms, nil))
		diags.Append(enumDiag(err)...)
		pl.SetIncludePlatforms(inc)
		pl.SetExcludePlatforms(exc)
		out.SetPlatforms(pl)
	}

	if c.Locations.IsNull() || c.Locations.IsUnknown() {
		capolicies.SetJSONNull(out, "locations")
	} else {
		lm, d := objectAs[locationsModel](ctx, c.Locations)
		diags.Append(d...)
		loc := models.NewConditionalAccessLocations()
		loc.SetIncludeLocations(expandStrings(lm.IncludeLocations, includeLocationKeywords))
		loc.SetExcludeLocations(expandStrings(lm.ExcludeLocations, excludeLocationKeywords))
		out.SetLocations(loc)
	}

	if c.Devices.IsNull() || c.Devices.IsUnknown() {
		capolicies.SetJSONNull(out, "devices")
	} else {
		dm, d := objectAs[devicesModel](ctx, c.Devices)
		diags.Append(d...)
		dev := models.NewConditionalAccessDevices()
		f, d := expandFilter(ctx, dm.DeviceFilter)
		diags.Append(d...)
		dev.SetDeviceFilter(f)
		out.SetDevices(dev)
	}

	for _, rl := range []struct {
		set    types.Set
		setter func([]models.RiskLevel)
	}{
		{c.SignInRiskLevels, out.SetSignInRiskLevels},
		{c.UserRiskLevels, out.SetUserRiskLevels},
		{c.ServicePrincipalRiskLevels, out.SetServicePrincipalRiskLevels},
	} {
		levels, err := m365.ParseEnums[models.RiskLevel](models.ParseRiskLevel, expandStrings(rl.set, nil))
		diags.Append(enumDiag(err)...)
		rl.setter(levels)
	}

	if vals := expandStrings(c.InsiderRiskLevels, nil); len(vals) > 0 {
		irl, err := m365.ParseEnum[models.ConditionalAccessInsiderRiskLevels](models.ParseConditionalAccessInsiderRiskLevels, strings.Join(vals, ","))
		diags.Append(enumDiag(err)...)
		out.SetInsiderRiskLevels(irl)
	} else {
		capolicies.SetJSONNull(out, "insiderRiskLevels")
	}

	if c.AuthenticationFlows.IsNull() || c.AuthenticationFlows.IsUnknown() {
		capolicies.SetJSONNull(out, "authenticationFlows")
	} else {
		fm, d := objectAs[authenticationFlowsModel](ctx, c.AuthenticationFlows)
		diags.Append(d...)
		flows := models.NewConditionalAccessAuthenticationFlows()
		tm, err := m365.ParseEnum[models.ConditionalAccessTransferMethods](models.ParseConditionalAccessTransferMethods, strings.Join(expandStrings(fm.TransferMethods, nil), ","))
		diags.Append(enumDiag(err)...)
		flows.SetTransferMethods(tm)
		out.SetAuthenticationFlows(flows)
	}
	return out, diags
}

// expandGuests returns nil for a null object.
func expandGuests(ctx context.Context, obj types.Object) (models.ConditionalAccessGuestsOrExternalUsersable, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return nil, nil
	}
	g, diags := objectAs[guestsModel](ctx, obj)
	out := models.NewConditionalAccessGuestsOrExternalUsers()
	kinds, err := m365.ParseEnum[models.ConditionalAccessGuestOrExternalUserTypes](models.ParseConditionalAccessGuestOrExternalUserTypes,
		strings.Join(expandStrings(g.GuestOrExternalUserTypes, nil), ","))
	diags.Append(enumDiag(err)...)
	out.SetGuestOrExternalUserTypes(kinds)

	if g.ExternalTenants.IsNull() || g.ExternalTenants.IsUnknown() {
		capolicies.SetJSONNull(out, "externalTenants")
		return out, diags
	}
	t, d := objectAs[externalTenantsModel](ctx, g.ExternalTenants)
	diags.Append(d...)
	kind, err := m365.ParseEnum[models.ConditionalAccessExternalTenantsMembershipKind](models.ParseConditionalAccessExternalTenantsMembershipKind, t.MembershipKind.ValueString())
	diags.Append(enumDiag(err)...)
	// Graph tells the two shapes apart by @odata.type, which the derived constructors set.
	if t.MembershipKind.ValueString() == membershipKindEnumerated {
		et := models.NewConditionalAccessEnumeratedExternalTenants()
		et.SetMembershipKind(kind)
		et.SetMembers(expandStrings(t.Members, nil))
		out.SetExternalTenants(et)
	} else {
		et := models.NewConditionalAccessAllExternalTenants()
		et.SetMembershipKind(kind)
		out.SetExternalTenants(et)
	}
	return out, diags
}

// expandFilter returns nil for a null object.
func expandFilter(ctx context.Context, obj types.Object) (models.ConditionalAccessFilterable, diag.Diagnostics) {
	if obj.IsNull() || obj.IsUnknown() {
		return nil, nil
	}
	f, diags := objectAs[filterModel](ctx, obj)
	out := models.NewConditionalAccessFilter()
	mode, err := m365.ParseEnum[models.FilterMode](models.ParseFilterMode, f.Mode.ValueString())
	diags.Append(enumDiag(err)...)
	out.SetMode(mode)
	out.SetRule(strPtr(f.Rule.ValueString()))
	return out, diags
}

func expandGrantControls(ctx context.Context, obj types.Object) (models.ConditionalAccessGrantControlsable, diag.Diagnostics) {
	g, diags := objectAs[grantControlsModel](ctx, obj)
	out := models.NewConditionalAccessGrantControls()
	op := g.Operator.ValueString()
	if op == "" {
		op = operatorDefault
	}
	out.SetOperator(strPtr(op))
	controls, err := m365.ParseEnums[models.ConditionalAccessGrantControl](models.ParseConditionalAccessGrantControl, expandStrings(g.BuiltInControls, nil))
	diags.Append(enumDiag(err)...)
	out.SetBuiltInControls(controls)
	out.SetTermsOfUse(expandStrings(g.TermsOfUse, nil))
	out.SetCustomAuthenticationFactors(expandStrings(g.CustomAuthenticationFactors, nil))
	if id := g.AuthenticationStrengthID; !id.IsNull() && !id.IsUnknown() {
		// Graph binds the strength by id; sending its other properties is neither needed nor allowed.
		s := models.NewAuthenticationStrengthPolicy()
		s.SetId(strPtr(id.ValueString()))
		out.SetAuthenticationStrength(s)
	} else {
		capolicies.SetJSONNull(out, "authenticationStrength")
	}
	return out, diags
}

func expandSessionControls(ctx context.Context, obj types.Object) (models.ConditionalAccessSessionControlsable, diag.Diagnostics) {
	s, diags := objectAs[sessionControlsModel](ctx, obj)
	out := models.NewConditionalAccessSessionControls()
	enabled := true

	if s.ApplicationEnforcedRestrictions.ValueBool() {
		aer := models.NewApplicationEnforcedRestrictionsSessionControl()
		aer.SetIsEnabled(&enabled)
		out.SetApplicationEnforcedRestrictions(aer)
	} else {
		capolicies.SetJSONNull(out, "applicationEnforcedRestrictions")
	}

	if v := s.CloudAppSecurity; !v.IsNull() && !v.IsUnknown() {
		cas := models.NewCloudAppSecuritySessionControl()
		cas.SetIsEnabled(&enabled)
		t, err := m365.ParseEnum[models.CloudAppSecuritySessionControlType](models.ParseCloudAppSecuritySessionControlType, v.ValueString())
		diags.Append(enumDiag(err)...)
		cas.SetCloudAppSecurityType(t)
		out.SetCloudAppSecurity(cas)
	} else {
		capolicies.SetJSONNull(out, "cloudAppSecurity")
	}

	if v := s.PersistentBrowser; !v.IsNull() && !v.IsUnknown() {
		pb := models.NewPersistentBrowserSessionControl()
		pb.SetIsEnabled(&enabled)
		mode, err := m365.ParseEnum[models.PersistentBrowserSessionMode](models.ParsePersistentBrowserSessionMode, v.ValueString())
		diags.Append(enumDiag(err)...)
		pb.SetMode(mode)
		out.SetPersistentBrowser(pb)
	} else {
		capolicies.SetJSONNull(out, "persistentBrowser")
	}

	if !s.SignInFrequency.IsNull() && !s.SignInFrequency.IsUnknown() {
		f, d := objectAs[signInFrequencyModel](ctx, s.SignInFrequency)
		diags.Append(d...)
		sif := models.NewSignInFrequencySessionControl()
		sif.SetIsEnabled(&enabled)
		interval := f.FrequencyInterval.ValueString()
		if interval == "" {
			interval = intervalTimeBased
		}
		iv, err := m365.ParseEnum[models.SignInFrequencyInterval](models.ParseSignInFrequencyInterval, interval)
		diags.Append(enumDiag(err)...)
		sif.SetFrequencyInterval(iv)
		authType := f.AuthenticationType.ValueString()
		if authType == "" {
			authType = authTypePrimaryAndSecondary
		}
		at, err := m365.ParseEnum[models.SignInFrequencyAuthenticationType](models.ParseSignInFrequencyAuthenticationType, authType)
		diags.Append(enumDiag(err)...)
		sif.SetAuthenticationType(at)
		if !f.Value.IsNull() && !f.Value.IsUnknown() {
			v := int32(f.Value.ValueInt64()) //nolint:gosec // The schema bounds value to 1..365.
			sif.SetValue(&v)
		}
		if !f.Type.IsNull() && !f.Type.IsUnknown() {
			t, err := m365.ParseEnum[models.SigninFrequencyType](models.ParseSigninFrequencyType, f.Type.ValueString())
			diags.Append(enumDiag(err)...)
			sif.SetTypeEscaped(t)
		}
		out.SetSignInFrequency(sif)
	} else {
		capolicies.SetJSONNull(out, "signInFrequency")
	}

	// Graph reports an unset flag as null, so false is sent as null too; the explicit null still
	// clears a previous true.
	if s.DisableResilienceDefaults.ValueBool() {
		out.SetDisableResilienceDefaults(&enabled)
	} else {
		capolicies.SetJSONNull(out, "disableResilienceDefaults")
	}

	if s.SecureSignInSession.ValueBool() {
		sss := models.NewSecureSignInSessionControl()
		sss.SetIsEnabled(&enabled)
		out.SetSecureSignInSession(sss)
	} else {
		capolicies.SetJSONNull(out, "secureSignInSession")
	}
	return out, diags
}

// expandStrings returns a set's elements sorted, with keywords in Graph's spelling. It never returns
// nil, because the kiota writer omits a nil slice but writes [] for an empty one, and Graph must see
// the empty list to clear a previous value.
func expandStrings(s types.Set, keywords []string) []string {
	vals, _ := knownStrings(s)
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, canonicalKeyword(v, keywords))
	}
	sort.Strings(out)
	return out
}

// enumDiag reports a value m365.ParseEnum refused.
func enumDiag(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	if err != nil {
		diags.AddError("Invalid Enum Value",
			"The configuration holds a value the Graph SDK cannot encode: "+err.Error()+
				". Plan-time validation should have caught this; please report it to the provider developers.")
	}
	return diags
}

func strPtr(s string) *string { return &s }
