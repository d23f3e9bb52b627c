// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import "testing"

func TestRetentionDurationFor(t *testing.T) {
	for days, want := range map[int64]string{
		1: "SevenDays", 7: "SevenDays", 8: "OneMonth", 180: "SixMonths", 181: "NineMonths", 365: "TwelveMonths",
		1825: "FiveYears", 2190: "SevenYears", 2555: "SevenYears", 2556: "TenYears", 3650: "TenYears", 9999: "TenYears",
	} {
		if got := RetentionDurationFor(days).Name; got != want {
			t.Errorf("RetentionDurationFor(%d) = %s, want %s", days, got, want)
		}
	}
	if d, ok := RetentionDurationNamed("sevenyears"); !ok || d.Days != 2555 {
		t.Errorf("RetentionDurationNamed(sevenyears) = %v, %v", d, ok)
	}
	if _, ok := RetentionDurationNamed("Forever"); ok {
		t.Error("RetentionDurationNamed accepted an unknown value")
	}
}

// baselinePolicy is the retention policy hipaa_baseline asks for: every record, six years.
var baselinePolicy = AuditRetentionPolicy{Name: "HIPAA - Audit log retention", RetentionDuration: "SevenYears", Priority: 100}

func TestAuditRetentionPolicyParams(t *testing.T) {
	flatten := auditRetentionPolicies.flatten
	created := auditRetentionPolicies.newParams(baselinePolicy)
	if created["Name"] != baselinePolicy.Name || created["RetentionDuration"] != "SevenYears" || created["Priority"] != int64(100) {
		t.Errorf("New- parameters = %v", created)
	}
	if _, ok := created["RecordTypes"]; ok {
		t.Error("New- must not narrow RecordTypes: the policy covers every record type")
	}
	inSync := flatten(map[string]any{"Name": baselinePolicy.Name, "RetentionDuration": "SevenYears", "Priority": float64(100), "RecordTypes": []any{}})
	if u := DiffAuditRetentionPolicy(inSync, baselinePolicy); len(u.params) != 0 || !u.NoChange() {
		t.Errorf("a matching policy needs %v", u.params)
	}
	drifted := flatten(map[string]any{"RetentionDuration": "OneMonth", "Priority": "7"})
	u := DiffAuditRetentionPolicy(drifted, baselinePolicy)
	if p := u.params; u.Replace || p["RetentionDuration"] != "SevenYears" || p["Priority"] != int64(100) {
		t.Errorf("drifted policy update = %v", p)
	}
	if u.result.RetentionDuration != "SevenYears" || u.result.Priority != 100 {
		t.Errorf("after Set- the policy would be %+v", u.result)
	}
	narrowed := flatten(map[string]any{"RetentionDuration": "SevenYears", "Priority": float64(100), "RecordTypes": []any{"ExchangeAdmin"}})
	if u := DiffAuditRetentionPolicy(narrowed, baselinePolicy); !u.Replace || !narrowed.Narrowed() {
		t.Error("a policy narrowed to some record types must be replaced: Set- cannot clear the filter")
	}
	if u := DiffAuditRetentionPolicy(flatten(map[string]any{"UserIds": "admin@contoso.example"}), baselinePolicy); !u.Replace {
		t.Error("a policy narrowed to one user (a scalar in the output) must be replaced")
	}
	narrow := baselinePolicy
	narrow.RecordTypes = []string{"ExchangeAdmin"}
	if p := auditRetentionPolicies.newParams(narrow); len(p["RecordTypes"].([]string)) != 1 {
		t.Errorf("New- parameters of a narrowed policy = %v", p)
	}
}

func TestFlattenAuditRetentionPolicy(t *testing.T) {
	p := auditRetentionPolicies.flatten(map[string]any{"Guid": "g-1", "Identity": "id-1", "Name": "n", "RetentionDuration": "TenYears",
		"Priority": "42", "Operations": []any{"FileAccessed"}})
	if p.ID != "g-1" || p.Name != "n" || p.RetentionDuration != "TenYears" || p.Priority != 42 || len(p.Operations) != 1 || !p.Narrowed() {
		t.Errorf("flattened = %+v", p)
	}
	if p := auditRetentionPolicies.flatten(map[string]any{"Name": "only a name"}); p.ID != "only a name" || p.Priority != 0 || p.Narrowed() {
		t.Errorf("flattened = %+v", p)
	}
}
