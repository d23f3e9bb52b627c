// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package compliance defines the Security & Compliance (Purview) cmdlet nouns devtenant serves
// at URL/ipps: audit log retention, alert policies and DLP policies and rules. The endpoint
// shares the InvokeCommand protocol with Exchange (package adminapi); region discovery
// redirects to URL/ipps/nam01. More Purview cmdlets are more nouns here.
package compliance

import (
	"fmt"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

const planAdvancedAuditing = "M365_ADVANCED_AUDITING"

var enumRetention = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.UnifiedAuditLogRetentionDuration",
	"SevenDays", "OneMonth", "ThreeMonths", "SixMonths", "NineMonths", "TwelveMonths", "ThreeYears", "FiveYears", "SevenYears", "TenYears")

var UALRetention = &adminapi.Noun{Name: "UnifiedAuditLogRetentionPolicy", Svc: adminapi.IPPS, License: planAdvancedAuditing, Verbs: adminapi.CRUD,
	GUIDIdentity: true, Required: []string{"RetentionDuration", "Priority"},
	Params: []adminapi.Param{adminapi.Str("Description"), adminapi.Int("Priority", 1, 10000), adminapi.Enum("RetentionDuration", enumRetention), adminapi.StrList("RecordTypes"),
		adminapi.StrList("Operations"), adminapi.StrList("UserIds")},
	Build: func(st *store.State, _ string) map[string]any {
		return map[string]any{"Description": "", "RecordTypes": []any{}, "Operations": []any{}, "UserIds": []any{}, "Enabled": true,
			"Mode": "Enforce", "CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName, "Workload": "Audit"}
	},
	Validate: func(_ *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
		for _, o := range others {
			if o["Priority"] == obj["Priority"] {
				return &adminapi.Error{Status: http.StatusBadRequest, Exception: "Microsoft.Office.CompliancePolicy.Tasks.UnifiedAuditLogRetentionPolicyPriorityException",
					Human: fmt.Sprintf("The priority %v is already used by the policy '%s'. Every audit log retention policy needs a unique priority.", obj["Priority"], o["Name"])}
			}
		}
		if len(adminapi.ToStrings(obj["Operations"])) > 0 && len(adminapi.ToStrings(obj["RecordTypes"])) != 1 {
			return &adminapi.Error{Status: http.StatusBadRequest, Exception: "Microsoft.Office.CompliancePolicy.Tasks.InvalidUnifiedAuditLogRetentionPolicyException",
				Human: "Operations can be specified only when exactly one RecordType is specified."}
		}
		return nil
	},
}

var (
	enumAlertCategory = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleCategory", "None", "DataLossPrevention", "ThreatManagement",
		"DataGovernance", "AccessGovernance", "MailFlow", "Others", "PrivilegedAccessManagement", "ComplianceManager")
	enumAlertThreat      = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleThreatType", "Activity", "Malware", "Phish", "Malicious", "MaliciousUrlClick", "MailFlow")
	enumAlertSeverity    = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.RuleSeverity", "Low", "Medium", "High", "Informational")
	enumAlertAggregation = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleAggregationType", "None", "SimpleAggregation", "AnomalousAggregation", "CustomAggregation")
)

