// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package baseline implements hipaa_baseline: the whole HIPAA checklist for a tenant as one
// resource. Each optional block (mfa, sharing, audit, email ...) manages one area across Entra,
// SharePoint, Exchange and Purview; every attribute defaults to the checklist value. The files
// block_<name>.go hold one block each; resource.go and crud.go orchestrate them.
package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

var (
	_ resource.ResourceWithConfigure        = (*baselineResource)(nil)
	_ resource.ResourceWithImportState      = (*baselineResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*baselineResource)(nil)
	_ resource.ResourceWithConfigValidators = (*baselineResource)(nil)
)

// NewResource is the hipaa_baseline factory the provider registers.
func NewResource() resource.Resource { return &baselineResource{} }

type baselineResource struct {
	data *providerdata.ProviderData
}

// emergencyAccessModel is the emergency_access block.
type emergencyAccessModel struct {
	UserIDs  types.Set `tfsdk:"user_ids"`
	GroupIDs types.Set `tfsdk:"group_ids"`
}

func (r *baselineResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_baseline"
}

func (r *baselineResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = baselineSchemaV0(ctx)
}

func emergencyAccessSchema() schema.SingleNestedBlock {
	ids := func(desc string) schema.SetAttribute {
		return schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Computed: true,
			Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, nil)),
			Validators:          []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
			MarkdownDescription: desc,
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Required. The emergency-access (break-glass) accounts, excluded from every Conditional Access policy " +
			"the baseline manages so that a misconfiguration can never lock every administrator out (HIPAA 164.312(a)(2)(ii), " +
			"emergency access procedure). Give at least one user or group. It must hold the provider's " +
			"`emergency_access_user_ids` / `emergency_access_group_ids` too while a policy that could lock them out is enabled: " +
			"plan fails otherwise and names the ids to add.",
		Attributes: map[string]schema.Attribute{
			"user_ids": ids("Object ids of emergency-access users. Each must be a user of the tenant (plan looks it up at " +
				"`/users/{id}`; a missing id or a group's id fails). Defaults to none."),
			"group_ids": ids("Object ids of groups holding the emergency-access accounts. Each must be a group of the tenant " +
				"(looked up at `/groups/{id}`). Defaults to none."),
		},
		Validators: []validator.Object{objectvalidator.IsRequired()},
	}
}

func baselineSchemaV0(ctx context.Context) schema.Schema {
	bl := map[string]schema.Block{
		"emergency_access": emergencyAccessSchema(),
		"timeouts":         timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
	}
	var names []string
	for _, b := range blocks() {
		bl[b.Name()] = b.Schema()
		names = append(names, "`"+b.Name()+"`")
	}
	return schema.Schema{
		Version: 0,
		MarkdownDescription: "The HIPAA Security Rule checklist for one Microsoft 365 tenant, across Entra ID, SharePoint, Exchange Online " +
			"and Purview. Every block is optional and an omitted block is not managed; inside a block every attribute defaults to " +
			"the checklist value, so `mfa {}` enforces the checklist's MFA policy. Blocks: " + strings.Join(names, ", ") + ". " +
			"`terraform plan` shows drift per setting and `apply` repairs only what drifted. Import with the tenant id to adopt a tenant's settings.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The tenant id. There is one baseline per tenant.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"adopt_existing": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: adoptExistingDescription,
			},
			"restore_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "What `terraform destroy` does to tenant-wide settings (sharing, audit, authentication methods ...): " +
					"`false` leaves them as they are, `true` puts Microsoft's defaults back. Objects the baseline created (Conditional Access " +
					"policies, mail flow rules, alert policies ...) are always deleted. Defaults to `false`.",
			},
		},
		Blocks: bl,
	}
}

func (r *baselineResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	out := []resource.ConfigValidator{emergencyAccessGiven{"emergency_access must list at least one user or group"}}
	for _, b := range blocks() {
		if cb, ok := b.(checkedBlock); ok {
			for _, v := range cb.CrossChecks() {
				out = append(out, validators.ObjectAt(path.Root(b.Name()), v))
			}
		}
	}
	return out
}

// emergencyAccessGiven requires at least one emergency-access id.
type emergencyAccessGiven struct{ described }

func (emergencyAccessGiven) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var ea types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("emergency_access"), &ea)...)
	if resp.Diagnostics.HasError() || ea.IsNull() || ea.IsUnknown() {
		return
	}
	m, d := decode[emergencyAccessModel](ctx, ea)
	resp.Diagnostics.Append(d...)
	if m.UserIDs.IsUnknown() || m.GroupIDs.IsUnknown() {
		return
	}
	if len(m.UserIDs.Elements())+len(m.GroupIDs.Elements()) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("emergency_access"), "No Emergency-Access Account",
			"emergency_access lists no user and no group. Every Conditional Access policy of the baseline excludes these accounts so "+
				"that a mistake cannot lock every administrator out of the tenant (HIPAA 164.312(a)(2)(ii)). Add user_ids = [\"<break-glass "+
				"user object id>\"] or group_ids.")
	}
}

