// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package provider is the hipaa Terraform provider: its configuration schema, the resolution of
// that configuration (attributes, then ARM_* / HIPAA_* environment variables) into one tenant
// client, and the list of resources and data sources.
package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/datasources/assessment"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/baseline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/resources/capolicy"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

var _ provider.Provider = (*hipaaProvider)(nil)

// New returns the provider factory Terraform's plugin server calls for each provider instance.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &hipaaProvider{version: version} }
}

type hipaaProvider struct {
	version string
}

type providerModel struct {
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	Environment               types.String `tfsdk:"environment"`
	Endpoints                 types.Object `tfsdk:"endpoints"`
	EmergencyAccessUserIDs    types.Set    `tfsdk:"emergency_access_user_ids"`
	EmergencyAccessGroupIDs   types.Set    `tfsdk:"emergency_access_group_ids"`
}

type endpointsModel struct {
	Authority       types.String `tfsdk:"authority"`
	Graph           types.String `tfsdk:"graph"`
	Exchange        types.String `tfsdk:"exchange"`
	Compliance      types.String `tfsdk:"compliance"`
	SharePointAdmin types.String `tfsdk:"sharepoint_admin"`
}

func (p *hipaaProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hipaa"
	resp.Version = p.version
}

func (p *hipaaProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchemaV0()
}

func envDoc(name string) string {
	return fmt.Sprintf(" Falls back to the `%s` environment variable.", name)
}

func providerSchemaV0() schema.Schema {
	str := func(desc, env string, sensitive bool, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc + envDoc(env), Validators: v}
	}
	boolean := func(desc, env string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc + envDoc(env)}
	}
	endpoint := func(desc, env string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc + envDoc(env), Validators: []validator.String{validators.HTTPSURL()}}
	}
	ids := func(desc, env string) schema.SetAttribute {
		return schema.SetAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: desc + " Falls back to the comma-separated `" + env + "` environment variable.",
			Validators:          []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
		}
	}
	return schema.Schema{
		MarkdownDescription: "The `hipaa` provider brings a Microsoft 365 tenant to a HIPAA Security Rule baseline " +
			"(45 CFR 164.308, 164.310, 164.312, 164.316) and shows the drift from it. It authenticates with azidentity " +
			"using the same `ARM_*` environment variables as the azuread and azurerm providers.",
		Attributes: map[string]schema.Attribute{
			"tenant_id": str("The Microsoft Entra tenant (directory) id.", "ARM_TENANT_ID", false, validators.GUID()),
			"client_id": str("The application (client) id of the app registration the provider signs in as. "+
				"With `use_msi`, the client id of a user-assigned managed identity.", "ARM_CLIENT_ID", false, validators.GUID()),
			"client_secret": str("A client secret of the app registration.", "ARM_CLIENT_SECRET", true),
			"client_certificate_path": str("Path to a PEM or PKCS#12 file holding the app's certificate and private key. "+
				"SharePoint admin APIs accept only certificate credentials for app-only access.", "ARM_CLIENT_CERTIFICATE_PATH", false),
			"client_certificate_password": str("The password of the PKCS#12 file, if any.", "ARM_CLIENT_CERTIFICATE_PASSWORD", true),
			"use_oidc":                    boolean("Authenticate with an OIDC federated token (workload identity from CI). Defaults to `false`.", "ARM_USE_OIDC"),
			"oidc_token":                  str("The OIDC token to exchange, with `use_oidc`.", "ARM_OIDC_TOKEN", true),
			"oidc_token_file_path":        str("A file holding the OIDC token (read at every token request), with `use_oidc`.", "ARM_OIDC_TOKEN_FILE_PATH", false),
			"use_msi":                     boolean("Authenticate with the managed identity of the Azure host. Defaults to `false`.", "ARM_USE_MSI"),
			"use_cli":                     boolean("Authenticate with the signed-in Azure CLI account. Defaults to `false`.", "ARM_USE_CLI"),
			"environment": str(fmt.Sprintf("The Microsoft cloud: one of `%s`. `usgovernment` is GCC High. Defaults to `public`.",
				strings.Join(m365.EnvironmentNames(), "`, `")), "ARM_ENVIRONMENT", false, stringvalidator.OneOf(m365.EnvironmentNames()...)),
			"endpoints": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Overrides of the service endpoints of `environment`, for private proxies and for the emulated tenant " +
					"(`terraform-provider-hipaa devtenant`). Each must be an `https://` URL; trust a private CA through `SSL_CERT_FILE`.",
				Attributes: map[string]schema.Attribute{
					"authority":        endpoint("The Entra authority host, e.g. `https://login.microsoftonline.com/`.", "HIPAA_AUTHORITY_HOST"),
					"graph":            endpoint("The Microsoft Graph endpoint, e.g. `https://graph.microsoft.com`.", "HIPAA_GRAPH_ENDPOINT"),
					"exchange":         endpoint("The Exchange Online endpoint, e.g. `https://outlook.office365.com`.", "HIPAA_EXCHANGE_ENDPOINT"),
					"compliance":       endpoint("The Security & Compliance endpoint, e.g. `https://ps.compliance.protection.outlook.com`.", "HIPAA_COMPLIANCE_ENDPOINT"),
					"sharepoint_admin": endpoint("The SharePoint admin endpoint, e.g. `https://contoso-admin.sharepoint.com`.", "HIPAA_SHAREPOINT_ADMIN_ENDPOINT"),
				},
			},
			"emergency_access_user_ids": ids("Object ids of the emergency-access (break-glass) users. Every enabled Conditional "+
				"Access policy of `hipaa_ca_policy` or `hipaa_baseline` that could lock them out (block, MFA, an authentication "+
				"strength, a compliant or hybrid joined device, an approved app or app protection, a custom control, sign-in "+
				"every time) must exclude every one of them and of `emergency_access_group_ids`; plan fails otherwise (HIPAA "+
				"164.312(a)(2)(ii), emergency access procedure). Each must be a user of the tenant: plan looks it up at "+
				"`/users/{id}` (permission `User.Read.All`).", "HIPAA_EMERGENCY_ACCESS_USER_IDS"),
			"emergency_access_group_ids": ids("Object ids of groups holding the emergency-access accounts; see `emergency_access_user_ids`. "+
				"Each must be a group of the tenant: plan looks it up at `/groups/{id}` (permission `GroupMember.Read.All`).",
				"HIPAA_EMERGENCY_ACCESS_GROUP_IDS"),
		},
	}
}

func (p *hipaaProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		capolicy.NewResource,
		baseline.NewResource,
	}
}

func (p *hipaaProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		assessment.NewDataSource,
	}
}
