// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Mail flow: transport rules, outbound spam (auto-forwarding), remote domains, anti-malware and
// outbound connectors.

// timeLike lets seed helpers take a fixed time.
type timeLike struct{ at time.Time }

func (t timeLike) t() time.Time { return t.at }

var crud = []string{"Get", "New", "Set", "Remove"}

var (
	enumRuleMode    = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleMode", "Audit", "AuditAndNotify", "Enforce")
	enumToScope     = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.ToUserScope", "InOrganization", "NotInOrganization", "ExternalPartner", "ExternalNonPartner")
	enumFromScope   = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.FromUserScope", "InOrganization", "NotInOrganization")
	enumRuleErrAct  = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleErrorAction", "Ignore", "Defer")
	enumSenderLoc   = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.SenderAddressLocation", "Header", "Envelope", "HeaderOrEnvelope")
	enumAuditSev    = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.Tasks.AuditSeverityLevel", "DoNotAudit", "Low", "Medium", "High")
	enumAutoFwd     = enumOf("Microsoft.Exchange.Data.Directory.Management.AutoForwardingMode", "Automatic", "Off", "On")
	enumThreshold   = enumOf("Microsoft.Exchange.Data.Directory.Management.OutboundRecipientLimitsExceededAction", "Alert", "BlockUserForToday", "BlockUser")
	enumOOF         = enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedOOFType", "External", "ExternalLegacy", "InternalLegacy", "None")
	enumContentType = enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.ContentType", "MimeHtmlText", "MimeText", "MimeHtml")
	enumFileAction  = enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.FileTypeFilteringAction", "Reject", "Quarantine")
	enumConnType    = enumOf("Microsoft.Exchange.Data.TenantConnectorType", "Partner", "OnPremises")
	enumTLS         = enumOf("Microsoft.Exchange.Data.TlsAuthLevel", "EncryptionOnly", "CertificateValidation", "DomainValidation")
)

// rmsTemplates are the templates Azure RMS publishes once it is enabled for the tenant.
var rmsTemplates = []string{"Encrypt", "Do Not Forward"}

