// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// compliantParams name the break-glass account and the backup vendor whose BAA is on record.
var compliantParams = Params{EmergencyAccessUserIDs: []string{breakGlassID}, BAACoveredAppIDs: []string{"app-backup"}}

// automatedIDs are the automated and partial control ids of the issue 4 design.
var automatedIDs = []string{
	"HIPAA.CA.1v1", "HIPAA.CA.2v1", "HIPAA.CA.3v1", "HIPAA.CA.4v1", "HIPAA.CA.5v1", "HIPAA.CA.6v1", "HIPAA.CA.7v1",
	"HIPAA.AUTH.1v1", "HIPAA.AUTH.2v1", "HIPAA.AUTH.3v1",
	"HIPAA.IAM.1v1", "HIPAA.IAM.2v1", "HIPAA.IAM.3v1",
	"HIPAA.SPO.1v1", "HIPAA.SPO.2v1", "HIPAA.SPO.3v1", "HIPAA.SPO.4v1", "HIPAA.SPO.5v1", "HIPAA.SPO.6v1", "HIPAA.SPO.7v1",
	"HIPAA.GUEST.1v1", "HIPAA.GUEST.2v1",
	"HIPAA.AUDIT.1v1", "HIPAA.AUDIT.2v1", "HIPAA.AUDIT.3v1",
	"HIPAA.EXO.1v1", "HIPAA.EXO.2v1", "HIPAA.EXO.3v1", "HIPAA.EXO.4v1", "HIPAA.EXO.5v1", "HIPAA.EXO.6v1",
	"HIPAA.DLP.1v1", "HIPAA.ALERT.1v1", "HIPAA.DEV.1v1", "HIPAA.DEV.2v1", "HIPAA.SCORE.1v1", "HIPAA.BAA.1v1", "HIPAA.BAA.2v1",
}

