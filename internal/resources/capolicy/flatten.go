// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// flattenPolicy writes a policy read from Graph into m. Every attribute except Timeouts is set.
//
// m must hold the prior plan or state on entry (or be empty on import): its values decide how an
// equivalent Graph value is spelled, so that no false difference appears. An id or keyword Graph
// returns in other casing ("all" vs "All", upper-case GUIDs) keeps the configured spelling, and an
// external_tenants object that only says "all tenants" stays present or absent as configured.
// Graph's empty lists become empty sets, and its null or all-empty optional objects become null.
func flattenPolicy(ctx context.Context, p models.ConditionalAccessPolicyable, m *caPolicyResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if p == nil {
		diags.AddError("Empty Conditional Access Policy", "Graph returned no policy body. Please report this issue to the provider developers.")
		return diags
	}
	prior := *m

	m.ID = types.StringPointerValue(p.GetId())
	m.DisplayName = types.StringPointerValue(p.GetDisplayName())
	if s := p.GetState(); s != nil {
		m.State = types.StringValue(stateFromGraph(s.String()))
	} else {
		m.State = types.StringNull()
	}
	if t := p.GetCreatedDateTime(); t != nil {
		m.CreatedDateTime = types.StringValue(t.UTC().Format(time.RFC3339))
	} else {
		m.CreatedDateTime = types.StringNull()
	}

	var d diag.Diagnostics
	m.Conditions, d = flattenConditions(ctx, p.GetConditions(), prior.Conditions)
	diags.Append(d...)
	m.GrantControls, d = flattenGrantControls(ctx, p.GetGrantControls(), prior.GrantControls)
	diags.Append(d...)
	m.SessionControls, d = flattenSessionControls(ctx, p.GetSessionControls())
	diags.Append(d...)
	return diags
}

func flattenConditions(ctx context.Context, c models.ConditionalAccessConditionSetable, priorObj types.Object) (types.Object, diag.Diagnostics) {
	prior, diags := objectAs[conditionsModel](ctx, priorObj)
	if c == nil {
		c = models.NewConditionalAccessConditionSet()
	}
	var out conditionsModel
	var d diag.Diagnostics

	out.Users, d = flattenUsers(ctx, c.GetUsers(), prior.Users)
	diags.Append(d...)
	out.Applications, d = flattenApplications(ctx, c.GetApplications(), prior.Applications)
	diags.Append(d...)

	out.ClientApplications = nullObject("conditions", "client_applications")
	if ca := c.GetClientApplications(); ca != nil {
		filter := flattenFilter(ctx, ca.GetServicePrincipalFilter(), &diags, "conditions", "client_applications", "service_principal_filter")
		if len(ca.GetIncludeServicePrincipals()) > 0 || len(ca.GetExcludeServicePrincipals()) > 0 || !filter.IsNull() {
			out.ClientApplications = flattenNested(ctx, prior.ClientApplications, &diags, func(pc clientApplicationsModel) clientApplicationsModel {
				return clientApplicationsModel{
					IncludeServicePrincipals: flattenSet(ca.GetIncludeServicePrincipals(), pc.IncludeServicePrincipals),
					ExcludeServicePrincipals: flattenSet(ca.GetExcludeServicePrincipals(), pc.ExcludeServicePrincipals),
					ServicePrincipalFilter:   filter,
				}
			}, "conditions", "client_applications")
		}
	}

	clientAppTypes := m365.EnumStrings(c.GetClientAppTypes())
	if len(clientAppTypes) == 0 {
		// Graph treats a missing list as "all", and "all" is the schema default.
		clientAppTypes = []string{"all"}
	}
	out.ClientAppTypes = flattenSet(clientAppTypes, prior.ClientAppTypes)

	out.Platforms = nullObject("conditions", "platforms")
	if pl := c.GetPlatforms(); pl != nil && (len(pl.GetIncludePlatforms()) > 0 || len(pl.GetExcludePlatforms()) > 0) {
		out.Platforms = flattenNested(ctx, prior.Platforms, &diags, func(pp platformsModel) platformsModel {
			return platformsModel{
				IncludePlatforms: flattenSet(m365.EnumStrings(pl.GetIncludePlatforms()), pp.IncludePlatforms),
				ExcludePlatforms: flattenSet(m365.EnumStrings(pl.GetExcludePlatforms()), pp.ExcludePlatforms),
			}
		}, "conditions", "platforms")
	}

	out.Locations = nullObject("conditions", "locations")
	if l := c.GetLocations(); l != nil && (len(l.GetIncludeLocations()) > 0 || len(l.GetExcludeLocations()) > 0) {
		out.Locations = flattenNested(ctx, prior.Locations, &diags, func(pl locationsModel) locationsModel {
			return locationsModel{
				IncludeLocations: flattenSet(l.GetIncludeLocations(), pl.IncludeLocations),
				ExcludeLocations: flattenSet(l.GetExcludeLocations(), pl.ExcludeLocations),
			}
		}, "conditions", "locations")
	}

	out.Devices = nullObject("conditions", "devices")
	if dev := c.GetDevices(); dev != nil {
		if f := flattenFilter(ctx, dev.GetDeviceFilter(), &diags, "conditions", "devices", "device_filter"); !f.IsNull() {
			out.Devices, d = objectFrom(ctx, devicesModel{DeviceFilter: f}, "conditions", "devices")
			diags.Append(d...)
		}
	}

	out.SignInRiskLevels = flattenSet(m365.EnumStrings(c.GetSignInRiskLevels()), prior.SignInRiskLevels)
	out.UserRiskLevels = flattenSet(m365.EnumStrings(c.GetUserRiskLevels()), prior.UserRiskLevels)
	out.ServicePrincipalRiskLevels = flattenSet(m365.EnumStrings(c.GetServicePrincipalRiskLevels()), prior.ServicePrincipalRiskLevels)

	out.InsiderRiskLevels = types.SetNull(types.StringType)
	if irl := c.GetInsiderRiskLevels(); irl != nil {
		if vals := splitFlags(irl.String()); len(vals) > 0 {
			out.InsiderRiskLevels = flattenSet(vals, prior.InsiderRiskLevels)
		}
	}

	out.AuthenticationFlows = nullObject("conditions", "authentication_flows")
	if af := c.GetAuthenticationFlows(); af != nil && af.GetTransferMethods() != nil {
		if vals := splitFlags(af.GetTransferMethods().String()); len(vals) > 0 {
			out.AuthenticationFlows = flattenNested(ctx, prior.AuthenticationFlows, &diags, func(pf authenticationFlowsModel) authenticationFlowsModel {
				return authenticationFlowsModel{TransferMethods: flattenSet(vals, pf.TransferMethods)}
			}, "conditions", "authentication_flows")
		}
	}

	obj, d := objectFrom(ctx, out, "conditions")
	diags.Append(d...)
	return obj, diags
}

