// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assessment

import (
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

type assessmentModel struct {
	ID               types.String  `tfsdk:"id"`
	IncludeControls  types.Set     `tfsdk:"include_controls"`
	ExcludeControls  types.Set     `tfsdk:"exclude_controls"`
	Exceptions       types.List    `tfsdk:"exceptions"`
	Attestations     types.List    `tfsdk:"attestations"`
	Thresholds       types.Object  `tfsdk:"thresholds"`
	BAACoveredAppIDs types.Set     `tfsdk:"baa_covered_app_ids"`
	Compliant        types.Bool    `tfsdk:"compliant"`
	Score            types.Float64 `tfsdk:"score"`
	Counts           types.Map     `tfsdk:"counts"`
	Gaps             types.List    `tfsdk:"gaps"`
	SnapshotSHA256   types.String  `tfsdk:"snapshot_sha256"`
	Safeguards       types.List    `tfsdk:"safeguards"`
	Controls         types.List    `tfsdk:"controls"`
	BAA              types.Object  `tfsdk:"baa"`
}

type exceptionModel struct {
	ControlID types.String `tfsdk:"control_id"`
	Reason    types.String `tfsdk:"reason"`
	Expires   types.String `tfsdk:"expires"`
}

type attestationModel struct {
	ControlID   types.String `tfsdk:"control_id"`
	AttestedBy  types.String `tfsdk:"attested_by"`
	Date        types.String `tfsdk:"date"`
	EvidenceURL types.String `tfsdk:"evidence_url"`
	Expires     types.String `tfsdk:"expires"`
}

type thresholdsModel struct {
	AuditRetentionDays     types.Int64   `tfsdk:"audit_retention_days"`
	SignInFrequencyHours   types.Int64   `tfsdk:"sign_in_frequency_hours"`
	IdleSignOutMinutes     types.Int64   `tfsdk:"idle_sign_out_minutes"`
	MFARegistrationPercent types.Float64 `tfsdk:"mfa_registration_percent"`
}

type safeguardModel struct {
	Citation      types.String `tfsdk:"citation"`
	Title         types.String `tfsdk:"title"`
	Category      types.String `tfsdk:"category"`
	Specification types.String `tfsdk:"specification"`
	Status        types.String `tfsdk:"status"`
	ControlIDs    []string     `tfsdk:"control_ids"`
}

type controlModel struct {
	ID          types.String `tfsdk:"id"`
	Title       types.String `tfsdk:"title"`
	Status      types.String `tfsdk:"status"`
	Severity    types.String `tfsdk:"severity"`
	Expected    types.String `tfsdk:"expected"`
	Actual      types.String `tfsdk:"actual"`
	Detail      types.String `tfsdk:"detail"`
	Objects     []string     `tfsdk:"objects"`
	Citations   []string     `tfsdk:"citations"`
	Remediation types.String `tfsdk:"remediation"`
	Excepted    types.Bool   `tfsdk:"excepted"`
}

type baaModel struct {
	ServicesInUse      []string `tfsdk:"services_in_use"`
	ServicesNotCovered []string `tfsdk:"services_not_covered"`
	AppsNeedingBAA     []string `tfsdk:"apps_needing_baa"`
}

// inputs turns the configuration into the engine's inputs. The emergency-access accounts come
// from the provider configuration, the same ones the lockout guard uses.
func (m assessmentModel) inputs(ctx context.Context, ea providerdata.EmergencyAccess) (assess.Inputs, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := assess.Inputs{Params: checks.Params{EmergencyAccessUserIDs: ea.UserIDs, EmergencyAccessGroupIDs: ea.GroupIDs}}
	diags.Append(m.IncludeControls.ElementsAs(ctx, &in.Include, false)...)
	diags.Append(m.ExcludeControls.ElementsAs(ctx, &in.Exclude, false)...)
	diags.Append(m.BAACoveredAppIDs.ElementsAs(ctx, &in.BAACoveredApps, false)...)
	var exceptions []exceptionModel
	diags.Append(m.Exceptions.ElementsAs(ctx, &exceptions, false)...)
	for _, e := range exceptions {
		in.Exceptions = append(in.Exceptions, assess.Exception{ControlID: e.ControlID.ValueString(), Reason: e.Reason.ValueString(), Expires: e.Expires.ValueString()})
	}
	var attestations []attestationModel
	diags.Append(m.Attestations.ElementsAs(ctx, &attestations, false)...)
	for _, a := range attestations {
		in.Attestations = append(in.Attestations, assess.Attestation{ControlID: a.ControlID.ValueString(), By: a.AttestedBy.ValueString(),
			Date: a.Date.ValueString(), EvidenceURL: a.EvidenceURL.ValueString(), Expires: a.Expires.ValueString()})
	}
	if !m.Thresholds.IsNull() && !m.Thresholds.IsUnknown() {
		var t thresholdsModel
		diags.Append(m.Thresholds.As(ctx, &t, basetypes.ObjectAsOptions{})...)
		in.Params.AuditRetentionDays = int(t.AuditRetentionDays.ValueInt64())
		in.Params.SignInFrequencyHours = int(t.SignInFrequencyHours.ValueInt64())
		in.Params.IdleSignOutMinutes = int(t.IdleSignOutMinutes.ValueInt64())
		in.Params.MFARegistrationPercent = t.MFARegistrationPercent.ValueFloat64()
	}
	in.Params = in.Params.Defaults()
	return in, diags
}

// fill sets the computed attributes from an assessment. servicesInUse is nil when the licences
// could not be read, which leaves baa.services_in_use null.
func (m *assessmentModel) fill(ctx context.Context, r assess.Result, servicesInUse []string) diag.Diagnostics {
	var diags diag.Diagnostics
	schema := assessmentSchemaV0(ctx)
	elemType := func(name string) attr.Type {
		list, ok := schema.Attributes[name].GetType().(types.ListType)
		if !ok {
			diags.AddError("Unexpected Assessment Schema", fmt.Sprintf("Attribute %q is not a list. This is always a bug in the provider code and should be reported to the provider developers.", name))
			return types.StringType
		}
		return list.ElemType
	}

	m.ID = types.StringValue(r.TenantID)
	m.Compliant = types.BoolValue(r.Compliant)
	m.Score = types.Float64Value(float64(r.Score))
	m.SnapshotSHA256 = types.StringValue(r.SnapshotSHA256)

	counts := map[string]attr.Value{}
	for _, s := range assess.Statuses {
		counts[string(s)] = types.Int64Value(int64(r.Counts[s]))
	}
	m.Counts = types.MapValueMust(types.Int64Type, counts)

	var d diag.Diagnostics
	m.Gaps, d = types.ListValueFrom(ctx, types.StringType, nonNil(r.Gaps))
	diags.Append(d...)

	safeguards := make([]safeguardModel, 0, len(r.Safeguards))
	for _, s := range r.Safeguards {
		safeguards = append(safeguards, safeguardModel{
			Citation: types.StringValue(s.Citation), Title: types.StringValue(s.Title),
			Category: types.StringValue(string(s.Category)), Specification: types.StringValue(string(s.Requirement)),
			Status: types.StringValue(string(s.Status)), ControlIDs: nonNil(s.ControlIDs),
		})
	}
	m.Safeguards, d = types.ListValueFrom(ctx, elemType("safeguards"), safeguards)
	diags.Append(d...)

	findings := make([]controlModel, 0, len(r.Findings))
	for _, f := range r.Findings {
		findings = append(findings, controlModel{
			ID: types.StringValue(f.ControlID), Title: types.StringValue(f.Title), Status: types.StringValue(string(f.Status)),
			Severity: types.StringValue(string(f.Severity)), Expected: types.StringValue(f.Expected), Actual: types.StringValue(f.Actual),
			Detail: types.StringValue(f.Detail), Objects: nonNil(f.Objects), Citations: nonNil(f.Citations),
			Remediation: types.StringValue(f.Remediation.String()), Excepted: types.BoolValue(f.Excepted),
		})
	}
	m.Controls, d = types.ListValueFrom(ctx, elemType("controls"), findings)
	diags.Append(d...)

	baaType, ok := schema.Attributes["baa"].GetType().(types.ObjectType)
	if !ok {
		diags.AddError("Unexpected Assessment Schema", `Attribute "baa" is not an object. This is always a bug in the provider code and should be reported to the provider developers.`)
		return diags
	}
	m.BAA, d = types.ObjectValueFrom(ctx, baaType.AttrTypes, baaModel{
		ServicesInUse:      servicesOrNull(servicesInUse),
		ServicesNotCovered: nonNil(r.BAA.Services.Objects),
		AppsNeedingBAA:     nonNil(r.BAA.Apps.Objects),
	})
	diags.Append(d...)
	return diags
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	out := make([]string, len(s))
	copy(out, s)
	sort.Strings(out)
	return out
}

// servicesOrNull keeps nil (unknown, stored as null) apart from an empty list (no services).
func servicesOrNull(s []string) []string {
	if s == nil {
		return nil
	}
	return nonNil(s)
}
