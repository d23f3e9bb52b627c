// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/compliance"
)

// The parameters and the diff themselves are tested in internal/m365/compliance.
func TestRetentionPolicyParams(t *testing.T) {
	want := compliance.RetentionDurationFor(defaultAuditRetentionDays)
	created := wantRetentionPolicy(want)
	if created.Name != auditRetentionPolicyName || created.RetentionDuration != "SevenYears" || created.Priority != auditRetentionPriority {
		t.Errorf("New- parameters = %v", created)
	}
	if created.Narrowed() {
		t.Error("New- must not narrow RecordTypes: the policy covers every record type")
	}
	inSync := &compliance.AuditRetentionPolicy{Name: auditRetentionPolicyName, RetentionDuration: "SevenYears", Priority: 100, RecordTypes: []string{}}
	if u := compliance.DiffAuditRetentionPolicy(*inSync, created); !u.NoChange() {
		t.Errorf("a matching policy needs %+v", u)
	}
	if !retentionPolicyInSync(inSync, want) {
		t.Error("matching policy reported out of sync")
	}
	drifted := &compliance.AuditRetentionPolicy{RetentionDuration: "OneMonth", Priority: 7}
	if retentionPolicyInSync(drifted, want) {
		t.Errorf("drifted policy reported in sync")
	}
	narrowed := &compliance.AuditRetentionPolicy{RetentionDuration: "SevenYears", Priority: 100, RecordTypes: []string{"ExchangeAdmin"}}
	if retentionPolicyInSync(narrowed, want) || !narrowed.Narrowed() {
		t.Error("a policy narrowed to some record types must be out of sync")
	}
}

func TestFlattenAudit(t *testing.T) {
	policy := &compliance.AuditRetentionPolicy{ID: "0b6c2f7e-1111-4e2b-9e0f-2a3c4d5e6f70", Name: auditRetentionPolicyName, RetentionDuration: "SevenYears", Priority: 100}
	cases := []struct {
		name                       string
		live                       auditLive
		ingestion, mailbox, inSync bool
		status, duration           string
		effective                  int64
		policyID                   string
	}{
		{"not licensed", auditLive{Ingestion: false, AuditDisabled: true}, false, false, true, statusNotLicensed, "SevenYears", 180, ""},
		{"licensed", auditLive{Ingestion: true, Licensed: true, Policy: policy}, true, true, true, statusApplied, "SevenYears", 2555, policy.ID},
		{"policy deleted", auditLive{Ingestion: true, Licensed: true}, true, true, false, statusApplied, "", 180, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := flattenAudit(c.live, defaultAuditRetentionDays)
			if m.UnifiedAuditLogIngestion.ValueBool() != c.ingestion || m.MailboxAuditing.ValueBool() != c.mailbox {
				t.Errorf("ingestion/mailbox = %v/%v", m.UnifiedAuditLogIngestion, m.MailboxAuditing)
			}
			if m.RetentionStatus.ValueString() != c.status || m.RetentionDuration.ValueString() != c.duration ||
				m.EffectiveRetentionDays.ValueInt64() != c.effective || m.InSync.ValueBool() != c.inSync {
				t.Errorf("status %s duration %s effective %d in_sync %v", m.RetentionStatus, m.RetentionDuration, m.EffectiveRetentionDays, m.InSync)
			}
			if m.RetentionPolicyID.ValueString() != c.policyID || m.RetentionDays.ValueInt64() != defaultAuditRetentionDays {
				t.Errorf("policy id %s days %d", m.RetentionPolicyID, m.RetentionDays)
			}
		})
	}
}

