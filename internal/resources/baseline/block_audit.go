// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/compliance"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
	"github.com/hipaa365/terraform-provider-hipaa/internal/planmodifiers"
)

// The audit block: HIPAA 164.312(b) (audit controls) and 164.316(b)(2)(i) (keep documentation six
// years).
//
// Permissions (app-only, Exchange.ManageAsApp plus a directory role):
//
//	| Setting                     | Read (Global Reader)                            | Write                                                     |
//	|-----------------------------|-------------------------------------------------|-----------------------------------------------------------|
//	| unified_audit_log_ingestion | EXO Get-AdminAuditLogConfig                     | EXO Set-AdminAuditLogConfig (Exchange Administrator)      |
//	| mailbox_auditing            | EXO Get-OrganizationConfig                      | EXO Set-OrganizationConfig (Exchange Administrator)       |
//	| retention_days              | IPPS Get-UnifiedAuditLogRetentionPolicy         | IPPS New/Set/Remove-UnifiedAuditLogRetentionPolicy (Compliance Administrator) |
//	| (licences)                  | Graph subscribedSkus (Organization.Read.All)    |                                                           |

func init() { register(orderAudit, auditBlock{}) }

type auditBlock struct{}

type auditModel struct {
	UnifiedAuditLogIngestion types.Bool   `tfsdk:"unified_audit_log_ingestion"`
	MailboxAuditing          types.Bool   `tfsdk:"mailbox_auditing"`
	RetentionDays            types.Int64  `tfsdk:"retention_days"`
	RetentionPolicyID        types.String `tfsdk:"retention_policy_id"`
	RetentionDuration        types.String `tfsdk:"retention_duration"`
	EffectiveRetentionDays   types.Int64  `tfsdk:"effective_retention_days"`
	RetentionStatus          types.String `tfsdk:"retention_status"`
	InSync                   types.Bool   `tfsdk:"in_sync"`
}

const (
	defaultAuditRetentionDays = 2190 // Six years: HIPAA 164.316(b)(2)(i).
	// standardAuditRetentionDays is what Audit (Standard) keeps without a retention policy.
	standardAuditRetentionDays = 180
	auditRetentionPriority     = 100
)

// wantRetentionPolicy is the baseline's retention policy: every record type, operation and user
// kept for d, at a fixed priority.
func wantRetentionPolicy(d compliance.RetentionDuration) compliance.AuditRetentionPolicy {
	return compliance.AuditRetentionPolicy{Name: auditRetentionPolicyName, RetentionDuration: d.Name, Priority: auditRetentionPriority}
}

func (auditBlock) Name() string { return "audit" }

// owned: the audit log retention policy, which only a tenant with Audit (Premium) can hold.
func (auditBlock) owned(context.Context, types.Object) []ownedObject {
	return []ownedObject{cmdletObject("audit log retention policy", true, "UnifiedAuditLogRetentionPolicy", auditRetentionPolicyName, &licenceAuditPremium)}
}

func (auditBlock) Schema() schema.SingleNestedBlock {
	maxDays := compliance.RetentionDurations[len(compliance.RetentionDurations)-1].Days
	return schema.SingleNestedBlock{
		MarkdownDescription: "Audit logging (HIPAA 164.312(b), audit controls; 164.316(b)(2)(i), six-year retention): the unified audit " +
			"log, mailbox auditing and an audit log retention policy. Retention beyond 180 days needs Microsoft Purview Audit (Premium); " +
			"without it the retention policy is skipped, `retention_status` is `not_licensed` and the plan warns.",
		Attributes: map[string]schema.Attribute{
			"unified_audit_log_ingestion": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether user and admin activity is recorded in the unified audit log (Exchange `Set-AdminAuditLogConfig " +
					"-UnifiedAuditLogIngestionEnabled`). Defaults to `true`. HIPAA 164.312(b).",
			},
			"mailbox_auditing": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether mailbox auditing is on for every mailbox (Exchange `Set-OrganizationConfig -AuditDisabled:$false`), " +
					"which records access to mail holding PHI. Defaults to `true`. HIPAA 164.312(b).",
			},
			"retention_days": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(defaultAuditRetentionDays),
				Validators: []validator.Int64{int64validator.Between(1, maxDays)},
				MarkdownDescription: fmt.Sprintf("How many days audit records must be kept. The baseline creates the audit log retention policy "+
					"%q for all record types with the shortest duration that is at least this long (see `retention_duration`). "+
					"Between 1 and %d. Defaults to `%d` (six years, HIPAA 164.316(b)(2)(i)). Needs Microsoft Purview Audit (Premium).",
					auditRetentionPolicyName, maxDays, defaultAuditRetentionDays),
			},
			"retention_policy_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The identity of the audit log retention policy the baseline manages; null when none exists.",
				PlanModifiers:       []planmodifier.String{keepIfManaged()},
			},
			"retention_duration": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The `RetentionDuration` of the retention policy: the shortest value at least `retention_days` long. " +
					"Currently-supported values are: " + quoted(retentionDurationNames()) + ".",
				PlanModifiers: []planmodifier.String{deriveString{derive[types.String]{
					desc: "plans the retention enum that covers retention_days", f: planRetentionDuration}}},
			},
			"effective_retention_days": schema.Int64Attribute{
				Computed: true,
				MarkdownDescription: "How many days audit records are actually kept: the days of `retention_duration` when the retention policy " +
					"applies, 180 (Audit Standard) without Audit (Premium).",
				PlanModifiers: []planmodifier.Int64{deriveInt64{derive[types.Int64]{
					desc: "plans the retention the tenant will guarantee", f: planEffectiveRetention}}},
			},
			"retention_status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Whether the retention policy is applied (`" + statusApplied + "`) or skipped because the tenant lacks " +
					"Microsoft Purview Audit (Premium) (`" + statusNotLicensed + "`). Currently-supported values are: " + quoted(licenceStatuses) + ".",
				PlanModifiers: []planmodifier.String{keepIfManaged()},
			},
			"in_sync": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the retention policy matches the baseline in the settings no attribute shows (all record types, " +
					"priority 100) and exists. `false` in the state means the next apply repairs it.",
				PlanModifiers: []planmodifier.Bool{planmodifiers.PlanTrue()},
			},
		},
	}
}

