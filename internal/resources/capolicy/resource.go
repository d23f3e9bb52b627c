// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package capolicy implements the hipaa_ca_policy resource: a Conditional Access policy managed
// through Microsoft Graph v1.0, with set semantics and normalised defaults (no false drift), a
// lockout guard for emergency-access accounts, and polling for Entra's eventual consistency.
package capolicy

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/lockout"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

var (
	_ resource.ResourceWithConfigure        = (*caPolicyResource)(nil)
	_ resource.ResourceWithConfigValidators = (*caPolicyResource)(nil)
	_ resource.ResourceWithImportState      = (*caPolicyResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*caPolicyResource)(nil)
)

// NewResource is the hipaa_ca_policy factory the provider registers.
func NewResource() resource.Resource { return &caPolicyResource{} }

type caPolicyResource struct {
	data *providerdata.ProviderData
}

func (r *caPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_ca_policy"
}

func (r *caPolicyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = caPolicySchemaV0(ctx)
}

func (r *caPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, diags := providerdata.FromConfigure(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = pd
}

// ModifyPlan runs the lockout guard. It needs the provider's emergency-access ids and the
// tenant, which ValidateConfig cannot see, so it runs here, still at plan time.
func (r *caPolicyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // Destroy.
	}
	var plan caPolicyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.guard(ctx, plan, lockout.AtPlan)...)
}

func (r *caPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validators.IsGUID(req.ID) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a Conditional Access policy id. Import with the policy's object id (a GUID), as shown in the Entra admin center "+
				"or by GET https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// client returns the tenant client, or adds a diagnostic when the provider is not configured.
func (r *caPolicyResource) ready(resp interface{ AddError(string, string) }) bool {
	if r.data == nil || r.data.Tenant == nil {
		resp.AddError("Provider Not Configured",
			"The hipaa provider was not configured before this operation. This is always a bug in the provider code and should be reported to the provider developers.")
		return false
	}
	return true
}
