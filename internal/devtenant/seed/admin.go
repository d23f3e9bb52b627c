// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package seed

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/compliance"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/exchange"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/sharepoint"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Seeds of the admin services (Exchange, Security & Compliance, SharePoint, Graph tenant
// settings) per the HIPAA checklist (hipaa_baseline's defaults, docs/resources/baseline.md):
// "empty" is a fresh tenant with Microsoft's defaults, "noncompliant" the clinic before the
// baseline, "compliant" after it.

// Grants of the two apps on Exchange and SharePoint, and their directory roles.
var (
	writerExtraGraph = []string{"SharePointTenantSettings.ReadWrite.All", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.AuthenticationMethod",
		"RoleManagement.ReadWrite.Directory"}
	readerExtraGraph = []string{"SharePointTenantSettings.Read.All", "Policy.Read.AuthenticationMethod"}
)

// FillAdmin adds the admin grants and services to a state; it is idempotent so that a
// tenant.json written by an older devtenant is upgraded on load.
func FillAdmin(st *store.State) error {
	writer, reader := st.Apps[0], st.Apps[1]
	for _, r := range writerExtraGraph {
		if !slices.Contains(writer.Roles, r) {
			writer.Roles = append(writer.Roles, r)
		}
	}
	for _, r := range readerExtraGraph {
		if !slices.Contains(reader.Roles, r) {
			reader.Roles = append(reader.Roles, r)
		}
	}
	if writer.ExchangeRoles == nil {
		writer.ExchangeRoles, writer.SharePointRoles = []string{adminapi.ManageAsApp}, []string{"Sites.FullControl.All"}
		writer.DirectoryRoles = []string{directory.ExchangeAdministrator, directory.ComplianceAdministrator}
	}
	if reader.ExchangeRoles == nil {
		reader.ExchangeRoles, reader.SharePointRoles = []string{adminapi.ManageAsApp}, []string{"Sites.Read.All"}
		reader.DirectoryRoles = []string{directory.GlobalReader}
	}
	if st.Admin != nil {
		intifyAdmin(st)
		return exchange.EnsureThreatDefaults(st, adminapi.TimeLike{At: time.Now().UTC()})
	}
	return seedAdmin(st, time.Now().UTC().AddDate(0, -2, 0))
}

