// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package devtenanttest starts devtenant in-process for tests that call a package directly, with
// no Terraform involved, and gives them a client of its writer application. Like graphjson it
// does not import internal/acctest (and so the provider), so that the internal tests of the
// packages the provider is built from may import it without an import cycle.
package devtenanttest

import (
	"os"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Start runs devtenant with the seed until the test ends and returns it with a client of its
// writer application.
func Start(tb testing.TB, seed string) (*devtenant.Server, *m365.Client) {
	tb.Helper()
	srv, err := devtenant.Start(devtenant.Options{DataDir: tb.TempDir(), Seed: seed})
	if err != nil {
		tb.Fatalf("starting devtenant: %v", err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("stopping devtenant: %v", err)
		}
	})
	return srv, Client(tb, srv)
}

// Client builds a fresh client (and so a fresh per-run read cache) of srv's writer application,
// signed in with the application's certificate: SharePoint's admin API accepts nothing else.
func Client(tb testing.TB, srv *devtenant.Server) *m365.Client {
	tb.Helper()
	env := srv.Env()
	// The HTTP client reads SSL_CERT_FILE when it is built.
	if os.Getenv("SSL_CERT_FILE") != env["SSL_CERT_FILE"] {
		tb.Setenv("SSL_CERT_FILE", env["SSL_CERT_FILE"])
	}
	c, err := m365.NewClient(m365.Config{
		Endpoints: m365.Endpoints{Authority: env["HIPAA_AUTHORITY_HOST"], Graph: env["HIPAA_GRAPH_ENDPOINT"],
			Exchange: env["HIPAA_EXCHANGE_ENDPOINT"], Compliance: env["HIPAA_COMPLIANCE_ENDPOINT"],
			SharePointAdmin: env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]},
		Credentials: m365.Credentials{TenantID: env["ARM_TENANT_ID"], ClientID: env["ARM_CLIENT_ID"],
			ClientCertificatePath: srv.WriterCertificatePath()},
	})
	if err != nil {
		tb.Fatalf("building the writer app's client: %v", err)
	}
	return c
}
