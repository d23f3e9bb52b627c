// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"context"
	"os"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// auditingTenant runs devtenant in-process with seed and returns a client of its writer app.
func auditingTenant(t *testing.T, seed string) *m365.Client {
	t.Helper()
	srv, err := devtenant.Start(devtenant.Options{DataDir: t.TempDir(), Seed: seed})
	if err != nil {
		t.Fatalf("starting devtenant: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	env := srv.Env()
	// The HTTP client reads SSL_CERT_FILE when it is built.
	if os.Getenv("SSL_CERT_FILE") != env["SSL_CERT_FILE"] {
		t.Setenv("SSL_CERT_FILE", env["SSL_CERT_FILE"])
	}
	c, err := m365.NewClient(m365.Config{
		Endpoints: m365.Endpoints{Authority: env["HIPAA_AUTHORITY_HOST"], Graph: env["HIPAA_GRAPH_ENDPOINT"],
			Exchange: env["HIPAA_EXCHANGE_ENDPOINT"], Compliance: env["HIPAA_COMPLIANCE_ENDPOINT"],
			SharePointAdmin: env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]},
		Credentials: m365.Credentials{TenantID: env["ARM_TENANT_ID"], ClientID: env["ARM_CLIENT_ID"],
			ClientCertificatePath: srv.WriterCertificatePath()},
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// TestAuditConfig turns both settings over and back; Set-AdminAuditLogConfig fails in devtenant,
// as in Exchange Online, unless it is routed to the audit configuration mailbox.
func TestAuditConfig(t *testing.T) {
	ctx := context.Background()
	c := auditingTenant(t, "noncompliant")
	before, err := GetAuditConfig(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []AuditConfig{
		{UnifiedAuditLogIngestionEnabled: !before.UnifiedAuditLogIngestionEnabled, AuditDisabled: !before.AuditDisabled}, before,
	} {
		if err := SetUnifiedAuditLogIngestion(ctx, c, want.UnifiedAuditLogIngestionEnabled); err != nil {
			t.Fatal(err)
		}
		if err := SetAuditDisabled(ctx, c, want.AuditDisabled); err != nil {
			t.Fatal(err)
		}
		if got, err := GetAuditConfig(ctx, c); err != nil || got != want {
			t.Errorf("after setting %+v the tenant has %+v (%v)", want, got, err)
		}
	}
}
