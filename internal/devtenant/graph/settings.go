// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"maps"
	"net/http"
	"slices"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/sharepoint"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Graph tenant settings: /admin/sharepoint/settings (PATCH answers 200 with the body) and the
// /policies/authorizationPolicy singleton (PATCH answers 204).

var (
	permSPORead   = [][]string{{"SharePointTenantSettings.Read.All"}, {"SharePointTenantSettings.ReadWrite.All"}}
	permSPOWrite  = [][]string{{"SharePointTenantSettings.ReadWrite.All"}}
	permAuthzRead = [][]string{{"Policy.Read.All"}, {"Policy.ReadWrite.Authorization"}}
	permAuthzW    = [][]string{{"Policy.ReadWrite.Authorization"}}

	enumSharingCap   = &enumDef{"sharingCapabilities", []string{"disabled", "externalUserSharingOnly", "externalUserAndGuestSharing", "existingExternalUserSharingOnly", "unknownFutureValue"}}
	enumDomainMode   = &enumDef{"sharingDomainRestrictionMode", []string{"none", "allowList", "blockList", "unknownFutureValue"}}
	enumImageTagging = &enumDef{"imageTaggingChoice", []string{"disabled", "basic", "enhanced", "unknownFutureValue"}}
	enumInvitesFrom  = &enumDef{"allowInvitesFrom", []string{"none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone", "unknownFutureValue"}}
)

var idleSessionDef = &objDef{name: "idleSessionSignOut", props: []prop{
	{name: "isEnabled", kind: kBool}, {name: "signOutAfterInSeconds", kind: kInt}, {name: "warnAfterInSeconds", kind: kInt},
}}

var sharepointSettingsDef = &objDef{name: "sharepointSettings", props: []prop{
	{name: "allowedDomainGuidsForSyncApp", kind: kStrList}, {name: "availableManagedPathsForSiteCreation", kind: kStrList},
	{name: "deletedUserPersonalSiteRetentionPeriodInDays", kind: kInt}, {name: "excludedFileExtensionsForSyncApp", kind: kStrList},
	{name: "idleSessionSignOut", kind: kObject, obj: idleSessionDef}, {name: "imageTaggingOption", kind: kEnum, enum: enumImageTagging},
	{name: "isCommentingOnSitePagesEnabled", kind: kBool}, {name: "isFileActivityNotificationEnabled", kind: kBool},
	{name: "isLegacyAuthProtocolsEnabled", kind: kBool}, {name: "isLoopEnabled", kind: kBool}, {name: "isMacSyncAppEnabled", kind: kBool},
	{name: "isRequireAcceptingUserToMatchInvitedUserEnabled", kind: kBool}, {name: "isResharingByExternalUsersEnabled", kind: kBool},
	{name: "isSharePointMobileNotificationEnabled", kind: kBool}, {name: "isSharePointNewsfeedEnabled", kind: kBool},
	{name: "isSiteCreationEnabled", kind: kBool}, {name: "isSiteCreationUIEnabled", kind: kBool}, {name: "isSitePagesCreationEnabled", kind: kBool},
	{name: "isSitesStorageLimitAutomatic", kind: kBool}, {name: "isSyncButtonHiddenOnPersonalSite", kind: kBool},
	{name: "isUnmanagedSyncAppForTenantRestricted", kind: kBool}, {name: "personalSiteDefaultStorageLimitInMB", kind: kInt},
	{name: "sharingAllowedDomainList", kind: kStrList}, {name: "sharingBlockedDomainList", kind: kStrList},
	{name: "sharingCapability", kind: kEnum, enum: enumSharingCap}, {name: "sharingDomainRestrictionMode", kind: kEnum, enum: enumDomainMode},
	{name: "siteCreationDefaultManagedPath", kind: kString}, {name: "siteCreationDefaultStorageLimitInMB", kind: kInt},
	{name: "tenantDefaultTimezone", kind: kString},
}}

func DefaultSharePointSettings() map[string]any {
	return map[string]any{
		"allowedDomainGuidsForSyncApp": []any{}, "availableManagedPathsForSiteCreation": []any{"/sites/", "/teams/"},
		"deletedUserPersonalSiteRetentionPeriodInDays": int64(30), "excludedFileExtensionsForSyncApp": []any{},
		"idleSessionSignOut": map[string]any{"isEnabled": false, "signOutAfterInSeconds": int64(0), "warnAfterInSeconds": int64(0)},
		"imageTaggingOption": "basic", "isCommentingOnSitePagesEnabled": true, "isFileActivityNotificationEnabled": true,
		"isLegacyAuthProtocolsEnabled": true, "isLoopEnabled": true, "isMacSyncAppEnabled": true,
		"isRequireAcceptingUserToMatchInvitedUserEnabled": false, "isResharingByExternalUsersEnabled": true,
		"isSharePointMobileNotificationEnabled": true, "isSharePointNewsfeedEnabled": false, "isSiteCreationEnabled": true,
		"isSiteCreationUIEnabled": true, "isSitePagesCreationEnabled": true, "isSitesStorageLimitAutomatic": true,
		"isSyncButtonHiddenOnPersonalSite": false, "isUnmanagedSyncAppForTenantRestricted": false,
		"personalSiteDefaultStorageLimitInMB": int64(1048576), "sharingAllowedDomainList": []any{}, "sharingBlockedDomainList": []any{},
		"sharingCapability": "externalUserAndGuestSharing", "sharingDomainRestrictionMode": "none",
		"siteCreationDefaultManagedPath": "/sites/", "siteCreationDefaultStorageLimitInMB": int64(26214400),
		"tenantDefaultTimezone": "(UTC-06:00) Central Time (US and Canada)",
	}
}

