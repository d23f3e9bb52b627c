// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Mail flow: transport rules, outbound spam (auto-forwarding), remote domains, anti-malware and
// outbound connectors.

var (
	enumRuleMode    = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleMode", "Audit", "AuditAndNotify", "Enforce")
	enumToScope     = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.ToUserScope", "InOrganization", "NotInOrganization", "ExternalPartner", "ExternalNonPartner")
	enumFromScope   = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.FromUserScope", "InOrganization", "NotInOrganization")
	enumRuleErrAct  = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleErrorAction", "Ignore", "Defer")
	enumSenderLoc   = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.SenderAddressLocation", "Header", "Envelope", "HeaderOrEnvelope")
	enumAuditSev    = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.Tasks.AuditSeverityLevel", "DoNotAudit", "Low", "Medium", "High")
	enumAutoFwd     = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.Management.AutoForwardingMode", "Automatic", "Off", "On")
	enumThreshold   = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.Management.OutboundRecipientLimitsExceededAction", "Alert", "BlockUserForToday", "BlockUser")
	enumOOF         = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedOOFType", "External", "ExternalLegacy", "InternalLegacy", "None")
	enumContentType = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.ContentType", "MimeHtmlText", "MimeText", "MimeHtml")
	enumFileAction  = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.FileTypeFilteringAction", "Reject", "Quarantine")
	enumConnType    = adminapi.EnumOf("Microsoft.Exchange.Data.TenantConnectorType", "Partner", "OnPremises")
	enumTLS         = adminapi.EnumOf("Microsoft.Exchange.Data.TlsAuthLevel", "EncryptionOnly", "CertificateValidation", "DomainValidation")
)

// rmsTemplates are the templates Azure RMS publishes once it is enabled for the tenant.
var rmsTemplates = []string{"Encrypt", "Do Not Forward"}

var TransportRule = &adminapi.Noun{Name: "TransportRule", Svc: adminapi.EXO, Verbs: adminapi.CRUD, Renamable: true, Prioritized: true,
	Params: []adminapi.Param{adminapi.Int("Priority", 0, 1<<30), adminapi.Enum("Mode", enumRuleMode), adminapi.Enum("SentToScope", enumToScope), adminapi.Enum("FromScope", enumFromScope),
		adminapi.HashList("MessageContainsDataClassifications"), adminapi.StrList("SubjectOrBodyContainsWords"), adminapi.StrList("SubjectContainsWords"), adminapi.StrList("AttachmentContainsWords"),
		adminapi.StrList("SentTo"), adminapi.StrList("From"), adminapi.StrList("ExceptIfFrom"), adminapi.StrList("ExceptIfSentTo"), adminapi.Enum("ExceptIfSentToScope", enumToScope),
		adminapi.Str("ApplyRightsProtectionTemplate"), adminapi.Str("ApplyRightsProtectionCustomizationTemplate"), adminapi.Bool("ApplyOME"), adminapi.Bool("RemoveOMEv2"),
		adminapi.Str("Comments"), adminapi.Enum("RuleErrorAction", enumRuleErrAct), adminapi.Enum("SenderAddressLocation", enumSenderLoc), adminapi.Bool("StopRuleProcessing"),
		adminapi.Enum("SetAuditSeverity", enumAuditSev)},
	NewParams: []adminapi.Param{adminapi.Bool("Enabled")},
	Build: func(st *store.State, _ string) map[string]any {
		o := map[string]any{
			"Priority": int64(len(st.Admin.Cmdlets["TransportRule"])), "State": "Enabled", "Mode": "Enforce", "Comments": "",
			"ManuallyModified": false, "ActivationDate": nil, "ExpiryDate": nil, "RuleVersion": "15.0.5.2", "RuleErrorAction": "Ignore",
			"SenderAddressLocation": "Header", "StopRuleProcessing": false, "SetAuditSeverity": "Medium", "ApplyOME": false, "RemoveOMEv2": false,
		}
		for _, k := range []string{"SentToScope", "FromScope", "ExceptIfSentToScope", "ApplyRightsProtectionTemplate", "ApplyRightsProtectionCustomizationTemplate",
			"MessageContainsDataClassifications", "SubjectOrBodyContainsWords", "SubjectContainsWords", "AttachmentContainsWords", "SentTo", "From", "ExceptIfFrom", "ExceptIfSentTo"} {
			o[k] = nil
		}
		return o
	},
	Validate: validateTransportRule,
}

