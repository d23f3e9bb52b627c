// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// The fixtures follow the HIPAA checklist (hipaa_baseline's defaults, docs/resources/baseline.md),
// the same checklist devtenant's seeds follow: compliant() is the tenant after `hipaa_baseline` with every block enabled, noncompliant() the clinic before.

const (
	breakGlassID = "5b1f6f0e-0000-4000-8000-00000000b001"
	tenantID     = "11111111-2222-3333-4444-555555555555"
)

var collected = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type sources map[snapshot.SourceID]any

// build turns payloads into a snapshot; a nil payload is a source that failed with HTTP 403.
func build(t testing.TB, src sources) *snapshot.Snapshot {
	t.Helper()
	s := snapshot.New(tenantID, "test", collected)
	for id, v := range src {
		if v == nil {
			s.Sources[id] = &snapshot.Source{Request: "GET x", Status: 403, Error: "Forbidden", FetchedAt: collected}
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		s.Sources[id] = &snapshot.Source{Request: "GET x", Status: 200, Body: b, FetchedAt: collected}
	}
	return s
}

type obj = map[string]any
type arr = []any

func list(items ...any) obj { return obj{"value": items} }

func users(exclude ...any) obj {
	return obj{"includeUsers": arr{"All"}, "excludeUsers": exclude, "includeGroups": arr{}, "excludeGroups": arr{},
		"includeRoles": arr{}, "excludeRoles": arr{}, "excludeGuestsOrExternalUsers": nil}
}

func caPolicyJSON(name, state string, usr obj, apps arr, clients arr, grant, session any) obj {
	return obj{"id": "id-" + name, "displayName": name, "state": state,
		"conditions": obj{"users": usr, "applications": obj{"includeApplications": apps, "excludeApplications": arr{}},
			"clientAppTypes": clients, "signInRiskLevels": arr{}, "userRiskLevels": arr{}, "platforms": nil, "locations": nil},
		"grantControls": grant, "sessionControls": session}
}

func grant(controls arr, strength any) obj {
	return obj{"operator": "OR", "builtInControls": controls, "authenticationStrength": strength}
}

func roleIDs() arr {
	out := arr{}
	for _, r := range privilegedRoles {
		out = append(out, r)
	}
	return out
}

// checklistCA is the six baseline policies in the given state.
func checklistCA(state string) []any {
	admins := users(breakGlassID)
	admins["includeUsers"] = arr{}
	admins["includeRoles"] = roleIDs()
	return []any{
		caPolicyJSON("HIPAA - Require MFA for all users", state, users(breakGlassID), arr{"All"}, arr{"all"}, grant(arr{"mfa"}, nil), nil),
		caPolicyJSON("HIPAA - Block legacy authentication", state, users(breakGlassID), arr{"All"}, arr{"exchangeActiveSync", "other"}, grant(arr{"block"}, nil), nil),
		caPolicyJSON("HIPAA - Phishing-resistant MFA for administrators", state, admins, arr{"All"}, arr{"all"},
			grant(arr{}, obj{"id": strengthPhishingResistant}), nil),
		caPolicyJSON("HIPAA - Require compliant or hybrid joined device", state, users(breakGlassID), arr{"Office365"}, arr{"all"},
			grant(arr{"compliantDevice", "domainJoinedDevice"}, nil), nil),
		caPolicyJSON("HIPAA - Session lifetime", state, users(breakGlassID), arr{"All"}, arr{"all"}, nil, obj{
			"signInFrequency":   obj{"isEnabled": true, "type": "hours", "value": 8, "frequencyInterval": "timeBased", "authenticationType": "primaryAndSecondaryAuthentication"},
			"persistentBrowser": obj{"isEnabled": true, "mode": "never"}}),
		caPolicyJSON("HIPAA - App-enforced restrictions for unmanaged devices", state, users(breakGlassID), arr{"Office365"}, arr{"all"}, nil,
			obj{"applicationEnforcedRestrictions": obj{"isEnabled": true}}),
	}
}

func sku(part string, plans ...string) obj {
	sp := arr{}
	for _, p := range plans {
		sp = append(sp, obj{"servicePlanId": "id-" + p, "servicePlanName": p, "provisioningStatus": "Success", "appliesTo": "User"})
	}
	return obj{"skuPartNumber": part, "capabilityStatus": "Enabled", "consumedUnits": 10, "servicePlans": sp}
}

var e3Plans = []string{"EXCHANGE_S_ENTERPRISE", "SHAREPOINTENTERPRISE", "TEAMS1", "RMS_S_ENTERPRISE", "AAD_PREMIUM", "INTUNE_A", "MIP_S_CLP1", "FORMS_PLAN_E3"}

func e5Skus() obj {
	return list(sku("SPE_E5", append(append([]string{}, e3Plans...), "AAD_PREMIUM_P2", "ATP_ENTERPRISE", "THREAT_INTELLIGENCE", "M365_ADVANCED_AUDITING")...))
}

func e3Skus() obj {
	return list(sku("SPE_E3", e3Plans...), sku("AAD_PREMIUM", "AAD_PREMIUM", "MFA_PREMIUM"))
}

func authMethods(sms, voice, fido2 string, contextState string) obj {
	ctx := func() obj {
		return obj{"state": contextState, "includeTarget": obj{"targetType": "group", "id": "all_users"},
			"excludeTarget": obj{"targetType": "group", "id": emptyGUID}}
	}
	return obj{"id": "authenticationMethodsPolicy", "authenticationMethodConfigurations": arr{
		obj{"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "id": "Sms", "state": sms},
		obj{"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", "id": "Voice", "state": voice},
		obj{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": fido2},
		obj{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", "id": "MicrosoftAuthenticator", "state": "enabled",
			"featureSettings": obj{"displayAppInformationRequiredState": ctx(), "displayLocationInformationRequiredState": ctx()}},
	}}
}

var medicalKeywords = arr{"diagnosis", "patient", "medical record", "PHI", "treatment plan", "prescription"}

func phiClassifications() arr {
	out := arr{}
	for _, n := range phiSensitiveTypes {
		out = append(out, obj{"Name": n, "minCount": "1"})
	}
	return out
}

var checklistFileTypes = arr{"ace", "ani", "apk", "app", "appx", "bat", "cab", "cmd", "com", "cpl", "dll", "exe", "hta", "iso", "jar", "js", "jse",
	"lnk", "msi", "pif", "ps1", "reg", "scr", "vbe", "vbs", "wsf"}

var microsoftDefaultFileTypes = arr{"ace", "ani", "apk", "app", "appx", "arj", "bat", "cab", "cmd", "com", "deb", "dex", "dll", "docm", "elf", "exe",
	"hta", "img", "iso", "jar", "jnlp", "kext", "lha", "lib", "library", "lnk", "lzh", "macho", "msc", "msi", "msix", "msp", "mst", "pif", "ppa",
	"ppam", "reg", "rev", "scf", "scr", "sct", "sys", "uif", "vb", "vbe", "vbs", "vxd", "wsc", "wsf", "wsh", "xll", "xz", "z"}

func alert(name, category string, ops arr, severity, aggregation string) obj {
	return obj{"Name": name, "Category": category, "ThreatType": "Activity", "Operation": ops, "Severity": severity,
		"AggregationType": aggregation, "Disabled": false, "NotifyUser": arr{}, "IsSystemRule": false}
}

func systemAlerts() []any {
	return []any{
		obj{"Name": "Suspicious email forwarding activity", "Category": "ThreatManagement", "ThreatType": "Activity", "Operation": arr{}, "Disabled": false, "IsSystemRule": true},
		obj{"Name": "Creation of forwarding/redirect rule", "Category": "ThreatManagement", "ThreatType": "Activity", "Operation": arr{}, "Disabled": false, "IsSystemRule": true},
	}
}

// compliant is the checklist's compliant tenant plus compliant values for the sources the
// checklist does not manage (registration, roles, reviews, Intune, DLP, score, apps).
func compliant() sources {
	return sources{
		snapshot.GraphConditionalAccessPolicies: list(checklistCA("enabled")...),
		snapshot.GraphSecurityDefaults:          obj{"id": "00000000-0000-0000-0000-000000000005", "isEnabled": false},
		snapshot.GraphAuthenticationMethods:     authMethods("disabled", "disabled", "enabled", "enabled"),
		snapshot.GraphAuthorizationPolicy: obj{"id": "authorizationPolicy", "allowInvitesFrom": "adminsAndGuestInviters",
			"guestUserRoleId": "2af84b1e-32c8-42b7-82bc-daa82404023b"},
		snapshot.GraphSharePointSettings: obj{"sharingCapability": "existingExternalUserSharingOnly", "sharingDomainRestrictionMode": "none",
			"sharingAllowedDomainList": arr{}, "sharingBlockedDomainList": arr{}, "isResharingByExternalUsersEnabled": false,
			"idleSessionSignOut": obj{"isEnabled": true, "warnAfterInSeconds": 600, "signOutAfterInSeconds": 900}},
		snapshot.SharePointTenant: obj{"SharingCapability": 3, "ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 30,
			"RequireAnonymousLinksExpireInDays": 30, "ConditionalAccessPolicy": 2, "PreventExternalUsersFromResharing": true},
		snapshot.GraphSubscribedSkus:          e5Skus(),
		snapshot.GraphUserRegistrationDetails: snapshot.RegistrationSummary{Members: 12, MembersMFARegistered: 12, Pages: 1},
		snapshot.GraphRoleAssignments: list(
			obj{"principalId": "u-ga1", "roleDefinitionId": roleGlobalAdminTmpl, "directoryScopeId": "/",
				"principal": obj{"@odata.type": "#microsoft.graph.user", "userPrincipalName": "admin@clinic.example"}},
			obj{"principalId": breakGlassID, "roleDefinitionId": roleGlobalAdminTmpl, "directoryScopeId": "/",
				"principal": obj{"@odata.type": "#microsoft.graph.user", "userPrincipalName": "breakglass@clinic.example"}},
			obj{"principalId": "sp-writer", "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de", "directoryScopeId": "/",
				"principal": obj{"@odata.type": "#microsoft.graph.servicePrincipal", "displayName": "hipaa-writer"}},
		),
		snapshot.GraphRoleEligibilitySchedules: list(
			obj{"principalId": "u-it", "roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1", "status": "Provisioned"}),
		snapshot.GraphAccessReviews: list(obj{"displayName": "Monthly privileged role review", "status": "InProgress",
			"scope": obj{"@odata.type": "#microsoft.graph.principalResourceMembershipsScope",
				"resourceScopes": arr{obj{"query": "/roleManagement/directory/roleDefinitions/" + roleGlobalAdminTmpl}}},
			"settings": obj{"recurrence": obj{"pattern": obj{"type": "absoluteMonthly", "interval": 1}}}}),
		snapshot.GraphDeviceCompliancePolicies: list(
			obj{"@odata.type": "#microsoft.graph.iosCompliancePolicy", "displayName": "iOS baseline", "passcodeRequired": true,
				"passcodeMinimumLength": 6, "securityBlockJailbrokenDevices": true, "osMinimumVersion": "17.0", "assignments": arr{obj{"id": "a1"}}},
			obj{"@odata.type": "#microsoft.graph.windows10CompliancePolicy", "displayName": "Windows baseline", "passwordRequired": true,
				"passwordMinimumLength": 8, "bitLockerEnabled": true, "osMinimumVersion": "10.0.19045", "assignments": arr{obj{"id": "a2"}}}),
		snapshot.GraphManagedAppPolicies: list(obj{"@odata.type": "#microsoft.graph.iosManagedAppProtection", "displayName": "iOS app protection",
			"allowedOutboundClipboardSharingLevel": "managedAppsWithPasteIn", "isAssigned": true}),
		snapshot.GraphSecureScores: list(obj{"createdDateTime": "2025-03-01T00:00:00Z", "currentScore": 61.5, "maxScore": 100}),
		snapshot.GraphGraphServicePrincipal: obj{"id": "graph-sp", "appId": graphAppID, "appRoles": arr{
			obj{"id": "role-mail-read", "value": "Mail.Read"}, obj{"id": "role-user-read", "value": "User.Read.All"},
			obj{"id": "role-files-read", "value": "Files.Read.All"}}},
		snapshot.GraphGraphAppRoleAssignedTo: list(
			obj{"principalId": "sp-backup", "principalDisplayName": "Clinic Backup", "principalType": "ServicePrincipal", "appRoleId": "role-files-read"},
			obj{"principalId": "sp-ms", "principalDisplayName": "Microsoft Thing", "principalType": "ServicePrincipal", "appRoleId": "role-mail-read"},
			obj{"principalId": "sp-dir", "principalDisplayName": "Directory Sync", "principalType": "ServicePrincipal", "appRoleId": "role-user-read"}),
		snapshot.GraphServicePrincipals: list(
			obj{"id": "sp-backup", "appId": "app-backup", "displayName": "Clinic Backup", "appOwnerOrganizationId": "99999999-0000-0000-0000-000000000000"},
			obj{"id": "sp-ms", "appId": "app-ms", "displayName": "Microsoft Thing", "appOwnerOrganizationId": microsoftTenantID},
			obj{"id": "sp-dir", "appId": "app-dir", "displayName": "Directory Sync", "appOwnerOrganizationId": "99999999-0000-0000-0000-000000000000"}),

		snapshot.ExchangeOrganizationConfig:  arr{obj{"Name": "clinic", "AuditDisabled": false}},
		snapshot.ExchangeAdminAuditLogConfig: arr{obj{"Identity": "Admin Audit Log Settings", "UnifiedAuditLogIngestionEnabled": true}},
		snapshot.ExchangeIRMConfiguration:    arr{obj{"AzureRMSLicensingEnabled": true, "SimplifiedClientAccessEnabled": true}},
		snapshot.ExchangeTransportRules: arr{
			obj{"Name": "HIPAA - Encrypt external mail containing PHI", "State": "Enabled", "Mode": "Enforce", "SentToScope": "NotInOrganization",
				"MessageContainsDataClassifications": phiClassifications(), "ApplyRightsProtectionTemplate": "Encrypt"},
			obj{"Name": "HIPAA - Encrypt external mail with medical keywords", "State": "Enabled", "Mode": "Enforce", "SentToScope": "NotInOrganization",
				"SubjectOrBodyContainsWords": medicalKeywords, "ApplyRightsProtectionTemplate": "Encrypt"}},
		snapshot.ExchangeOutboundSpamPolicies: arr{obj{"Name": "Default", "Identity": "Default", "IsDefault": true, "AutoForwardingMode": "Off"}},
		snapshot.ExchangeRemoteDomains:        arr{obj{"Name": "Default", "Identity": "Default", "DomainName": "*", "AutoForwardEnabled": false}},
		snapshot.ExchangeMalwareFilterPolicies: arr{obj{"Name": "Default", "Identity": "Default", "IsDefault": true, "EnableFileFilter": true,
			"FileTypeAction": "Reject", "FileTypes": checklistFileTypes, "RecommendedPolicyType": "Custom"}},
		snapshot.ExchangeMalwareFilterRules: arr{},
		snapshot.ExchangeEOPProtectionRules: arr{},
		snapshot.ExchangeAcceptedDomains: arr{obj{"Name": "clinic.onmicrosoft.com", "DomainName": "clinic.onmicrosoft.com", "InitialDomain": true},
			obj{"Name": "clinic.example", "DomainName": "clinic.example", "Default": true}},
		snapshot.ExchangeSafeLinksPolicies: arr{obj{"Name": "HIPAA - Safe Links", "EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true,
			"EnableSafeLinksForOffice": true, "ScanUrls": true, "DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true,
			"AllowClickThrough": false, "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom"},
			builtInPolicy(obj{"EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true, "ScanUrls": true})},
		snapshot.ExchangeSafeLinksRules: arr{obj{"Name": "HIPAA - Safe Links", "SafeLinksPolicy": "HIPAA - Safe Links", "State": "Enabled",
			"RecipientDomainIs": arr{"clinic.onmicrosoft.com"}, "Priority": 0}},
		snapshot.ExchangeSafeAttachmentPolicies: arr{obj{"Name": "HIPAA - Safe Attachments", "Enable": true, "Action": "Block", "IsBuiltInProtection": false},
			builtInPolicy(obj{"Enable": true, "Action": "Block"})},
		snapshot.ExchangeSafeAttachmentRules: arr{obj{"Name": "HIPAA - Safe Attachments", "SafeAttachmentPolicy": "HIPAA - Safe Attachments",
			"State": "Enabled", "RecipientDomainIs": arr{"clinic.onmicrosoft.com"}, "Priority": 0}},
		snapshot.ExchangeATPProtectionRules: arr{},
		snapshot.ExchangeATPEvaluationRules: arr{},
		snapshot.ExchangeATPBuiltInProtectionRule: arr{obj{"Name": "ATP Built-In Protection Rule", "Identity": "ATP Built-In Protection Rule",
			"State": "Enabled", "SafeLinksPolicy": builtInProtection, "SafeAttachmentPolicy": builtInProtection,
			"ExceptIfSentTo": nil, "ExceptIfSentToMemberOf": nil, "ExceptIfRecipientDomainIs": nil}},
		snapshot.ComplianceAuditRetentionPolicies: arr{obj{"Name": "HIPAA - Audit log retention", "RetentionDuration": "SevenYears", "Priority": 100,
			"RecordTypes": arr{}, "Operations": arr{}, "UserIds": arr{}, "Enabled": true, "Mode": "Enforce"}},
		snapshot.ComplianceProtectionAlerts: append(systemAlerts(),
			alert("HIPAA - Mass file download", "ThreatManagement", arr{"FileDownloaded"}, "High", "SimpleAggregation"),
			alert("HIPAA - Mail forwarding rule created", "ThreatManagement", arr{"New-InboxRule", "Set-InboxRule"}, "Medium", "None"),
			alert("HIPAA - Repeated failed sign-ins", "ThreatManagement", arr{"UserLoginFailed"}, "Medium", "SimpleAggregation"),
			alert("HIPAA - Admin role assigned", "AccessGovernance", arr{"Add member to role."}, "High", "None")),
		snapshot.ComplianceDlpPolicies: arr{obj{"Name": "HIPAA - PHI", "Mode": "Enable", "Enabled": true, "ExchangeLocation": arr{"All"},
			"SharePointLocation": arr{"All"}, "OneDriveLocation": arr{"All"}, "TeamsLocation": arr{"All"}}},
		snapshot.ComplianceDlpRules: arr{obj{"Name": "HIPAA - PHI rule", "ParentPolicyName": "HIPAA - PHI", "Disabled": false,
			"ContentContainsSensitiveInformation": phiClassifications(), "BlockAccess": true}},
	}
}

// noncompliant is the checklist's noncompliant tenant.
func noncompliant() sources {
	s := compliant()
	s[snapshot.GraphConditionalAccessPolicies] = list()
	s[snapshot.GraphSecurityDefaults] = obj{"isEnabled": false}
	s[snapshot.GraphAuthenticationMethods] = authMethods("enabled", "enabled", "disabled", "default")
	s[snapshot.GraphAuthorizationPolicy] = obj{"allowInvitesFrom": "everyone", "guestUserRoleId": "a0b1b346-4d3e-4e8b-98f8-753987be4970"}
	s[snapshot.GraphSharePointSettings] = obj{"sharingCapability": "externalUserAndGuestSharing", "sharingDomainRestrictionMode": "none",
		"sharingAllowedDomainList": arr{}, "sharingBlockedDomainList": arr{}, "isResharingByExternalUsersEnabled": true,
		"idleSessionSignOut": obj{"isEnabled": false, "warnAfterInSeconds": 0, "signOutAfterInSeconds": 0}}
	s[snapshot.SharePointTenant] = obj{"SharingCapability": 2, "ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60,
		"RequireAnonymousLinksExpireInDays": -1, "ConditionalAccessPolicy": 0}
	s[snapshot.GraphSubscribedSkus] = e3Skus()
	s[snapshot.ExchangeOrganizationConfig] = arr{obj{"Name": "clinic", "AuditDisabled": true}}
	s[snapshot.ExchangeAdminAuditLogConfig] = arr{obj{"UnifiedAuditLogIngestionEnabled": false}}
	s[snapshot.ExchangeIRMConfiguration] = arr{obj{"AzureRMSLicensingEnabled": false, "SimplifiedClientAccessEnabled": false}}
	s[snapshot.ExchangeTransportRules] = arr{}
	s[snapshot.ExchangeOutboundSpamPolicies] = arr{obj{"Name": "Default", "IsDefault": true, "AutoForwardingMode": "Automatic"}}
	s[snapshot.ExchangeRemoteDomains] = arr{obj{"Name": "Default", "DomainName": "*", "AutoForwardEnabled": true}}
	s[snapshot.ExchangeMalwareFilterPolicies] = arr{obj{"Name": "Default", "IsDefault": true, "EnableFileFilter": false, "FileTypes": microsoftDefaultFileTypes}}
	s[snapshot.ComplianceAuditRetentionPolicies] = arr{}
	s[snapshot.ComplianceProtectionAlerts] = systemAlerts()
	for _, id := range []snapshot.SourceID{snapshot.ExchangeSafeLinksPolicies, snapshot.ExchangeSafeLinksRules,
		snapshot.ExchangeSafeAttachmentPolicies, snapshot.ExchangeSafeAttachmentRules,
		snapshot.ExchangeATPProtectionRules, snapshot.ExchangeATPEvaluationRules, snapshot.ExchangeATPBuiltInProtectionRule} {
		delete(s, id) // Not licensed: the cmdlets do not exist.
	}
	return s
}

// builtInProtection names the policies of the Built-in protection preset security policy.
const builtInProtection = "Built-In Protection Policy"

// builtInPolicy is a Built-in protection policy with the given settings.
func builtInPolicy(settings obj) obj {
	o := obj{"Name": builtInProtection, "Identity": builtInProtection, "IsBuiltInProtection": true, "RecommendedPolicyType": "BuiltInProtection"}
	for k, v := range settings {
		o[k] = v
	}
	return o
}

// eaParams are the inputs naming the checklist's break-glass account.
var eaParams = Params{EmergencyAccessUserIDs: []string{breakGlassID}}
