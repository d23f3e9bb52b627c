// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateConfig validates a configuration the way `terraform validate` has the provider do it:
// through the framework's own ValidateResourceConfig, so that the tests see what users see,
// including which validators the framework skips after an error.
func validateConfig(t *testing.T, cfg tfsdk.Config) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	dv, err := tfprotov6.NewDynamicValue(cfg.Schema.Type().TerraformType(ctx), cfg.Raw)
	if err != nil {
		t.Fatalf("config value: %v", err)
	}
	srv := providerserver.NewProtocol6(validationProvider{})()
	resp, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "hipaa_ca_policy", Config: &dv})
	if err != nil {
		t.Fatalf("ValidateResourceConfig: %v", err)
	}
	var diags diag.Diagnostics
	for _, d := range resp.Diagnostics {
		if d.Attribute == nil {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				diags.AddError(d.Summary, d.Detail)
			} else {
				diags.AddWarning(d.Summary, d.Detail)
			}
			continue
		}
		p := pathOf(t, d.Attribute)
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			diags.AddAttributeError(p, d.Summary, d.Detail)
		} else {
			diags.AddAttributeWarning(p, d.Summary, d.Detail)
		}
	}
	return diags
}

// pathOf converts a protocol attribute path to the framework's, for the kinds of step this
// schema has.
func pathOf(t *testing.T, ap *tftypes.AttributePath) path.Path {
	t.Helper()
	p := path.Empty()
	for _, step := range ap.Steps() {
		switch s := step.(type) {
		case tftypes.AttributeName:
			p = p.AtName(string(s))
		case tftypes.ElementKeyInt:
			p = p.AtListIndex(int(s))
		case tftypes.ElementKeyString:
			p = p.AtMapKey(string(s))
		case tftypes.ElementKeyValue:
			v := tftypes.Value(s)
			switch {
			case v.Type().Is(tftypes.String):
				var str string
				if err := v.As(&str); err != nil {
					t.Fatalf("set element: %v", err)
				}
				p = p.AtSetValue(types.StringValue(str))
			case v.Type().Is(tftypes.Number):
				var n big.Float
				if err := v.As(&n); err != nil {
					t.Fatalf("set element: %v", err)
				}
				i, _ := n.Int64()
				p = p.AtSetValue(types.Int64Value(i))
			default:
				t.Fatalf("set element of type %s in a diagnostic path", v.Type())
			}
		}
	}
	return p
}

// validationProvider serves hipaa_ca_policy alone, unconfigured, as Terraform validates it.
type validationProvider struct{}

func (validationProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hipaa"
}
func (validationProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (validationProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (validationProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewResource}
}
func (validationProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
