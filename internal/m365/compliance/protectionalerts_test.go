// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"slices"
	"testing"
)

// Two of hipaa_baseline's alert policies: one aggregated, one on every event.
var (
	massDownload = ProtectionAlert{Name: "HIPAA - Mass file download", Category: "ThreatManagement", ThreatType: "Activity",
		Operation: []string{"FileDownloaded"}, Severity: "High", AggregationType: AggregationSimple, Threshold: 100, TimeWindow: 60}
	forwardingRule = ProtectionAlert{Name: "HIPAA - Mail forwarding rule created", Category: "ThreatManagement", ThreatType: "Activity",
		Operation: []string{"New-InboxRule", "Set-InboxRule"}, Severity: "Medium", AggregationType: "None"}
	failedSignIns = ProtectionAlert{Name: "HIPAA - Repeated failed sign-ins", Category: "ThreatManagement", ThreatType: "Activity",
		Operation: []string{"UserLoginFailed"}, Severity: "Medium", AggregationType: AggregationSimple, Threshold: 10, TimeWindow: 60}
)

func TestNewProtectionAlertParams(t *testing.T) {
	p := newProtectionAlertParams(massDownload)
	if p["Name"] != massDownload.Name || p["ThreatType"] != "Activity" || p["Threshold"] != int64(100) || p["TimeWindow"] != int64(60) {
		t.Errorf("mass download parameters = %v", p)
	}
	if n, ok := p["NotifyUser"].([]string); !ok || len(n) != 0 || n == nil {
		t.Errorf("NotifyUser = %#v, want an empty list (Microsoft then notifies the tenant admins)", p["NotifyUser"])
	}
	if _, ok := p["Disabled"]; ok {
		t.Error("New- must not send Disabled: a new alert policy is on")
	}
	fw := forwardingRule
	fw.NotifyUser = []string{"security@contoso.example"}
	p = newProtectionAlertParams(fw)
	if _, ok := p["Threshold"]; ok {
		t.Error("AggregationType None must not send Threshold")
	}
	if n := p["NotifyUser"].([]string); !slices.Equal(n, []string{"security@contoso.example"}) {
		t.Errorf("NotifyUser = %v", n)
	}
}

// liveAlert is an alert as Get-ProtectionAlert outputs it after New-ProtectionAlert.
func liveAlert(want ProtectionAlert) ProtectionAlert {
	o := map[string]any{"Guid": "guid-1", "Name": want.Name, "Identity": want.Name, "Disabled": false}
	for k, v := range newProtectionAlertParams(want) {
		switch x := v.(type) {
		case []string:
			l := make([]any, len(x))
			for i, s := range x {
				l[i] = s
			}
			o[k] = l
		case int64:
			o[k] = float64(x)
		default:
			o[k] = v
		}
	}
	return protectionAlerts.flatten(o)
}

func TestDiffProtectionAlert(t *testing.T) {
	s := failedSignIns
	a := liveAlert(s)
	if a.ID != "guid-1" || a.Threshold != 10 {
		t.Fatalf("flattened %+v", a)
	}
	if u := DiffProtectionAlert(a, s); u.Replace || len(u.params) != 0 {
		t.Fatalf("a fresh alert needs %v (replace %v)", u.params, u.Replace)
	}
	a.Threshold, a.Disabled, a.Severity = 500, true, "Low"
	want := s
	want.NotifyUser = []string{"soc@contoso.example"}
	u := DiffProtectionAlert(a, want)
	if p := u.params; u.Replace || p["Threshold"] != int64(10) || p["Disabled"] != false || p["Severity"] != "Medium" || p["NotifyUser"] == nil {
		t.Errorf("update = %v", p)
	}
	if _, ok := u.params["TimeWindow"]; ok {
		t.Error("unchanged TimeWindow must not be sent")
	}
	if r := u.result; r.Threshold != 10 || r.Disabled || r.Severity != "Medium" || !slices.Equal(r.NotifyUser, want.NotifyUser) || r.ID != "guid-1" {
		t.Errorf("after Set- the alert would be %+v", r)
	}
	// Purview compares names and lists ignoring case and order.
	b := liveAlert(forwardingRule)
	b.Operation, b.Severity = []string{"set-inboxrule", "NEW-INBOXRULE"}, "medium"
	if u := DiffProtectionAlert(b, forwardingRule); !u.NoChange() {
		t.Errorf("case and order differences need %v", u.params)
	}
	a.Category = "DataGovernance"
	if u := DiffProtectionAlert(a, s); !u.Replace {
		t.Error("another category must replace the alert: Set-ProtectionAlert cannot change it")
	}
}

func TestFlattenProtectionAlert(t *testing.T) {
	a := protectionAlerts.flatten(map[string]any{"Identity": "id-1", "Name": "n", "Disabled": "True", "NotifyUser": "soc@contoso.example",
		"Threshold": "25", "TimeWindow": nil})
	if a.ID != "id-1" || !a.Disabled || !slices.Equal(a.NotifyUser, []string{"soc@contoso.example"}) || a.Threshold != 25 || a.TimeWindow != 0 {
		t.Errorf("flattened = %+v", a)
	}
}