func retentionDurationNames() []string {
	out := make([]string, len(compliance.RetentionDurations))
	for i, d := range compliance.RetentionDurations {
		out[i] = d.Name
	}
	return out
}

func planRetentionDuration(planBlk, _ types.Object) *types.String {
	days, ok := attrInt64(planBlk, "retention_days")
	if !ok {
		return nil
	}
	v := types.StringValue(compliance.RetentionDurationFor(days).Name)
	return &v
}

// planEffectiveRetention follows the licence status of the state: a licence that changes between
// refresh and apply is the only case the plan cannot foresee.
func planEffectiveRetention(planBlk, stateBlk types.Object) *types.Int64 {
	days, ok := attrInt64(planBlk, "retention_days")
	if !ok || !isManaged(stateBlk) {
		return nil
	}
	status, ok := attrString(stateBlk, "retention_status")
	if !ok {
		return nil
	}
	v := types.Int64Value(effectiveRetention(status, compliance.RetentionDurationFor(days)))
	return &v
}

func effectiveRetention(status string, d compliance.RetentionDuration) int64 {
	if status == statusNotLicensed {
		return standardAuditRetentionDays
	}
	return d.Days
}

// Requirements: keeping records longer than Audit (Standard)'s 180 days takes a retention
// policy, an Audit (Premium) feature. Up to 180 days the standard retention already keeps them,
// so there is nothing to warn about; an unknown value is checked as if it needed the licence.
func (auditBlock) Requirements(_ context.Context, plan types.Object) []Licence {
	if days, ok := attrInt64(plan, "retention_days"); ok && days <= standardAuditRetentionDays {
		return nil
	}
	return []Licence{licenceAuditPremium}
}

// auditLive is what the tenant has.
type auditLive struct {
	Ingestion     bool
	AuditDisabled bool
	Licensed      bool
	Policy        *compliance.AuditRetentionPolicy // The baseline's retention policy, nil when missing or not licensed.
}

func readAuditLive(ctx context.Context, e *env, policyID string) (auditLive, error) {
	var live auditLive
	cfg, err := exchange.GetAuditConfig(ctx, e.tenant)
	if err != nil {
		return live, err
	}
	live.Ingestion, live.AuditDisabled = cfg.UnifiedAuditLogIngestionEnabled, cfg.AuditDisabled
	if live.Licensed, err = e.licensed(ctx, licenceAuditPremium); err != nil || !live.Licensed {
		return live, err
	}
	live.Policy, err = compliance.FindAuditRetentionPolicy(ctx, e.tenant, policyID, auditRetentionPolicyName)
	if m365.IsNotFound(err) {
		return live, nil
	}
	return live, err
}

// retentionPolicyInSync reports whether the policy exists and matches the baseline.
func retentionPolicyInSync(policy *compliance.AuditRetentionPolicy, want compliance.RetentionDuration) bool {
	return policy != nil && compliance.DiffAuditRetentionPolicy(*policy, wantRetentionPolicy(want)).NoChange()
}