func seedAdmin(st *store.State, created time.Time) error {
	now := adminapi.TimeLike{At: created}
	st.Admin = &store.AdminState{Cmdlets: map[string][]map[string]any{}}
	a := st.Admin
	a.Cmdlets[exchange.AcceptedDomain.Name] = exchange.AcceptedDomainObjects(st, now)
	add := func(n *adminapi.Noun, params map[string]any) error {
		obj, err := adminapi.NewObject(st, n, params, created)
		if err != nil {
			return fmt.Errorf("seeding %s %v: %s", n.Name, params["Name"], err.Human)
		}
		a.Cmdlets[n.Name] = append(a.Cmdlets[n.Name], obj)
		if n.Prioritized {
			a.Cmdlets[n.Name] = adminapi.PlaceByPriority(a.Cmdlets[n.Name], len(a.Cmdlets[n.Name])-1)
		}
		return nil
	}
	seedName := map[*adminapi.Noun]string{exchange.OrgConfig: st.Domain, exchange.AdminAuditLog: "Admin Audit Log Settings", exchange.IRM: "ControlPoint Configuration",
		exchange.OME: "OME Configuration", exchange.OutboundSpam: "Default", exchange.RemoteDomain: "Default", exchange.MalwareFilter: "Default", exchange.AtpPolicy: "Default"}
	settings := map[*adminapi.Noun]map[string]any{}
	switch baseSeed(st.Seed) {
	case Noncompliant:
		settings[exchange.OrgConfig] = map[string]any{"AuditDisabled": true}
		settings[exchange.AdminAuditLog] = map[string]any{"UnifiedAuditLogIngestionEnabled": false}
		settings[exchange.IRM] = map[string]any{"AzureRMSLicensingEnabled": false, "SimplifiedClientAccessEnabled": false}
		settings[exchange.OME] = map[string]any{"OTPEnabled": true, "SocialIdSignIn": true}
		settings[exchange.OutboundSpam] = map[string]any{"AutoForwardingMode": "Automatic"}
		settings[exchange.RemoteDomain] = map[string]any{"AutoForwardEnabled": true}
		settings[exchange.MalwareFilter] = map[string]any{"EnableFileFilter": false, "FileTypes": slices.Clone(exchange.DefaultMalwareFileTypes)}
	case Compliant:
		settings[exchange.OrgConfig] = map[string]any{"AuditDisabled": false}
		settings[exchange.AdminAuditLog] = map[string]any{"UnifiedAuditLogIngestionEnabled": true}
		settings[exchange.IRM] = map[string]any{"AzureRMSLicensingEnabled": true, "SimplifiedClientAccessEnabled": true}
		settings[exchange.OME] = map[string]any{"OTPEnabled": true, "SocialIdSignIn": false}
		settings[exchange.OutboundSpam] = map[string]any{"AutoForwardingMode": "Off"}
		settings[exchange.RemoteDomain] = map[string]any{"AutoForwardEnabled": false}
		settings[exchange.MalwareFilter] = map[string]any{"EnableFileFilter": true, "FileTypeAction": "Reject", "FileTypes": hipaaFileTypes()}
	}
	for _, n := range []*adminapi.Noun{exchange.OrgConfig, exchange.AdminAuditLog, exchange.IRM, exchange.OME, exchange.OutboundSpam, exchange.RemoteDomain, exchange.MalwareFilter, exchange.AtpPolicy} {
		if n.License != "" && !adminapi.HasServicePlan(st, n.License) {
			continue
		}
		params := map[string]any{"Name": seedName[n]}
		if n == exchange.MalwareFilter {
			params["IsDefault"] = true
		}
		maps.Copy(params, settings[n])
		if err := add(n, params); err != nil {
			return err
		}
	}
	a.Cmdlets[compliance.ProtectionAlert.Name] = compliance.SystemAlertObjects(st, now)
	if err := exchange.EnsureThreatDefaults(st, now); err != nil {
		return err
	}
	if baseSeed(st.Seed) == Compliant {
		if err := seedCompliantObjects(st, add); err != nil {
			return err
		}
	}
	if st.Seed == Shadowed {
		if err := seedShadowingPolicies(st, add, now); err != nil {
			return err
		}
	}

	sp := graph.DefaultSharePointSettings()
	spo := sharepoint.DefaultTenant(st)
	authz := graph.DefaultAuthorizationPolicy()
	methods := map[string]string{"Sms": "disabled", "Voice": "disabled", "Fido2": "disabled", "MicrosoftAuthenticator": "enabled",
		"TemporaryAccessPass": "disabled", "Email": "enabled", "SoftwareOath": "disabled", "X509Certificate": "disabled"}
	var authenticator map[string]any
	switch baseSeed(st.Seed) {
	case Noncompliant:
		authz["allowInvitesFrom"], authz["guestUserRoleId"] = "everyone", directory.User
		methods["Sms"], methods["Voice"] = "enabled", "enabled"
	case Compliant:
		sp["sharingCapability"], sp["isResharingByExternalUsersEnabled"] = "existingExternalUserSharingOnly", false
		sp["idleSessionSignOut"] = map[string]any{"isEnabled": true, "warnAfterInSeconds": int64(600), "signOutAfterInSeconds": int64(900)}
		spo["ExternalUserExpirationRequired"], spo["ExternalUserExpireInDays"] = true, int64(30)
		spo["RequireAnonymousLinksExpireInDays"], spo["ConditionalAccessPolicy"] = int64(30), int64(2)
		authz["allowInvitesFrom"], authz["guestUserRoleId"] = "adminsAndGuestInviters", directory.RestrictedGuestUser
		methods["Fido2"] = "enabled"
		authenticator = map[string]any{"displayAppInformationRequiredState": graph.FeatureSetting("enabled"), "displayLocationInformationRequiredState": graph.FeatureSetting("enabled")}
	}
	sharepoint.MirrorGraphToSPO(spo, sp)
	a.SPOTenant = spo
	a.SharePointSettings = &store.Record{ID: "sharepointSettings", Cur: sp, ChangedAt: created}
	a.AuthorizationPolicy = &store.Record{ID: "authorizationPolicy", Cur: authz, ChangedAt: created}
	a.AuthMethodsPolicy = &store.Record{ID: "authenticationMethodsPolicy", Cur: graph.DefaultAuthMethodsPolicy(store.GraphTime(created)), ChangedAt: created}
	for _, m := range graph.MethodTypes {
		c := graph.NewMethodConfig(&m, methods[m.ID])
		if m.ID == "MicrosoftAuthenticator" && authenticator != nil {
			c["featureSettings"] = authenticator
		}
		a.AuthMethodConfigs = append(a.AuthMethodConfigs, &store.Record{ID: m.ID, Cur: c, ChangedAt: created})
	}
	return nil
}

