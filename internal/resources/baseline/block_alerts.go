// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/compliance"
	"github.com/hipaa365/terraform-provider-hipaa/internal/planmodifiers"
)

// The alerts block: Microsoft Purview alert policies on activities that can expose PHI. HIPAA
// 164.308(a)(1)(ii)(D) (information system activity review) and 164.308(a)(6)(ii) (security
// incident response and reporting).
//
// Permissions (app-only: Exchange.ManageAsApp; reads need Global Reader, writes Compliance
// Administrator): Security & Compliance Get/New/Set/Remove-ProtectionAlert.

func init() { register(orderAlerts, alertsBlock{}) }

type alertsBlock struct{}

type alertsModel struct {
	MassFileDownload      types.Bool `tfsdk:"mass_file_download"`
	ForwardingRuleCreated types.Bool `tfsdk:"forwarding_rule_created"`
	FailedSignIns         types.Bool `tfsdk:"failed_sign_ins"`
	AdminRoleAssigned     types.Bool `tfsdk:"admin_role_assigned"`
	NotifyUsers           types.Set  `tfsdk:"notify_users"`
	AlertIDs              types.Map  `tfsdk:"alert_ids"`
	InSync                types.Bool `tfsdk:"in_sync"`
}

// alertSpec is one alert policy of the checklist.
type alertSpec struct {
	Attr        string
	Name        string
	Description string
	Category    string
	ThreatType  string
	Operations  []string
	Severity    string
	Aggregation string
	Threshold   int64 // With SimpleAggregation: this many events ...
	TimeWindow  int64 // ... within this many minutes.
}

var alertSpecs = []alertSpec{
	{Attr: "mass_file_download", Name: alertNameMassDownload, Description: "a user downloads more than 100 files within an hour",
		Category: "ThreatManagement", ThreatType: "Activity", Operations: []string{"FileDownloaded"}, Severity: "High",
		Aggregation: "SimpleAggregation", Threshold: 100, TimeWindow: 60},
	{Attr: "forwarding_rule_created", Name: alertNameForwardingRule, Description: "someone creates or changes an inbox rule (which can forward mail)",
		Category: "ThreatManagement", ThreatType: "Activity", Operations: []string{"New-InboxRule", "Set-InboxRule"}, Severity: "Medium",
		Aggregation: "None"},
	{Attr: "failed_sign_ins", Name: alertNameFailedSignIns, Description: "a user fails to sign in 10 times within an hour",
		Category: "ThreatManagement", ThreatType: "Activity", Operations: []string{"UserLoginFailed"}, Severity: "Medium",
		Aggregation: "SimpleAggregation", Threshold: 10, TimeWindow: 60},
	{Attr: "admin_role_assigned", Name: alertNameAdminRole, Description: "someone is added to a directory role",
		Category: "AccessGovernance", ThreatType: "Activity", Operations: []string{"Add member to role."}, Severity: "High",
		Aggregation: "None"},
}

var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func (alertsBlock) Name() string { return "alerts" }

// owned: the alert policies, found by name whether or not the plan turns each on.
func (alertsBlock) owned(context.Context, types.Object) []ownedObject {
	out := make([]ownedObject, 0, len(alertSpecs))
	for _, s := range alertSpecs {
		out = append(out, cmdletObject("alert policy", true, "ProtectionAlert", s.Name, nil))
	}
	return out
}

func (alertsBlock) Schema() schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{
		"notify_users": schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Computed: true, Default: emptyStringSetDef,
			Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(emailPattern, "must be an email address"))},
			MarkdownDescription: "Email addresses notified when an alert fires. Defaults to none, in which case Microsoft notifies the " +
				"tenant's administrators (TenantAdmins). HIPAA 164.308(a)(6)(ii).",
		},
		"alert_ids": schema.MapAttribute{
			ElementType: types.StringType, Computed: true,
			MarkdownDescription: "The ids of the alert policies the baseline manages, by policy name.",
			PlanModifiers: []planmodifier.Map{idsFor("alert_ids", "keeps the ids of alert policies that exist", func(blk types.Object) ([]string, bool) {
				var names []string
				for _, s := range alertSpecs {
					on, ok := attrBool(blk, s.Attr)
					if !ok {
						return nil, false
					}
					if on {
						names = append(names, s.Name)
					}
				}
				return names, true
			})},
		},
		"in_sync": schema.BoolAttribute{
			Computed: true,
			MarkdownDescription: "Whether the alert policies match the baseline in the settings no attribute shows (category, activities, " +
				"severity, threshold, enabled, recipients). `false` in the state means the next apply repairs them.",
			PlanModifiers: []planmodifier.Bool{planmodifiers.PlanTrue()},
		},
	}
	for _, s := range alertSpecs {
		attrs[s.Attr] = schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
			MarkdownDescription: "Whether the alert policy \"" + s.Name + "\" (severity " + strings.ToLower(s.Severity) + ") fires when " +
				s.Description + ". Defaults to `true`. HIPAA 164.308(a)(1)(ii)(D).",
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Alert policies in Microsoft Purview (HIPAA 164.308(a)(1)(ii)(D) information system activity review, " +
			"164.308(a)(6)(ii) security incident procedures): mass file downloads, inbox rules that can forward mail, repeated failed " +
			"sign-ins and directory role assignments. They rely on the unified audit log (`audit.unified_audit_log_ingestion`).",
		Attributes: attrs,
	}
}