func flattenUsers(ctx context.Context, u models.ConditionalAccessUsersable, priorObj types.Object) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	if u == nil {
		u = models.NewConditionalAccessUsers()
	}
	obj := flattenNested(ctx, priorObj, &diags, func(prior usersModel) usersModel {
		inc, d := flattenGuests(ctx, u.GetIncludeGuestsOrExternalUsers(), prior.IncludeGuestsOrExternalUsers, "include_guests_or_external_users")
		diags.Append(d...)
		exc, d := flattenGuests(ctx, u.GetExcludeGuestsOrExternalUsers(), prior.ExcludeGuestsOrExternalUsers, "exclude_guests_or_external_users")
		diags.Append(d...)
		return usersModel{
			IncludeUsers:                 flattenSet(u.GetIncludeUsers(), prior.IncludeUsers),
			ExcludeUsers:                 flattenSet(u.GetExcludeUsers(), prior.ExcludeUsers),
			IncludeGroups:                flattenSet(u.GetIncludeGroups(), prior.IncludeGroups),
			ExcludeGroups:                flattenSet(u.GetExcludeGroups(), prior.ExcludeGroups),
			IncludeRoles:                 flattenSet(u.GetIncludeRoles(), prior.IncludeRoles),
			ExcludeRoles:                 flattenSet(u.GetExcludeRoles(), prior.ExcludeRoles),
			IncludeGuestsOrExternalUsers: inc,
			ExcludeGuestsOrExternalUsers: exc,
		}
	}, "conditions", "users")
	return obj, diags
}

