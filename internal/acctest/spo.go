// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"os"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// certificatePath is the writer app's certificate: devtenant's, or ARM_CLIENT_CERTIFICATE_PATH
// against a real tenant.
func (tn *Tenant) certificatePath(t *testing.T) string {
	t.Helper()
	if tn.Dev != nil {
		return tn.Dev.WriterCertificatePath()
	}
	p := os.Getenv("ARM_CLIENT_CERTIFICATE_PATH")
	if p == "" {
		t.Skip("SharePoint admin needs a certificate credential: set ARM_CLIENT_CERTIFICATE_PATH")
	}
	return p
}

// UseClientSecret makes the provider sign in with the writer app's client secret instead of the
// certificate env.sh exports, for tests of what a secret cannot do (SharePoint admin).
func (tn *Tenant) UseClientSecret(t *testing.T) {
	t.Helper()
	tn.RequireDevtenant(t)
	t.Setenv("ARM_CLIENT_SECRET", tn.Env["HIPAA_DEVTENANT_CLIENT_SECRET"])
	t.Setenv("ARM_CLIENT_CERTIFICATE_PATH", "")
}

// UseCertificate makes the provider sign in with the writer app's certificate instead of its
// secret, as SharePoint admin requires.
func (tn *Tenant) UseCertificate(t *testing.T) {
	t.Helper()
	path := tn.certificatePath(t)
	t.Setenv("ARM_CLIENT_SECRET", "")
	t.Setenv("ARM_CLIENT_CERTIFICATE_PATH", path)
}

// SharePoint is the portal's SharePoint admin client, signed in with the certificate.
func (tn *Tenant) SharePoint(t *testing.T) *m365.SharePointClient {
	t.Helper()
	env := map[string]string{}
	for k, v := range tn.Env {
		env[k] = v
	}
	env["ARM_CLIENT_SECRET"] = ""
	env["ARM_CLIENT_CERTIFICATE_PATH"] = tn.certificatePath(t)
	cfg, err := configFromEnv(env)
	if err != nil {
		t.Fatalf("resolving the SharePoint portal client's configuration: %v", err)
	}
	c, err := m365.NewClient(cfg)
	if err != nil {
		t.Fatalf("building the SharePoint portal client: %v", err)
	}
	spo, err := c.SharePointAdmin(context.Background())
	if err != nil {
		t.Fatalf("SharePoint portal client: %v", err)
	}
	return spo
}

// SPOTenant reads the SharePoint tenant properties (SPO.Tenant) as the portal would.
func (tn *Tenant) SPOTenant(t *testing.T) map[string]any {
	t.Helper()
	props, err := tn.SharePoint(t).Tenant(context.Background())
	if err != nil {
		t.Fatalf("portal: reading SPO.Tenant: %v", err)
	}
	return props
}

// SetSPO changes SharePoint tenant properties behind Terraform's back.
func (tn *Tenant) SetSPO(t *testing.T, props ...m365.CSOMProperty) {
	t.Helper()
	if err := tn.SharePoint(t).SetTenantProperties(context.Background(), props); err != nil {
		t.Fatalf("portal: setting SharePoint tenant properties: %v", err)
	}
}
