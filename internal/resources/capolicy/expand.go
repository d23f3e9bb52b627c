// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
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

	diags.Append(expandNested(ctx, m.GrantControls, p, "grantControls", func(g grantControlsModel, diags *diag.Diagnostics) {
		p.SetGrantControls(expandGrantControls(g, diags))
	})...)
	diags.Append(expandNested(ctx, m.SessionControls, p, "sessionControls", func(s sessionControlsModel, diags *diag.Diagnostics) {
		p.SetSessionControls(expandSessionControls(ctx, s, diags))
	})...)
	return p, diags
}

// expandNested is how every optional nested object is sent: build gets the decoded object, and a
// null one is sent as an explicit JSON null under key in holder, so that removing the block from
// the configuration clears it in Graph.
func expandNested[M any](ctx context.Context, obj types.Object, holder absser.AdditionalDataHolder, key string, build func(M, *diag.Diagnostics)) diag.Diagnostics {
	var diags diag.Diagnostics
	if obj.IsNull() || obj.IsUnknown() {
		capolicies.SetJSONNull(holder, key)
		return diags
	}
	m, d := objectAs[M](ctx, obj)
	diags.Append(d...)
	build(m, &diags)
	return diags
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
	diags.Append(expandNested(ctx, u.IncludeGuestsOrExternalUsers, users, "includeGuestsOrExternalUsers", func(g guestsModel, diags *diag.Diagnostics) {
		users.SetIncludeGuestsOrExternalUsers(expandGuests(ctx, g, diags))
	})...)
	diags.Append(expandNested(ctx, u.ExcludeGuestsOrExternalUsers, users, "excludeGuestsOrExternalUsers", func(g guestsModel, diags *diag.Diagnostics) {
		users.SetExcludeGuestsOrExternalUsers(expandGuests(ctx, g, diags))
	})...)
	out.SetUsers(users)

	a, d := objectAs[applicationsModel](ctx, c.Applications)
	diags.Append(d...)
	apps := models.NewConditionalAccessApplications()
	apps.SetIncludeApplications(expandStrings(a.IncludeApplications, includeApplicationKeywords))
	apps.SetExcludeApplications(expandStrings(a.ExcludeApplications, excludeApplicationKeywords))
	apps.SetIncludeUserActions(expandStrings(a.IncludeUserActions, nil))
	apps.SetIncludeAuthenticationContextClassReferences(expandStrings(a.IncludeAuthenticationContextClassReferences, nil))
	diags.Append(expandNested(ctx, a.ApplicationFilter, apps, "applicationFilter", func(f filterModel, diags *diag.Diagnostics) {
		apps.SetApplicationFilter(expandFilter(f, diags))
	})...)
	out.SetApplications(apps)

	diags.Append(expandNested(ctx, c.ClientApplications, out, "clientApplications", func(ca clientApplicationsModel, diags *diag.Diagnostics) {
		sp := models.NewConditionalAccessClientApplications()
		sp.SetIncludeServicePrincipals(expandStrings(ca.IncludeServicePrincipals, includeSPKeywords))
		sp.SetExcludeServicePrincipals(expandStrings(ca.ExcludeServicePrincipals, nil))
		if f := optionalFilter(ctx, ca.ServicePrincipalFilter, diags); f != nil {
			sp.SetServicePrincipalFilter(f)
		}
		out.SetClientApplications(sp)
	})...)

	clientAppTypes := expandStrings(c.ClientAppTypes, nil)
	if len(clientAppTypes) == 0 {
		// Graph's own default; sending it keeps the body explicit.
		clientAppTypes = []string{"all"}
	}
	out.SetClientAppTypes(parseEnums[models.ConditionalAccessClientApp](models.ParseConditionalAccessClientApp, clientAppTypes, &diags))

	diags.Append(expandNested(ctx, c.Platforms, out, "platforms", func(pm platformsModel, diags *diag.Diagnostics) {
		pl := models.NewConditionalAccessPlatforms()
		pl.SetIncludePlatforms(parseEnums[models.ConditionalAccessDevicePlatform](models.ParseConditionalAccessDevicePlatform, expandStrings(pm.IncludePlatforms, nil), diags))
		pl.SetExcludePlatforms(parseEnums[models.ConditionalAccessDevicePlatform](models.ParseConditionalAccessDevicePlatform, expandStrings(pm.ExcludePlatforms, nil), diags))
		out.SetPlatforms(pl)
	})...)

	diags.Append(expandNested(ctx, c.Locations, out, "locations", func(lm locationsModel, _ *diag.Diagnostics) {
		loc := models.NewConditionalAccessLocations()
		loc.SetIncludeLocations(expandStrings(lm.IncludeLocations, includeLocationKeywords))
		loc.SetExcludeLocations(expandStrings(lm.ExcludeLocations, excludeLocationKeywords))
		out.SetLocations(loc)
	})...)

	diags.Append(expandNested(ctx, c.Devices, out, "devices", func(dm devicesModel, diags *diag.Diagnostics) {
		dev := models.NewConditionalAccessDevices()
		dev.SetDeviceFilter(optionalFilter(ctx, dm.DeviceFilter, diags))
		out.SetDevices(dev)
	})...)

	out.SetSignInRiskLevels(parseEnums[models.RiskLevel](models.ParseRiskLevel, expandStrings(c.SignInRiskLevels, nil), &diags))
	out.SetUserRiskLevels(parseEnums[models.RiskLevel](models.ParseRiskLevel, expandStrings(c.UserRiskLevels, nil), &diags))
	out.SetServicePrincipalRiskLevels(parseEnums[models.RiskLevel](models.ParseRiskLevel, expandStrings(c.ServicePrincipalRiskLevels, nil), &diags))

	if vals := expandStrings(c.InsiderRiskLevels, nil); len(vals) > 0 {
		out.SetInsiderRiskLevels(parseFlags[models.ConditionalAccessInsiderRiskLevels](models.ParseConditionalAccessInsiderRiskLevels, vals, &diags))
	} else {
		capolicies.SetJSONNull(out, "insiderRiskLevels")
	}

	diags.Append(expandNested(ctx, c.AuthenticationFlows, out, "authenticationFlows", func(fm authenticationFlowsModel, diags *diag.Diagnostics) {
		flows := models.NewConditionalAccessAuthenticationFlows()
		flows.SetTransferMethods(parseFlags[models.ConditionalAccessTransferMethods](models.ParseConditionalAccessTransferMethods, expandStrings(fm.TransferMethods, nil), diags))
		out.SetAuthenticationFlows(flows)
	})...)
	return out, diags
}

