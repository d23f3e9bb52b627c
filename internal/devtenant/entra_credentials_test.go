// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// env.sh signs in with the credential that reaches everything devtenant serves: the writer's
// certificate. The secret is documented as the alternative and never left to take precedence.
func TestEnvShExportsTheCertificate(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	script := filepath.Join(tt.dir, "env.sh")
	out, err := exec.Command("bash", "-c", `export ARM_CLIENT_SECRET=left-over; . "$0"; printf '%s|%s|%s' "${ARM_CLIENT_SECRET-unset}" "$ARM_CLIENT_CERTIFICATE_PATH" "$HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH"`, script).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(string(out), "|")
	if got[0] != "unset" || got[1] != tt.WriterCertificatePath() || got[2] != tt.ReaderCertificatePath() {
		t.Fatalf("after sourcing env.sh: ARM_CLIENT_SECRET=%q ARM_CLIENT_CERTIFICATE_PATH=%q reader cert=%q", got[0], got[1], got[2])
	}
	text, _ := os.ReadFile(script)
	if !strings.Contains(string(text), `export ARM_CLIENT_SECRET="$HIPAA_DEVTENANT_CLIENT_SECRET"; unset ARM_CLIENT_CERTIFICATE_PATH`) {
		t.Errorf("env.sh does not document the client secret alternative:\n%s", text)
	}
	env := tt.Env()
	if _, ok := env["ARM_CLIENT_SECRET"]; ok {
		t.Errorf("Env exports ARM_CLIENT_SECRET, which would take precedence over the certificate")
	}
	// The exported certificate is registered: Graph and SharePoint admin both accept it.
	for _, resource := range []string{env["HIPAA_GRAPH_ENDPOINT"], env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]} {
		if tok := certTokenFrom(t, tt, env["ARM_CLIENT_ID"], env["ARM_CLIENT_CERTIFICATE_PATH"], resource); tok == "" {
			t.Errorf("no token for %s", resource)
		}
	}
}

// The read-only app has a certificate too, so the least-privilege read pipeline reads SharePoint
// (whose admin API refuses app-only tokens obtained with a secret); it still may not write.
func TestReaderCertificateReadsSharePoint(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Noncompliant})
	env := tt.Env()
	spo := env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]
	tok := certTokenFrom(t, tt, env["HIPAA_DEVTENANT_READER_CLIENT_ID"], env["HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH"], spo)
	if r := tt.do("GET", spo+"/_api/SPO.Tenant", tok, nil, "Accept", "application/json;odata=nometadata"); r.status != 200 || r.body["SharingCapability"] == nil {
		t.Fatalf("reader certificate, SPO.Tenant: %d %s", r.status, r.raw)
	}
	status, _ := processQuery(t, tt, tok, csomBody(`<SetProperty Id="1" ObjectPathId="100" Name="ExternalUserExpirationRequired"><Parameter Type="Boolean">true</Parameter></SetProperty>`))
	if status != 403 {
		t.Errorf("reader certificate, CSOM write: %d", status)
	}
	graph := certTokenFrom(t, tt, env["HIPAA_DEVTENANT_READER_CLIENT_ID"], env["HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH"], env["HIPAA_GRAPH_ENDPOINT"])
	if r := tt.do("POST", caPath, graph, mfaPolicy("x", env["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"])); r.status != 403 {
		t.Errorf("reader certificate, Graph write: %d %s", r.status, r.raw)
	}

	// A data dir made before the reader had a certificate gets one on the next start.
	dir := tt.dir
	_ = tt.Close()
	_ = os.Remove(filepath.Join(dir, seed.ReaderCertFile))
	s2, err := Start(Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s2.Close(); err != nil {
			t.Errorf("stopping the second devtenant: %v", err)
		}
	}()
	tt2 := &testTenant{Server: s2, t: t, client: caClient(t, dir), dir: dir}
	if tok := certTokenFrom(t, tt2, env["HIPAA_DEVTENANT_READER_CLIENT_ID"], s2.ReaderCertificatePath(), s2.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]); tok == "" {
		t.Error("no reader token after the upgrade")
	}
}

func certTokenFrom(t *testing.T, tt *testTenant, clientID, certPath, resource string) string {
	t.Helper()
	bundle, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	certs, key, err := azidentity.ParseCertificates(bundle, nil)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := azidentity.NewClientCertificateCredential(tt.Env()["ARM_TENANT_ID"], clientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{DisableInstanceDiscovery: true, ClientOptions: azOptions(tt)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}})
	if err != nil {
		t.Fatalf("certificate token for %s: %v", resource, err)
	}
	return tok.Token
}
