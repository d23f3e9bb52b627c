// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

// Conditional Access types of Graph v1.0, as msgraph-sdk-go v1.89 models them.

var (
	enumPolicyState   = &enumDef{"conditionalAccessPolicyState", []string{"enabled", "disabled", "enabledForReportingButNotEnforced"}}
	enumClientApp     = &enumDef{"conditionalAccessClientApp", []string{"all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other", "unknownFutureValue"}}
	enumPlatform      = &enumDef{"conditionalAccessDevicePlatform", []string{"android", "iOS", "windows", "windowsPhone", "macOS", "all", "unknownFutureValue", "linux"}}
	enumRiskLevel     = &enumDef{"riskLevel", []string{"low", "medium", "high", "hidden", "none", "unknownFutureValue"}}
	enumGrantControl  = &enumDef{"conditionalAccessGrantControl", []string{"block", "mfa", "compliantDevice", "domainJoinedDevice", "approvedApplication", "compliantApplication", "passwordChange", "unknownFutureValue", "riskRemediation"}}
	enumOperator      = &enumDef{"operator", []string{"AND", "OR"}}
	enumFilterMode    = &enumDef{"filterMode", []string{"include", "exclude"}}
	enumGuestTypes    = &enumDef{"conditionalAccessGuestOrExternalUserTypes", []string{"none", "internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember", "b2bDirectConnectUser", "otherExternalUser", "serviceProvider", "unknownFutureValue"}}
	enumMembership    = &enumDef{"conditionalAccessExternalTenantsMembershipKind", []string{"all", "enumerated", "unknownFutureValue"}}
	enumInsiderRisk   = &enumDef{"conditionalAccessInsiderRiskLevels", []string{"minor", "moderate", "elevated", "unknownFutureValue"}}
	enumTransfer      = &enumDef{"conditionalAccessTransferMethods", []string{"none", "deviceCodeFlow", "authenticationTransfer", "unknownFutureValue"}}
	enumCASType       = &enumDef{"cloudAppSecuritySessionControlType", []string{"mcasConfigured", "monitorOnly", "blockDownloads", "unknownFutureValue"}}
	enumBrowserMode   = &enumDef{"persistentBrowserSessionMode", []string{"always", "never"}}
	enumFreqType      = &enumDef{"signinFrequencyType", []string{"days", "hours"}}
	enumFreqInterval  = &enumDef{"signInFrequencyInterval", []string{"timeBased", "everyTime", "unknownFutureValue"}}
	enumFreqAuthType  = &enumDef{"signInFrequencyAuthenticationType", []string{"primaryAndSecondaryAuthentication", "secondaryAuthentication", "unknownFutureValue"}}
	enumCountryLookup = &enumDef{"countryLookupMethodType", []string{"clientIpAddress", "authenticatorAppGps", "unknownFutureValue"}}
)

var caFilter = &objDef{name: "conditionalAccessFilter", props: []prop{
	{name: "mode", kind: kEnum, enum: enumFilterMode},
	{name: "rule", kind: kString},
}}

var caExternalTenants = &objDef{
	name:     "conditionalAccessExternalTenants",
	subtypes: []string{"conditionalAccessAllExternalTenants", "conditionalAccessEnumeratedExternalTenants"},
	keepType: true,
	props: []prop{
		{name: "membershipKind", kind: kEnum, enum: enumMembership},
		{name: "members", kind: kStrList},
	},
	post: func(out map[string]any) {
		// Only the enumerated variant has members; the base and "all" variants do not.
		if out["@odata.type"] != "#microsoft.graph.conditionalAccessEnumeratedExternalTenants" {
			delete(out, "members")
		}
	},
}

var caGuests = &objDef{name: "conditionalAccessGuestsOrExternalUsers", props: []prop{
	{name: "externalTenants", kind: kObject, obj: caExternalTenants},
	{name: "guestOrExternalUserTypes", kind: kFlags, enum: enumGuestTypes},
}}

var caUsers = &objDef{name: "conditionalAccessUsers", props: []prop{
	{name: "includeUsers", kind: kStrList},
	{name: "excludeUsers", kind: kStrList},
	{name: "includeGroups", kind: kStrList},
	{name: "excludeGroups", kind: kStrList},
	{name: "includeRoles", kind: kStrList},
	{name: "excludeRoles", kind: kStrList},
	{name: "includeGuestsOrExternalUsers", kind: kObject, obj: caGuests},
	{name: "excludeGuestsOrExternalUsers", kind: kObject, obj: caGuests},
}}

var caApplications = &objDef{name: "conditionalAccessApplications", props: []prop{
	{name: "includeApplications", kind: kStrList},
	{name: "excludeApplications", kind: kStrList},
	{name: "includeUserActions", kind: kStrList},
	{name: "includeAuthenticationContextClassReferences", kind: kStrList},
	{name: "applicationFilter", kind: kObject, obj: caFilter},
}}

var caClientApplications = &objDef{name: "conditionalAccessClientApplications", props: []prop{
	{name: "includeServicePrincipals", kind: kStrList},
	{name: "excludeServicePrincipals", kind: kStrList},
	{name: "servicePrincipalFilter", kind: kObject, obj: caFilter},
}}

