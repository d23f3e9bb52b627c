// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hipaa365/terraform-provider-hipaa/internal/clients"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

func (p *hipaaProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r := resolver{diags: &resp.Diagnostics}
	var ep endpointsModel
	if !cfg.Endpoints.IsNull() && !cfg.Endpoints.IsUnknown() {
		resp.Diagnostics.Append(cfg.Endpoints.As(ctx, &ep, basetypes.ObjectAsOptions{})...)
	}
	mcfg := m365.Config{
		Environment: m365.Environment(r.str(cfg.Environment, "environment", "ARM_ENVIRONMENT")),
		Endpoints: m365.Endpoints{
			Authority:       r.str(ep.Authority, "endpoints.authority", "HIPAA_AUTHORITY_HOST"),
			Graph:           r.str(ep.Graph, "endpoints.graph", "HIPAA_GRAPH_ENDPOINT"),
			Exchange:        r.str(ep.Exchange, "endpoints.exchange", "HIPAA_EXCHANGE_ENDPOINT"),
			Compliance:      r.str(ep.Compliance, "endpoints.compliance", "HIPAA_COMPLIANCE_ENDPOINT"),
			SharePointAdmin: r.str(ep.SharePointAdmin, "endpoints.sharepoint_admin", "HIPAA_SHAREPOINT_ADMIN_ENDPOINT"),
		},
		Credentials: m365.Credentials{
			TenantID:                  r.str(cfg.TenantID, "tenant_id", "ARM_TENANT_ID"),
			ClientID:                  r.str(cfg.ClientID, "client_id", "ARM_CLIENT_ID"),
			ClientSecret:              r.str(cfg.ClientSecret, "client_secret", "ARM_CLIENT_SECRET"),
			ClientCertificatePath:     r.str(cfg.ClientCertificatePath, "client_certificate_path", "ARM_CLIENT_CERTIFICATE_PATH"),
			ClientCertificatePassword: r.str(cfg.ClientCertificatePassword, "client_certificate_password", "ARM_CLIENT_CERTIFICATE_PASSWORD"),
			UseOIDC:                   r.boolean(cfg.UseOIDC, "use_oidc", "ARM_USE_OIDC"),
			OIDCToken:                 r.str(cfg.OIDCToken, "oidc_token", "ARM_OIDC_TOKEN"),
			OIDCTokenFilePath:         r.str(cfg.OIDCTokenFilePath, "oidc_token_file_path", "ARM_OIDC_TOKEN_FILE_PATH"),
			UseMSI:                    r.boolean(cfg.UseMSI, "use_msi", "ARM_USE_MSI"),
			UseCLI:                    r.boolean(cfg.UseCLI, "use_cli", "ARM_USE_CLI"),
		},
		UserAgent: p.version,
	}
	ea := clients.EmergencyAccess{
		UserIDs:  r.ids(ctx, cfg.EmergencyAccessUserIDs, "emergency_access_user_ids", "HIPAA_EMERGENCY_ACCESS_USER_IDS"),
		GroupIDs: r.ids(ctx, cfg.EmergencyAccessGroupIDs, "emergency_access_group_ids", "HIPAA_EMERGENCY_ACCESS_GROUP_IDS"),
	}
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := m365.NewClient(mcfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Configure Microsoft 365 Access",
			"The provider could not set up access to the tenant: "+err.Error()+
				". Check the provider block and the ARM_* environment variables; the provider documentation lists the supported authentication methods.")
		return
	}
	pd := &clients.ProviderData{Tenant: client, EmergencyAccess: ea}
	resp.ResourceData = pd
	resp.DataSourceData = pd
}

// resolver reads an attribute, falling back to an environment variable when it is null.
type resolver struct{ diags *diag.Diagnostics }

func (r resolver) unknown(attr string) {
	r.diags.AddAttributeError(path.Root(attr), "Provider Attribute Not Known Yet",
		"The provider cannot be configured with a value that is only known after apply (for example an attribute of a "+
			"resource in the same configuration). Use a literal, a variable or the environment variable instead.")
}

func (r resolver) str(v types.String, attr, env string) string {
	if v.IsUnknown() {
		r.unknown(attr)
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func (r resolver) boolean(v types.Bool, attr, env string) bool {
	if v.IsUnknown() {
		r.unknown(attr)
		return false
	}
	if !v.IsNull() {
		return v.ValueBool()
	}
	s := os.Getenv(env)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		r.diags.AddAttributeError(path.Root(attr), "Invalid Environment Variable",
			env+"="+strconv.Quote(s)+" is not a boolean; use true or false.")
	}
	return b
}

func (r resolver) ids(ctx context.Context, v types.Set, attr, env string) []string {
	if v.IsUnknown() {
		r.unknown(attr)
		return nil
	}
	if !v.IsNull() {
		var out []string
		r.diags.Append(v.ElementsAs(ctx, &out, false)...)
		return out
	}
	var out []string
	for _, s := range strings.Split(os.Getenv(env), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
