// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"context"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

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

// TestAuditRetentionPolicyLifecycle: find, create, update, replace and remove against devtenant,
// each leaving exactly one policy of the name.
func TestAuditRetentionPolicyLifecycle(t *testing.T) {
	ctx := context.Background()
	srv, c := complianceTenant(t, "compliant")
	want := AuditRetentionPolicy{Name: "Test - retention", RetentionDuration: "OneMonth", Priority: 300}

	if _, err := FindAuditRetentionPolicy(ctx, c, "", want.Name); !m365.IsNotFound(err) {
		t.Fatalf("find before create = %v, want not found", err)
	}
	created, err := EnsureAuditRetentionPolicy(ctx, c, nil, want)
	if err != nil || created == nil || created.ID == "" || created.ID == want.Name || created.RetentionDuration != "OneMonth" || created.Priority != 300 {
		t.Fatalf("created %+v, %v", created, err)
	}
	found, err := FindAuditRetentionPolicy(ctx, c, created.ID, "another name")
	if err != nil || found.Name != want.Name {
		t.Fatalf("find by id = %+v, %v", found, err)
	}
	if again, err := EnsureAuditRetentionPolicy(ctx, c, found, want); err != nil || again != found {
		t.Errorf("ensure of a matching policy = %+v, %v; want it unchanged without a call", again, err)
	}

	// Set- changes the duration in place.
	want.RetentionDuration = "TenYears"
	updated, err := EnsureAuditRetentionPolicy(ctx, c, found, want)
	if err != nil || updated.ID != created.ID || updated.RetentionDuration != "TenYears" {
		t.Fatalf("updated %+v, %v", updated, err)
	}
	if got, _ := FindAuditRetentionPolicy(ctx, c, created.ID, want.Name); got == nil || got.RetentionDuration != "TenYears" {
		t.Errorf("after the update the tenant has %+v", got)
	}

	// A failing Set- leaves the policy as it was.
	srv.Faults().FailCmdlet("Set-UnifiedAuditLogRetentionPolicy", 500, 1)
	want.RetentionDuration = "FiveYears"
	if kept, err := EnsureAuditRetentionPolicy(ctx, c, updated, want); err == nil || kept != updated {
		t.Errorf("failed update = %+v, %v; want the live policy and the error", kept, err)
	}

	// Narrowed outside the provider: replaced by a policy for every record.
	if err := RemoveAuditRetentionPolicy(ctx, c, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compliance().Invoke(ctx, "New-UnifiedAuditLogRetentionPolicy", map[string]any{"Name": want.Name,
		"RetentionDuration": "FiveYears", "Priority": 300, "RecordTypes": []string{"ExchangeAdmin"}}); err != nil {
		t.Fatal(err)
	}
	narrowed, err := FindAuditRetentionPolicy(ctx, c, created.ID, want.Name)
	if err != nil || !narrowed.Narrowed() {
		t.Fatalf("narrowed policy = %+v, %v", narrowed, err)
	}
	replaced, err := EnsureAuditRetentionPolicy(ctx, c, narrowed, want)
	if err != nil || replaced.ID == narrowed.ID || replaced.Narrowed() {
		t.Fatalf("replaced %+v, %v", replaced, err)
	}
	if n := countNamed(t, c, "UnifiedAuditLogRetentionPolicy", want.Name); n != 1 {
		t.Errorf("%d policies named %q, want 1", n, want.Name)
	}

	if err := RemoveAuditRetentionPolicy(ctx, c, replaced.ID); err != nil {
		t.Fatal(err)
	}
	if err := RemoveAuditRetentionPolicy(ctx, c, replaced.ID); err != nil {
		t.Errorf("removing a policy already gone = %v, want success", err)
	}
	if _, err := FindAuditRetentionPolicy(ctx, c, replaced.ID, want.Name); !m365.IsNotFound(err) {
		t.Errorf("find after remove = %v, want not found", err)
	}
}

// Without Audit (Premium) the cmdlets do not exist: the finder says so instead of "not found".
func TestAuditRetentionPolicyUnlicensed(t *testing.T) {
	_, c := complianceTenant(t, "noncompliant")
	_, err := FindAuditRetentionPolicy(context.Background(), c, "", "HIPAA - Audit log retention")
	if !m365.IsUnavailable(err) {
		t.Errorf("find without the licence = %v, want not available", err)
	}
}
