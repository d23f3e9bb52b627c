// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package seed

import (
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/compliance"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// The state only the assessment reads: MFA registration, PIM eligibility, access reviews, Intune
// policies, enterprise apps and Secure Score. "noncompliant" fails each of the checklist's
// controls on them, "compliant" passes every one.

// Application permissions the assessment needs, granted to both devtenant apps.
var assessReadRoles = []string{"AuditLog.Read.All", "RoleEligibilitySchedule.Read.Directory", "AccessReview.Read.All",
	"DeviceManagementConfiguration.Read.All", "DeviceManagementApps.Read.All", "Application.Read.All", "SecurityEvents.Read.All"}

// compliantEligibility: who holds which privileged role through PIM in the compliant seed.
var compliantEligibility = []struct{ role, nick string }{
	{directory.GlobalAdministrator, "patricia.nguyen"}, {directory.GlobalAdministrator, "robert.fischer"}, {directory.SecurityAdministrator, "kevin.walsh"},
	{directory.ConditionalAccessAdministrator, "kevin.walsh"}, {directory.ExchangeAdministrator, "kevin.walsh"}, {directory.UserAdministrator, "patricia.nguyen"},
	{directory.BillingAdministrator, "maria.gonzalez"},
}

// noncompliantRegistered are the only users with MFA methods in the noncompliant seed.
var noncompliantRegistered = []string{"kevin.walsh", "admin", "sarah.chen"}

// Well-known ids.
const (
	microsoftTenantID  = "f8cdef31-a31e-4b4a-93e4-5f571e91255a" // Owner of Microsoft's first-party apps.
	contosoSchedulerID = "6f0c5e4a-3d2b-4c1a-9e8f-7a6b5c4d3e2f" // appId of the seeded third-party app.
	allUsersTarget     = "acacacac-9df4-4c7d-9d50-4ef0226f57a9" // Intune's "All users" assignment target.
)

// FillAssess grants the assessment's permissions and seeds its state; idempotent, so that a
// tenant.json written by an older devtenant is upgraded on load.
func FillAssess(st *store.State) error {
	for _, a := range st.Apps[:2] {
		for _, r := range assessReadRoles {
			if !slices.Contains(a.Roles, r) {
				a.Roles = append(a.Roles, r)
			}
		}
	}
	if st.Assess != nil {
		return nil
	}
	now := time.Now().UTC()
	as := &store.AssessState{GraphSPID: store.NewGUID()}
	st.Assess = as
	byNick := map[string]*store.User{}
	for _, u := range st.Users {
		nick, _, _ := strings.Cut(u.UserPrincipalName, "@")
		byNick[nick] = u
	}
	as.ServicePrincipals = []map[string]any{
		firstPartySP(as.GraphSPID, pipeline.GraphAppID, "Microsoft Graph"),
		firstPartySP(store.NewGUID(), "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
		firstPartySP(store.NewGUID(), "00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
	}
	if st.Seed == Empty {
		as.SecureScores = secureScores(st, now, 60, 200)
		return nil
	}
	scheduler := map[string]any{
		"id": store.NewGUID(), "appId": contosoSchedulerID, "displayName": "Contoso Scheduler", "appDisplayName": "Contoso Scheduler",
		"appOwnerOrganizationId": "3c1d4b5a-6e7f-4a8b-9c0d-1e2f3a4b5c6d", "publisherName": "Contoso Scheduling Inc.",
		"verifiedPublisher":    map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil},
		"servicePrincipalType": "Application", "accountEnabled": true, "tags": []any{"WindowsAzureActiveDirectoryIntegratedApp"},
		"appRoles": []any{}, "signInAudience": "AzureADMultipleOrgs", "createdDateTime": store.GraphTime(now.AddDate(-1, 0, 0)),
	}
	as.ServicePrincipals = append(as.ServicePrincipals, scheduler)
	grant := func(sp map[string]any, perm string) {
		as.GraphGrants = append(as.GraphGrants, graph.AppRoleAssignment(store.String(sp, "id"), store.String(sp, "displayName"), as.GraphSPID, perm, store.GraphTime(now.AddDate(-1, 0, 0))))
	}
	switch baseSeed(st.Seed) {
	case Noncompliant:
		for _, n := range noncompliantRegistered {
			if u := byNick[n]; u != nil {
				as.MFARegistered = append(as.MFARegistered, u.ID)
			}
		}
		grant(scheduler, "Mail.Read")
		grant(scheduler, "Files.Read.All")
		as.SecureScores = secureScores(st, now, 70, 200) // 35%.
	case Compliant:
		as.MFARegisteredAll = true
		for _, e := range compliantEligibility {
			if u := byNick[e.nick]; u != nil {
				as.Eligibility = append(as.Eligibility, eligibilitySchedule(e.role, u.ID, now.AddDate(0, -3, 0)))
			}
		}
		as.AccessReviews = []map[string]any{privilegedRoleReview(st, byNick["kevin.walsh"], now.AddDate(0, -3, 0))}
		as.CompliancePolicies = compliancePolicies(now.AddDate(0, -2, 0))
		as.AppProtections = appProtections(now.AddDate(0, -2, 0))
		grant(scheduler, "User.Read.All")
		as.SecureScores = secureScores(st, now, 156, 200) // 78%.
		return compliance.SeedDLP(st, now.AddDate(0, -2, 0))
	}
	return nil
}

func firstPartySP(id, appID, name string) map[string]any {
	sp := map[string]any{
		"id": id, "appId": appID, "displayName": name, "appDisplayName": name, "appOwnerOrganizationId": microsoftTenantID,
		"publisherName": "Microsoft Services", "verifiedPublisher": map[string]any{"displayName": nil, "verifiedPublisherId": nil, "addedDateTime": nil},
		"servicePrincipalType": "Application", "accountEnabled": true, "tags": []any{}, "appRoles": []any{},
		"signInAudience": "AzureADMultipleOrgs", "createdDateTime": "2019-05-14T19:21:42Z",
	}
	if appID == pipeline.GraphAppID {
		sp["appRoles"] = graph.AppRoles()
	}
	return sp
}

func eligibilitySchedule(role, principalID string, created time.Time) map[string]any {
	return map[string]any{
		"id": store.GUIDBase64(role) + store.GUIDBase64(principalID) + "-1-e", "principalId": principalID, "roleDefinitionId": role,
		"directoryScopeId": "/", "appScopeId": nil, "createdUsing": store.NewGUID(), "createdDateTime": store.GraphTime(created),
		"modifiedDateTime": nil, "status": "Provisioned", "memberType": "Direct",
		"scheduleInfo": map[string]any{"startDateTime": store.GraphTime(created), "recurrence": nil,
			"expiration": map[string]any{"type": "noExpiration", "endDateTime": nil, "duration": nil}},
	}
}

func privilegedRoleReview(st *store.State, owner *store.User, created time.Time) map[string]any {
	query := func(q string) map[string]any {
		return map[string]any{"@odata.type": "#microsoft.graph.accessReviewQueryScope", "query": q, "queryType": "MicrosoftGraph", "queryRoot": nil}
	}
	var resources []any
	for _, r := range adminRoles {
		id, _ := r.(string) // adminRoles holds role template ids, all strings.
		resources = append(resources, query("/roleManagement/directory/roleDefinitions/"+id))
	}
	reviewer := []any{}
	createdBy := map[string]any{"id": st.BreakGlassUserID, "displayName": "Emergency Access Account 01", "userPrincipalName": "breakglass01@" + st.Domain}
	if owner != nil {
		reviewer = []any{map[string]any{"query": "/users/" + owner.ID, "queryType": "MicrosoftGraph", "queryRoot": nil}}
		createdBy = map[string]any{"id": owner.ID, "displayName": owner.DisplayName, "userPrincipalName": owner.UserPrincipalName}
	}
	return map[string]any{
		"id": store.NewGUID(), "displayName": "HIPAA - Monthly review of privileged roles", "createdDateTime": store.GraphTime(created),
		"lastModifiedDateTime": store.GraphTime(created), "status": "InProgress",
		"descriptionForAdmins":    "Monthly review of every privileged directory role (45 CFR 164.308(a)(4)).",
		"descriptionForReviewers": "Confirm that each person still needs this administrator role.",
		"createdBy":               createdBy,
		"scope": map[string]any{"@odata.type": "#microsoft.graph.principalResourceMembershipsScope",
			"principalScopes": []any{query("/users"), query("/groups")}, "resourceScopes": resources},
		"instanceEnumerationScope": nil, "reviewers": reviewer, "fallbackReviewers": []any{}, "backupReviewers": []any{},
		"settings": map[string]any{
			"mailNotificationsEnabled": true, "reminderNotificationsEnabled": true, "justificationRequiredOnApproval": true,
			"defaultDecisionEnabled": false, "defaultDecision": "None", "instanceDurationInDays": int64(14),
			"autoApplyDecisionsEnabled": true, "recommendationsEnabled": true,
			"recurrence": map[string]any{
				"pattern": map[string]any{"type": "absoluteMonthly", "interval": int64(1), "month": int64(0), "dayOfMonth": int64(1),
					"daysOfWeek": []any{}, "firstDayOfWeek": "sunday", "index": "first"},
				"range": map[string]any{"type": "noEnd", "numberOfOccurrences": int64(0), "recurrenceTimeZone": nil,
					"startDate": created.Format("2006-01-02"), "endDate": "9999-12-31"},
			},
			"applyActions": []any{map[string]any{"@odata.type": "#microsoft.graph.removeAccessApplyAction"}},
		},
	}
}

func compliancePolicies(created time.Time) []map[string]any {
	base := func(typ, name string) map[string]any {
		id := store.NewGUID()
		return map[string]any{
			"@odata.type": "#microsoft.graph." + typ, "id": id, "displayName": name, "description": "HIPAA device baseline.",
			"createdDateTime": store.GraphTime(created), "lastModifiedDateTime": store.GraphTime(created), "version": int64(1),
			"assignments": []any{map[string]any{"id": id + "_" + allUsersTarget,
				"target": map[string]any{"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}},
		}
	}
	ios := base("iosCompliancePolicy", "HIPAA - iOS compliance")
	for k, v := range map[string]any{"passcodeRequired": true, "passcodeBlockSimple": true, "passcodeMinimumLength": int64(6),
		"passcodeRequiredType": "numeric", "passcodeMinutesOfInactivityBeforeLock": int64(5), "passcodeExpirationDays": nil,
		"passcodePreviousPasscodeBlockCount": nil, "passcodeMinimumCharacterSetCount": nil, "osMinimumVersion": "17.0",
		"osMaximumVersion": nil, "securityBlockJailbrokenDevices": true, "deviceThreatProtectionEnabled": false,
		"deviceThreatProtectionRequiredSecurityLevel": "unavailable", "managedEmailProfileRequired": false} {
		ios[k] = v
	}
	android := base("androidCompliancePolicy", "HIPAA - Android compliance")
	for k, v := range map[string]any{"passwordRequired": true, "passwordMinimumLength": int64(6), "passwordRequiredType": "numericComplex",
		"passwordMinutesOfInactivityBeforeLock": int64(5), "passwordExpirationDays": nil, "passwordPreviousPasswordBlockCount": nil,
		"securityPreventInstallAppsFromUnknownSources": true, "securityDisableUsbDebugging": true, "securityRequireVerifyApps": true,
		"deviceThreatProtectionEnabled": false, "deviceThreatProtectionRequiredSecurityLevel": "unavailable",
		"securityBlockJailbrokenDevices": true, "osMinimumVersion": "13.0", "osMaximumVersion": nil, "minAndroidSecurityPatchLevel": nil,
		"storageRequireEncryption": true, "securityRequireSafetyNetAttestationBasicIntegrity": true,
		"securityRequireSafetyNetAttestationCertifiedDevice": true, "securityRequireGooglePlayServices": true,
		"securityRequireUpToDateSecurityProviders": true, "securityRequireCompanyPortalAppIntegrity": true} {
		android[k] = v
	}
	windows := base("windows10CompliancePolicy", "HIPAA - Windows compliance")
	for k, v := range map[string]any{"passwordRequired": true, "passwordBlockSimple": true, "passwordRequiredToUnlockFromIdle": true,
		"passwordMinutesOfInactivityBeforeLock": int64(15), "passwordExpirationDays": nil, "passwordMinimumLength": int64(8),
		"passwordMinimumCharacterSetCount": nil, "passwordRequiredType": "alphanumeric", "passwordPreviousPasswordBlockCount": nil,
		"requireHealthyDeviceReport": true, "osMinimumVersion": "10.0.19045", "osMaximumVersion": nil,
		"mobileOsMinimumVersion": nil, "mobileOsMaximumVersion": nil, "earlyLaunchAntiMalwareDriverEnabled": true,
		"bitLockerEnabled": true, "secureBootEnabled": true, "codeIntegrityEnabled": true, "storageRequireEncryption": true,
		"activeFirewallRequired": true, "defenderEnabled": true, "antivirusRequired": true, "antiSpywareRequired": true,
		"tpmRequired": true, "deviceThreatProtectionEnabled": false, "deviceThreatProtectionRequiredSecurityLevel": "unavailable"} {
		windows[k] = v
	}
	return []map[string]any{ios, android, windows}
}

func appProtections(created time.Time) []map[string]any {
	base := func(typ, prefix, name string) map[string]any {
		return map[string]any{
			"@odata.type": "#microsoft.graph." + typ, "id": prefix + store.NewGUID(), "displayName": name,
			"description": "HIPAA app protection: PHI stays in managed apps.", "createdDateTime": store.GraphTime(created),
			"lastModifiedDateTime": store.GraphTime(created), "version": "\"0c00a1b2-0000-0000-0000-5f0000000000\"",
			"periodOfflineBeforeAccessCheck": "PT12H", "periodOnlineBeforeAccessCheck": "PT30M",
			"allowedInboundDataTransferSources": "managedApps", "allowedOutboundDataTransferDestinations": "managedApps",
			"organizationalCredentialsRequired": false, "allowedOutboundClipboardSharingLevel": "managedAppsWithPasteIn",
			"dataBackupBlocked": true, "deviceComplianceRequired": true, "managedBrowserToOpenLinksRequired": true,
			"saveAsBlocked": true, "periodOfflineBeforeWipeIsEnforced": "P90D", "pinRequired": true, "maximumPinRetries": int64(5),
			"simplePinBlocked": true, "minimumPinLength": int64(6), "pinCharacterSet": "numeric", "periodBeforePinReset": "PT0S",
			"allowedDataStorageLocations": []any{"oneDriveForBusiness", "sharePoint"}, "contactSyncBlocked": false,
			"printBlocked": true, "fingerprintBlocked": false, "disableAppPinIfDevicePinIsSet": false,
			"minimumRequiredOsVersion": nil, "minimumWarningOsVersion": nil, "minimumRequiredAppVersion": nil,
			"minimumWarningAppVersion": nil, "isAssigned": true, "deployedAppCount": int64(8),
		}
	}
	ios := base("iosManagedAppProtection", "T_", "HIPAA - iOS app protection")
	ios["appDataEncryptionType"], ios["faceIdBlocked"], ios["customBrowserProtocol"] = "whenDeviceLocked", false, nil
	android := base("androidManagedAppProtection", "T_", "HIPAA - Android app protection")
	android["screenCaptureBlocked"], android["disableAppEncryptionIfDeviceEncryptionIsEnabled"], android["encryptAppData"] = true, false, true
	android["customBrowserPackageId"], android["customBrowserDisplayName"] = nil, nil
	return []map[string]any{ios, android}
}

func secureScores(st *store.State, now time.Time, current, maxScore float64) []map[string]any {
	var out []map[string]any
	for day := 0; day < 3; day++ {
		at := now.AddDate(0, 0, -day).Truncate(24 * time.Hour)
		out = append(out, map[string]any{
			"id": st.TenantID + "_" + at.Format("2006-01-02"), "azureTenantId": st.TenantID, "activeUserCount": int64(len(st.Users)),
			"createdDateTime": store.GraphTime(at), "currentScore": current - float64(day), "maxScore": maxScore,
			"enabledServices": []any{"HasExchange", "HasSharePoint", "HasOD4B", "HasAzureAD"}, "licensedUserCount": int64(len(staff(st))),
			"averageComparativeScores": []any{map[string]any{"basis": "AllTenants", "averageScore": 48.5}},
			"controlScores": []any{
				map[string]any{"controlCategory": "Identity", "controlName": "MFARegistrationV2", "score": 0.0, "description": "Ensure all users can complete multifactor authentication."},
			},
			"vendorInformation": map[string]any{"provider": "SecureScore", "providerVersion": nil, "subProvider": nil, "vendor": "Microsoft"},
		})
	}
	return out
}