func TestPlanAuditComputed(t *testing.T) {
	ctx := context.Background()
	b := auditBlock{}
	state := func(status string) types.Object {
		m := flattenAudit(auditLive{Licensed: status == statusApplied}, defaultAuditRetentionDays)
		obj, _ := encode(ctx, b, m)
		return obj
	}
	plan, _ := encode(ctx, b, auditModel{
		UnifiedAuditLogIngestion: types.BoolValue(true), MailboxAuditing: types.BoolValue(true), RetentionDays: types.Int64Value(3000),
		RetentionPolicyID: types.StringUnknown(), RetentionDuration: types.StringUnknown(), EffectiveRetentionDays: types.Int64Unknown(),
		RetentionStatus: types.StringUnknown(), InSync: types.BoolUnknown(),
	})
	if d := planRetentionDuration(plan, types.ObjectNull(nil)); d == nil || d.ValueString() != "TenYears" {
		t.Errorf("planned retention_duration = %v, want TenYears", d)
	}
	if e := planEffectiveRetention(plan, types.ObjectNull(nil)); e != nil {
		t.Errorf("effective retention planned %v on create, want unknown", e)
	}
	if e := planEffectiveRetention(plan, state(statusApplied)); e == nil || e.ValueInt64() != 3650 {
		t.Errorf("licensed effective retention = %v, want 3650", e)
	}
	if e := planEffectiveRetention(plan, state(statusNotLicensed)); e == nil || e.ValueInt64() != 180 {
		t.Errorf("unlicensed effective retention = %v, want 180", e)
	}
}

func TestAuditSchemaDefaults(t *testing.T) {
	ctx := context.Background()
	s := auditBlock{}.Schema()
	for name, want := range map[string]string{"unified_audit_log_ingestion": "true", "mailbox_auditing": "true", "retention_days": "2190"} {
		a, ok := s.Attributes[name]
		if !ok {
			t.Fatalf("no attribute %s", name)
		}
		if !a.IsOptional() || !a.IsComputed() {
			t.Errorf("%s must be Optional+Computed", name)
		}
		if got := exoDefaultOf(ctx, t, a); got != want {
			t.Errorf("%s default = %s, want %s", name, got, want)
		}
	}
	if !strings.Contains(s.Attributes["retention_duration"].GetMarkdownDescription(), "`SevenYears`") {
		t.Error("retention_duration description must list the enum values")
	}
}

func TestAuditLicenceWarning(t *testing.T) {
	reqs := auditBlock{}.Requirements(context.Background(), types.ObjectNull(nil))
	if len(reqs) != 1 || reqs[0].ServicePlan != "M365_ADVANCED_AUDITING" {
		t.Fatalf("requirements = %v", reqs)
	}
	wantReqs := map[int64]int{30: 0, 180: 0, 181: 1, defaultAuditRetentionDays: 1}
	for days, want := range wantReqs {
		obj := types.ObjectValueMust(map[string]attr.Type{"retention_days": types.Int64Type},
			map[string]attr.Value{"retention_days": types.Int64Value(days)})
		// Audit (Standard) keeps 180 days: only longer retention needs Audit (Premium).
		if got := (auditBlock{}).Requirements(context.Background(), obj); len(got) != want {
			t.Errorf("retention_days = %d: requirements = %v, want %d", days, got, want)
		}
	}
	d := missingLicence("audit", reqs[0])
	if !strings.Contains(d.Summary(), "Microsoft Purview Audit (Premium)") || !strings.Contains(d.Detail(), "M365_ADVANCED_AUDITING") {
		t.Errorf("warning %q / %q does not name the licence", d.Summary(), d.Detail())
	}
}

func TestCmdletDiagnostic(t *testing.T) {
	forbidden := &m365.APIError{Kind: m365.KindForbidden, Status: 403, Message: "The user is not allowed to run this cmdlet",
		Op: m365.Operation{Action: "running", Object: "Set-OrganizationConfig", Service: "Exchange Online",
			Permissions: []string{"Exchange.ManageAsApp", "the Exchange Administrator role"}}}
	d := cmdletDiagnostic("Error Applying HIPAA Baseline Audit Settings", forbidden)
	for _, want := range []string{"Set-OrganizationConfig", "Exchange.ManageAsApp", "Exchange Administrator"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("403 detail does not name %q: %s", want, d.Detail())
		}
	}
	unavailable := &m365.APIError{Kind: m365.KindUnavailable, Status: 400, Code: "CommandNotFoundException",
		Op: m365.Operation{Action: "running", Object: "New-SafeLinksPolicy", Service: "Exchange Online"}}
	if d := cmdletDiagnostic("X", unavailable); !strings.Contains(d.Detail(), "licence") {
		t.Errorf("CommandNotFound detail gives no licence hint: %s", d.Detail())
	}
	if d := cmdletDiagnostic("X", errors.New("network down")); !strings.Contains(d.Detail(), "network down") {
		t.Errorf("plain error detail = %s", d.Detail())
	}
}