var nounTransportRule = &nounDef{noun: "TransportRule", svc: svcEXO, verbs: crud, renamable: true, prioritized: true,
	params: []cmdParam{pi("Priority", 0, 1<<30), pe("Mode", enumRuleMode), pe("SentToScope", enumToScope), pe("FromScope", enumFromScope),
		ph("MessageContainsDataClassifications"), pl("SubjectOrBodyContainsWords"), pl("SubjectContainsWords"), pl("AttachmentContainsWords"),
		pl("SentTo"), pl("From"), pl("ExceptIfFrom"), pl("ExceptIfSentTo"), pe("ExceptIfSentToScope", enumToScope),
		ps("ApplyRightsProtectionTemplate"), ps("ApplyRightsProtectionCustomizationTemplate"), pb("ApplyOME"), pb("RemoveOMEv2"),
		ps("Comments"), pe("RuleErrorAction", enumRuleErrAct), pe("SenderAddressLocation", enumSenderLoc), pb("StopRuleProcessing"),
		pe("SetAuditSeverity", enumAuditSev)},
	newParams: []cmdParam{pb("Enabled")},
	build: func(st *store.State, _ string) map[string]any {
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
	validate: validateTransportRule,
}

func validateTransportRule(st *store.State, obj map[string]any, others []map[string]any) *exoError {
	if e, ok := obj["Enabled"].(bool); ok {
		obj["State"] = map[bool]string{true: "Enabled", false: "Disabled"}[e]
		delete(obj, "Enabled")
	}
	if p, _ := obj["Priority"].(int64); p > int64(len(others)) {
		return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
			human: fmt.Sprintf("The value of parameter Priority must be between 0 and %d.", len(others))}
	}
	if t, ok := obj["ApplyRightsProtectionTemplate"].(string); ok && t != "" {
		irm := singletonObject(st, nounIRM)
		idx := slices.IndexFunc(rmsTemplates, func(s string) bool { return strings.EqualFold(s, t) })
		if irm["AzureRMSLicensingEnabled"] != true || idx < 0 {
			return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Exchange.MessagingPolicies.Rules.Tasks.InvalidRmsTemplateException",
				human: "The rights protection template '" + t + "' couldn't be found. Rights protection templates are available when Azure Rights Management is enabled (Set-IRMConfiguration -AzureRMSLicensingEnabled $true)."}
		}
		obj["ApplyRightsProtectionTemplate"] = rmsTemplates[idx]
	}
	if list, ok := obj["MessageContainsDataClassifications"].([]any); ok {
		for _, item := range list {
			h, _ := item.(map[string]any)
			if n := hashValue(h, "Name"); n == "" {
				return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "Every entry of MessageContainsDataClassifications must have a Name."}
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
		fmt.Fprintf(&b, "\tIncludes these words in the message subject or body: '%s'\r\n", strings.Join(toStrings(l), "' or '"))
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
func singletonObject(st *store.State, n *nounDef) map[string]any {
	if l := st.Admin.Cmdlets[n.noun]; len(l) > 0 {
		return l[0]
	}
	return map[string]any{}
}

var nounOutboundSpam = &nounDef{noun: "HostedOutboundSpamFilterPolicy", svc: svcEXO, verbs: getSet,
	params: []cmdParam{pe("AutoForwardingMode", enumAutoFwd), pi("RecipientLimitExternalPerHour", 0, 10000), pi("RecipientLimitInternalPerHour", 0, 10000),
		pi("RecipientLimitPerDay", 0, 10000), pe("ActionWhenThresholdReached", enumThreshold), pb("BccSuspiciousOutboundMail"),
		pl("BccSuspiciousOutboundAdditionalRecipients"), pb("NotifyOutboundSpam"), pl("NotifyOutboundSpamRecipients"), ps("AdminDisplayName")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"AutoForwardingMode": "Automatic", "RecipientLimitExternalPerHour": int64(0), "RecipientLimitInternalPerHour": int64(0),
			"RecipientLimitPerDay": int64(0), "ActionWhenThresholdReached": "BlockUserForToday", "BccSuspiciousOutboundMail": false,
			"BccSuspiciousOutboundAdditionalRecipients": []any{}, "NotifyOutboundSpam": false, "NotifyOutboundSpamRecipients": []any{},
			"AdminDisplayName": "", "IsDefault": true, "Enabled": true,
		}
	},
}

var nounRemoteDomain = &nounDef{noun: "RemoteDomain", svc: svcEXO, verbs: getSet,
	params: []cmdParam{pb("AutoForwardEnabled"), pb("AutoReplyEnabled"), pb("DeliveryReportEnabled"), pb("NDREnabled"),
		pb("MeetingForwardNotificationEnabled"), pe("AllowedOOFType", enumOOF), pb("TNEFEnabled"), pe("ContentType", enumContentType),
		pb("TrustedMailOutboundEnabled"), pb("TrustedMailInboundEnabled")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"DomainName": "*", "AutoForwardEnabled": true, "AutoReplyEnabled": true, "DeliveryReportEnabled": true, "NDREnabled": true,
			"MeetingForwardNotificationEnabled": false, "AllowedOOFType": "External", "TNEFEnabled": nil, "ContentType": "MimeHtmlText",
			"CharacterSet": "iso-8859-1", "IsInternal": false, "TrustedMailOutboundEnabled": false, "TrustedMailInboundEnabled": false,
		}
	},
}