// spSettingsUpdate is the SharePoint settings' PATCH, which, unlike the policies', answers 200
// with the settings; SharePoint's own admin API sees the change too.
func (s *Service) spSettingsUpdate(g *gctx) *httpx.GraphError {
	in, n, err := decodeNormalized(g.body, sharepointSettingsDef)
	if err != nil {
		return err
	}
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	rec := s.Store.State.Admin.SharePointSettings
	cur := mergeSent(rec.Cur, in, n)
	if idle := obj(cur, "idleSessionSignOut"); idle != nil && idle["isEnabled"] == true {
		w, _ := idle["warnAfterInSeconds"].(int64)
		o, _ := idle["signOutAfterInSeconds"].(int64)
		if o <= 0 || w < 0 || w >= o {
			return httpx.NewGraphError(http.StatusBadRequest, "generalException", "The value of signOutAfterInSeconds must be greater than warnAfterInSeconds when idleSessionSignOut is enabled.")
		}
	}
	if cur["sharingDomainRestrictionMode"] == "allowList" && len(store.Strings(cur, "sharingAllowedDomainList")) == 0 {
		return httpx.NewGraphError(http.StatusBadRequest, "generalException", "sharingAllowedDomainList must contain at least one domain when sharingDomainRestrictionMode is allowList.")
	}
	rec.Write(g.now, s.Faults().ReplicationDelay(), cur)
	sharepoint.MirrorGraphToSPO(s.Store.State.Admin.SPOTenant, cur)
	if serr := s.Store.SaveLocked(); serr != nil {
		return httpx.NewGraphError(http.StatusInternalServerError, "UnknownError", "Persisting the tenant failed: %v", serr)
	}
	return g.writeSingleton(sharepointSettings, maps.Clone(cur))
}

// Authorization policy.

var defaultUserRolePermsDef = &objDef{name: "defaultUserRolePermissions", props: []prop{
	{name: "allowedToCreateApps", kind: kBool}, {name: "allowedToCreateSecurityGroups", kind: kBool}, {name: "allowedToCreateTenants", kind: kBool},
	{name: "allowedToReadBitlockerKeysForOwnedDevice", kind: kBool}, {name: "allowedToReadOtherUsers", kind: kBool},
	{name: "permissionGrantPoliciesAssigned", kind: kStrList},
}}

var authorizationPolicyDef = &objDef{name: "authorizationPolicy", props: []prop{
	{name: "id", readOnly: true}, {name: "deletedDateTime", readOnly: true},
	{name: "displayName", kind: kString}, {name: "description", kind: kString},
	{name: "allowedToSignUpEmailBasedSubscriptions", kind: kBool}, {name: "allowedToUseSSPR", kind: kBool},
	{name: "allowEmailVerifiedUsersToJoinOrganization", kind: kBool}, {name: "allowInvitesFrom", kind: kEnum, enum: enumInvitesFrom},
	{name: "allowUserConsentForRiskyApps", kind: kBool}, {name: "blockMsolPowerShell", kind: kBool},
	{name: "defaultUserRolePermissions", kind: kObject, obj: defaultUserRolePermsDef}, {name: "guestUserRoleId", kind: kString},
}}

func DefaultAuthorizationPolicy() map[string]any {
	return map[string]any{
		"id": "authorizationPolicy", "deletedDateTime": nil, "displayName": "Authorization Policy",
		"description":                            "Used to manage authorization related settings across the company.",
		"allowedToSignUpEmailBasedSubscriptions": true, "allowedToUseSSPR": true, "allowEmailVerifiedUsersToJoinOrganization": false,
		"allowInvitesFrom": "everyone", "allowUserConsentForRiskyApps": nil, "blockMsolPowerShell": false, "guestUserRoleId": directory.GuestUser,
		"defaultUserRolePermissions": map[string]any{"allowedToCreateApps": true, "allowedToCreateSecurityGroups": true,
			"allowedToCreateTenants": true, "allowedToReadBitlockerKeysForOwnedDevice": true, "allowedToReadOtherUsers": true,
			"permissionGrantPoliciesAssigned": []any{"ManagePermissionGrantsForSelf.microsoft-user-default-legacy"}},
	}
}

// checkGuestRole refuses a guestUserRoleId other than the three guest access levels.
func checkGuestRole(g *gctx, cur, sent, norm map[string]any) (map[string]any, *httpx.GraphError) {
	if id, ok := sent["guestUserRoleId"]; ok && !slices.Contains([]any{directory.User, directory.GuestUser, directory.RestrictedGuestUser}, id) {
		return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "Invalid value specified for property 'guestUserRoleId' of resource 'AuthorizationPolicy'.")
	}
	return mergeSentUpdate(g, cur, sent, norm)
}