func validateTransportRule(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
	stateFromEnabled(obj)
	if err := priorityInRange(obj, others); err != nil {
		return err
	}
	if t, ok := obj["ApplyRightsProtectionTemplate"].(string); ok && t != "" {
		irm := singletonObject(st, IRM)
		idx := slices.IndexFunc(rmsTemplates, func(s string) bool { return strings.EqualFold(s, t) })
		if irm["AzureRMSLicensingEnabled"] != true || idx < 0 {
			return adminapi.BadRequest("Microsoft.Exchange.MessagingPolicies.Rules.Tasks.InvalidRmsTemplateException",
				"The rights protection template '%s' couldn't be found. Rights protection templates are available when Azure Rights Management is enabled (Set-IRMConfiguration -AzureRMSLicensingEnabled $true).", t)
		}
		obj["ApplyRightsProtectionTemplate"] = rmsTemplates[idx]
	}
	if list, ok := obj["MessageContainsDataClassifications"].([]any); ok {
		for _, item := range list {
			h, _ := item.(map[string]any)
			if n := hashValue(h, "Name"); n == "" {
				return taskError("Every entry of MessageContainsDataClassifications must have a Name.")
			}
		}
	}
	obj["Description"] = ruleDescription(obj)
	return nil
}

func hashValue(h map[string]any, key string) string {
	for k, v := range h {
		if strings.EqualFold(k, key) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// ruleDescription renders the If/Take the following actions text Get-TransportRule shows.
func ruleDescription(obj map[string]any) string {
	var b strings.Builder
	b.WriteString("If the message:\r\n")
	if s, ok := obj["SentToScope"].(string); ok {
		fmt.Fprintf(&b, "\tIs sent to '%s'\r\n", s)
	}
	if l, ok := obj["SubjectOrBodyContainsWords"].([]any); ok && len(l) > 0 {
		fmt.Fprintf(&b, "\tIncludes these words in the message subject or body: '%s'\r\n", strings.Join(adminapi.ToStrings(l), "' or '"))
	}
	if l, ok := obj["MessageContainsDataClassifications"].([]any); ok && len(l) > 0 {
		b.WriteString("\tContains these sensitive information types\r\n")
	}
	b.WriteString("Take the following actions:\r\n")
	if t, ok := obj["ApplyRightsProtectionTemplate"].(string); ok {
		fmt.Fprintf(&b, "\tRights protect message with RMS template:  '%s'\r\n", t)
	}
	return b.String()
}

// singletonObject returns the first object of a noun (the tenant's only one for singletons).
func singletonObject(st *store.State, n *adminapi.Noun) map[string]any {
	if l := st.Admin.Cmdlets[n.Name]; len(l) > 0 {
		return l[0]
	}
	return map[string]any{}
}

var OutboundSpam = &adminapi.Noun{Name: "HostedOutboundSpamFilterPolicy", Svc: adminapi.EXO, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Enum("AutoForwardingMode", enumAutoFwd), adminapi.Int("RecipientLimitExternalPerHour", 0, 10000), adminapi.Int("RecipientLimitInternalPerHour", 0, 10000),
		adminapi.Int("RecipientLimitPerDay", 0, 10000), adminapi.Enum("ActionWhenThresholdReached", enumThreshold), adminapi.Bool("BccSuspiciousOutboundMail"),
		adminapi.StrList("BccSuspiciousOutboundAdditionalRecipients"), adminapi.Bool("NotifyOutboundSpam"), adminapi.StrList("NotifyOutboundSpamRecipients"), adminapi.Str("AdminDisplayName")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"AutoForwardingMode": "Automatic", "RecipientLimitExternalPerHour": int64(0), "RecipientLimitInternalPerHour": int64(0),
			"RecipientLimitPerDay": int64(0), "ActionWhenThresholdReached": "BlockUserForToday", "BccSuspiciousOutboundMail": false,
			"BccSuspiciousOutboundAdditionalRecipients": []any{}, "NotifyOutboundSpam": false, "NotifyOutboundSpamRecipients": []any{},
			"AdminDisplayName": "", "IsDefault": true, "Enabled": true,
		}
	},
}

