// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"context"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
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
	values := attrValues{r: r,
		strs: map[m365.Setting]types.String{
			m365.SettingEnvironment:               cfg.Environment,
			m365.SettingAuthorityHost:             ep.Authority,
			m365.SettingGraphEndpoint:             ep.Graph,
			m365.SettingExchangeEndpoint:          ep.Exchange,
			m365.SettingComplianceEndpoint:        ep.Compliance,
			m365.SettingSharePointAdminEndpoint:   ep.SharePointAdmin,
			m365.SettingTenantID:                  cfg.TenantID,
			m365.SettingClientID:                  cfg.ClientID,
			m365.SettingClientSecret:              cfg.ClientSecret,
			m365.SettingClientCertificatePath:     cfg.ClientCertificatePath,
			m365.SettingClientCertificatePassword: cfg.ClientCertificatePassword,
			m365.SettingOIDCToken:                 cfg.OIDCToken,
			m365.SettingOIDCTokenFilePath:         cfg.OIDCTokenFilePath,
		},
		bools: map[m365.Setting]types.Bool{
			m365.SettingUseOIDC: cfg.UseOIDC,
			m365.SettingUseMSI:  cfg.UseMSI,
			m365.SettingUseCLI:  cfg.UseCLI,
		},
	}
	// The mapping from settings to m365.Config is shared with the drift CLI; attribute values
	// win over the environment here, and invalid values are reported as diagnostics.
	mcfg, _ := m365.ResolveConfig(values, p.version)
	ea := providerdata.EmergencyAccess{
		UserIDs:  r.ids(ctx, cfg.EmergencyAccessUserIDs, m365.SettingEmergencyAccessUserIDs),
		GroupIDs: r.ids(ctx, cfg.EmergencyAccessGroupIDs, m365.SettingEmergencyAccessGroupIDs),
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
	// A wrong secret or certificate fails here, at plan, with Entra's reason. The token is kept by
	// the client's credential, so this is the only Graph token request of the run.
	if err := client.SignIn(ctx); err != nil {
		resp.Diagnostics.AddError("Unable to Sign In to Microsoft Entra ID", signInDetail(mcfg.Credentials, err))
		return
	}
	pd := &providerdata.ProviderData{Tenant: client, EmergencyAccess: ea, Version: p.version}
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

// attrValues answers m365.ResolveConfig from the provider block, falling back to the
// environment for null attributes.
type attrValues struct {
	r     resolver
	strs  map[m365.Setting]types.String
	bools map[m365.Setting]types.Bool
}

func (a attrValues) String(s m365.Setting) string { return a.r.str(a.strs[s], s) }

func (a attrValues) Bool(s m365.Setting) (bool, error) { return a.r.boolean(a.bools[s], s), nil }

func (r resolver) str(v types.String, s m365.Setting) string {
	if v.IsUnknown() {
		r.unknown(s.Attribute)
		return ""
	}
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(s.Env)
}

func (r resolver) boolean(v types.Bool, s m365.Setting) bool {
	if v.IsUnknown() {
		r.unknown(s.Attribute)
		return false
	}
	if !v.IsNull() {
		return v.ValueBool()
	}
	b, err := m365.ParseEnvBool(s.Env, os.Getenv(s.Env))
	if err != nil {
		r.diags.AddAttributeError(path.Root(s.Attribute), "Invalid Environment Variable", err.Error()+".")
	}
	return b
}

func (r resolver) ids(ctx context.Context, v types.Set, s m365.Setting) []string {
	if v.IsUnknown() {
		r.unknown(s.Attribute)
		return nil
	}
	if !v.IsNull() {
		var out []string
		r.diags.Append(v.ElementsAs(ctx, &out, false)...)
		return out
	}
	ids := m365.SplitIDs(os.Getenv(s.Env))
	for _, id := range ids {
		if !validators.IsGUID(id) {
			// The attribute's validator cannot see environment variables; check them here.
			r.diags.AddAttributeError(path.Root(s.Attribute), "Invalid Environment Variable",
				fmt.Sprintf("%s holds %q, which is not an object id (a GUID). List the emergency-access accounts' object ids, separated by commas.", s.Env, id))
		}
	}
	return ids
}

// signInDetail names what signed in and where, with Entra's reason.
func signInDetail(c m365.Credentials, err error) string {
	orNone := func(s string) string {
		if s == "" {
			return "(not set)"
		}
		return s
	}
	return fmt.Sprintf("Entra ID refused the provider's credential for tenant %s, application (client) id %s: %s\n\n"+
		"Check tenant_id (ARM_TENANT_ID), client_id (ARM_CLIENT_ID) and the credential: for a client secret, its value "+
		"(not its secret id) and that it has not expired; for a certificate, that it is the one registered on the app "+
		"registration; and that the app registration exists in this tenant.", orNone(c.TenantID), orNone(c.ClientID), err)
}
