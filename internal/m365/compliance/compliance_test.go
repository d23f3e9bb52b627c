// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// complianceTenant runs devtenant in-process with seed ("compliant" has Audit (Premium) and the
// baseline's objects) and returns a client of its writer app.
func complianceTenant(t *testing.T, seed string) (*devtenant.Server, *m365.Client) {
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
	return srv, c
}

// countNamed is how many objects Get-<noun> lists with that name.
func countNamed(t *testing.T, c *m365.Client, noun, name string) int {
	t.Helper()
	objs, err := c.Compliance().Invoke(context.Background(), "Get-"+noun, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range objs {
		if s, _ := o["Name"].(string); strings.EqualFold(s, name) {
			n++
		}
	}
	return n
}

func TestNotFoundIsOneErrorValue(t *testing.T) {
	_, err := protectionAlerts.find(nil, "guid-1", "HIPAA - Mass file download")
	if !m365.IsNotFound(err) {
		t.Fatalf("find in an empty list = %v, want a not found error", err)
	}
	var apiErr *m365.APIError
	if !errors.As(err, &apiErr) || apiErr.Op.Service != "Security & Compliance" ||
		!strings.Contains(err.Error(), `alert policy "HIPAA - Mass file download"`) || !strings.Contains(err.Error(), "Get-ProtectionAlert") {
		t.Errorf("not found error = %v", err)
	}
}

func TestNoChange(t *testing.T) {
	if !(Update[ProtectionAlert]{}).NoChange() {
		t.Error("an update with no parameters must be no change")
	}
	if (Update[ProtectionAlert]{Replace: true}).NoChange() {
		t.Error("a replacement is a change")
	}
	if (Update[ProtectionAlert]{params: map[string]any{"Severity": "High"}}).NoChange() {
		t.Error("a Set- parameter is a change")
	}
}