// enabled returns the alert attributes of m by spec attribute name.
func (m *alertsModel) enabled() map[string]*types.Bool {
	return map[string]*types.Bool{
		"mass_file_download": &m.MassFileDownload, "forwarding_rule_created": &m.ForwardingRuleCreated,
		"failed_sign_ins": &m.FailedSignIns, "admin_role_assigned": &m.AdminRoleAssigned,
	}
}

func defaultAlertsModel() alertsModel {
	return alertsModel{
		MassFileDownload: types.BoolValue(true), ForwardingRuleCreated: types.BoolValue(true), FailedSignIns: types.BoolValue(true),
		AdminRoleAssigned: types.BoolValue(true), NotifyUsers: setValue(nil),
	}
}

// alert is the alert policy the spec asks for, notifying notify.
func (s alertSpec) alert(notify []string) compliance.ProtectionAlert {
	return compliance.ProtectionAlert{
		Name: s.Name, Category: s.Category, ThreatType: s.ThreatType, Operation: append([]string(nil), s.Operations...), Severity: s.Severity,
		AggregationType: s.Aggregation, Threshold: s.Threshold, TimeWindow: s.TimeWindow, NotifyUser: append([]string{}, notify...),
	}
}

// readAlerts returns the baseline's alert policies by name.
func readAlerts(ctx context.Context, e *env, ids map[string]string) (alertsLive, error) {
	all, err := compliance.ListProtectionAlerts(ctx, e.tenant)
	if err != nil {
		return nil, err
	}
	out := alertsLive{}
	for _, s := range alertSpecs {
		a, err := all.Find(ids[s.Name], s.Name)
		if m365.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[s.Name] = *a
	}
	return out, nil
}

// flattenAlerts is the block state of the alerts the tenant has; ref says which the block manages
// and supplies notify_users when no alert exists.
func flattenAlerts(live alertsLive, ref alertsModel) alertsModel {
	m := ref
	ids := map[string]string{}
	notify := setStrings(ref.NotifyUsers)
	for _, s := range alertSpecs {
		if a, ok := live[s.Name]; ok {
			ids[s.Name] = a.ID
			notify = a.NotifyUser
			break
		}
	}
	inSync := true
	en := m.enabled()
	for _, s := range alertSpecs {
		a, ok := live[s.Name]
		*en[s.Attr] = types.BoolValue(ok)
		if !ok {
			continue
		}
		ids[s.Name] = a.ID
		if boolDefault(*ref.enabled()[s.Attr], true) {
			inSync = inSync && compliance.DiffProtectionAlert(a, s.alert(notify)).NoChange()
		}
	}
	m.NotifyUsers = setValue(notify)
	m.AlertIDs = idMap(ids)
	m.InSync = types.BoolValue(inSync)
	return m
}

// alertsLive is the baseline's alert policies in the tenant, by name.
type alertsLive = map[string]compliance.ProtectionAlert

// alertsSkeleton: import adopts whichever of the baseline's alert policies exist.
var alertsSkeleton = skeleton[alertsModel, alertsLive]{
	b:         alertsBlock{},
	checklist: defaultAlertsModel,
	load: func(ctx context.Context, e *env, prior *alertsModel, _ alertsModel) (alertsLive, error) {
		ids := map[string]string{}
		if prior != nil {
			ids = mapStrings(prior.AlertIDs)
		}
		return readAlerts(ctx, e, ids)
	},
	adopt:   func(live alertsLive, _ *alertsModel) bool { return len(live) > 0 },
	flatten: flattenAlerts,
	steps: func(ctx context.Context, e *env, plan alertsModel, live *alertsLive, _ *diag.Diagnostics) error {
		return syncAlerts(ctx, e, plan, *live)
	},
	// State keeps every alert that exists now, with its id: the next apply adopts them.
	partial: func(live alertsLive, plan alertsModel) alertsModel {
		m := flattenAlerts(live, plan)
		m.InSync = types.BoolValue(false)
		return m
	},
	applied: func(live alertsLive, plan alertsModel) alertsModel {
		m := flattenAlerts(live, plan)
		m.NotifyUsers, m.InSync = plan.NotifyUsers, types.BoolValue(true)
		return m
	},
	diagnose: cmdletDiagnostic,
}

func (alertsBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return alertsSkeleton.read(ctx, e, prior)
}

func (alertsBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return alertsSkeleton.apply(ctx, e, plan, prior)
}

// syncAlerts creates, repairs or removes each alert policy in turn, recording each result in live.
func syncAlerts(ctx context.Context, e *env, p alertsModel, live alertsLive) error {
	notify := setStrings(p.NotifyUsers)
	en := p.enabled()
	for _, s := range alertSpecs {
		a, exists := live[s.Name]
		if !en[s.Attr].ValueBool() {
			if exists {
				if err := compliance.RemoveProtectionAlert(ctx, e.tenant, a.ID); err != nil {
					return err
				}
				delete(live, s.Name)
			}
			continue
		}
		var current *compliance.ProtectionAlert
		if exists {
			current = &a
		}
		got, err := compliance.EnsureProtectionAlert(ctx, e.tenant, current, s.alert(notify))
		if got == nil {
			delete(live, s.Name)
		} else {
			live[s.Name] = *got
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Release removes the alert policies the baseline created; there is no tenant-wide setting to
// restore.
func (alertsBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return alertsSkeleton.release(ctx, e, prior, restore, func(ctx context.Context, e *env, p alertsModel, _ bool, _ *diag.Diagnostics) error {
		for _, id := range mapStrings(p.AlertIDs) {
			if err := compliance.RemoveProtectionAlert(ctx, e.tenant, id); err != nil {
				return err
			}
		}
		return nil
	})
}