var RemoteDomain = &adminapi.Noun{Name: "RemoteDomain", Svc: adminapi.EXO, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Bool("AutoForwardEnabled"), adminapi.Bool("AutoReplyEnabled"), adminapi.Bool("DeliveryReportEnabled"), adminapi.Bool("NDREnabled"),
		adminapi.Bool("MeetingForwardNotificationEnabled"), adminapi.Enum("AllowedOOFType", enumOOF), adminapi.Bool("TNEFEnabled"), adminapi.Enum("ContentType", enumContentType),
		adminapi.Bool("TrustedMailOutboundEnabled"), adminapi.Bool("TrustedMailInboundEnabled")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"DomainName": "*", "AutoForwardEnabled": true, "AutoReplyEnabled": true, "DeliveryReportEnabled": true, "NDREnabled": true,
			"MeetingForwardNotificationEnabled": false, "AllowedOOFType": "External", "TNEFEnabled": nil, "ContentType": "MimeHtmlText",
			"CharacterSet": "iso-8859-1", "IsInternal": false, "TrustedMailOutboundEnabled": false, "TrustedMailInboundEnabled": false,
		}
	},
}

// nounMalwareFilter: the tenant's policy "Default" (IsDefault) applies to every recipient no
// preset or custom policy takes; custom policies apply through a MalwareFilterRule.
var MalwareFilter = &adminapi.Noun{Name: "MalwareFilterPolicy", Svc: adminapi.EXO, Verbs: adminapi.CRUD,
	Params: []adminapi.Param{adminapi.Bool("EnableFileFilter"), adminapi.StrList("FileTypes"), adminapi.Enum("FileTypeAction", enumFileAction), adminapi.Bool("ZapEnabled"), adminapi.Str("QuarantineTag"),
		adminapi.Bool("EnableInternalSenderAdminNotifications"), adminapi.Str("InternalSenderAdminAddress"), adminapi.Bool("EnableExternalSenderAdminNotifications"),
		adminapi.Str("ExternalSenderAdminAddress"), adminapi.Str("AdminDisplayName"), adminapi.Bool("CustomNotifications")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"EnableFileFilter": true, "FileTypes": slices.Clone(DefaultMalwareFileTypes), "FileTypeAction": "Reject", "ZapEnabled": true,
			"QuarantineTag": "AdminOnlyAccessPolicy", "EnableInternalSenderAdminNotifications": false, "InternalSenderAdminAddress": nil,
			"EnableExternalSenderAdminNotifications": false, "ExternalSenderAdminAddress": nil, "AdminDisplayName": "", "CustomNotifications": false,
			"IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	BeforeRemove: policyInUse(ruleRef{"MalwareFilterRule", "MalwareFilterPolicy"}, ruleRef{"EOPProtectionPolicyRule", "MalwareFilterPolicy"}),
	Validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
		for _, k := range []string{"InternalSenderAdminAddress", "ExternalSenderAdminAddress"} {
			if a, ok := obj[k].(string); ok && a != "" && !strings.Contains(a, "@") {
				return adminapi.BadRequest(adminapi.ExDataValidation, "The email address \"%s\" isn't correct. Please use this format: user name, the @ sign, followed by the domain name.", a)
			}
		}
		for _, ft := range adminapi.ToStrings(obj["FileTypes"]) {
			if strings.HasPrefix(ft, ".") || ft == "" {
				return adminapi.BadRequest(adminapi.ExDataValidation, "The file type '%s' is not valid. Specify file name extensions without the leading period.", ft)
			}
		}
		return nil
	},
}

