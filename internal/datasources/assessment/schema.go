// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assessment

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

var controlIDPattern = regexp.MustCompile(`^HIPAA\.[A-Z]+\.\d+v\d+$`)

func controlID() validator.String {
	return stringvalidator.RegexMatches(controlIDPattern, "must be a control id such as HIPAA.CA.1v1")
}

func assessmentSchemaV0(_ context.Context) schema.Schema {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	strList := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	return schema.Schema{
		MarkdownDescription: "Assesses the tenant's live Microsoft 365 configuration against the HIPAA Security Rule (45 CFR 164.308, " +
			"164.310, 164.312, 164.316): each control's finding and, per safeguard, compliant or not, why, and what fixes it. " +
			"Use it in a `check` block to see the gaps as warnings on every plan.",
		Attributes: map[string]schema.Attribute{
			"id": str("The tenant id."),
			"include_controls": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Assess only these control ids. Defaults to every control of the catalog.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(controlID())},
			},
			"exclude_controls": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Leave these control ids out of the assessment. Prefer `exceptions`, which keep a reason and an expiry.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(controlID())},
			},
			"exceptions": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Controls accepted as not met, with a reason and an expiry date. An excepted control that fails " +
					"reports `not_applicable` with the reason; after `expires` it counts as its real result again.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"control_id": schema.StringAttribute{Required: true, Validators: []validator.String{controlID()}, MarkdownDescription: "The control id."},
					"reason":     schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(10)}, MarkdownDescription: "Why, and the compensating control."},
					"expires":    schema.StringAttribute{Required: true, Validators: []validator.String{date()}, MarkdownDescription: "Last day the exception holds (YYYY-MM-DD)."},
				}},
			},
			"attestations": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Evidence for the manual controls (risk analysis, training, contingency tests, facility access, BAAs ...). " +
					"A manual control without a current attestation is `manual_missing`.",
				NestedObject: schema.NestedAttributeObject{Validators: []validator.Object{attestationPeriodValidator{}}, Attributes: map[string]schema.Attribute{
					"control_id":   schema.StringAttribute{Required: true, Validators: []validator.String{controlID()}, MarkdownDescription: "The manual control id."},
					"attested_by":  schema.StringAttribute{Required: true, MarkdownDescription: "Who attests (name or e-mail)."},
					"date":         schema.StringAttribute{Required: true, Validators: []validator.String{date()}, MarkdownDescription: "When (YYYY-MM-DD)."},
					"evidence_url": schema.StringAttribute{Required: true, Validators: []validator.String{evidenceURL()}, MarkdownDescription: "Where the evidence is: an absolute https:// link an auditor can open."},
					"expires":      schema.StringAttribute{Required: true, Validators: []validator.String{date()}, MarkdownDescription: "When the attestation must be renewed (YYYY-MM-DD), on or after `date`."},
				}},
			},
			"thresholds": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Thresholds of the checks. Each defaults to the HIPAA checklist value.",
				Attributes: map[string]schema.Attribute{
					"audit_retention_days": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(90)},
						MarkdownDescription: "Minimum audit-log retention in days. Defaults to `2190` (six years, 164.316(b)(2))."},
					"sign_in_frequency_hours": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, 24)},
						MarkdownDescription: "Maximum Conditional Access sign-in frequency in hours. Defaults to `8`."},
					"idle_sign_out_minutes": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, 1440)},
						MarkdownDescription: "Maximum SharePoint idle session sign-out in minutes. Defaults to `15`."},
					"mfa_registration_percent": schema.Float64Attribute{Optional: true, Validators: []validator.Float64{float64validator.Between(0, 100)},
						MarkdownDescription: "Minimum share of member users registered for MFA. Defaults to `100`."},
				},
			},
			"baa_covered_app_ids": schema.SetAttribute{
				Optional: true, ElementType: types.StringType,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
				MarkdownDescription: "Application (client) ids of third-party apps whose vendor has signed a business associate agreement.",
			},
			"compliant": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "True when no control fails or errs, every required manual control is attested, and the provider's " +
					"`emergency_access_user_ids` or `emergency_access_group_ids` are set (without them no Conditional Access exclusion " +
					"can be verified)."},
			"score": schema.Float64Attribute{Computed: true,
				MarkdownDescription: "Passed controls as a percentage of passed and failed ones (0-100)."},
			"counts": schema.MapAttribute{Computed: true, ElementType: types.Int64Type,
				MarkdownDescription: "Number of controls per status: `pass`, `fail`, `not_licensed`, `manual_attested`, `manual_missing`, `error`, `not_applicable`."},
			"gaps": strList("One line per failing control, ready for a `check` block's `error_message`; first, when no " +
				"emergency-access ids are set, one line saying which to set."),
			"snapshot_sha256": str("SHA-256 of the snapshot the assessment was computed from."),
			"safeguards": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every standard and implementation specification of 164.308, 164.310, 164.312 and 164.316 with its rolled-up status.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"citation":      str("e.g. `164.312(d)`."),
					"title":         str("The standard or implementation specification."),
					"category":      str("`administrative`, `physical`, `technical` or `documentation`."),
					"specification": str("`required`, `addressable` or `standard`."),
					"status":        str("Rolled-up status of its controls."),
					"control_ids":   strList("The controls that support it."),
				}},
			},
			"controls": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Every finding.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          str("Control id, e.g. `HIPAA.CA.1v1`."),
					"title":       str("What the control requires."),
					"status":      str("`pass`, `fail`, `not_licensed`, `manual_attested`, `manual_missing`, `error` or `not_applicable`."),
					"severity":    str("`high`, `medium` or `low`."),
					"expected":    str("What the control expects."),
					"actual":      str("What the tenant has."),
					"detail":      str("Details naming the offending objects."),
					"objects":     strList("The offending objects."),
					"citations":   strList("The HIPAA citations the control supports."),
					"remediation": str("What fixes it: the `hipaa_baseline` attribute or the portal path."),
					"excepted":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether an exception applies."},
				}},
			},
			"baa": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "Business associate agreement coverage (164.308(b)).",
				Attributes: map[string]schema.Attribute{
					"services_in_use":      strList("Microsoft services the tenant's licences enable. Null when the licences could not be read (a warning says why)."),
					"services_not_covered": strList("Services in use that Microsoft's BAA does not cover."),
					"apps_needing_baa":     strList("Third-party apps holding PHI-capable permissions without a listed BAA."),
				},
			},
		},
	}
}
