// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/compliance"
)

// The typed calls against a tenant: devtenant by default, a real one with HIPAA_ACC_REAL_TENANT=1
// (acctest.Setup). They run with TF_ACC=1, like the acceptance tests.

// countNamed is how many objects Get-<noun> lists with that name.
func countNamed(t *testing.T, c *m365.Client, noun, name string) int {
	t.Helper()
	objs, err := c.Compliance().Invoke(context.Background(), "Get-"+noun, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range objs {
		if s, _ := o["Name"].(string); strings.EqualFold(s, name) {
			n++
		}
	}
	return n
}

// accMassDownload is hipaa_baseline's mass download alert policy.
var accMassDownload = compliance.ProtectionAlert{Name: "HIPAA - Mass file download", Category: "ThreatManagement", ThreatType: "Activity",
	Operation: []string{"FileDownloaded"}, Severity: "High", AggregationType: compliance.AggregationSimple, Threshold: 100, TimeWindow: 60}

// TestAuditRetentionPolicyLifecycle: find, create, update, replace and remove against devtenant,
// each leaving exactly one policy of the name.
func TestAuditRetentionPolicyLifecycle(t *testing.T) {
	ctx := context.Background()
	tn := acctest.Setup(t, "compliant")
	srv, c := tn.RequireDevtenant(t), tn.Portal
	want := compliance.AuditRetentionPolicy{Name: "Test - retention", RetentionDuration: "OneMonth", Priority: 300}

	if _, err := compliance.FindAuditRetentionPolicy(ctx, c, "", want.Name); !m365.IsNotFound(err) {
		t.Fatalf("find before create = %v, want not found", err)
	}
	created, err := compliance.EnsureAuditRetentionPolicy(ctx, c, nil, want)
	if err != nil || created == nil || created.ID == "" || created.ID == want.Name || created.RetentionDuration != "OneMonth" || created.Priority != 300 {
		t.Fatalf("created %+v, %v", created, err)
	}
	found, err := compliance.FindAuditRetentionPolicy(ctx, c, created.ID, "another name")
	if err != nil || found.Name != want.Name {
		t.Fatalf("find by id = %+v, %v", found, err)
	}
	if again, err := compliance.EnsureAuditRetentionPolicy(ctx, c, found, want); err != nil || again != found {
		t.Errorf("ensure of a matching policy = %+v, %v; want it unchanged without a call", again, err)
	}

	// Set- changes the duration in place.
	want.RetentionDuration = "TenYears"
	updated, err := compliance.EnsureAuditRetentionPolicy(ctx, c, found, want)
	if err != nil || updated.ID != created.ID || updated.RetentionDuration != "TenYears" {
		t.Fatalf("updated %+v, %v", updated, err)
	}
	if got, _ := compliance.FindAuditRetentionPolicy(ctx, c, created.ID, want.Name); got == nil || got.RetentionDuration != "TenYears" {
		t.Errorf("after the update the tenant has %+v", got)
	}

	// A failing Set- leaves the policy as it was.
	srv.Faults().FailCmdlet("Set-UnifiedAuditLogRetentionPolicy", 500, 1)
	want.RetentionDuration = "FiveYears"
	if kept, err := compliance.EnsureAuditRetentionPolicy(ctx, c, updated, want); err == nil || kept != updated {
		t.Errorf("failed update = %+v, %v; want the live policy and the error", kept, err)
	}

	// Narrowed outside the provider: replaced by a policy for every record.
	if err := compliance.RemoveAuditRetentionPolicy(ctx, c, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compliance().Invoke(ctx, "New-UnifiedAuditLogRetentionPolicy", map[string]any{"Name": want.Name,
		"RetentionDuration": "FiveYears", "Priority": 300, "RecordTypes": []string{"ExchangeAdmin"}}); err != nil {
		t.Fatal(err)
	}
	narrowed, err := compliance.FindAuditRetentionPolicy(ctx, c, created.ID, want.Name)
	if err != nil || !narrowed.Narrowed() {
		t.Fatalf("narrowed policy = %+v, %v", narrowed, err)
	}
	replaced, err := compliance.EnsureAuditRetentionPolicy(ctx, c, narrowed, want)
	if err != nil || replaced.ID == narrowed.ID || replaced.Narrowed() {
		t.Fatalf("replaced %+v, %v", replaced, err)
	}
	if n := countNamed(t, c, "UnifiedAuditLogRetentionPolicy", want.Name); n != 1 {
		t.Errorf("%d policies named %q, want 1", n, want.Name)
	}

	if err := compliance.RemoveAuditRetentionPolicy(ctx, c, replaced.ID); err != nil {
		t.Fatal(err)
	}
	if err := compliance.RemoveAuditRetentionPolicy(ctx, c, replaced.ID); err != nil {
		t.Errorf("removing a policy already gone = %v, want success", err)
	}
	if _, err := compliance.FindAuditRetentionPolicy(ctx, c, replaced.ID, want.Name); !m365.IsNotFound(err) {
		t.Errorf("find after remove = %v, want not found", err)
	}
}

// Without Audit (Premium) the cmdlets do not exist: the finder says so instead of "not found".
func TestAuditRetentionPolicyUnlicensed(t *testing.T) {
	c := acctest.Setup(t, "noncompliant").Portal
	_, err := compliance.FindAuditRetentionPolicy(context.Background(), c, "", "HIPAA - Audit log retention")
	if !m365.IsUnavailable(err) {
		t.Errorf("find without the licence = %v, want not available", err)
	}
}

// TestProtectionAlertLifecycle: list (with Microsoft's system alerts), create, update, replace and
// remove against devtenant, each leaving exactly one alert policy of the name.
func TestProtectionAlertLifecycle(t *testing.T) {
	ctx := context.Background()
	tn := acctest.Setup(t, "noncompliant")
	srv, c := tn.RequireDevtenant(t), tn.Portal
	all, err := compliance.ListProtectionAlerts(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if sys, err := all.Find("", "Suspicious email forwarding activity"); err != nil || sys.Severity != "High" {
		t.Errorf("system alert = %+v, %v", sys, err)
	}
	if _, err := all.Find("", accMassDownload.Name); !m365.IsNotFound(err) {
		t.Fatalf("find before create = %v, want not found", err)
	}

	created, err := compliance.EnsureProtectionAlert(ctx, c, nil, accMassDownload)
	if err != nil || created == nil || created.ID == accMassDownload.Name || created.Threshold != 100 || !compliance.DiffProtectionAlert(*created, accMassDownload).NoChange() {
		t.Fatalf("created %+v, %v", created, err)
	}
	want := accMassDownload
	want.Severity, want.NotifyUser = "Medium", []string{"soc@contoso.example"}
	updated, err := compliance.EnsureProtectionAlert(ctx, c, created, want)
	if err != nil || updated.ID != created.ID || updated.Severity != "Medium" {
		t.Fatalf("updated %+v, %v", updated, err)
	}
	if all, err = compliance.ListProtectionAlerts(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, err := all.Find(created.ID, "")
	if err != nil || !compliance.DiffProtectionAlert(*got, want).NoChange() {
		t.Errorf("after the update the tenant has %+v (%v)", got, err)
	}

	// Another category takes a replacement; a failing New- then leaves none.
	want.Category = "DataGovernance"
	srv.Faults().FailCmdlet("New-ProtectionAlert", 500, 1)
	if kept, err := compliance.EnsureProtectionAlert(ctx, c, got, want); err == nil || kept != nil {
		t.Errorf("replacement with a failing New- = %+v, %v; want nil and the error", kept, err)
	}
	if n := countNamed(t, c, "ProtectionAlert", want.Name); n != 0 {
		t.Errorf("%d alert policies named %q after the failed replacement, want 0", n, want.Name)
	}
	replaced, err := compliance.EnsureProtectionAlert(ctx, c, nil, want)
	if err != nil || replaced.ID == created.ID || replaced.Category != "DataGovernance" {
		t.Fatalf("replaced %+v, %v", replaced, err)
	}
	if n := countNamed(t, c, "ProtectionAlert", want.Name); n != 1 {
		t.Errorf("%d alert policies named %q, want 1", n, want.Name)
	}

	if err := compliance.RemoveProtectionAlert(ctx, c, replaced.ID); err != nil {
		t.Fatal(err)
	}
	if err := compliance.RemoveProtectionAlert(ctx, c, replaced.ID); err != nil {
		t.Errorf("removing an alert policy already gone = %v, want success", err)
	}
	if err := compliance.RemoveProtectionAlert(ctx, c, ""); err != nil {
		t.Errorf("removing no id = %v, want success", err)
	}
}