func flattenGuests(ctx context.Context, g models.ConditionalAccessGuestsOrExternalUsersable, priorObj types.Object, attrName string) (types.Object, diag.Diagnostics) {
	schemaPath := []string{"conditions", "users", attrName}
	null := nullObject(schemaPath...)
	if g == nil || g.GetGuestOrExternalUserTypes() == nil {
		return null, nil
	}
	kinds := splitFlags(g.GetGuestOrExternalUserTypes().String())
	if len(kinds) == 0 {
		return null, nil
	}
	prior, diags := objectAs[guestsModel](ctx, priorObj)
	tenants := nullObject(append(schemaPath, "external_tenants")...)
	et := g.GetExternalTenants()
	if et == nil && !prior.ExternalTenants.IsNull() && !prior.ExternalTenants.IsUnknown() {
		// No externalTenants means all tenants, so a configured membership_kind = "all" still holds.
		pt, d := objectAs[externalTenantsModel](ctx, prior.ExternalTenants)
		diags.Append(d...)
		if pt.MembershipKind.ValueString() == membershipKindAll {
			tenants = prior.ExternalTenants
		}
	}
	if et != nil {
		kind := membershipKindAll
		if k := et.GetMembershipKind(); k != nil {
			kind = k.String()
		}
		var members []string
		if en, ok := et.(models.ConditionalAccessEnumeratedExternalTenantsable); ok {
			members = en.GetMembers()
		}
		// "All tenants" is also what an absent external_tenants means, so it is kept absent unless
		// the configuration spelled it out.
		if kind != membershipKindAll || len(members) > 0 || !prior.ExternalTenants.IsNull() {
			tenants = flattenNested(ctx, prior.ExternalTenants, &diags, func(pt externalTenantsModel) externalTenantsModel {
				return externalTenantsModel{MembershipKind: types.StringValue(kind), Members: flattenSet(members, pt.Members)}
			}, append(schemaPath, "external_tenants")...)
		}
	}
	obj, d := objectFrom(ctx, guestsModel{
		GuestOrExternalUserTypes: flattenSet(kinds, prior.GuestOrExternalUserTypes),
		ExternalTenants:          tenants,
	}, schemaPath...)
	diags.Append(d...)
	return obj, diags
}

func flattenApplications(ctx context.Context, a models.ConditionalAccessApplicationsable, priorObj types.Object) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	if a == nil {
		a = models.NewConditionalAccessApplications()
	}
	obj := flattenNested(ctx, priorObj, &diags, func(prior applicationsModel) applicationsModel {
		return applicationsModel{
			IncludeApplications: flattenSet(a.GetIncludeApplications(), prior.IncludeApplications),
			ExcludeApplications: flattenSet(a.GetExcludeApplications(), prior.ExcludeApplications),
			IncludeUserActions:  flattenSet(a.GetIncludeUserActions(), prior.IncludeUserActions),
			IncludeAuthenticationContextClassReferences: flattenSet(a.GetIncludeAuthenticationContextClassReferences(),
				prior.IncludeAuthenticationContextClassReferences),
			ApplicationFilter: flattenFilter(ctx, a.GetApplicationFilter(), &diags, "conditions", "applications", "application_filter"),
		}
	}, "conditions", "applications")
	return obj, diags
}

// flattenFilter returns the null object for a missing filter or one without a rule.
func flattenFilter(ctx context.Context, f models.ConditionalAccessFilterable, diags *diag.Diagnostics, schemaPath ...string) types.Object {
	if f == nil || f.GetRule() == nil || *f.GetRule() == "" {
		return nullObject(schemaPath...)
	}
	mode := types.StringNull()
	if f.GetMode() != nil {
		mode = types.StringValue(f.GetMode().String())
	}
	obj, d := objectFrom(ctx, filterModel{Mode: mode, Rule: types.StringPointerValue(f.GetRule())}, schemaPath...)
	diags.Append(d...)
	return obj
}

// flattenNested encodes the object build makes as the object at the schema path. build gets the
// prior value of the same object, whose spelling of equivalent values the flattened ones keep.
func flattenNested[M any](ctx context.Context, priorObj types.Object, diags *diag.Diagnostics, build func(prior M) M, schemaPath ...string) types.Object {
	prior, d := objectAs[M](ctx, priorObj)
	diags.Append(d...)
	obj, d := objectFrom(ctx, build(prior), schemaPath...)
	diags.Append(d...)
	return obj
}

func flattenGrantControls(ctx context.Context, g models.ConditionalAccessGrantControlsable, priorObj types.Object) (types.Object, diag.Diagnostics) {
	null := nullObject("grant_controls")
	if g == nil {
		return null, nil
	}
	strengthID := types.StringNull()
	if s := g.GetAuthenticationStrength(); s != nil && s.GetId() != nil && *s.GetId() != "" {
		strengthID = types.StringValue(*s.GetId())
	}
	builtIn := m365.EnumStrings(g.GetBuiltInControls())
	if len(builtIn) == 0 && len(g.GetTermsOfUse()) == 0 && len(g.GetCustomAuthenticationFactors()) == 0 && strengthID.IsNull() {
		return null, nil
	}
	prior, diags := objectAs[grantControlsModel](ctx, priorObj)
	op := operatorDefault
	if g.GetOperator() != nil && *g.GetOperator() != "" {
		op = strings.ToUpper(*g.GetOperator())
	}
	if !prior.AuthenticationStrengthID.IsNull() && strings.EqualFold(prior.AuthenticationStrengthID.ValueString(), strengthID.ValueString()) {
		strengthID = prior.AuthenticationStrengthID
	}
	obj, d := objectFrom(ctx, grantControlsModel{
		Operator:                    types.StringValue(op),
		BuiltInControls:             flattenSet(builtIn, prior.BuiltInControls),
		AuthenticationStrengthID:    strengthID,
		TermsOfUse:                  flattenSet(g.GetTermsOfUse(), prior.TermsOfUse),
		CustomAuthenticationFactors: flattenSet(g.GetCustomAuthenticationFactors(), prior.CustomAuthenticationFactors),
	}, "grant_controls")
	diags.Append(d...)
	return obj, diags
}

