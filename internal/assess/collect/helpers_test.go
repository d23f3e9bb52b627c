// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"os"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// startTenant runs devtenant in-process and returns it with a client of its writer app signed
// in with the app's certificate (SharePoint accepts nothing else).
func startTenant(tb testing.TB, seed string, users int, latency time.Duration) (*devtenant.Server, *m365.Client) {
	tb.Helper()
	srv, err := devtenant.Start(devtenant.Options{DataDir: tb.TempDir(), Seed: seed, Users: users, Latency: latency})
	if err != nil {
		tb.Fatalf("starting devtenant: %v", err)
	}
	tb.Cleanup(func() { _ = srv.Close() })
	return srv, newClient(tb, srv)
}

// newClient builds a fresh client (and so a fresh run cache) for srv.
func newClient(tb testing.TB, srv *devtenant.Server) *m365.Client {
	tb.Helper()
	return clientFromEnv(tb, srv.Env(), srv.WriterCertificatePath())
}

// clientFromEnv builds a fresh client from a devtenant's environment and writer certificate.
func clientFromEnv(tb testing.TB, env map[string]string, certPath string) *m365.Client {
	tb.Helper()
	// The HTTP client reads SSL_CERT_FILE when it is built.
	if os.Getenv("SSL_CERT_FILE") != env["SSL_CERT_FILE"] {
		tb.Setenv("SSL_CERT_FILE", env["SSL_CERT_FILE"])
	}
	c, err := m365.NewClient(m365.Config{
		Endpoints: m365.Endpoints{Authority: env["HIPAA_AUTHORITY_HOST"], Graph: env["HIPAA_GRAPH_ENDPOINT"],
			Exchange: env["HIPAA_EXCHANGE_ENDPOINT"], Compliance: env["HIPAA_COMPLIANCE_ENDPOINT"],
			SharePointAdmin: env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]},
		Credentials: m365.Credentials{TenantID: env["ARM_TENANT_ID"], ClientID: env["ARM_CLIENT_ID"],
			ClientCertificatePath: certPath},
	})
	if err != nil {
		tb.Fatalf("NewClient: %v", err)
	}
	return c
}
