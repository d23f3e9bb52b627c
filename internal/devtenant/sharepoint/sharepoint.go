// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package sharepoint is devtenant's SharePoint Online admin endpoint (URL/spo, real
// https://{tenant}-admin.sharepoint.com): the tenant properties over REST (GET _api/SPO.Tenant)
// and CSOM (POST _vti_bin/client.svc/ProcessQuery). App-only SharePoint accepts only
// certificate-based tokens. Graph's /admin/sharepoint/settings and these properties are one
// setting seen twice; MirrorGraphToSPO and the CSOM writes keep them in step.
package sharepoint

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

const spoLibraryVersion = "16.0.25919.12007"

// Serve answers every request under /spo: its own token checks and faults, then REST or CSOM.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request) {
	s.CountRoute(r)
	corr := store.NewGUID()
	h := w.Header()
	h.Set("SPRequestGuid", corr)
	h.Set("request-id", corr)
	h.Set("MicrosoftSharePointTeamServices", "16.0.0.25919")
	h.Set("X-Content-Type-Options", "nosniff")
	sub := strings.TrimPrefix(r.URL.Path, "/spo")
	p, fail := s.spoAuth(r)
	if fail != "" {
		return401SPO(w, fail)
		return
	}
	if f := s.Faults().InjectedAdmin(r.Method, r.URL.Path); f != nil {
		s.CountThrottle(f.Status)
		if f.RetryAfter > 0 {
			h.Set("Retry-After", fmt.Sprint(f.RetryAfter))
		}
		spoRESTError(w, r, f.Status, fmt.Sprintf("-2146233088, Microsoft.SharePoint.Client.%s", spoFaultType(f.Status)), f.Message)
		return
	}
	roles := p.Roles()
	canRead := slices.Contains(roles, "Sites.FullControl.All") || slices.Contains(roles, "Sites.Read.All") || slices.Contains(roles, "Sites.ReadWrite.All")
	switch {
	case strings.EqualFold(sub, "/_api/SPO.Tenant") && r.Method == http.MethodGet:
		if !canRead {
			spoRESTError(w, r, http.StatusForbidden, "-2147024891, System.UnauthorizedAccessException", "Access denied. You do not have permission to perform this action or access this resource.")
			return
		}
		s.spoTenantGet(w, r, corr)
	case strings.EqualFold(sub, "/_vti_bin/client.svc/ProcessQuery") && r.Method == http.MethodPost:
		if !slices.Contains(roles, "Sites.FullControl.All") {
			writeCSOM(w, http.StatusForbidden, corr, csomError(corr, -2147024891, "System.UnauthorizedAccessException", "Access denied. You do not have permission to perform this action or access this resource."))
			return
		}
		s.processQuery(w, r, corr)
	default:
		spoRESTError(w, r, http.StatusNotFound, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException", "The expression \""+strings.TrimPrefix(sub, "/_api/")+"\" is not valid.")
	}
}

func spoFaultType(status int) string {
	if status == http.StatusTooManyRequests {
		return "ThrottlingException"
	}
	return "ServerException"
}

// spoAuth validates the token; a non-empty reason means 401 with that x-ms-diagnostics reason.
func (s *Service) spoAuth(r *http.Request) (*tokens.JWT, string) {
	p, msg := s.VerifyBearer(r)
	if p == nil {
		return nil, "Invalid JWT token. " + msg
	}
	want := s.URL() + "/spo"
	if !slices.ContainsFunc(p.Audiences(), func(a string) bool { return strings.TrimSuffix(a, "/") == want }) {
		return nil, fmt.Sprintf("Invalid audience Uri '%s'.", strings.Join(p.Audiences(), ","))
	}
	if p.Str("appidacr") == "1" {
		return nil, "Unsupported app only token."
	}
	return p, ""
}

func return401SPO(w http.ResponseWriter, reason string) {
	code := "3000003"
	if strings.HasPrefix(reason, "Invalid JWT") {
		code = "3000006"
	}
	w.Header().Set("x-ms-diagnostics", code+`;reason="`+reason+`";category="invalid_client"`)
	w.Header().Set("WWW-Authenticate", `Bearer realm="", client_id="00000003-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`)
	b, _ := json.Marshal(map[string]any{"error_description": reason})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(b)
}

func spoMetadata(r *http.Request) string {
	a := strings.ToLower(r.Header.Get("Accept"))
	switch {
	case strings.Contains(a, "odata=verbose"):
		return "verbose"
	case strings.Contains(a, "odata=nometadata"):
		return "nometadata"
	}
	return "minimalmetadata"
}