func flattenSessionControls(ctx context.Context, s models.ConditionalAccessSessionControlsable) (types.Object, diag.Diagnostics) {
	null := nullObject("session_controls")
	if s == nil {
		return null, nil
	}
	var diags diag.Diagnostics
	out := sessionControlsModel{
		ApplicationEnforcedRestrictions: types.BoolValue(false),
		CloudAppSecurity:                types.StringNull(),
		SignInFrequency:                 nullObject("session_controls", "sign_in_frequency"),
		PersistentBrowser:               types.StringNull(),
		DisableResilienceDefaults:       types.BoolValue(s.GetDisableResilienceDefaults() != nil && *s.GetDisableResilienceDefaults()),
		SecureSignInSession:             types.BoolValue(false),
	}
	effective := out.DisableResilienceDefaults.ValueBool()

	if a := s.GetApplicationEnforcedRestrictions(); a != nil && isEnabled(a.GetIsEnabled()) {
		out.ApplicationEnforcedRestrictions = types.BoolValue(true)
		effective = true
	}
	if c := s.GetCloudAppSecurity(); c != nil && isEnabled(c.GetIsEnabled()) && c.GetCloudAppSecurityType() != nil {
		out.CloudAppSecurity = types.StringValue(c.GetCloudAppSecurityType().String())
		effective = true
	}
	if p := s.GetPersistentBrowser(); p != nil && isEnabled(p.GetIsEnabled()) && p.GetMode() != nil {
		out.PersistentBrowser = types.StringValue(p.GetMode().String())
		effective = true
	}
	if ss := s.GetSecureSignInSession(); ss != nil && isEnabled(ss.GetIsEnabled()) {
		out.SecureSignInSession = types.BoolValue(true)
		effective = true
	}
	if f := s.GetSignInFrequency(); f != nil && isEnabled(f.GetIsEnabled()) {
		interval := intervalTimeBased
		if f.GetFrequencyInterval() != nil {
			interval = f.GetFrequencyInterval().String()
		}
		authType := authTypePrimaryAndSecondary
		if f.GetAuthenticationType() != nil {
			authType = f.GetAuthenticationType().String()
		}
		sif := signInFrequencyModel{
			Value:              types.Int64Null(),
			Type:               types.StringNull(),
			FrequencyInterval:  types.StringValue(interval),
			AuthenticationType: types.StringValue(authType),
		}
		if f.GetValue() != nil {
			sif.Value = types.Int64Value(int64(*f.GetValue()))
		}
		if f.GetTypeEscaped() != nil {
			sif.Type = types.StringValue(f.GetTypeEscaped().String())
		}
		if interval == intervalEveryTime || !sif.Value.IsNull() {
			var d diag.Diagnostics
			out.SignInFrequency, d = objectFrom(ctx, sif, "session_controls", "sign_in_frequency")
			diags.Append(d...)
			effective = true
		}
	}
	if !effective {
		return null, diags
	}
	obj, d := objectFrom(ctx, out, "session_controls")
	diags.Append(d...)
	return obj, diags
}

// isEnabled treats a missing isEnabled as enabled: Graph omits it on some older policies whose
// control is nevertheless in force.
func isEnabled(b *bool) bool { return b == nil || *b }

// flattenSet turns a Graph list into a set of strings, never null. Elements equal to a prior
// element apart from casing keep the prior spelling, and duplicates are dropped (Terraform rejects
// sets with duplicate elements).
func flattenSet(values []string, prior types.Set) types.Set {
	priorVals, _ := knownStrings(prior)
	seen := make(map[string]bool, len(values))
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		out := v
		for _, p := range priorVals {
			if strings.EqualFold(p, v) {
				out = p
				break
			}
		}
		key := strings.ToLower(out)
		if seen[key] {
			continue
		}
		seen[key] = true
		elems = append(elems, types.StringValue(out))
	}
	return types.SetValueMust(types.StringType, elems)
}

// splitFlags splits a flags enum ("internalGuest,b2bCollaborationGuest") into its members, leaving
// out "none" (the empty flags value) and "unknownFutureValue" (a member this SDK version does not
// know).
func splitFlags(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part != "" && part != "unknownFutureValue" && part != "none" {
			out = append(out, part)
		}
	}
	return out
}
