// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/microsoftgraph/msgraph-sdk-go/organization"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	hipaa "github.com/hipaa365/terraform-provider-hipaa/internal/provider"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

const tokenRoute = "POST /{tenant}/oauth2/v2.0/token"

// configure runs the provider's Configure with an empty provider block, so that everything
// comes from the environment, as in the acceptance tests.
func configure(t *testing.T) (*providerdata.ProviderData, provider.ConfigureResponse) {
	t.Helper()
	ctx := context.Background()
	p := hipaa.New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, attrs)}}, &resp)
	pd, _ := resp.ResourceData.(*providerdata.ProviderData)
	return pd, resp
}

// Configuring the provider signs in once: one token request for Microsoft Graph, which every
// Graph call of the run then reuses.
func TestConfigure_signsInOnce(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	dev := tn.RequireDevtenant(t)
	tokens := func() int64 { return dev.Stats().ByRoute[tokenRoute] }

	before := tokens()
	pd, resp := configure(t)
	if resp.Diagnostics.HasError() || pd == nil {
		t.Fatalf("configure: %v", resp.Diagnostics)
	}
	if n := tokens() - before; n != 1 {
		t.Fatalf("configuring made %d token requests, want exactly 1 (the Graph sign-in)", n)
	}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := organization.NewOrganizationRequestBuilderInternal(map[string]string{}, pd.Tenant.Graph()).Get(ctx, nil); err != nil {
			t.Fatalf("GET /organization: %v", err)
		}
	}
	if _, err := pd.Tenant.Token(ctx, pd.Tenant.Endpoints.Graph); err != nil {
		t.Fatal(err)
	}
	if n := tokens() - before; n != 1 {
		t.Errorf("%d token requests after three Graph calls, want the sign-in's token reused", n)
	}
}

// A wrong secret fails when the provider is configured, in one token request, naming the
// tenant, the application and Entra's reason.
func TestConfigure_wrongSecret(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	dev := tn.RequireDevtenant(t)
	t.Setenv("ARM_CLIENT_SECRET", "not-the-secret")
	before := dev.Stats().ByRoute[tokenRoute]
	pd, resp := configure(t)
	if pd != nil || !resp.Diagnostics.HasError() {
		t.Fatalf("configured with a wrong secret: %v", resp.Diagnostics)
	}
	if n := dev.Stats().ByRoute[tokenRoute] - before; n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
	d := resp.Diagnostics.Errors()[0]
	for _, want := range []string{tn.Env["ARM_TENANT_ID"], tn.Env["ARM_CLIENT_ID"], "client secret", "AADSTS7000215: Invalid client secret provided."} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail lacks %q: %s", want, d.Detail())
		}
	}
}

// The same through Terraform: `plan` already fails, before any resource is read.
func TestAccProvider_wrongSecretFailsPlan(t *testing.T) {
	tn := acctest.Setup(t, "empty")
	tn.RequireDevtenant(t)
	t.Setenv("ARM_CLIENT_SECRET", "not-the-secret")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:   policyConfig(tn.Env["HIPAA_EMERGENCY_ACCESS_USER_IDS"]),
			PlanOnly: true,
			ExpectError: acctest.DiagText("Unable to Sign In to Microsoft Entra ID",
				"tenant "+tn.Env["ARM_TENANT_ID"]+", application (client) id "+tn.Env["ARM_CLIENT_ID"]+":",
				"AADSTS7000215: Invalid client secret provided."),
		}},
	})
}