func hipaaFileTypes() []any {
	return []any{"ace", "ani", "apk", "app", "appx", "bat", "cab", "cmd", "com", "cpl", "dll", "exe", "hta", "iso", "jar", "js", "jse", "lnk",
		"msi", "pif", "ps1", "reg", "scr", "vbe", "vbs", "wsf"}
}

// seedCompliantObjects creates the baseline's transport rules, Defender policies, audit
// retention and alert policies with the checklist's names and values.
//
// The Defender rules cover both accepted domains, as the baseline scopes them: RecipientDomainIs
// matches a recipient's primary address, and the clinic's users have theirs on the vanity domain.
func seedCompliantObjects(st *store.State, add func(*adminapi.Noun, map[string]any) error) error {
	sit := func(name string) any { return adminapi.Hashtable("Name", name, "minCount", "1") }
	domains := []any{st.Domain, strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1)}
	steps := []struct {
		n *adminapi.Noun
		p map[string]any
	}{
		{exchange.TransportRule, map[string]any{"Name": "HIPAA - Encrypt external mail containing PHI", "Mode": "Enforce", "SentToScope": "NotInOrganization",
			"MessageContainsDataClassifications": []any{sit("U.S. Social Security Number (SSN)"), sit("International Classification of Diseases (ICD-9-CM)"),
				sit("International Classification of Diseases (ICD-10-CM)"), sit("Drug Enforcement Agency (DEA) Number")},
			"ApplyRightsProtectionTemplate": "Encrypt"}},
		{exchange.TransportRule, map[string]any{"Name": "HIPAA - Encrypt external mail with medical keywords", "Mode": "Enforce", "SentToScope": "NotInOrganization",
			"SubjectOrBodyContainsWords":    []any{"diagnosis", "patient", "medical record", "PHI", "treatment plan", "prescription"},
			"ApplyRightsProtectionTemplate": "Encrypt"}},
		{exchange.SafeLinksPolicy, map[string]any{"Name": "HIPAA - Safe Links", "EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true,
			"EnableSafeLinksForOffice": true, "ScanUrls": true, "DeliverMessageAfterScan": true, "EnableForInternalSenders": true,
			"TrackClicks": true, "AllowClickThrough": false}},
		{exchange.SafeLinksRule, map[string]any{"Name": "HIPAA - Safe Links", "SafeLinksPolicy": "HIPAA - Safe Links", "RecipientDomainIs": domains, "Priority": int64(0)}},
		{exchange.SafeAttachmentPolicy, map[string]any{"Name": "HIPAA - Safe Attachments", "Enable": true, "Action": "Block"}},
		{exchange.SafeAttachmentRule, map[string]any{"Name": "HIPAA - Safe Attachments", "SafeAttachmentPolicy": "HIPAA - Safe Attachments", "RecipientDomainIs": domains, "Priority": int64(0)}},
		{compliance.UALRetention, map[string]any{"Name": "HIPAA - Audit log retention", "RetentionDuration": "SevenYears", "Priority": int64(100), "RecordTypes": []any{}}},
		{compliance.ProtectionAlert, map[string]any{"Name": "HIPAA - Mass file download", "Category": "ThreatManagement", "ThreatType": "Activity",
			"Operation": []any{"FileDownloaded"}, "Severity": "High", "AggregationType": "SimpleAggregation", "Threshold": int64(100), "TimeWindow": int64(60)}},
		{compliance.ProtectionAlert, map[string]any{"Name": "HIPAA - Mail forwarding rule created", "Category": "ThreatManagement", "ThreatType": "Activity",
			"Operation": []any{"New-InboxRule", "Set-InboxRule"}, "Severity": "Medium", "AggregationType": "None"}},
		{compliance.ProtectionAlert, map[string]any{"Name": "HIPAA - Repeated failed sign-ins", "Category": "ThreatManagement", "ThreatType": "Activity",
			"Operation": []any{"UserLoginFailed"}, "Severity": "Medium", "AggregationType": "SimpleAggregation", "Threshold": int64(10), "TimeWindow": int64(60)}},
		{compliance.ProtectionAlert, map[string]any{"Name": "HIPAA - Admin role assigned", "Category": "AccessGovernance", "ThreatType": "Activity",
			"Operation": []any{"Add member to role."}, "Severity": "High", "AggregationType": "None"}},
	}
	for _, s := range steps {
		if err := add(s.n, s.p); err != nil {
			return err
		}
	}
	return nil
}

