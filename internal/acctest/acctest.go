// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package acctest runs acceptance tests against a tenant: by default an emulated one (devtenant,
// started in-process and reached over HTTPS by the real Terraform CLI, msgraph-sdk-go and
// azidentity), or a real one when HIPAA_ACC_REAL_TENANT=1 and the ARM_* credentials are set.
package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/provider"
)

// ProtoV6ProviderFactories serve the provider in-process to the Terraform CLI.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"hipaa": providerserver.NewProtocol6WithError(provider.New("acctest")()),
}

// RealTenant reports whether the tests run against a real tenant instead of devtenant.
func RealTenant() bool { return os.Getenv("HIPAA_ACC_REAL_TENANT") == "1" }

// Tenant is the tenant a test runs against, with out-of-band access to it ("the portal").
type Tenant struct {
	// Dev is the emulated tenant, nil against a real tenant.
	Dev *devtenant.Server
	// Env is what the provider reads: the ARM_* and HIPAA_* variables.
	Env map[string]string
	// Portal is a separate tenant client, used to make changes behind Terraform's back.
	Portal *m365.Client
}

// Setup prepares an acceptance test: it skips unless TF_ACC is set, sets the Terraform CLI
// environment so that nothing is downloaded, and starts devtenant with the seed (or checks the
// real tenant's credentials). The environment is restored when the test ends.
func Setup(t *testing.T, seed string) *Tenant {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1 (make test sets it)")
	}
	terraformEnv(t)
	tn := &Tenant{Env: map[string]string{}}
	if RealTenant() && seed == "compliant" {
		// A real tenant is whatever it is; tests of the compliant seed assert its exact content.
		t.Skip("asserts the content of devtenant's compliant seed; skipped against a real tenant")
	}
	if RealTenant() {
		for _, k := range []string{"ARM_TENANT_ID", "ARM_CLIENT_ID"} {
			if os.Getenv(k) == "" {
				t.Fatalf("HIPAA_ACC_REAL_TENANT=1 needs %s and a credential (ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH, ...)", k)
			}
		}
		for _, kv := range os.Environ() {
			if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "ARM_") || strings.HasPrefix(k, "HIPAA_") {
				tn.Env[k] = v
			}
		}
	} else {
		srv, err := devtenant.Start(devtenant.Options{DataDir: t.TempDir(), Seed: seed})
		if err != nil {
			t.Fatalf("starting devtenant: %v", err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		tn.Dev = srv
		tn.Env = srv.Env()
		// As sourcing env.sh does: a secret from the shell would take precedence over the certificate.
		t.Setenv("ARM_CLIENT_SECRET", "")
		for k, v := range tn.Env {
			t.Setenv(k, v)
		}
	}
	cfg, err := configFromEnv(tn.Env)
	if err != nil {
		t.Fatalf("resolving the out-of-band client's configuration: %v", err)
	}
	portal, err := m365.NewClient(cfg)
	if err != nil {
		t.Fatalf("building the out-of-band client: %v", err)
	}
	tn.Portal = portal
	return tn
}

// RequireDevtenant skips a test that needs devtenant's knobs (faults, the read-only app) or
// asserts facts of its seeds (licences, users, apps).
func (tn *Tenant) RequireDevtenant(t *testing.T) *devtenant.Server {
	t.Helper()
	if tn.Dev == nil {
		t.Skip("needs devtenant's fault injection or fixtures; skipped against a real tenant")
	}
	return tn.Dev
}

// UseReaderApp switches the provider's credentials to devtenant's read-only application, signed
// in with its certificate (as env.sh documents) so that it reads SharePoint admin too.
func (tn *Tenant) UseReaderApp(t *testing.T) {
	t.Helper()
	tn.RequireDevtenant(t)
	t.Setenv("ARM_CLIENT_ID", tn.Env["HIPAA_DEVTENANT_READER_CLIENT_ID"])
	t.Setenv("ARM_CLIENT_SECRET", "")
	t.Setenv("ARM_CLIENT_CERTIFICATE_PATH", tn.Env["HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH"])
}

// Graph sends one raw Graph v1.0 request as the portal would, and decodes the JSON answer.
func (tn *Tenant) Graph(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	ctx := context.Background()
	token, err := tn.Portal.Token(ctx, tn.Portal.Endpoints.Graph)
	if err != nil {
		t.Fatalf("portal token: %v", err)
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(ctx, method, tn.Portal.Endpoints.Graph+"/v1.0"+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := tn.Portal.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("portal %s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }() // Read to the end below; closing cannot fail the check.
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("portal %s %s: answer is not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

// The provider's full source address, split as terraform-plugin-testing's TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE want it. The host is spelled out because the short source
// "hipaa365/hipaa" means registry.terraform.io to Terraform but registry.opentofu.org to OpenTofu,
// while terraform-plugin-testing reattaches the in-process provider under one address: with the
// full address in ProviderBlock and the same one in the reattach, both CLIs find it.
const (
	providerHost      = "registry.terraform.io"
	providerNamespace = "hipaa365"
)

// terraformEnv makes every Terraform or OpenTofu run offline and reproducible, whether started by
// make or by a bare `go test`: no checkpoint calls, the project's CLI config (OpenTofu reads
// TF_CLI_CONFIG_FILE too), and the provider address the test configurations use.
func terraformEnv(t *testing.T) {
	root := repoRoot()
	t.Setenv("CHECKPOINT_DISABLE", "1")
	if f := os.Getenv("TF_CLI_CONFIG_FILE"); f == "" || !exists(f) {
		t.Setenv("TF_CLI_CONFIG_FILE", filepath.Join(root, "tools", "terraform", "test.tfrc"))
	}
	// Set, not defaulted: ProviderBlock names this address, so any other would leave the CLI
	// looking for a provider nobody serves.
	t.Setenv("TF_ACC_PROVIDER_HOST", providerHost)
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", providerNamespace)
}

// repoRoot is the checkout this package was compiled from, found from this file's path so that a
// test finds the project's files whatever its working directory.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// configFromEnv resolves the portal client's configuration the way the provider does, from
// the tenant's variables with the process environment as fallback.
func configFromEnv(env map[string]string) (m365.Config, error) {
	return m365.ConfigFromEnv(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return os.Getenv(k)
	}, "acctest")
}

// ProviderBlock is the provider configuration acceptance tests use: everything comes from the
// environment Setup prepared. The source is the full address (see providerHost).
const ProviderBlock = `
terraform {
  required_providers {
    hipaa = { source = "` + providerHost + "/" + providerNamespace + `/hipaa" }
  }
}
provider "hipaa" {}
`

// Config joins the provider block and resource HCL.
func Config(hcl ...string) string {
	return ProviderBlock + strings.Join(hcl, "\n")
}