func expandGuests(ctx context.Context, g guestsModel, diags *diag.Diagnostics) models.ConditionalAccessGuestsOrExternalUsersable {
	out := models.NewConditionalAccessGuestsOrExternalUsers()
	out.SetGuestOrExternalUserTypes(parseFlags[models.ConditionalAccessGuestOrExternalUserTypes](models.ParseConditionalAccessGuestOrExternalUserTypes,
		expandStrings(g.GuestOrExternalUserTypes, nil), diags))
	diags.Append(expandNested(ctx, g.ExternalTenants, out, "externalTenants", func(t externalTenantsModel, diags *diag.Diagnostics) {
		kind := parseEnum[models.ConditionalAccessExternalTenantsMembershipKind](models.ParseConditionalAccessExternalTenantsMembershipKind, t.MembershipKind.ValueString(), diags)
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
	})...)
	return out
}

// optionalFilter is the filter of obj, or nil (left out of the body) when obj is null.
func optionalFilter(ctx context.Context, obj types.Object, diags *diag.Diagnostics) models.ConditionalAccessFilterable {
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	f, d := objectAs[filterModel](ctx, obj)
	diags.Append(d...)
	return expandFilter(f, diags)
}

func expandFilter(f filterModel, diags *diag.Diagnostics) models.ConditionalAccessFilterable {
	out := models.NewConditionalAccessFilter()
	out.SetMode(parseEnum[models.FilterMode](models.ParseFilterMode, f.Mode.ValueString(), diags))
	out.SetRule(strPtr(f.Rule.ValueString()))
	return out
}

