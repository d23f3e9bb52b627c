// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
	if r := tt.do("POST", caPath, graph, tt.mfaPolicy("x")); r.status != 403 {
		t.Errorf("reader certificate, Graph write: %d %s", r.status, r.raw)
	}

	// A data dir made before the reader had a certificate gets one on the next start.
	dir := tt.dir
	_ = tt.Close()
	_ = os.Remove(filepath.Join(dir, seed.ReaderCertFile))
	tt2 := reopenTenant(t, Options{DataDir: dir})
	if tok := certTokenFrom(t, tt2, env["HIPAA_DEVTENANT_READER_CLIENT_ID"], tt2.ReaderCertificatePath(), tt2.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]); tok == "" {
		t.Error("no reader token after the upgrade")
	}
}