var ProtectionAlert = &adminapi.Noun{Name: "ProtectionAlert", Svc: adminapi.IPPS, Verbs: adminapi.CRUD, Required: []string{"Category", "ThreatType"},
	Params: []adminapi.Param{adminapi.Enum("Category", enumAlertCategory), adminapi.Enum("ThreatType", enumAlertThreat), adminapi.StrList("Operation"), adminapi.Enum("Severity", enumAlertSeverity),
		adminapi.Enum("AggregationType", enumAlertAggregation), adminapi.Int("Threshold", 1, 1<<30), adminapi.Int("TimeWindow", 1, 1<<30), adminapi.StrList("NotifyUser"), adminapi.Bool("Disabled"),
		adminapi.Str("Comment"), adminapi.Str("Filter"), adminapi.Bool("NotificationEnabled"), adminapi.Str("NotificationCulture"), adminapi.Bool("NotifyUserOnFilterMatch"),
		adminapi.Int("NotifyUserThrottleThreshold", 0, 1<<30), adminapi.Int("NotifyUserThrottleWindow", 0, 1<<30), adminapi.Int("VolumeThreshold", 0, 1<<30), adminapi.StrList("AlertBy")},
	Build: func(st *store.State, _ string) map[string]any {
		return map[string]any{
			"Operation": []any{}, "Severity": "Low", "AggregationType": "None", "Threshold": nil, "TimeWindow": nil, "NotifyUser": []any{},
			"Disabled": false, "IsSystemRule": false, "Comment": "", "Filter": "", "NotificationEnabled": true, "NotificationCulture": "en-US",
			"NotifyUserOnFilterMatch": false, "NotifyUserThrottleThreshold": nil, "NotifyUserThrottleWindow": nil, "VolumeThreshold": nil,
			"AlertBy": []any{}, "AlertFor": []any{}, "Mode": "Enforce", "CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName,
		}
	},
	Validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
		if obj["IsSystemRule"] == true {
			return &adminapi.Error{Status: http.StatusBadRequest, Exception: adminapi.ExTaskValidation, Human: "System alert policies can't be modified."}
		}
		if obj["AggregationType"] == "SimpleAggregation" && (obj["Threshold"] == nil || obj["TimeWindow"] == nil) {
			return &adminapi.Error{Status: http.StatusBadRequest, Exception: "Microsoft.Office.CompliancePolicy.Tasks.AlertRuleValidationException",
				Human: "Threshold and TimeWindow are required when AggregationType is SimpleAggregation."}
		}
		if obj["ThreatType"] == "Activity" && len(adminapi.ToStrings(obj["Operation"])) == 0 && obj["Filter"] == "" {
			return &adminapi.Error{Status: http.StatusBadRequest, Exception: "Microsoft.Office.CompliancePolicy.Tasks.AlertRuleValidationException",
				Human: "An activity alert needs at least one Operation or a Filter."}
		}
		return nil
	},
	BeforeRemove: func(_ *store.State, obj map[string]any) *adminapi.Error {
		if obj["IsSystemRule"] == true {
			return &adminapi.Error{Status: http.StatusBadRequest, Exception: adminapi.ExTaskValidation, Human: "System alert policies can't be removed."}
		}
		return nil
	},
}

// systemAlerts are default alert policies every tenant has; they make lists realistic and show
// that callers must select their own policies by name.
var systemAlerts = []struct{ name, category, threat, severity string }{
	{"Elevation of Exchange admin privilege", "PrivilegedAccessManagement", "Activity", "Low"},
	{"Suspicious email forwarding activity", "ThreatManagement", "Activity", "High"},
	{"Creation of forwarding/redirect rule", "ThreatManagement", "Activity", "Informational"},
	{"A potentially malicious URL click was detected", "ThreatManagement", "MaliciousUrlClick", "High"},
}

func SystemAlertObjects(st *store.State, now adminapi.TimeLike) []map[string]any {
	out := make([]map[string]any, 0, len(systemAlerts))
	for _, a := range systemAlerts {
		o := adminapi.BaseObject(st, ProtectionAlert, a.name, now.T())
		for k, v := range ProtectionAlert.Build(st, a.name) {
			o[k] = v
		}
		o["Category"], o["ThreatType"], o["Severity"], o["IsSystemRule"] = a.category, a.threat, a.severity, true
		o["CreatedBy"], o["LastModifiedBy"] = "Microsoft", "Microsoft"
		out = append(out, o)
	}
	return out
}

// complianceNouns are the Security & Compliance cmdlet nouns devtenant serves, in the order
// EXOModuleFile lists them.
func Nouns() []*adminapi.Noun {
	return []*adminapi.Noun{UALRetention, ProtectionAlert, nounDlpPolicy, nounDlpRule}
}