// flattenAudit is the block state of what the tenant has. days is the configured retention_days.
func flattenAudit(live auditLive, days int64) auditModel {
	want := compliance.RetentionDurationFor(days)
	m := auditModel{
		UnifiedAuditLogIngestion: types.BoolValue(live.Ingestion),
		MailboxAuditing:          types.BoolValue(!live.AuditDisabled),
		RetentionDays:            types.Int64Value(days),
		RetentionPolicyID:        types.StringNull(),
		InSync:                   types.BoolValue(true),
	}
	if live.Policy != nil {
		m.RetentionPolicyID = types.StringValue(live.Policy.ID)
	}
	if !live.Licensed {
		// Nothing to manage: report the plan's own values so that there is no perpetual diff.
		m.RetentionStatus = types.StringValue(statusNotLicensed)
		m.RetentionDuration = types.StringValue(want.Name)
		m.EffectiveRetentionDays = types.Int64Value(standardAuditRetentionDays)
		return m
	}
	m.RetentionStatus = types.StringValue(statusApplied)
	if live.Policy == nil {
		m.RetentionDuration = types.StringNull()
		m.EffectiveRetentionDays = types.Int64Value(standardAuditRetentionDays)
		m.InSync = types.BoolValue(false)
		return m
	}
	m.RetentionDuration = types.StringValue(live.Policy.RetentionDuration)
	m.EffectiveRetentionDays = types.Int64Value(standardAuditRetentionDays)
	if got, ok := compliance.RetentionDurationNamed(live.Policy.RetentionDuration); ok {
		m.RetentionDuration = types.StringValue(got.Name)
		m.EffectiveRetentionDays = types.Int64Value(got.Days)
	}
	m.InSync = types.BoolValue(retentionPolicyInSync(live.Policy, want))
	return m
}

// auditSkeleton: the Exchange settings always exist; import adopts them when they meet the
// baseline, or the baseline's retention policy, whose duration then sets retention_days.
var auditSkeleton = skeleton[auditModel, auditLive]{
	b:         auditBlock{},
	checklist: func() auditModel { return auditModel{RetentionDays: types.Int64Value(defaultAuditRetentionDays)} },
	load: func(ctx context.Context, e *env, prior *auditModel, _ auditModel) (auditLive, error) {
		policyID := ""
		if prior != nil {
			policyID = prior.RetentionPolicyID.ValueString()
		}
		return readAuditLive(ctx, e, policyID)
	},
	adopt: func(live auditLive, ref *auditModel) bool {
		if live.Policy == nil && (!live.Ingestion || live.AuditDisabled) {
			return false
		}
		if live.Policy != nil {
			if got, ok := compliance.RetentionDurationNamed(live.Policy.RetentionDuration); ok && got != compliance.RetentionDurationFor(ref.RetentionDays.ValueInt64()) {
				ref.RetentionDays = types.Int64Value(got.Days)
			}
		}
		return true
	},
	flatten: func(live auditLive, ref auditModel) auditModel {
		return flattenAudit(live, ref.RetentionDays.ValueInt64())
	},
	steps: auditSteps,
	partial: func(live auditLive, plan auditModel) auditModel {
		m := flattenAudit(live, plan.RetentionDays.ValueInt64())
		m.InSync = types.BoolValue(false)
		return m
	},
	applied: func(live auditLive, plan auditModel) auditModel {
		return flattenAudit(live, plan.RetentionDays.ValueInt64())
	},
	diagnose: cmdletDiagnostic,
}

func (auditBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return auditSkeleton.read(ctx, e, prior)
}

func (auditBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return auditSkeleton.apply(ctx, e, plan, prior)
}

// auditSteps changes the tenant setting by setting, recording each in live, so that on failure
// the state says exactly what was applied.
func auditSteps(ctx context.Context, e *env, p auditModel, live *auditLive, _ *diag.Diagnostics) error {
	if want := p.UnifiedAuditLogIngestion.ValueBool(); live.Ingestion != want {
		if err := exchange.SetUnifiedAuditLogIngestion(ctx, e.tenant, want); err != nil {
			return err
		}
		live.Ingestion = want
	}
	if want := p.MailboxAuditing.ValueBool(); live.AuditDisabled == want {
		if err := exchange.SetAuditDisabled(ctx, e.tenant, !want); err != nil {
			return err
		}
		live.AuditDisabled = !want
	}
	if !live.Licensed {
		return nil
	}
	// A policy narrowed to some record types, operations or users is replaced: Set- cannot clear
	// those filters.
	policy, err := compliance.EnsureAuditRetentionPolicy(ctx, e.tenant, live.Policy, wantRetentionPolicy(compliance.RetentionDurationFor(p.RetentionDays.ValueInt64())))
	if err != nil {
		return err
	}
	live.Policy = policy
	return nil
}

// Release removes the retention policy the baseline created. Microsoft's defaults are auditing
// on, which is also the baseline, so restore has nothing to put back.
func (auditBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return auditSkeleton.release(ctx, e, prior, restore, func(ctx context.Context, e *env, p auditModel, _ bool, _ *diag.Diagnostics) error {
		return compliance.RemoveAuditRetentionPolicy(ctx, e.tenant, p.RetentionPolicyID.ValueString())
	})
}