var caPlatforms = &objDef{name: "conditionalAccessPlatforms", props: []prop{
	{name: "includePlatforms", kind: kEnumList, enum: enumPlatform},
	{name: "excludePlatforms", kind: kEnumList, enum: enumPlatform},
}}

var caLocations = &objDef{name: "conditionalAccessLocations", props: []prop{
	{name: "includeLocations", kind: kStrList},
	{name: "excludeLocations", kind: kStrList},
}}

var caDevices = &objDef{name: "conditionalAccessDevices", props: []prop{
	{name: "deviceFilter", kind: kObject, obj: caFilter},
}}

var caAuthFlows = &objDef{name: "conditionalAccessAuthenticationFlows", props: []prop{
	{name: "transferMethods", kind: kFlags, enum: enumTransfer},
}}

var caConditions = &objDef{name: "conditionalAccessConditionSet", props: []prop{
	{name: "applications", kind: kObject, obj: caApplications},
	{name: "authenticationFlows", kind: kObject, obj: caAuthFlows},
	{name: "clientApplications", kind: kObject, obj: caClientApplications},
	{name: "clientAppTypes", kind: kEnumList, enum: enumClientApp},
	{name: "devices", kind: kObject, obj: caDevices},
	{name: "insiderRiskLevels", kind: kFlags, enum: enumInsiderRisk},
	{name: "locations", kind: kObject, obj: caLocations},
	{name: "platforms", kind: kObject, obj: caPlatforms},
	{name: "servicePrincipalRiskLevels", kind: kEnumList, enum: enumRiskLevel},
	{name: "signInRiskLevels", kind: kEnumList, enum: enumRiskLevel},
	{name: "userRiskLevels", kind: kEnumList, enum: enumRiskLevel},
	{name: "users", kind: kObject, obj: caUsers},
}}

// caAuthStrengthRef is what a client sends for grantControls.authenticationStrength: only the id
// matters; the other properties are read-only and Graph expands them on read.
var caAuthStrengthRef = &objDef{name: "authenticationStrengthPolicy", props: []prop{
	{name: "id", kind: kString},
	{name: "displayName", readOnly: true},
	{name: "description", readOnly: true},
	{name: "policyType", readOnly: true},
	{name: "requirementsSatisfied", readOnly: true},
	{name: "allowedCombinations", readOnly: true},
	{name: "createdDateTime", readOnly: true},
	{name: "modifiedDateTime", readOnly: true},
	{name: "combinationConfigurations", readOnly: true},
}}

var caGrantControls = &objDef{name: "conditionalAccessGrantControls", props: []prop{
	{name: "operator", kind: kEnum, enum: enumOperator},
	{name: "builtInControls", kind: kEnumList, enum: enumGrantControl},
	{name: "customAuthenticationFactors", kind: kStrList},
	{name: "termsOfUse", kind: kStrList},
	{name: "authenticationStrength", kind: kObject, obj: caAuthStrengthRef},
}}

func sessionControl(name string, extra ...prop) *objDef {
	return &objDef{name: name, subtypes: []string{"conditionalAccessSessionControl"},
		props: append([]prop{{name: "isEnabled", kind: kBool}}, extra...)}
}

var caSessionControls = &objDef{name: "conditionalAccessSessionControls", props: []prop{
	{name: "applicationEnforcedRestrictions", kind: kObject, obj: sessionControl("applicationEnforcedRestrictionsSessionControl")},
	{name: "cloudAppSecurity", kind: kObject, obj: sessionControl("cloudAppSecuritySessionControl",
		prop{name: "cloudAppSecurityType", kind: kEnum, enum: enumCASType})},
	{name: "disableResilienceDefaults", kind: kBool},
	{name: "persistentBrowser", kind: kObject, obj: sessionControl("persistentBrowserSessionControl",
		prop{name: "mode", kind: kEnum, enum: enumBrowserMode})},
	{name: "secureSignInSession", kind: kObject, obj: sessionControl("secureSignInSessionControl")},
	{name: "signInFrequency", kind: kObject, obj: sessionControl("signInFrequencySessionControl",
		prop{name: "authenticationType", kind: kEnum, enum: enumFreqAuthType},
		prop{name: "frequencyInterval", kind: kEnum, enum: enumFreqInterval},
		prop{name: "type", kind: kEnum, enum: enumFreqType},
		prop{name: "value", kind: kInt})},
}}

var caPolicy = &objDef{name: "conditionalAccessPolicy", props: []prop{
	{name: "id", readOnly: true},
	{name: "createdDateTime", readOnly: true},
	{name: "modifiedDateTime", readOnly: true},
	{name: "displayName", kind: kString},
	{name: "description", kind: kString},
	{name: "state", kind: kEnum, enum: enumPolicyState},
	{name: "templateId", kind: kString},
	{name: "conditions", kind: kObject, obj: caConditions},
	{name: "grantControls", kind: kObject, obj: caGrantControls},
	{name: "sessionControls", kind: kObject, obj: caSessionControls},
}}