// DefaultMalwareFileTypes is the common attachments filter list Microsoft ships.
var DefaultMalwareFileTypes = []any{"ace", "ani", "apk", "app", "appx", "arj", "bat", "cab", "cmd", "com", "deb", "dex", "dll", "docm", "elf", "exe",
	"hta", "img", "iso", "jar", "jnlp", "kext", "lha", "lib", "library", "lnk", "lzh", "macho", "msc", "msi", "msix", "msp", "mst", "pif",
	"ppa", "ppam", "reg", "rev", "scf", "scr", "sct", "sys", "uif", "vb", "vbe", "vbs", "vxd", "wsc", "wsf", "wsh", "xll", "xz", "z"}

var nounOutboundConnector = &adminapi.Noun{Name: "OutboundConnector", Svc: adminapi.EXO, Verbs: adminapi.CRUD, Renamable: true,
	Params: []adminapi.Param{adminapi.Bool("Enabled"), adminapi.Enum("ConnectorType", enumConnType), adminapi.StrList("RecipientDomains"), adminapi.StrList("SmartHosts"), adminapi.Str("TlsDomain"),
		adminapi.Enum("TlsSettings", enumTLS), adminapi.Bool("UseMXRecord"), adminapi.Bool("IsTransportRuleScoped"), adminapi.Bool("RouteAllMessagesViaOnPremises"),
		adminapi.Bool("CloudServicesMailEnabled"), adminapi.Bool("AllAcceptedDomains"), adminapi.Bool("SenderRewritingEnabled"), adminapi.Bool("TestMode"), adminapi.Str("Comment")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enabled": true, "ConnectorType": "Partner", "ConnectorSource": "Default", "RecipientDomains": []any{}, "SmartHosts": []any{},
			"TlsDomain": nil, "TlsSettings": nil, "UseMXRecord": true, "IsTransportRuleScoped": false, "RouteAllMessagesViaOnPremises": false,
			"CloudServicesMailEnabled": false, "AllAcceptedDomains": false, "SenderRewritingEnabled": false, "TestMode": false, "Comment": "",
			"IsValidated": false, "LastValidationTimestamp": nil, "ValidationRecipients": []any{},
		}
	},
	Validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
		bad := func(msg string) *adminapi.Error {
			return adminapi.BadRequest("Microsoft.Exchange.Management.SystemConfigurationTasks.ConnectorValidationException", "%s", msg)
		}
		if obj["UseMXRecord"] == false && len(adminapi.ToStrings(obj["SmartHosts"])) == 0 {
			return bad("SmartHosts must be specified when UseMXRecord is set to false.")
		}
		if obj["UseMXRecord"] == true && len(adminapi.ToStrings(obj["SmartHosts"])) > 0 {
			return bad("SmartHosts can't be specified when UseMXRecord is set to true.")
		}
		if obj["TlsSettings"] == "DomainValidation" && obj["TlsDomain"] == nil {
			return bad("TlsDomain must be specified when TlsSettings is set to DomainValidation.")
		}
		if obj["TlsSettings"] != "DomainValidation" && obj["TlsDomain"] != nil && obj["TlsDomain"] != "" {
			return bad("TlsDomain can only be specified when TlsSettings is set to DomainValidation.")
		}
		if obj["ConnectorType"] == "Partner" && len(adminapi.ToStrings(obj["RecipientDomains"])) == 0 && obj["IsTransportRuleScoped"] != true {
			return bad("A Partner connector must specify RecipientDomains or be scoped to transport rules (IsTransportRuleScoped).")
		}
		return nil
	},
}
