// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
)

// TestDrift_devtenantLiveThenOffline runs drift against devtenant exactly as a user would after
// `source env.sh` (the provider's environment variables), saves the snapshot, re-evaluates it
// offline, and requires the same findings and the same exit code.
func TestDrift_devtenantLiveThenOffline(t *testing.T) {
	srv, err := devtenant.Start(devtenant.Options{DataDir: t.TempDir(), Seed: "noncompliant"})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Close(); err != nil {
			t.Errorf("stopping devtenant: %v", err)
		}
	}()
	for k, v := range srv.Env() {
		t.Setenv(k, v)
	}
	// SharePoint's admin API takes only certificate credentials.
	t.Setenv("ARM_CLIENT_SECRET", "")
	t.Setenv("ARM_CLIENT_CERTIFICATE_PATH", srv.WriterCertificatePath())

	run := func(args ...string) (int, map[string]any) {
		t.Helper()
		out := t.TempDir()
		var stdout, stderr bytes.Buffer
		code := Run(append([]string{"drift", "--output-dir", out}, args...), BuildInfo{Version: "test"}, &stdout, &stderr)
		b, err := os.ReadFile(filepath.Join(out, "report.json"))
		if err != nil {
			t.Fatalf("exit %d, no report.json: %v\n%s", code, err, stderr.String())
		}
		var rep map[string]any
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		return code, rep
	}
	snap := filepath.Join(t.TempDir(), "snapshot.json")
	liveCode, live := run("--snapshot-out", snap)
	if liveCode != ExitFailing {
		t.Fatalf("live drift on the noncompliant clinic exited %d, want %d", liveCode, ExitFailing)
	}
	if live["tenant"] != os.Getenv("ARM_TENANT_ID") {
		t.Fatalf("report tenant %v, want %s", live["tenant"], os.Getenv("ARM_TENANT_ID"))
	}
	offlineCode, offline := run("--from-snapshot", snap)
	if offlineCode != liveCode {
		t.Fatalf("offline exit %d, live %d", offlineCode, liveCode)
	}
	for _, k := range []string{"controls", "safeguards", "gaps", "score", "counts", "snapshot_sha256", "baa"} {
		if !reflect.DeepEqual(live[k], offline[k]) {
			t.Errorf("%s differs between the live run and the re-evaluation of its snapshot", k)
		}
	}
}
