// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package assessment implements the hipaa_assessment data source: the same pipeline as the
// drift CLI (collect → snapshot → evaluate), surfaced to Terraform so that a `check` block can
// print the HIPAA gaps on every plan.
package assessment

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/collect"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*assessmentDataSource)(nil)

// NewDataSource is the hipaa_assessment factory the provider registers.
func NewDataSource() datasource.DataSource { return &assessmentDataSource{} }

type assessmentDataSource struct {
	data *providerdata.ProviderData
}

func (d *assessmentDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_assessment"
}

func (d *assessmentDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = assessmentSchemaV0(ctx)
}

func (d *assessmentDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, diags := providerdata.FromConfigure(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = pd
}

func (d *assessmentDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil || d.data.Tenant == nil {
		resp.Diagnostics.AddError("Provider Not Configured",
			"The hipaa provider was not configured before this operation. This is always a bug in the provider code and should be reported to the provider developers.")
		return
	}
	var m assessmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cat, err := controls.Load()
	if err != nil {
		resp.Diagnostics.AddError("Invalid Control Catalog",
			"The embedded HIPAA control catalog does not load: "+err.Error()+". This is always a bug in the provider code and should be reported to the provider developers.")
		return
	}
	in, diags := m.inputs(ctx, d.data.EmergencyAccess)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := in.Validate(cat); err != nil {
		resp.Diagnostics.AddError("Invalid Assessment Inputs", err.Error())
		return
	}

	sources := cat.Sources(assess.Selected(cat, in)...)
	snap, err := collect.Collect(ctx, d.data.Tenant, sources, collect.Options{ToolVersion: d.data.Version})
	if err != nil {
		resp.Diagnostics.AddError(diagnostics.ErrorSummary("Reading", "HIPAA Assessment"),
			fmt.Sprintf("The assessment could not read the tenant: %s. Check the provider's credentials; the read-only "+
				"permissions the assessment needs are listed in the hipaa_assessment documentation.", err))
		return
	}
	res := assess.Evaluate(cat, snap, in, time.Now())
	for _, w := range res.Warnings {
		resp.Diagnostics.AddWarning("HIPAA Assessment", w)
	}
	services, diags := servicesInUse(snap)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(m.fill(ctx, res, services)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// servicesInUse lists the services the tenant's licences enable: a fact of the snapshot, listed
// whether or not HIPAA.BAA.1 passes. When the licences could not be read the list is nil (null
// in state, not an empty list that would read as "no services"), with a warning saying why.
func servicesInUse(snap *snapshot.Snapshot) ([]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	covered, notCovered, unclassified, err := checks.ServicesInUse(snap)
	if err != nil {
		diags.AddAttributeWarning(path.Root("baa").AtName("services_in_use"), "Unable to List the Services In Use",
			fmt.Sprintf("baa.services_in_use is left null because the tenant's licences could not be read: %s. "+
				"HIPAA.BAA.1 reports error for the same reason. The read is GET /subscribedSkus and needs "+
				"Organization.Read.All; fix what the error names and run again.", err))
		return nil, diags
	}
	return append(append(append([]string{}, covered...), notCovered...), unclassified...), diags
}
