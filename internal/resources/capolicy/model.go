// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// caPolicyResourceModel is the Terraform view of a conditionalAccessPolicy. Nested objects are kept
// as types.Object so that null and unknown survive a plan (a struct pointer cannot be unknown); the
// *Model structs below are what those objects decode into.
type caPolicyResourceModel struct {
	ID              types.String   `tfsdk:"id"`
	DisplayName     types.String   `tfsdk:"display_name"`
	State           types.String   `tfsdk:"state"`
	Conditions      types.Object   `tfsdk:"conditions"`
	GrantControls   types.Object   `tfsdk:"grant_controls"`
	SessionControls types.Object   `tfsdk:"session_controls"`
	CreatedDateTime types.String   `tfsdk:"created_date_time"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

type conditionsModel struct {
	Users                      types.Object `tfsdk:"users"`
	Applications               types.Object `tfsdk:"applications"`
	ClientApplications         types.Object `tfsdk:"client_applications"`
	ClientAppTypes             types.Set    `tfsdk:"client_app_types"`
	Platforms                  types.Object `tfsdk:"platforms"`
	Locations                  types.Object `tfsdk:"locations"`
	Devices                    types.Object `tfsdk:"devices"`
	SignInRiskLevels           types.Set    `tfsdk:"sign_in_risk_levels"`
	UserRiskLevels             types.Set    `tfsdk:"user_risk_levels"`
	ServicePrincipalRiskLevels types.Set    `tfsdk:"service_principal_risk_levels"`
	InsiderRiskLevels          types.Set    `tfsdk:"insider_risk_levels"`
	AuthenticationFlows        types.Object `tfsdk:"authentication_flows"`
}

type usersModel struct {
	IncludeUsers                 types.Set    `tfsdk:"include_users"`
	ExcludeUsers                 types.Set    `tfsdk:"exclude_users"`
	IncludeGroups                types.Set    `tfsdk:"include_groups"`
	ExcludeGroups                types.Set    `tfsdk:"exclude_groups"`
	IncludeRoles                 types.Set    `tfsdk:"include_roles"`
	ExcludeRoles                 types.Set    `tfsdk:"exclude_roles"`
	IncludeGuestsOrExternalUsers types.Object `tfsdk:"include_guests_or_external_users"`
	ExcludeGuestsOrExternalUsers types.Object `tfsdk:"exclude_guests_or_external_users"`
}

type guestsModel struct {
	GuestOrExternalUserTypes types.Set    `tfsdk:"guest_or_external_user_types"`
	ExternalTenants          types.Object `tfsdk:"external_tenants"`
}

type externalTenantsModel struct {
	MembershipKind types.String `tfsdk:"membership_kind"`
	Members        types.Set    `tfsdk:"members"`
}

type applicationsModel struct {
	IncludeApplications                         types.Set    `tfsdk:"include_applications"`
	ExcludeApplications                         types.Set    `tfsdk:"exclude_applications"`
	IncludeUserActions                          types.Set    `tfsdk:"include_user_actions"`
	IncludeAuthenticationContextClassReferences types.Set    `tfsdk:"include_authentication_context_class_references"`
	ApplicationFilter                           types.Object `tfsdk:"application_filter"`
}

type filterModel struct {
	Mode types.String `tfsdk:"mode"`
	Rule types.String `tfsdk:"rule"`
}

type clientApplicationsModel struct {
	IncludeServicePrincipals types.Set    `tfsdk:"include_service_principals"`
	ExcludeServicePrincipals types.Set    `tfsdk:"exclude_service_principals"`
	ServicePrincipalFilter   types.Object `tfsdk:"service_principal_filter"`
}

type platformsModel struct {
	IncludePlatforms types.Set `tfsdk:"include_platforms"`
	ExcludePlatforms types.Set `tfsdk:"exclude_platforms"`
}

type locationsModel struct {
	IncludeLocations types.Set `tfsdk:"include_locations"`
	ExcludeLocations types.Set `tfsdk:"exclude_locations"`
}

type devicesModel struct {
	DeviceFilter types.Object `tfsdk:"device_filter"`
}

type authenticationFlowsModel struct {
	TransferMethods types.Set `tfsdk:"transfer_methods"`
}

type grantControlsModel struct {
	Operator                    types.String `tfsdk:"operator"`
	BuiltInControls             types.Set    `tfsdk:"built_in_controls"`
	AuthenticationStrengthID    types.String `tfsdk:"authentication_strength_id"`
	TermsOfUse                  types.Set    `tfsdk:"terms_of_use"`
	CustomAuthenticationFactors types.Set    `tfsdk:"custom_authentication_factors"`
}

type sessionControlsModel struct {
	ApplicationEnforcedRestrictions types.Bool   `tfsdk:"application_enforced_restrictions"`
	CloudAppSecurity                types.String `tfsdk:"cloud_app_security"`
	SignInFrequency                 types.Object `tfsdk:"sign_in_frequency"`
	PersistentBrowser               types.String `tfsdk:"persistent_browser"`
	DisableResilienceDefaults       types.Bool   `tfsdk:"disable_resilience_defaults"`
	SecureSignInSession             types.Bool   `tfsdk:"secure_sign_in_session"`
}

type signInFrequencyModel struct {
	Value              types.Int64  `tfsdk:"value"`
	Type               types.String `tfsdk:"type"`
	FrequencyInterval  types.String `tfsdk:"frequency_interval"`
	AuthenticationType types.String `tfsdk:"authentication_type"`
}

// schemaAttrTypes is the object type of the whole schema, computed once. Deriving the attribute
// types of every nested object from the schema itself (instead of a hand-written map per model)
// means the schema is the only place an attribute is declared.
var schemaAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	s := caPolicySchemaV0(context.Background())
	out := make(map[string]attr.Type, len(s.Attributes))
	for name, a := range s.Attributes {
		out[name] = a.GetType()
	}
	return out
})

// attrTypesAt returns the attribute types of the nested object at the given attribute names, for
// example attrTypesAt("conditions", "users"). It panics on a path that is not an object in the
// schema: that is a provider bug which every unit test would hit.
func attrTypesAt(names ...string) map[string]attr.Type {
	cur := schemaAttrTypes()
	for _, n := range names {
		t, ok := cur[n].(basetypes.ObjectType)
		if !ok {
			panic("capolicy: schema has no nested object at " + n)
		}
		cur = t.AttrTypes
	}
	return cur
}

// objectAs decodes a known object into T; a null or unknown object yields T's zero value (every
// field null), which is what the expanders and the prior-value lookups want.
func objectAs[T any](ctx context.Context, obj types.Object) (T, diag.Diagnostics) {
	var out T
	if obj.IsNull() || obj.IsUnknown() {
		return out, nil
	}
	diags := obj.As(ctx, &out, basetypes.ObjectAsOptions{})
	return out, diags
}

// objectFrom encodes a model struct as the object found at the given schema path.
func objectFrom(ctx context.Context, model any, names ...string) (types.Object, diag.Diagnostics) {
	return types.ObjectValueFrom(ctx, attrTypesAt(names...), model)
}

// nullObject is the null object of the schema path.
func nullObject(names ...string) types.Object {
	return types.ObjectNull(attrTypesAt(names...))
}
