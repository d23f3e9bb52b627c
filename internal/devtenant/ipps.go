// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Security & Compliance (URL/ipps): audit log retention policies (Audit Premium) and alert
// policies. The endpoint shares the InvokeCommand protocol with Exchange (exo.go); region
// discovery redirects to URL/ipps/nam01.

const planAdvancedAuditing = "M365_ADVANCED_AUDITING"

var enumRetention = enumOf("Microsoft.Office.CompliancePolicy.Tasks.UnifiedAuditLogRetentionDuration",
	"SevenDays", "OneMonth", "ThreeMonths", "SixMonths", "NineMonths", "TwelveMonths", "ThreeYears", "FiveYears", "SevenYears", "TenYears")

var nounUALRetention = &nounDef{noun: "UnifiedAuditLogRetentionPolicy", svc: svcIPPS, license: planAdvancedAuditing, verbs: crud,
	guidIdentity: true, required: []string{"RetentionDuration", "Priority"},
	params: []cmdParam{ps("Description"), pi("Priority", 1, 10000), pe("RetentionDuration", enumRetention), pl("RecordTypes"),
		pl("Operations"), pl("UserIds")},
	build: func(st *store.State, _ string) map[string]any {
		return map[string]any{"Description": "", "RecordTypes": []any{}, "Operations": []any{}, "UserIds": []any{}, "Enabled": true,
			"Mode": "Enforce", "CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName, "Workload": "Audit"}
	},
	validate: func(_ *store.State, obj map[string]any, others []map[string]any) *exoError {
		for _, o := range others {
			if o["Priority"] == obj["Priority"] {
				return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Office.CompliancePolicy.Tasks.UnifiedAuditLogRetentionPolicyPriorityException",
					human: fmt.Sprintf("The priority %v is already used by the policy '%s'. Every audit log retention policy needs a unique priority.", obj["Priority"], o["Name"])}
			}
		}
		if len(toStrings(obj["Operations"])) > 0 && len(toStrings(obj["RecordTypes"])) != 1 {
			return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Office.CompliancePolicy.Tasks.InvalidUnifiedAuditLogRetentionPolicyException",
				human: "Operations can be specified only when exactly one RecordType is specified."}
		}
		return nil
	},
}

var (
	enumAlertCategory = enumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleCategory", "None", "DataLossPrevention", "ThreatManagement",
		"DataGovernance", "AccessGovernance", "MailFlow", "Others", "PrivilegedAccessManagement", "ComplianceManager")
	enumAlertThreat      = enumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleThreatType", "Activity", "Malware", "Phish", "Malicious", "MaliciousUrlClick", "MailFlow")
	enumAlertSeverity    = enumOf("Microsoft.Office.CompliancePolicy.Tasks.RuleSeverity", "Low", "Medium", "High", "Informational")
	enumAlertAggregation = enumOf("Microsoft.Office.CompliancePolicy.Tasks.AlertRuleAggregationType", "None", "SimpleAggregation", "AnomalousAggregation", "CustomAggregation")
)

var nounProtectionAlert = &nounDef{noun: "ProtectionAlert", svc: svcIPPS, verbs: crud, required: []string{"Category", "ThreatType"},
	params: []cmdParam{pe("Category", enumAlertCategory), pe("ThreatType", enumAlertThreat), pl("Operation"), pe("Severity", enumAlertSeverity),
		pe("AggregationType", enumAlertAggregation), pi("Threshold", 1, 1<<30), pi("TimeWindow", 1, 1<<30), pl("NotifyUser"), pb("Disabled"),
		ps("Comment"), ps("Filter"), pb("NotificationEnabled"), ps("NotificationCulture"), pb("NotifyUserOnFilterMatch"),
		pi("NotifyUserThrottleThreshold", 0, 1<<30), pi("NotifyUserThrottleWindow", 0, 1<<30), pi("VolumeThreshold", 0, 1<<30), pl("AlertBy")},
	build: func(st *store.State, _ string) map[string]any {
		return map[string]any{
			"Operation": []any{}, "Severity": "Low", "AggregationType": "None", "Threshold": nil, "TimeWindow": nil, "NotifyUser": []any{},
			"Disabled": false, "IsSystemRule": false, "Comment": "", "Filter": "", "NotificationEnabled": true, "NotificationCulture": "en-US",
			"NotifyUserOnFilterMatch": false, "NotifyUserThrottleThreshold": nil, "NotifyUserThrottleWindow": nil, "VolumeThreshold": nil,
			"AlertBy": []any{}, "AlertFor": []any{}, "Mode": "Enforce", "CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName,
		}
	},
	validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *exoError {
		if obj["IsSystemRule"] == true {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "System alert policies can't be modified."}
		}
		if obj["AggregationType"] == "SimpleAggregation" && (obj["Threshold"] == nil || obj["TimeWindow"] == nil) {
			return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Office.CompliancePolicy.Tasks.AlertRuleValidationException",
				human: "Threshold and TimeWindow are required when AggregationType is SimpleAggregation."}
		}
		if obj["ThreatType"] == "Activity" && len(toStrings(obj["Operation"])) == 0 && obj["Filter"] == "" {
			return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Office.CompliancePolicy.Tasks.AlertRuleValidationException",
				human: "An activity alert needs at least one Operation or a Filter."}
		}
		return nil
	},
	beforeRemove: func(_ *store.State, obj map[string]any) *exoError {
		if obj["IsSystemRule"] == true {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "System alert policies can't be removed."}
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

func systemAlertObjects(st *store.State, now timeLike) []map[string]any {
	out := make([]map[string]any, 0, len(systemAlerts))
	for _, a := range systemAlerts {
		o := baseObject(st, nounProtectionAlert, a.name, now.t())
		for k, v := range nounProtectionAlert.build(st, a.name) {
			o[k] = v
		}
		o["Category"], o["ThreatType"], o["Severity"], o["IsSystemRule"] = a.category, a.threat, a.severity, true
		o["CreatedBy"], o["LastModifiedBy"] = "Microsoft", "Microsoft"
		out = append(out, o)
	}
	return out
}