func expandGrantControls(g grantControlsModel, diags *diag.Diagnostics) models.ConditionalAccessGrantControlsable {
	out := models.NewConditionalAccessGrantControls()
	op := g.Operator.ValueString()
	if op == "" {
		op = operatorDefault
	}
	out.SetOperator(strPtr(op))
	out.SetBuiltInControls(parseEnums[models.ConditionalAccessGrantControl](models.ParseConditionalAccessGrantControl, expandStrings(g.BuiltInControls, nil), diags))
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
	return out
}

func expandSessionControls(ctx context.Context, s sessionControlsModel, diags *diag.Diagnostics) models.ConditionalAccessSessionControlsable {
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
		cas.SetCloudAppSecurityType(parseEnum[models.CloudAppSecuritySessionControlType](models.ParseCloudAppSecuritySessionControlType, v.ValueString(), diags))
		out.SetCloudAppSecurity(cas)
	} else {
		capolicies.SetJSONNull(out, "cloudAppSecurity")
	}

	if v := s.PersistentBrowser; !v.IsNull() && !v.IsUnknown() {
		pb := models.NewPersistentBrowserSessionControl()
		pb.SetIsEnabled(&enabled)
		pb.SetMode(parseEnum[models.PersistentBrowserSessionMode](models.ParsePersistentBrowserSessionMode, v.ValueString(), diags))
		out.SetPersistentBrowser(pb)
	} else {
		capolicies.SetJSONNull(out, "persistentBrowser")
	}

	diags.Append(expandNested(ctx, s.SignInFrequency, out, "signInFrequency", func(f signInFrequencyModel, diags *diag.Diagnostics) {
		out.SetSignInFrequency(expandSignInFrequency(f, diags))
	})...)

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
	return out
}

func expandSignInFrequency(f signInFrequencyModel, diags *diag.Diagnostics) models.SignInFrequencySessionControlable {
	enabled := true
	sif := models.NewSignInFrequencySessionControl()
	sif.SetIsEnabled(&enabled)
	interval := f.FrequencyInterval.ValueString()
	if interval == "" {
		interval = intervalTimeBased
	}
	sif.SetFrequencyInterval(parseEnum[models.SignInFrequencyInterval](models.ParseSignInFrequencyInterval, interval, diags))
	authType := f.AuthenticationType.ValueString()
	if authType == "" {
		authType = authTypePrimaryAndSecondary
	}
	sif.SetAuthenticationType(parseEnum[models.SignInFrequencyAuthenticationType](models.ParseSignInFrequencyAuthenticationType, authType, diags))
	if !f.Value.IsNull() && !f.Value.IsUnknown() {
		v := int32(f.Value.ValueInt64()) //nolint:gosec // The schema bounds value to 1..365.
		sif.SetValue(&v)
	}
	if !f.Type.IsNull() && !f.Type.IsUnknown() {
		sif.SetTypeEscaped(parseEnum[models.SigninFrequencyType](models.ParseSigninFrequencyType, f.Type.ValueString(), diags))
	}
	return sif
}

// parseEnum is m365.ParseEnum with a diagnostic for a value the SDK refuses.
func parseEnum[T any](parse func(string) (any, error), s string, diags *diag.Diagnostics) *T {
	v, err := m365.ParseEnum[T](parse, s)
	diags.Append(enumDiag(err)...)
	return v
}

// parseEnums is m365.ParseEnums with a diagnostic for a value the SDK refuses.
func parseEnums[T any](parse func(string) (any, error), vals []string, diags *diag.Diagnostics) []T {
	out, err := m365.ParseEnums[T](parse, vals)
	diags.Append(enumDiag(err)...)
	return out
}

// parseFlags parses the members of a flags enum, which Graph spells as one comma-separated value.
func parseFlags[T any](parse func(string) (any, error), members []string, diags *diag.Diagnostics) *T {
	return parseEnum[T](parse, strings.Join(members, ","), diags)
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