// spoRESTError writes SharePoint's REST error in the shape the Accept header selects.
func spoRESTError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	inner := map[string]any{"code": code, "message": map[string]any{"lang": "en-US", "value": msg}}
	var body map[string]any
	ct := "application/json;odata=" + spoMetadata(r) + ";streaming=true;charset=utf-8"
	if spoMetadata(r) == "verbose" {
		body = map[string]any{"error": inner}
	} else {
		body = map[string]any{"odata.error": inner}
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Service) spoTenantGet(w http.ResponseWriter, r *http.Request, _ string) {
	s.Store.Mu.RLock()
	t := maps.Clone(s.Store.State.Admin.SPOTenant)
	s.Store.Mu.RUnlock()
	md := spoMetadata(r)
	var body any
	switch md {
	case "verbose":
		t["__metadata"] = map[string]any{"id": s.URL() + "/spo/_api/SPO.Tenant", "uri": s.URL() + "/spo/_api/SPO.Tenant", "type": spoTenantType}
		body = map[string]any{"d": t}
	case "minimalmetadata":
		t["odata.metadata"] = s.URL() + "/spo/_api/$metadata#SP.ApiData.Tenants/@Element"
		t["odata.type"] = spoTenantType
		t["odata.id"] = s.URL() + "/spo/_api/SPO.Tenant"
		t["odata.editLink"] = "SPO.Tenant"
		body = t
	default:
		body = t
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json;odata="+md+";streaming=true;charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

const spoTenantType = "Microsoft.Online.SharePoint.TenantAdministration.Tenant"

// spoProp describes a writable tenant property: its CSOM type and allowed range.
type spoProp struct {
	typ      string // Boolean | Int32 | String | Enum
	min, max int64
	allowNeg bool // -1 means "not set" (RequireAnonymousLinksExpireInDays).
}

var spoProps = map[string]spoProp{
	"SharingCapability": {typ: "Enum", max: 3}, "ExternalUserExpirationRequired": {typ: "Boolean"},
	"ExternalUserExpireInDays": {typ: "Int32", min: 1, max: 730}, "RequireAnonymousLinksExpireInDays": {typ: "Int32", min: 1, max: 730, allowNeg: true},
	"ConditionalAccessPolicy": {typ: "Enum", max: 3}, "PreventExternalUsersFromResharing": {typ: "Boolean"},
	"DefaultSharingLinkType": {typ: "Enum", max: 3}, "DefaultLinkPermission": {typ: "Enum", max: 2},
	"EmailAttestationRequired": {typ: "Boolean"}, "EmailAttestationReAuthDays": {typ: "Int32", min: 1, max: 365},
	"FileAnonymousLinkType": {typ: "Enum", max: 2}, "FolderAnonymousLinkType": {typ: "Enum", max: 2},
	"SharingDomainRestrictionMode": {typ: "Enum", max: 2}, "SharingAllowedDomainList": {typ: "String"}, "SharingBlockedDomainList": {typ: "String"},
	"LegacyAuthProtocolsEnabled": {typ: "Boolean"}, "RequireAcceptingAccountMatchInvitedAccount": {typ: "Boolean"},
	"NotifyOwnersWhenItemsReshared": {typ: "Boolean"}, "ShowEveryoneClaim": {typ: "Boolean"}, "ShowAllUsersClaim": {typ: "Boolean"},
	"ShowEveryoneExceptExternalUsersClaim": {typ: "Boolean"}, "DisallowInfectedFileDownload": {typ: "Boolean"},
	"IsUnmanagedSyncClientForTenantRestricted": {typ: "Boolean"}, "BccExternalSharingInvitations": {typ: "Boolean"},
	"AllowDownloadingNonWebViewableFiles": {typ: "Boolean"}, "LimitedAccessFileType": {typ: "Enum", max: 2},
	"OneDriveStorageQuota": {typ: "Int32", min: 1024, max: 1 << 30}, "OrphanedPersonalSitesRetentionPeriod": {typ: "Int32", min: 30, max: 3650},
	"ExternalServicesEnabled": {typ: "Boolean"}, "CommentsOnSitePagesDisabled": {typ: "Boolean"},
}

func DefaultTenant(st *store.State) map[string]any {
	host := strings.TrimSuffix(st.Domain, ".onmicrosoft.com")
	return map[string]any{
		"SharingCapability": int64(2), "ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": int64(60),
		"RequireAnonymousLinksExpireInDays": int64(-1), "ConditionalAccessPolicy": int64(0), "PreventExternalUsersFromResharing": false,
		"DefaultSharingLinkType": int64(2), "DefaultLinkPermission": int64(2), "EmailAttestationRequired": false, "EmailAttestationReAuthDays": int64(30),
		"FileAnonymousLinkType": int64(2), "FolderAnonymousLinkType": int64(2), "SharingDomainRestrictionMode": int64(0),
		"SharingAllowedDomainList": "", "SharingBlockedDomainList": "", "LegacyAuthProtocolsEnabled": true,
		"RequireAcceptingAccountMatchInvitedAccount": false, "NotifyOwnersWhenItemsReshared": true, "ShowEveryoneClaim": false,
		"ShowAllUsersClaim": false, "ShowEveryoneExceptExternalUsersClaim": true, "DisallowInfectedFileDownload": false,
		"IsUnmanagedSyncClientForTenantRestricted": false, "BccExternalSharingInvitations": false, "AllowDownloadingNonWebViewableFiles": true,
		"LimitedAccessFileType": int64(1), "OneDriveStorageQuota": int64(1048576), "OrphanedPersonalSitesRetentionPeriod": int64(30),
		"ExternalServicesEnabled": true, "CommentsOnSitePagesDisabled": false, "CompatibilityRange": "15,15",
		"RootSiteUrl": "https://" + host + ".sharepoint.com", "StorageQuota": int64(1078272), "StorageQuotaAllocated": int64(0),
		"ResourceQuota": int64(5300), "ResourceQuotaAllocated": int64(0), "SignInAccelerationDomain": "", "EnableGuestSignInAcceleration": false,
		"UsePersistentCookiesForExplorerView": false, "IPAddressEnforcement": false, "IPAddressAllowList": "", "ODBAccessRequests": int64(0),
		"ODBMembersCanShare": int64(0), "OfficeClientADALDisabled": false, "DisplayStartASiteOption": true, "SearchResolveExactEmailOrUPN": false,
		"HideDefaultThemes": false, "ProvisionSharedWithEveryoneFolder": false, "SocialBarOnSitePagesDisabled": false,
	}
}

// Graph's sharepointSettings and the SPO tenant are two views of one configuration; a write to
// either is visible in the other.
var sharingCapNames = []string{"disabled", "externalUserSharingOnly", "externalUserAndGuestSharing", "existingExternalUserSharingOnly"}
var domainModeNames = []string{"none", "allowList", "blockList"}

func MirrorGraphToSPO(t, g map[string]any) {
	if i := slices.Index(sharingCapNames, fmt.Sprint(g["sharingCapability"])); i >= 0 {
		t["SharingCapability"] = int64(i)
	}
	if i := slices.Index(domainModeNames, fmt.Sprint(g["sharingDomainRestrictionMode"])); i >= 0 {
		t["SharingDomainRestrictionMode"] = int64(i)
	}
	if v, ok := g["isResharingByExternalUsersEnabled"].(bool); ok {
		t["PreventExternalUsersFromResharing"] = !v
	}
	t["SharingAllowedDomainList"] = strings.Join(store.Strings(g, "sharingAllowedDomainList"), " ")
	t["SharingBlockedDomainList"] = strings.Join(store.Strings(g, "sharingBlockedDomainList"), " ")
	for graph, spo := range map[string]string{"isLegacyAuthProtocolsEnabled": "LegacyAuthProtocolsEnabled",
		"isUnmanagedSyncAppForTenantRestricted":           "IsUnmanagedSyncClientForTenantRestricted",
		"isRequireAcceptingUserToMatchInvitedUserEnabled": "RequireAcceptingAccountMatchInvitedAccount"} {
		if v, ok := g[graph].(bool); ok {
			t[spo] = v
		}
	}
}

func mirrorSPOToGraph(t map[string]any, g map[string]any) {
	if i, ok := t["SharingCapability"].(int64); ok && int(i) < len(sharingCapNames) {
		g["sharingCapability"] = sharingCapNames[i]
	}
	if i, ok := t["SharingDomainRestrictionMode"].(int64); ok && int(i) < len(domainModeNames) {
		g["sharingDomainRestrictionMode"] = domainModeNames[i]
	}
	if v, ok := t["PreventExternalUsersFromResharing"].(bool); ok {
		g["isResharingByExternalUsersEnabled"] = !v
	}
	for _, pair := range [][2]string{{"SharingAllowedDomainList", "sharingAllowedDomainList"}, {"SharingBlockedDomainList", "sharingBlockedDomainList"}} {
		list := []any{}
		for _, d := range strings.Fields(fmt.Sprint(t[pair[0]])) {
			list = append(list, d)
		}
		g[pair[1]] = list
	}
	for graph, spo := range map[string]string{"isLegacyAuthProtocolsEnabled": "LegacyAuthProtocolsEnabled",
		"isUnmanagedSyncAppForTenantRestricted":           "IsUnmanagedSyncClientForTenantRestricted",
		"isRequireAcceptingUserToMatchInvitedUserEnabled": "RequireAcceptingAccountMatchInvitedAccount"} {
		if v, ok := t[spo].(bool); ok {
			g[graph] = v
		}
	}
}

// Service is the SharePoint admin endpoint: the tenant's REST properties and CSOM.
type Service struct{ *pipeline.Tenant }