// seedShadowingPolicies makes the compliant clinic one that only looks compliant: every HIPAA
// policy is still there and configured, but custom policies of higher priority take recipients
// first and turn the protection off (Safe Links for both accepted domains, Safe Attachments for
// the Front Desk group, the attachment filter for one mailbox), and the Standard preset, once
// turned on, is now off (its rules are disabled, so they apply to no one).
func seedShadowingPolicies(st *store.State, add func(*adminapi.Noun, map[string]any) error, now adminapi.TimeLike) error {
	vanity := strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1)
	steps := []struct {
		n *adminapi.Noun
		p map[string]any
	}{
		{exchange.SafeLinksPolicy, map[string]any{"Name": "Legacy - Safe Links off", "EnableSafeLinksForEmail": false, "EnableSafeLinksForTeams": false,
			"EnableSafeLinksForOffice": false, "ScanUrls": false, "TrackClicks": false}},
		{exchange.SafeLinksRule, map[string]any{"Name": "Legacy - Safe Links off", "SafeLinksPolicy": "Legacy - Safe Links off",
			"RecipientDomainIs": []any{st.Domain, vanity}, "Priority": int64(0), "Comments": "Link rewriting broke the EHR portal links (2023)."}},
		{exchange.SafeAttachmentPolicy, map[string]any{"Name": "Front Desk - no detonation", "Enable": false}},
		{exchange.SafeAttachmentRule, map[string]any{"Name": "Front Desk - no detonation", "SafeAttachmentPolicy": "Front Desk - no detonation",
			"SentToMemberOf": []any{"Front Desk"}, "Priority": int64(0)}},
		{exchange.MalwareFilter, map[string]any{"Name": "Scanner exemption", "EnableFileFilter": false}},
		{exchange.MalwareFilterRule, map[string]any{"Name": "Scanner exemption", "MalwareFilterPolicy": "Scanner exemption",
			"SentTo": []any{"laura.kim@" + vanity}, "Priority": int64(0)}},
	}
	for _, s := range steps {
		if err := add(s.n, s.p); err != nil {
			return err
		}
	}
	return exchange.TurnOnPreset(st, "Standard", nil, "Disabled", now)
}

// intifyAdmin restores whole numbers to int64 after tenant.json decoding made them float64, so
// loaded objects compare and validate like freshly written ones.
func intifyAdmin(st *store.State) {
	for _, list := range st.Admin.Cmdlets {
		for _, o := range list {
			intifyMap(o)
		}
	}
	intifyMap(st.Admin.SPOTenant)
	recs := append([]*store.Record{st.Admin.SharePointSettings, st.Admin.AuthorizationPolicy, st.Admin.AuthMethodsPolicy}, st.Admin.AuthMethodConfigs...)
	recs = append(recs, st.CAPolicies...)
	recs = append(recs, st.NamedLocations...)
	for _, r := range recs {
		if r != nil {
			intifyMap(r.Cur)
			intifyMap(r.Prev)
		}
	}
}

func intifyMap(m map[string]any) {
	for k, v := range m {
		m[k] = intify(v)
	}
}

func intify(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case map[string]any:
		intifyMap(x)
	case []any:
		for i := range x {
			x[i] = intify(x[i])
		}
	}
	return v
}