func (r *baselineResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerdata.FromConfigure(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = pd
}

func (r *baselineResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validators.IsGUID(req.ID) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a tenant id. Import hipaa_baseline with the tenant (directory) id, a GUID.", req.ID))
		return
	}
	if r.data != nil && r.data.Tenant != nil && r.data.Tenant.TenantID != "" && !strings.EqualFold(r.data.Tenant.TenantID, req.ID) {
		resp.Diagnostics.AddError("Import ID Is Another Tenant",
			fmt.Sprintf("The provider is configured for tenant %s, but the import id is %s. Import the baseline of the tenant the provider signs in to.",
				r.data.Tenant.TenantID, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// ModifyPlan runs the lockout guard (guard.go) and warns at plan time about settings the
// tenant's licences cannot carry, naming the licence, instead of failing at apply.
func (r *baselineResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() && r.data != nil && r.data.Tenant != nil {
		forgetIncomplete(r.data.Tenant.TenantID) // A destroy deletes what the baseline made; nothing to resume.
	}
	if req.Plan.Raw.IsNull() || r.data == nil || r.data.Tenant == nil {
		return
	}
	if req.State.Raw.IsNull() {
		planResume(ctx, resp.Private, r.data.Tenant.TenantID, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(r.guard(ctx, req.Plan, lockout.AtPlan)...)
	e := newEnv(r.data.Tenant, providerdata.EmergencyAccess{})
	for _, b := range blocks() {
		warnRelease(ctx, b, req, resp)
		var plan types.Object
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(b.Name()), &plan)...)
		if !isManaged(plan) {
			continue
		}
		if pw, ok := b.(planWarner); ok {
			resp.Diagnostics.Append(pw.PlanWarnings(ctx, e, plan)...)
		}
		lb, ok := b.(licensedBlock)
		if !ok {
			continue
		}
		for _, l := range lb.Requirements(ctx, plan) {
			ok, err := e.licensed(ctx, l)
			if err != nil {
				resp.Diagnostics.AddWarning("Unable to Check Licences",
					fmt.Sprintf("Could not read the tenant's licences to check %s: %s", l.Feature, err))
				return
			}
			if !ok {
				resp.Diagnostics.Append(missingLicence(b.Name(), l))
			}
		}
	}
}

// warnRelease says, at plan time, that a block leaving the configuration deletes the objects it
// manages. After an import adopts every block the tenant has, a configuration that lists only
// some blocks would otherwise delete the adopted policies without a word beyond the diff.
func warnRelease(ctx context.Context, b block, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(b.Name()), &plan)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(b.Name()), &state)...)
	if isManaged(state) && plan.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root(b.Name()), "Block Will Stop Being Managed: "+b.Name(),
			fmt.Sprintf("The %[1]s block is in the state but not in the configuration. Apply deletes the objects it manages "+
				"(Conditional Access policies, rules, alert policies) and leaves its tenant-wide settings as they are. "+
				"If the block was adopted by an import and you want to keep managing it, add `%[1]s {}` to the configuration.", b.Name()))
	}
}

// missingLicence is the one warning for a setting the tenant is not licensed for.
func missingLicence(blockName string, l Licence) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root(blockName), "Licence Missing: "+l.Product,
		fmt.Sprintf("%s needs %s (service plan %s), which this tenant does not have. The baseline leaves it unconfigured and "+
			"reports it as not licensed; the rest of the %s block is applied.", l.Feature, l.Product, l.ServicePlan, blockName))
}

// emergencyFrom reads the emergency_access block of a plan or state.
func emergencyFrom(ctx context.Context, obj types.Object) (providerdata.EmergencyAccess, diag.Diagnostics) {
	var ea providerdata.EmergencyAccess
	if !isManaged(obj) {
		return ea, nil
	}
	m, diags := decode[emergencyAccessModel](ctx, obj)
	if diags.HasError() {
		return ea, diags
	}
	diags.Append(m.UserIDs.ElementsAs(ctx, &ea.UserIDs, false)...)
	diags.Append(m.GroupIDs.ElementsAs(ctx, &ea.GroupIDs, false)...)
	return ea, diags
}

// emergencyValue is the emergency_access block value of ids.
func emergencyValue(ea providerdata.EmergencyAccess) types.Object {
	set := func(ids []string) types.Set {
		vals := make([]attr.Value, len(ids))
		for i, id := range ids {
			vals[i] = types.StringValue(id)
		}
		return types.SetValueMust(types.StringType, vals)
	}
	return types.ObjectValueMust(
		map[string]attr.Type{"user_ids": types.SetType{ElemType: types.StringType}, "group_ids": types.SetType{ElemType: types.StringType}},
		map[string]attr.Value{"user_ids": set(ea.UserIDs), "group_ids": set(ea.GroupIDs)},
	)
}