func TestEveryAutomatedControlHasACheck(t *testing.T) {
	if got := IDs(); !slices.Equal(got, sortedCopy(automatedIDs)) {
		t.Fatalf("registered checks %v, want %v", got, sortedCopy(automatedIDs))
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func run(t *testing.T, id string, s *snapshot.Snapshot, p Params) Outcome {
	t.Helper()
	c, ok := Lookup(id)
	if !ok {
		t.Fatalf("no check for %s", id)
	}
	return c(s, p)
}

// The compliant fixture passes every control with outcomes that say something.
func TestCompliantFixturePassesEveryControl(t *testing.T) {
	s := build(t, compliant())
	for _, id := range IDs() {
		o := run(t, id, s, compliantParams)
		if o.Status != StatusPass {
			t.Errorf("%s: %s: %s (%s)", id, o.Status, o.Actual, o.Detail)
		}
		if o.Expected == "" || o.Actual == "" || !strings.HasSuffix(o.Actual, ".") {
			t.Errorf("%s: expected/actual must be sentences: %q / %q", id, o.Expected, o.Actual)
		}
	}
}

// mutation changes one thing of the compliant tenant.
type mutation func(s sources)

func setCA(policies ...any) mutation {
	return func(s sources) { s[snapshot.GraphConditionalAccessPolicies] = list(policies...) }
}

// caWith returns the checklist's enabled policies with policy i changed by f.
func caWith(i int, f func(p obj)) mutation {
	return func(s sources) {
		ps := checklistCA("enabled")
		f(ps[i].(obj))
		s[snapshot.GraphConditionalAccessPolicies] = list(ps...)
	}
}

func cond(p obj) obj                  { return p["conditions"].(obj) }
func usrs(p obj) obj                  { return cond(p)["users"].(obj) }
func field(k string, v any) func(obj) { return func(o obj) { o[k] = v } }

func set(id snapshot.SourceID, v any) mutation { return func(s sources) { s[id] = v } }

func edit(id snapshot.SourceID, f func(o obj)) mutation {
	return func(s sources) {
		switch v := s[id].(type) {
		case obj:
			if inner, ok := v["value"].(arr); ok {
				f(inner[0].(obj))
				return
			}
			f(v)
		case arr:
			f(v[0].(obj))
		}
	}
}

// microsoftAdminTemplateRoles are the role template ids of Microsoft's Conditional Access template
// "Require phishing-resistant multifactor authentication for administrators", as its page and
// "Microsoft Entra built-in roles" list them.
var microsoftAdminTemplateRoles = arr{
	"62e90394-69f5-4237-9190-012177145e10", // Global Administrator
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
	"c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
	"b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
	"158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
	"b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
	"29232cdf-9323-42fd-ade2-1d097af3e4de", // Exchange Administrator
	"729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
	"966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
	"7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
	"e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
	"194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", // SharePoint Administrator
	"fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator
}

// unmanagedDevicesRule is the device filter of Microsoft's template "Require reauthentication and
// disable browser persistence": every device that is not both hybrid joined and compliant.
const unmanagedDevicesRule = `device.trustType -ne "ServerAD" -or device.isCompliant -ne True`

func TestChecks(t *testing.T) {
	cases := []struct {
		id     string
		name   string
		mutate mutation
		params *Params
		want   Status
		actual string // Regexp the Actual must match.
		object string // An object the outcome must name.
	}{
		{"HIPAA.CA.1v1", "report-only is not enforcement", caWith(0, field("state", "enabledForReportingButNotEnforced")), nil, StatusFail, "report-only", "HIPAA - Require MFA for all users"},
		{"HIPAA.CA.1v1", "non emergency exclusion", caWith(0, func(p obj) { usrs(p)["excludeUsers"] = arr{breakGlassID, "someone"} }), nil, StatusFail, "not emergency access \\(user someone\\)", ""},
		{"HIPAA.CA.1v1", "exclusions unverified without ids", caWith(0, func(p obj) { usrs(p)["excludeUsers"] = arr{"someone"} }), &Params{}, StatusFail,
			"cannot be verified as emergency access.*user someone", "HIPAA - Require MFA for all users"},
		{"HIPAA.CA.1v1", "excluded guests", caWith(0, func(p obj) {
			usrs(p)["excludeGuestsOrExternalUsers"] = obj{"guestOrExternalUserTypes": "b2bCollaborationGuest"}
		}), nil, StatusFail, "guest", ""},
		{"HIPAA.CA.1v1", "Office 365 only", caWith(0, func(p obj) { cond(p)["applications"] = obj{"includeApplications": arr{"Office365"}} }), nil, StatusFail, "does not target All", ""},
		{"HIPAA.CA.1v1", "OR with compliant device", caWith(0, field("grantControls", grant(arr{"mfa", "compliantDevice"}, nil))), nil, StatusFail, "none applies", ""},
		{"HIPAA.CA.1v1", "risk-based only", caWith(0, func(p obj) { cond(p)["signInRiskLevels"] = arr{"high"} }), nil, StatusFail, "risky", ""},
		{"HIPAA.CA.1v1", "MFA strength", caWith(0, field("grantControls", grant(arr{}, obj{"id": strengthMFA}))), nil, StatusPass, "", ""},
		{"HIPAA.CA.2v1", "no legacy block", caWith(1, func(p obj) { cond(p)["clientAppTypes"] = arr{"exchangeActiveSync"} }), nil, StatusFail, "legacy client types", ""},
		{"HIPAA.CA.2v1", "disabled", caWith(1, field("state", "disabled")), nil, StatusFail, "is disabled", ""},
		{"HIPAA.CA.3v1", "one role missing", caWith(2, func(p obj) { usrs(p)["includeRoles"] = roleIDs()[1:] }), nil, StatusFail, "privileged role", ""},
		{"HIPAA.CA.3v1", "Microsoft's template roles", caWith(2, func(p obj) { usrs(p)["includeRoles"] = microsoftAdminTemplateRoles }), nil, StatusPass, "", ""},
		{"HIPAA.CA.3v1", "half of the template's roles", caWith(2, func(p obj) {
			usrs(p)["includeRoles"] = microsoftAdminTemplateRoles[:7]
		}), nil, StatusFail, "privileged role", ""},
		{"HIPAA.CA.3v1", "plain MFA", caWith(2, field("grantControls", grant(arr{"mfa"}, nil))), nil, StatusFail, "No Conditional Access policy requires phishing-resistant", ""},
		{"HIPAA.CA.3v1", "custom phishing-resistant strength", caWith(2, field("grantControls", grant(arr{}, obj{"id": "custom", "allowedCombinations": arr{"fido2", "windowsHelloForBusiness"}}))), nil, StatusPass, "", ""},
		{"HIPAA.CA.4v1", "MFA instead of device", caWith(3, field("grantControls", grant(arr{"mfa", "compliantDevice"}, nil))), nil, StatusFail, "No Conditional Access policy requires a compliant", ""},
		{"HIPAA.CA.4v1", "report-only", caWith(3, field("state", "enabledForReportingButNotEnforced")), nil, StatusFail, "report-only", ""},
		{"HIPAA.CA.4v1", "OR with an authentication strength", caWith(3, field("grantControls",
			grant(arr{"compliantDevice", "domainJoinedDevice"}, obj{"id": strengthPhishingResistant}))), nil, StatusFail, "No Conditional Access policy requires a compliant", ""},
		{"HIPAA.CA.4v1", "AND with an authentication strength", caWith(3, field("grantControls", obj{"operator": "AND",
			"builtInControls": arr{"compliantDevice"}, "authenticationStrength": obj{"id": strengthMFA}})), nil, StatusPass, "", ""},
		{"HIPAA.CA.5v1", "12 hours", caWith(4, func(p obj) {
			p["sessionControls"].(obj)["signInFrequency"].(obj)["value"] = 12
		}), nil, StatusFail, "8 hours", ""},
		{"HIPAA.CA.5v1", "12 hours with threshold 12", caWith(4, func(p obj) {
			p["sessionControls"].(obj)["signInFrequency"].(obj)["value"] = 12
		}), &Params{SignInFrequencyHours: 12, EmergencyAccessUserIDs: []string{breakGlassID}}, StatusPass, "", ""},
		{"HIPAA.CA.5v1", "Microsoft's template: unmanaged devices only", caWith(4, func(p obj) {
			cond(p)["devices"] = obj{"deviceFilter": obj{"mode": "include", "rule": unmanagedDevicesRule}}
		}), nil, StatusFail, `only to the devices its device filter matches \(include: device\.trustType -ne "ServerAD" -or device\.isCompliant -ne True\)`, ""},
		{"HIPAA.CA.5v1", "managed devices excluded", caWith(4, func(p obj) {
			cond(p)["devices"] = obj{"deviceFilter": obj{"mode": "exclude", "rule": `device.isCompliant -eq True`}}
		}), nil, StatusFail, `every device except those its device filter matches \(exclude: device\.isCompliant -eq True\)`, ""},
		{"HIPAA.CA.5v1", "empty device filter", caWith(4, func(p obj) {
			cond(p)["devices"] = obj{"deviceFilter": obj{"mode": "include", "rule": " "}}
		}), nil, StatusPass, "", ""},
		{"HIPAA.CA.5v1", "persistent browser always", caWith(4, func(p obj) {
			p["sessionControls"].(obj)["persistentBrowser"].(obj)["mode"] = "always"
		}), nil, StatusFail, "persistent browser", ""},
		{"HIPAA.CA.6v1", "neither", setCA(), nil, StatusFail, "nothing requires MFA", ""},
		{"HIPAA.CA.6v1", "security defaults only", func(s sources) {
			setCA()(s)
			s[snapshot.GraphSecurityDefaults] = obj{"isEnabled": true}
		}, nil, StatusPass, "Security defaults are on", ""},
		{"HIPAA.CA.6v1", "both", set(snapshot.GraphSecurityDefaults, obj{"isEnabled": true}), nil, StatusFail, "Security defaults are on and 6", "HIPAA - Session lifetime"},
		{"HIPAA.CA.7v1", "policy without exclusion", caWith(5, func(p obj) { usrs(p)["excludeUsers"] = arr{} }), nil, StatusFail, "1 policy of 6", "HIPAA - App-enforced restrictions for unmanaged devices"},
		{"HIPAA.CA.7v1", "no ids given", nil, &Params{}, StatusFail, "No emergency-access", ""},
		{"HIPAA.CA.7v1", "report-only policy without exclusion", func(s sources) {
			ps := checklistCA("enabled")
			extra := caPolicyJSON("Pilot - Block all users", "enabledForReportingButNotEnforced", users(), arr{"All"}, arr{"all"}, grant(arr{"block"}, nil), nil)
			s[snapshot.GraphConditionalAccessPolicies] = list(append(ps, extra)...)
		}, nil, StatusFail, "1 policy of 7 enabled or report-only", "Pilot - Block all users"},
		{"HIPAA.CA.7v1", "disabled policy without exclusion", func(s sources) {
			ps := checklistCA("enabled")
			extra := caPolicyJSON("Old - Block all users", "disabled", users(), arr{"All"}, arr{"all"}, grant(arr{"block"}, nil), nil)
			s[snapshot.GraphConditionalAccessPolicies] = list(append(ps, extra)...)
		}, nil, StatusPass, "All 6 enabled or report-only", ""},
		{"HIPAA.CA.7v1", "excluded through group", func(s sources) {
			ps := checklistCA("enabled")
			for _, p := range ps {
				usrs(p.(obj))["excludeUsers"] = arr{}
				usrs(p.(obj))["excludeGroups"] = arr{"ea-group"}
			}
			s[snapshot.GraphConditionalAccessPolicies] = list(ps...)
		}, &Params{EmergencyAccessGroupIDs: []string{"ea-group"}, EmergencyAccessUserIDs: []string{breakGlassID}}, StatusPass, "", ""},

		{"HIPAA.AUTH.1v1", "SMS on", set(snapshot.GraphAuthenticationMethods, authMethods("enabled", "disabled", "enabled", "enabled")), nil, StatusFail, "Sms sign-in is enabled", "Sms"},
		{"HIPAA.AUTH.2v1", "no FIDO2", set(snapshot.GraphAuthenticationMethods, authMethods("disabled", "disabled", "disabled", "enabled")), nil, StatusFail, "FIDO2", "Fido2"},
		{"HIPAA.AUTH.2v1", "no context", set(snapshot.GraphAuthenticationMethods, authMethods("disabled", "disabled", "enabled", "default")), nil, StatusFail, "application name", "MicrosoftAuthenticator"},
		{"HIPAA.AUTH.3v1", "one unregistered", set(snapshot.GraphUserRegistrationDetails, snapshot.RegistrationSummary{Members: 10, MembersMFARegistered: 9,
			Unregistered: []string{"nurse@clinic.example"}, UnregisteredTotal: 1}), nil, StatusFail, "9 of 10", "nurse@clinic.example"},
		{"HIPAA.AUTH.3v1", "90 percent threshold", set(snapshot.GraphUserRegistrationDetails, snapshot.RegistrationSummary{Members: 10, MembersMFARegistered: 9}),
			&Params{MFARegistrationPercent: 90}, StatusPass, "", ""},

		{"HIPAA.IAM.1v1", "one GA", set(snapshot.GraphRoleAssignments, list(obj{"principalId": "u1", "roleDefinitionId": roleGlobalAdminTmpl})), nil, StatusFail, "1 principal", "u1"},
		{"HIPAA.IAM.1v1", "five GAs", set(snapshot.GraphRoleAssignments, list(
			obj{"principalId": "u1", "roleDefinitionId": roleGlobalAdminTmpl}, obj{"principalId": "u2", "roleDefinitionId": roleGlobalAdminTmpl},
			obj{"principalId": "u3", "roleDefinitionId": roleGlobalAdminTmpl}, obj{"principalId": "u4", "roleDefinitionId": roleGlobalAdminTmpl},
			obj{"principalId": "u5", "roleDefinitionId": roleGlobalAdminTmpl})), nil, StatusFail, "5 principals", "u5"},
		{"HIPAA.IAM.1v1", "activated eligible GA does not count", func(s sources) {
			s[snapshot.GraphRoleAssignments] = list(obj{"principalId": "u1", "roleDefinitionId": roleGlobalAdminTmpl},
				obj{"principalId": "u2", "roleDefinitionId": roleGlobalAdminTmpl}, obj{"principalId": "u3", "roleDefinitionId": roleGlobalAdminTmpl},
				obj{"principalId": "u4", "roleDefinitionId": roleGlobalAdminTmpl}, obj{"principalId": "u5", "roleDefinitionId": roleGlobalAdminTmpl})
			s[snapshot.GraphRoleEligibilitySchedules] = list(obj{"principalId": "u5", "roleDefinitionId": roleGlobalAdminTmpl, "status": "Provisioned"})
		}, nil, StatusPass, "4 principals", ""},
		{"HIPAA.IAM.2v1", "permanent user admin", set(snapshot.GraphRoleAssignments, list(obj{"principalId": "u-perm", "roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1",
			"principal": obj{"@odata.type": "#microsoft.graph.user", "userPrincipalName": "it@clinic.example"}})), &Params{}, StatusFail, "permanent", "it@clinic.example (User Administrator)"},
		{"HIPAA.IAM.3v1", "quarterly review", edit(snapshot.GraphAccessReviews, func(o obj) {
			o["settings"] = obj{"recurrence": obj{"pattern": obj{"type": "absoluteMonthly", "interval": 3}}}
		}), nil, StatusFail, "less often than monthly", "Monthly privileged role review"},
		{"HIPAA.IAM.3v1", "no review", set(snapshot.GraphAccessReviews, list()), nil, StatusFail, "No active access review", ""},

		{"HIPAA.SPO.1v1", "anyone", edit(snapshot.GraphSharePointSettings, field("sharingCapability", "externalUserAndGuestSharing")), nil, StatusFail, "externalUserAndGuestSharing", ""},
		{"HIPAA.SPO.1v1", "field missing is an error", edit(snapshot.GraphSharePointSettings, func(o obj) { delete(o, "sharingCapability") }), nil, StatusError, "unknown", ""},
		{"HIPAA.SPO.2v1", "new guests without domain list", edit(snapshot.GraphSharePointSettings, field("sharingCapability", "externalUserSharingOnly")), nil, StatusFail, "no domain restriction", ""},
		{"HIPAA.SPO.2v1", "new guests with allow list", edit(snapshot.GraphSharePointSettings, func(o obj) {
			o["sharingCapability"], o["sharingDomainRestrictionMode"], o["sharingAllowedDomainList"] = "externalUserSharingOnly", "allowList", arr{"partner.example"}
		}), nil, StatusPass, "1 allowed domain", ""},
		{"HIPAA.SPO.3v1", "60 days", edit(snapshot.SharePointTenant, field("ExternalUserExpireInDays", 60)), nil, StatusFail, "60 days", ""},
		{"HIPAA.SPO.3v1", "no expiry", edit(snapshot.SharePointTenant, field("ExternalUserExpirationRequired", "False")), nil, StatusFail, "never", ""},
		{"HIPAA.SPO.4v1", "anyone links forever", edit(snapshot.SharePointTenant, func(o obj) { o["SharingCapability"], o["RequireAnonymousLinksExpireInDays"] = 2, -1 }), nil, StatusFail, "never expire", ""},
		{"HIPAA.SPO.4v1", "anyone links 14 days", edit(snapshot.SharePointTenant, func(o obj) { o["SharingCapability"], o["RequireAnonymousLinksExpireInDays"] = 2, 14 }), nil, StatusPass, "14 days", ""},
		{"HIPAA.SPO.5v1", "full access", edit(snapshot.SharePointTenant, field("ConditionalAccessPolicy", 0)), nil, StatusFail, "full access", ""},
		{"HIPAA.SPO.5v1", "limited access", edit(snapshot.SharePointTenant, field("ConditionalAccessPolicy", 1)), nil, StatusPass, "limited", ""},
		{"HIPAA.SPO.6v1", "60 minutes", edit(snapshot.GraphSharePointSettings, field("idleSessionSignOut", obj{"isEnabled": true, "signOutAfterInSeconds": 3600})), nil, StatusFail, "60 minutes", ""},
		{"HIPAA.SPO.7v1", "resharing", edit(snapshot.GraphSharePointSettings, field("isResharingByExternalUsersEnabled", true)), nil, StatusFail, "can reshare", ""},

		{"HIPAA.GUEST.1v1", "everyone", edit(snapshot.GraphAuthorizationPolicy, field("allowInvitesFrom", "everyone")), nil, StatusFail, "everyone", ""},
		{"HIPAA.GUEST.2v1", "member access", edit(snapshot.GraphAuthorizationPolicy, field("guestUserRoleId", "a0b1b346-4d3e-4e8b-98f8-753987be4970")), nil, StatusFail, "same directory access as members", ""},

		{"HIPAA.AUDIT.1v1", "ingestion off", set(snapshot.ExchangeAdminAuditLogConfig, arr{obj{"UnifiedAuditLogIngestionEnabled": "False"}}), nil, StatusFail, "off", ""},
		{"HIPAA.AUDIT.2v1", "audit disabled", set(snapshot.ExchangeOrganizationConfig, arr{obj{"AuditDisabled": "True"}}), nil, StatusFail, "disabled", ""},
		{"HIPAA.AUDIT.2v1", "empty cmdlet answer is an error", set(snapshot.ExchangeOrganizationConfig, arr{}), nil, StatusError, "unknown", ""},
		{"HIPAA.AUDIT.3v1", "one year", edit(snapshot.ComplianceAuditRetentionPolicies, field("RetentionDuration", "TwelveMonths")), nil, StatusFail, "365 days", "HIPAA - Audit log retention"},
		{"HIPAA.AUDIT.3v1", "record types restricted", edit(snapshot.ComplianceAuditRetentionPolicies, field("RecordTypes", arr{"ExchangeAdmin"})), nil, StatusFail, "No enabled", ""},
		{"HIPAA.AUDIT.3v1", "three years meets a 3 year threshold", edit(snapshot.ComplianceAuditRetentionPolicies, field("RetentionDuration", "ThreeYears")),
			&Params{AuditRetentionDays: 1095}, StatusPass, "", ""},

		{"HIPAA.EXO.1v1", "spam policy automatic", edit(snapshot.ExchangeOutboundSpamPolicies, field("AutoForwardingMode", "Automatic")), nil, StatusFail, "Automatic", "outbound spam policy Default"},
		{"HIPAA.EXO.1v1", "remote domain forwarding", set(snapshot.ExchangeRemoteDomains, arr{obj{"Name": "Default", "DomainName": "*", "AutoForwardEnabled": false},
			obj{"Name": "Partner", "DomainName": "partner.example", "AutoForwardEnabled": true}}), nil, StatusFail, "partner.example", "remote domain partner.example"},
		{"HIPAA.EXO.2v1", "no RMS", set(snapshot.ExchangeIRMConfiguration, arr{obj{"AzureRMSLicensingEnabled": false}}), nil, StatusFail, "off", ""},
		{"HIPAA.EXO.3v1", "audit mode", func(s sources) {
			for _, r := range s[snapshot.ExchangeTransportRules].(arr) {
				r.(obj)["Mode"] = "Audit"
			}
		}, nil, StatusFail, "Audit mode", "HIPAA - Encrypt external mail containing PHI"},
		{"HIPAA.EXO.3v1", "no rule", set(snapshot.ExchangeTransportRules, arr{}), nil, StatusFail, "No mail flow rule", ""},
		{"HIPAA.EXO.3v1", "a rule before it stops rule processing", func(s sources) {
			rules := s[snapshot.ExchangeTransportRules].(arr)
			for i, r := range rules {
				r.(obj)["Priority"] = i + 1
			}
			s[snapshot.ExchangeTransportRules] = append(arr{obj{"Name": "Bypass for billing", "State": "Enabled", "Mode": "Enforce", "Priority": 0,
				"From": arr{"billing@clinic.example"}, "StopRuleProcessing": true}}, rules...)
		}, nil, StatusFail, `comes after rule "Bypass for billing" \(priority 0\), which stops rule processing`, "Bypass for billing"},
		{"HIPAA.EXO.3v1", "a rule after it may stop processing", func(s sources) {
			rules := s[snapshot.ExchangeTransportRules].(arr)
			for i, r := range rules {
				r.(obj)["Priority"] = i
			}
			s[snapshot.ExchangeTransportRules] = append(rules, obj{"Name": "Last", "State": "Enabled", "Mode": "Enforce", "Priority": len(rules), "StopRuleProcessing": true})
		}, nil, StatusPass, "", ""},
		{"HIPAA.EXO.3v1", "exceptions spare PHI mail", func(s sources) {
			for _, r := range s[snapshot.ExchangeTransportRules].(arr) {
				r.(obj)["ExceptIfSentToMemberOf"] = arr{"Billing"}
			}
		}, nil, StatusFail, `has exceptions \(ExceptIfSentToMemberOf\)`, "HIPAA - Encrypt external mail containing PHI"},
		{"HIPAA.EXO.4v1", "default list", edit(snapshot.ExchangeMalwareFilterPolicies, field("FileTypes", arr{"exe", "bat"})), nil, StatusFail, "does not block js", "Default"},
		{"HIPAA.EXO.4v1", "filter off", edit(snapshot.ExchangeMalwareFilterPolicies, field("EnableFileFilter", false)), nil, StatusFail, "filter off", "Default"},
		{"HIPAA.EXO.5v1", "no custom rule: Built-in protection takes everyone", set(snapshot.ExchangeSafeLinksRules, arr{}), nil, StatusPass, "Built-in protection policy", ""},
		{"HIPAA.EXO.5v1", "email off", edit(snapshot.ExchangeSafeLinksPolicies, field("EnableSafeLinksForEmail", false)), nil, StatusFail, "does not scan links in email", "HIPAA - Safe Links"},
		{"HIPAA.EXO.6v1", "action allow", edit(snapshot.ExchangeSafeAttachmentPolicies, field("Action", "Allow")), nil, StatusFail, "has action Allow", "HIPAA - Safe Attachments"},
		{"HIPAA.EXO.6v1", "rule disabled: Built-in protection takes its recipients", edit(snapshot.ExchangeSafeAttachmentRules, field("State", "Disabled")), nil, StatusPass, "Built-in protection policy", ""},

		{"HIPAA.DLP.1v1", "test mode", edit(snapshot.ComplianceDlpPolicies, field("Mode", "TestWithNotifications")), nil, StatusFail, "not enforced", "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "no Teams", edit(snapshot.ComplianceDlpPolicies, field("TeamsLocation", arr{})), nil, StatusFail, "Teams", "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "SSN only", edit(snapshot.ComplianceDlpRules, field("ContentContainsSensitiveInformation", arr{obj{"name": phiSensitiveTypes[0]}})), nil, StatusFail, "ICD-9", ""},
		{"HIPAA.DLP.1v1", "no PHI policy", set(snapshot.ComplianceDlpRules, arr{}), nil, StatusFail, "No DLP policy detects PHI", ""},
		{"HIPAA.DLP.1v1", "SharePoint site excluded", edit(snapshot.ComplianceDlpPolicies, field("SharePointLocationException", arr{"https://clinic.sharepoint.com/sites/billing"})),
			nil, StatusFail, `excludes or narrows who or where it protects \(SharePointLocationException\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "OneDrive, Teams and senders excluded", edit(snapshot.ComplianceDlpPolicies, func(o obj) {
			o["OneDriveLocationException"], o["TeamsLocationException"] = arr{"ceo@clinic.example"}, arr{obj{"Name": "ceo@clinic.example"}}
			o["ExchangeSenderMemberOfException"] = arr{"Billing"}
		}), nil, StatusFail, `\(ExchangeSenderMemberOfException, OneDriveLocationException, TeamsLocationException\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "mail scoped to some senders", edit(snapshot.ComplianceDlpPolicies, field("ExchangeSenderMemberOf", arr{"Clinicians"})),
			nil, StatusFail, `\(ExchangeSenderMemberOf\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "endpoint exception is outside the control", edit(snapshot.ComplianceDlpPolicies, field("EndpointDlpLocationException", arr{"kiosk@clinic.example"})),
			nil, StatusPass, "", ""},
		{"HIPAA.DLP.1v1", "unset exceptions as the cmdlets return them", func(s sources) {
			edit(snapshot.ComplianceDlpPolicies, func(o obj) {
				o["ExchangeSenderException"], o["SharePointLocationException"], o["OneDriveLocationException"], o["TeamsLocationException"] = arr{}, arr{}, nil, arr{}
			})(s)
			edit(snapshot.ComplianceDlpRules, func(o obj) {
				o["ExceptIfDocumentIsPasswordProtected"], o["ExceptIfSentTo"], o["ExceptIfContentContainsSensitiveInformation"] = false, nil, arr{}
				o["Mode"], o["Priority"], o["StopPolicyProcessing"] = "Enforce", 0, false
			})(s)
		}, nil, StatusPass, "", ""},
		{"HIPAA.DLP.1v1", "rule exception", edit(snapshot.ComplianceDlpRules, field("ExceptIfRecipientDomainIs", arr{"partner.example"})),
			nil, StatusFail, `rule "HIPAA - PHI rule" has exceptions \(ExceptIfRecipientDomainIs\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "password-protected files spared", edit(snapshot.ComplianceDlpRules, field("ExceptIfDocumentIsPasswordProtected", true)),
			nil, StatusFail, `\(ExceptIfDocumentIsPasswordProtected\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "advanced rule with a Not", edit(snapshot.ComplianceDlpRules, func(o obj) {
			delete(o, "ContentContainsSensitiveInformation")
			o["AdvancedRule"] = `{"Version":"1.0","Condition":{"Operator":"And","SubConditions":[{"ConditionName":"ContentContainsSensitiveInformation","Value":[` +
				`{"Groups":[{"Name":"PHI","Operator":"Or","Sensitivetypes":[{"Name":"U.S. Social Security Number (SSN)"},` +
				`{"Name":"International Classification of Diseases (ICD-9-CM)"},{"Name":"International Classification of Diseases (ICD-10-CM)"},` +
				`{"Name":"Drug Enforcement Agency (DEA) Number"}]}]}]},{"Operator":"Not","SubConditions":[{"ConditionName":"SenderDomainIs","Value":["billing.example"]}]}]}}`
		}), nil, StatusFail, `has exceptions \(AdvancedRule Not condition\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "rule for some senders only", edit(snapshot.ComplianceDlpRules, field("FromMemberOf", arr{"Clinicians"})),
			nil, StatusFail, `rule "HIPAA - PHI rule" applies only to some senders, recipients or authors \(FromMemberOf\)`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "rule disabled", edit(snapshot.ComplianceDlpRules, field("Disabled", true)), nil, StatusFail, `rule "HIPAA - PHI rule" is disabled`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "rule in audit mode", edit(snapshot.ComplianceDlpRules, field("Mode", "AuditAndNotify")), nil, StatusFail, "is in AuditAndNotify mode", "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "test without notifications", edit(snapshot.ComplianceDlpPolicies, field("Mode", "TestWithoutNotifications")), nil, StatusFail, "TestWithoutNotifications mode, not enforced", "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "an earlier rule stops policy processing", func(s sources) {
			edit(snapshot.ComplianceDlpRules, field("Priority", 1))(s)
			s[snapshot.ComplianceDlpRules] = append(arr{obj{"Name": "Notify only", "ParentPolicyName": "HIPAA - PHI", "Disabled": false, "Priority": 0,
				"StopPolicyProcessing": true, "ContentContainsSensitiveInformation": arr{obj{"name": phiSensitiveTypes[0]}}, "NotifyUser": arr{"Owner"}}},
				s[snapshot.ComplianceDlpRules].(arr)...)
		}, nil, StatusFail, `rule "HIPAA - PHI rule" comes after rule "Notify only" \(priority 0\), which stops policy processing`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "a stop without priorities cannot be ordered", func(s sources) {
			s[snapshot.ComplianceDlpRules] = append(arr{obj{"Name": "Notify only", "ParentPolicyName": "HIPAA - PHI", "Disabled": false,
				"StopPolicyProcessing": true}}, s[snapshot.ComplianceDlpRules].(arr)...)
		}, nil, StatusFail, `cannot be ordered against rule "Notify only"`, "HIPAA - PHI"},
		{"HIPAA.DLP.1v1", "a later rule may stop processing", func(s sources) {
			edit(snapshot.ComplianceDlpRules, field("Priority", 0))(s)
			s[snapshot.ComplianceDlpRules] = append(s[snapshot.ComplianceDlpRules].(arr), obj{"Name": "Last", "ParentPolicyName": "HIPAA - PHI",
				"Disabled": false, "Priority": 1, "StopPolicyProcessing": true})
		}, nil, StatusPass, "", ""},

		{"HIPAA.ALERT.1v1", "only system alerts", set(snapshot.ComplianceProtectionAlerts, systemAlerts()), nil, StatusFail, "mass file download", "admin role assigned"},
		{"HIPAA.ALERT.1v1", "disabled alert", func(s sources) {
			for _, a := range s[snapshot.ComplianceProtectionAlerts].([]any) {
				if a.(obj)["Name"] == "HIPAA - Repeated failed sign-ins" {
					a.(obj)["Disabled"] = "True"
				}
			}
		}, nil, StatusFail, "repeated failed sign-ins", "repeated failed sign-ins"},

		{"HIPAA.DEV.1v1", "short passcode", edit(snapshot.GraphDeviceCompliancePolicies, field("passcodeMinimumLength", 4)), nil, StatusFail, "passcode of 6", "iOS baseline"},
		{"HIPAA.DEV.1v1", "unassigned", func(s sources) {
			for _, p := range s[snapshot.GraphDeviceCompliancePolicies].(obj)["value"].(arr) {
				p.(obj)["assignments"] = arr{}
			}
		}, nil, StatusFail, "none is assigned", ""},
		{"HIPAA.DEV.2v1", "paste anywhere", edit(snapshot.GraphManagedAppPolicies, field("allowedOutboundClipboardSharingLevel", "allApps")), nil, StatusFail, "any app", "iOS app protection"},

		{"HIPAA.SCORE.1v1", "low score", edit(snapshot.GraphSecureScores, field("currentScore", 40)), nil, StatusFail, "40.0%", ""},

		{"HIPAA.BAA.1v1", "Sway in use", set(snapshot.GraphSubscribedSkus, list(sku("SPE_E5", "EXCHANGE_S_ENTERPRISE", "SWAY", "SOMETHING_NEW"))), nil, StatusFail, "Microsoft Sway", "Microsoft Sway"},
		{"HIPAA.BAA.2v1", "vendor without BAA", nil, &Params{}, StatusFail, "Clinic Backup", "Clinic Backup"},
	}
	for _, c := range cases {
		t.Run(c.id+"/"+c.name, func(t *testing.T) {
			src := compliant()
			if c.mutate != nil {
				c.mutate(src)
			}
			p := compliantParams
			if c.params != nil {
				p = *c.params
			}
			o := run(t, c.id, build(t, src), p)
			if o.Status != c.want {
				t.Fatalf("status %s, want %s: %s (%s)", o.Status, c.want, o.Actual, o.Detail)
			}
			if c.actual != "" && !regexp.MustCompile(c.actual).MatchString(o.Actual) {
				t.Errorf("actual %q does not match %q", o.Actual, c.actual)
			}
			if c.object != "" && !slices.Contains(o.Objects, c.object) {
				t.Errorf("objects %q do not name %q", o.Objects, c.object)
			}
		})
	}
}

// needs is the sources each check reads (the catalog's "sources" must list at least these).
var needs = map[string][]snapshot.SourceID{
	"HIPAA.CA.1v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.CA.2v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.CA.3v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.CA.4v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.CA.5v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.CA.6v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSecurityDefaults},
	"HIPAA.CA.7v1":    {snapshot.GraphConditionalAccessPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.AUTH.1v1":  {snapshot.GraphAuthenticationMethods},
	"HIPAA.AUTH.2v1":  {snapshot.GraphAuthenticationMethods},
	"HIPAA.AUTH.3v1":  {snapshot.GraphUserRegistrationDetails},
	"HIPAA.IAM.1v1":   {snapshot.GraphRoleAssignments}, // + graph.roleEligibilitySchedules when present.
	"HIPAA.IAM.2v1":   {snapshot.GraphRoleAssignments, snapshot.GraphRoleEligibilitySchedules, snapshot.GraphSubscribedSkus},
	"HIPAA.IAM.3v1":   {snapshot.GraphAccessReviews, snapshot.GraphSubscribedSkus},
	"HIPAA.SPO.1v1":   {snapshot.GraphSharePointSettings},
	"HIPAA.SPO.2v1":   {snapshot.GraphSharePointSettings},
	"HIPAA.SPO.3v1":   {snapshot.SharePointTenant},
	"HIPAA.SPO.4v1":   {snapshot.SharePointTenant},
	"HIPAA.SPO.5v1":   {snapshot.SharePointTenant},
	"HIPAA.SPO.6v1":   {snapshot.GraphSharePointSettings},
	"HIPAA.SPO.7v1":   {snapshot.GraphSharePointSettings},
	"HIPAA.GUEST.1v1": {snapshot.GraphAuthorizationPolicy},
	"HIPAA.GUEST.2v1": {snapshot.GraphAuthorizationPolicy},
	"HIPAA.AUDIT.1v1": {snapshot.ExchangeAdminAuditLogConfig},
	"HIPAA.AUDIT.2v1": {snapshot.ExchangeOrganizationConfig},
	"HIPAA.AUDIT.3v1": {snapshot.ComplianceAuditRetentionPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.EXO.1v1":   {snapshot.ExchangeOutboundSpamPolicies, snapshot.ExchangeRemoteDomains},
	"HIPAA.EXO.2v1":   {snapshot.ExchangeIRMConfiguration},
	"HIPAA.EXO.3v1":   {snapshot.ExchangeTransportRules},
	"HIPAA.EXO.4v1": {snapshot.ExchangeMalwareFilterPolicies, snapshot.ExchangeMalwareFilterRules, snapshot.ExchangeEOPProtectionRules,
		snapshot.ExchangeAcceptedDomains},
	"HIPAA.EXO.5v1": {snapshot.ExchangeSafeLinksPolicies, snapshot.ExchangeSafeLinksRules, snapshot.ExchangeATPProtectionRules,
		snapshot.ExchangeATPBuiltInProtectionRule, snapshot.ExchangeATPEvaluationRules, snapshot.ExchangeAcceptedDomains, snapshot.GraphSubscribedSkus},
	"HIPAA.EXO.6v1": {snapshot.ExchangeSafeAttachmentPolicies, snapshot.ExchangeSafeAttachmentRules, snapshot.ExchangeATPProtectionRules,
		snapshot.ExchangeATPBuiltInProtectionRule, snapshot.ExchangeATPEvaluationRules, snapshot.ExchangeAcceptedDomains, snapshot.GraphSubscribedSkus},
	"HIPAA.DLP.1v1":   {snapshot.ComplianceDlpPolicies, snapshot.ComplianceDlpRules},
	"HIPAA.ALERT.1v1": {snapshot.ComplianceProtectionAlerts},
	"HIPAA.DEV.1v1":   {snapshot.GraphDeviceCompliancePolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.DEV.2v1":   {snapshot.GraphManagedAppPolicies, snapshot.GraphSubscribedSkus},
	"HIPAA.SCORE.1v1": {snapshot.GraphSecureScores},
	"HIPAA.BAA.1v1":   {snapshot.GraphSubscribedSkus},
	"HIPAA.BAA.2v1":   {snapshot.GraphGraphServicePrincipal, snapshot.GraphGraphAppRoleAssignedTo, snapshot.GraphServicePrincipals},
}

// Every source a check reads, absent or failed, makes the check an error that names the source;
// any other source's absence leaves the verdict unchanged.
func TestMissingOrFailedSourceIsAnError(t *testing.T) {
	for _, id := range IDs() {
		srcs, ok := needs[id]
		if !ok {
			t.Errorf("%s: sources not documented in the test", id)
			continue
		}
		for src := range compliant() {
			for _, failed := range []bool{false, true} {
				s := compliant()
				if failed {
					s[src] = nil // HTTP 403.
				} else {
					delete(s, src)
				}
				o := run(t, id, build(t, s), compliantParams)
				switch {
				case slices.Contains(srcs, src):
					if o.Status != StatusError || o.Actual != "unknown" || !strings.Contains(o.Detail, string(src)) {
						t.Errorf("%s without %s (failed=%v): %+v", id, src, failed, o)
					}
				case id == "HIPAA.IAM.1v1" && src == snapshot.GraphRoleEligibilitySchedules:
					if o.Status != StatusPass || !strings.Contains(o.Detail, "eligibility was not read") {
						t.Errorf("%s without eligibility: %+v", id, o)
					}
				case o.Status != StatusPass:
					t.Errorf("%s does not document that it needs %s: %+v", id, src, o)
				}
			}
		}
	}
}

func TestLicenceGatedControlsAreNotLicensed(t *testing.T) {
	gated := map[string][]string{
		"HIPAA.AUDIT.3v1": {"M365_ADVANCED_AUDITING"},
		"HIPAA.EXO.5v1":   {"ATP_ENTERPRISE"},
		"HIPAA.EXO.6v1":   {"ATP_ENTERPRISE"},
		"HIPAA.DEV.1v1":   {"INTUNE_A"},
		"HIPAA.DEV.2v1":   {"INTUNE_A"},
		"HIPAA.IAM.2v1":   {"AAD_PREMIUM_P2"},
		"HIPAA.IAM.3v1":   {"AAD_PREMIUM_P2"},
		"HIPAA.CA.1v1":    {"AAD_PREMIUM", "AAD_PREMIUM_P2"},
		"HIPAA.CA.3v1":    {"AAD_PREMIUM", "AAD_PREMIUM_P2"},
	}
	for id, plans := range gated {
		var keep []string
		for _, p := range append(slices.Clone(e3Plans), "AAD_PREMIUM_P2", "ATP_ENTERPRISE", "M365_ADVANCED_AUDITING") {
			if !slices.Contains(plans, p) {
				keep = append(keep, p)
			}
		}
		src := compliant()
		src[snapshot.GraphSubscribedSkus] = list(sku("CUSTOM", keep...))
		o := run(t, id, build(t, src), compliantParams)
		if o.Status != StatusNotLicensed || !strings.Contains(o.Actual, plans[0]) {
			t.Errorf("%s without %v: %s %q", id, plans, o.Status, o.Actual)
		}
		// A suspended subscription grants nothing either.
		suspended := sku("SPE_E5", append(slices.Clone(e3Plans), "AAD_PREMIUM_P2", "ATP_ENTERPRISE", "M365_ADVANCED_AUDITING")...)
		suspended["capabilityStatus"] = "Suspended"
		src[snapshot.GraphSubscribedSkus] = list(suspended)
		if o := run(t, id, build(t, src), compliantParams); o.Status != StatusNotLicensed {
			t.Errorf("%s with a suspended subscription: %s", id, o.Status)
		}
	}
}

func TestLenientCmdletDecoding(t *testing.T) {
	src := compliant()
	// PowerShell-style strings, a bare object instead of an array, a single string for a list.
	src[snapshot.ExchangeOrganizationConfig] = obj{"AuditDisabled": "False"}
	src[snapshot.ExchangeAdminAuditLogConfig] = arr{obj{"UnifiedAuditLogIngestionEnabled": "True"}}
	src[snapshot.ComplianceProtectionAlerts] = arr{
		obj{"Name": "a", "Disabled": "False", "Operation": "FileDownloaded"},
		obj{"Name": "b", "Disabled": false, "Operation": "New-InboxRule"},
		obj{"Name": "c", "Disabled": 0, "Operation": arr{"UserLoginFailed"}},
		obj{"Name": "d", "Operation": arr{"Add member to role."}},
	}
	s := build(t, src)
	for _, id := range []string{"HIPAA.AUDIT.1v1", "HIPAA.AUDIT.2v1", "HIPAA.ALERT.1v1"} {
		if o := run(t, id, s, compliantParams); o.Status != StatusPass {
			t.Errorf("%s: %s %s", id, o.Status, o.Actual)
		}
	}
	src[snapshot.ExchangeOrganizationConfig] = obj{"AuditDisabled": "maybe"}
	if o := run(t, "HIPAA.AUDIT.2v1", build(t, src), compliantParams); o.Status != StatusError {
		t.Errorf("undecodable boolean: %s", o.Status)
	}
}

// TestChecksArePure re-evaluates and checks that nothing depends on the clock or order.
func TestChecksArePure(t *testing.T) {
	s := build(t, noncompliant())
	for _, id := range IDs() {
		a, b := run(t, id, s, Params{}), run(t, id, s, Params{})
		if a.Status != b.Status || a.Actual != b.Actual || a.Detail != b.Detail || !slices.Equal(a.Objects, b.Objects) {
			t.Errorf("%s is not deterministic: %+v vs %+v", id, a, b)
		}
	}
}

// TestCAExclusionsNeedEmergencyAccessIDs: a user or group excluded from a Conditional Access
// policy counts only when the inputs name it as emergency access. Without ids, the checklist's
// own policies (which exclude the break-glass user) do not pass, and a group exclusion never
// passes unless that group is an emergency-access id.
func TestCAExclusionsNeedEmergencyAccessIDs(t *testing.T) {
	policyOf := map[string]int{"HIPAA.CA.1v1": 0, "HIPAA.CA.2v1": 1, "HIPAA.CA.3v1": 2, "HIPAA.CA.4v1": 3, "HIPAA.CA.5v1": 4}
	excludeGroup := func(i int, group string) mutation {
		return caWith(i, func(p obj) { usrs(p)["excludeGroups"] = arr{group} })
	}
	for id, i := range policyOf {
		cases := []struct {
			name   string
			mutate mutation
			params Params
			want   Status
			detail string
		}{
			{"break-glass user, no ids", nil, Params{}, StatusFail, noEmergencyIDsDetail},
			{"break-glass user named", nil, Params{EmergencyAccessUserIDs: []string{breakGlassID}}, StatusPass, ""},
			{"group, no ids", excludeGroup(i, "g-clinicians"), Params{}, StatusFail, noEmergencyIDsDetail},
			{"group that is not emergency access", excludeGroup(i, "g-clinicians"), Params{EmergencyAccessUserIDs: []string{breakGlassID}}, StatusFail, ""},
			{"group that is not the emergency-access group", excludeGroup(i, "g-clinicians"),
				Params{EmergencyAccessUserIDs: []string{breakGlassID}, EmergencyAccessGroupIDs: []string{"g-breakglass"}}, StatusFail, ""},
			{"the emergency-access group", excludeGroup(i, "g-breakglass"),
				Params{EmergencyAccessUserIDs: []string{breakGlassID}, EmergencyAccessGroupIDs: []string{"g-breakglass"}}, StatusPass, ""},
		}
		for _, c := range cases {
			t.Run(id+"/"+c.name, func(t *testing.T) {
				src := compliant()
				if c.mutate != nil {
					c.mutate(src)
				}
				o := run(t, id, build(t, src), c.params)
				if o.Status != c.want {
					t.Fatalf("status %s, want %s: %s", o.Status, c.want, o.Actual)
				}
				if c.want == StatusFail && !strings.Contains(o.Actual, "emergency access") {
					t.Errorf("the finding does not say the exclusion is the problem: %s", o.Actual)
				}
				if o.Detail != c.detail && c.want == StatusFail {
					t.Errorf("detail %q, want %q", o.Detail, c.detail)
				}
			})
		}
	}
	// Security defaults off: the MFA policy counts for HIPAA.CA.6 only if its exclusions are verified.
	if o := run(t, "HIPAA.CA.6v1", build(t, compliant()), Params{}); o.Status != StatusFail || !strings.Contains(o.Actual, "cannot be verified as emergency access") {
		t.Errorf("HIPAA.CA.6v1 without ids: %s: %s", o.Status, o.Actual)
	}
	if o := run(t, "HIPAA.CA.7v1", build(t, compliant()), Params{}); o.Status != StatusFail || o.Detail != noEmergencyIDsDetail {
		t.Errorf("HIPAA.CA.7v1 without ids: %s: %s (%s)", o.Status, o.Actual, o.Detail)
	}
	for _, id := range IDs() {
		if want := strings.HasPrefix(id, "HIPAA.CA."); UsesEmergencyAccess(id) != want {
			t.Errorf("UsesEmergencyAccess(%s) = %v, want %v", id, !want, want)
		}
	}
}

// Email one-time passcode does not fail HIPAA.AUTH.1v1, and the finding says why.
func TestAuthWeakMethodsExplainsEmailOTP(t *testing.T) {
	src := compliant()
	m := authMethods("disabled", "disabled", "enabled", "enabled")
	m["authenticationMethodConfigurations"] = append(m["authenticationMethodConfigurations"].(arr),
		obj{"@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", "id": "Email", "state": "enabled", "allowExternalIdToUseEmailOtp": "enabled"})
	src[snapshot.GraphAuthenticationMethods] = m
	o := run(t, "HIPAA.AUTH.1v1", build(t, src), compliantParams)
	if o.Status != StatusPass {
		t.Fatalf("%s: %s", o.Status, o.Actual)
	}
	for _, want := range []string{"self-service password reset", "guests to redeem invitations", "never a second factor"} {
		if !strings.Contains(o.Detail, want) {
			t.Errorf("detail %q lacks %q", o.Detail, want)
		}
	}
	if o := run(t, "HIPAA.AUTH.1v1", build(t, compliant()), compliantParams); o.Detail != "" {
		t.Errorf("no Email configuration, yet the detail says %q", o.Detail)
	}
}
