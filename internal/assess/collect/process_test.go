// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The memory benchmark must not count devtenant's heap (its tenant of 100,000 users, the JSON it
// renders) as the collector's. So it runs devtenant in a child process: this test binary again,
// which TestMain turns into a devtenant server when childEnv is set.
const (
	childEnv      = "HIPAA_COLLECT_BENCH_DEVTENANT" // Data dir; set only in the child.
	childSeedEnv  = "HIPAA_COLLECT_BENCH_SEED"
	childUsersEnv = "HIPAA_COLLECT_BENCH_USERS"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(serveChild(dir))
	}
	os.Exit(m.Run())
}

// childTenant is what the child tells its parent on its first line of stdout.
type childTenant struct {
	Env      map[string]string `json:"env"`
	CertPath string            `json:"cert_path"`
}

// serveChild runs devtenant until its parent closes stdin (or dies, which closes it too).
func serveChild(dir string) int {
	users, err := strconv.Atoi(os.Getenv(childUsersEnv))
	if err != nil {
		fmt.Fprintf(os.Stderr, "devtenant child: %s: %v\n", childUsersEnv, err)
		return 1
	}
	srv, err := devtenant.Start(devtenant.Options{DataDir: dir, Seed: os.Getenv(childSeedEnv), Users: users})
	if err != nil {
		fmt.Fprintf(os.Stderr, "devtenant child: %v\n", err)
		return 1
	}
	if err := json.NewEncoder(os.Stdout).Encode(childTenant{Env: srv.Env(), CertPath: srv.WriterCertificatePath()}); err != nil {
		fmt.Fprintf(os.Stderr, "devtenant child: %v\n", err)
		return 1
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := srv.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "devtenant child: %v\n", err)
		return 1
	}
	return 0
}

// startTenantProcess starts devtenant in a child process and returns how to reach it; the child
// is stopped when the test or benchmark ends.
func startTenantProcess(tb testing.TB, seed string, users int) childTenant {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"="+tb.TempDir(), childSeedEnv+"="+seed, childUsersEnv+"="+strconv.Itoa(users))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("devtenant child: %v", err)
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			tb.Errorf("devtenant child did not stop; killed it")
		}
	})
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		tb.Fatalf("devtenant child did not start: %v", err)
	}
	var t childTenant
	if err := json.Unmarshal(line, &t); err != nil {
		tb.Fatalf("devtenant child: %v: %q", err, line)
	}
	return t
}

// client builds a fresh client of the tenant's writer app, signed in with its certificate.
func (t childTenant) client(tb testing.TB) *m365.Client {
	tb.Helper()
	return clientFromEnv(tb, t.Env, t.CertPath)
}