// nounMalwareFilter: the tenant's policy "Default" (IsDefault) applies to every recipient no
// preset or custom policy takes; custom policies apply through a MalwareFilterRule.
var nounMalwareFilter = &nounDef{noun: "MalwareFilterPolicy", svc: svcEXO, verbs: crud,
	params: []cmdParam{pb("EnableFileFilter"), pl("FileTypes"), pe("FileTypeAction", enumFileAction), pb("ZapEnabled"), ps("QuarantineTag"),
		pb("EnableInternalSenderAdminNotifications"), ps("InternalSenderAdminAddress"), pb("EnableExternalSenderAdminNotifications"),
		ps("ExternalSenderAdminAddress"), ps("AdminDisplayName"), pb("CustomNotifications")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"EnableFileFilter": true, "FileTypes": slices.Clone(defaultMalwareFileTypes), "FileTypeAction": "Reject", "ZapEnabled": true,
			"QuarantineTag": "AdminOnlyAccessPolicy", "EnableInternalSenderAdminNotifications": false, "InternalSenderAdminAddress": nil,
			"EnableExternalSenderAdminNotifications": false, "ExternalSenderAdminAddress": nil, "AdminDisplayName": "", "CustomNotifications": false,
			"IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	beforeRemove: policyInUse(ruleRef{"MalwareFilterRule", "MalwareFilterPolicy"}, ruleRef{"EOPProtectionPolicyRule", "MalwareFilterPolicy"}),
	validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *exoError {
		for _, k := range []string{"InternalSenderAdminAddress", "ExternalSenderAdminAddress"} {
			if a, ok := obj[k].(string); ok && a != "" && !strings.Contains(a, "@") {
				return &exoError{status: http.StatusBadRequest, exception: exDataValidation, human: "The email address \"" + a + "\" isn't correct. Please use this format: user name, the @ sign, followed by the domain name."}
			}
		}
		for _, ft := range toStrings(obj["FileTypes"]) {
			if strings.HasPrefix(ft, ".") || ft == "" {
				return &exoError{status: http.StatusBadRequest, exception: exDataValidation, human: "The file type '" + ft + "' is not valid. Specify file name extensions without the leading period."}
			}
		}
		return nil
	},
}

// defaultMalwareFileTypes is the common attachments filter list Microsoft ships.
var defaultMalwareFileTypes = []any{"ace", "ani", "apk", "app", "appx", "arj", "bat", "cab", "cmd", "com", "deb", "dex", "dll", "docm", "elf", "exe",
	"hta", "img", "iso", "jar", "jnlp", "kext", "lha", "lib", "library", "lnk", "lzh", "macho", "msc", "msi", "msix", "msp", "mst", "pif",
	"ppa", "ppam", "reg", "rev", "scf", "scr", "sct", "sys", "uif", "vb", "vbe", "vbs", "vxd", "wsc", "wsf", "wsh", "xll", "xz", "z"}

func toStrings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

var nounOutboundConnector = &nounDef{noun: "OutboundConnector", svc: svcEXO, verbs: crud, renamable: true,
	params: []cmdParam{pb("Enabled"), pe("ConnectorType", enumConnType), pl("RecipientDomains"), pl("SmartHosts"), ps("TlsDomain"),
		pe("TlsSettings", enumTLS), pb("UseMXRecord"), pb("IsTransportRuleScoped"), pb("RouteAllMessagesViaOnPremises"),
		pb("CloudServicesMailEnabled"), pb("AllAcceptedDomains"), pb("SenderRewritingEnabled"), pb("TestMode"), ps("Comment")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enabled": true, "ConnectorType": "Partner", "ConnectorSource": "Default", "RecipientDomains": []any{}, "SmartHosts": []any{},
			"TlsDomain": nil, "TlsSettings": nil, "UseMXRecord": true, "IsTransportRuleScoped": false, "RouteAllMessagesViaOnPremises": false,
			"CloudServicesMailEnabled": false, "AllAcceptedDomains": false, "SenderRewritingEnabled": false, "TestMode": false, "Comment": "",
			"IsValidated": false, "LastValidationTimestamp": nil, "ValidationRecipients": []any{},
		}
	},
	validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *exoError {
		bad := func(msg string) *exoError {
			return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Exchange.Management.SystemConfigurationTasks.ConnectorValidationException", human: msg}
		}
		if obj["UseMXRecord"] == false && len(toStrings(obj["SmartHosts"])) == 0 {
			return bad("SmartHosts must be specified when UseMXRecord is set to false.")
		}
		if obj["UseMXRecord"] == true && len(toStrings(obj["SmartHosts"])) > 0 {
			return bad("SmartHosts can't be specified when UseMXRecord is set to true.")
		}
		if obj["TlsSettings"] == "DomainValidation" && obj["TlsDomain"] == nil {
			return bad("TlsDomain must be specified when TlsSettings is set to DomainValidation.")
		}
		if obj["TlsSettings"] != "DomainValidation" && obj["TlsDomain"] != nil && obj["TlsDomain"] != "" {
			return bad("TlsDomain can only be specified when TlsSettings is set to DomainValidation.")
		}
		if obj["ConnectorType"] == "Partner" && len(toStrings(obj["RecipientDomains"])) == 0 && obj["IsTransportRuleScoped"] != true {
			return bad("A Partner connector must specify RecipientDomains or be scoped to transport rules (IsTransportRuleScoped).")
		}
		return nil
	},
}
