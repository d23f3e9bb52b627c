// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

var readyLine = regexp.MustCompile(`^devtenant ready at https://127\.0\.0\.1:\d+$`)

// runMain starts fn in the background and waits for its ready line.
func runMain(t *testing.T, fn func(stdout, stderr io.Writer) int) (string, chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		code := fn(pw, &stderr)
		_ = pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		if !readyLine.MatchString(l) {
			t.Fatalf("first line %q", l)
		}
		go func() {
			for extra := range lines {
				t.Errorf("unexpected extra stdout line %q", extra)
			}
		}()
		return strings.TrimPrefix(l, "devtenant ready at "), done
	case code := <-done:
		t.Fatalf("exited %d before ready: %s", code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("no ready line")
	}
	return "", nil
}

func TestMainContextCancel(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	url, done := runMain(t, func(o, e io.Writer) int {
		return MainContext(ctx, []string{"--data-dir", dir, "--seed", "compliant", "--users", "5"}, o, e)
	})
	env, err := os.ReadFile(filepath.Join(dir, "env.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"export HIPAA_GRAPH_ENDPOINT='" + url + "'", "export HIPAA_AUTHORITY_HOST='" + url + "/'",
		"export SSL_CERT_FILE='" + filepath.Join(dir, "ca-bundle.pem") + "'", "export HIPAA_EXCHANGE_ENDPOINT='" + url + "/exo'"} {
		if !strings.Contains(string(env), want) {
			t.Errorf("env.sh lacks %q:\n%s", want, env)
		}
	}
	for _, f := range []string{"ca.pem", "ca-bundle.pem", "tenant.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	cancel()
	expectCleanExit(t, done, "did not stop")
}

func TestMainSIGTERM(t *testing.T) {
	dir := t.TempDir()
	_, done := runMain(t, func(o, e io.Writer) int { return Main([]string{"--data-dir", dir, "--seed", "empty"}, o, e) })
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	expectCleanExit(t, done, "did not stop on SIGTERM")
}

// expectCleanExit waits for main, told to stop, to return 0; stuck names the failure when it does
// not return within 10 seconds.
func expectCleanExit(t *testing.T, done <-chan int, stuck string) {
	t.Helper()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal(stuck)
	}
}

func TestMainFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--data-dir", t.TempDir(), "--seed", "bogus"},
		{"--data-dir", t.TempDir(), "--throttle-rate", "2"},
		{"--data-dir", t.TempDir(), "--latency", "fast"},
		{"--nope"},
	} {
		var out, errb bytes.Buffer
		if code := Main(args, &out, &errb); code != 2 || errb.Len() == 0 || out.Len() != 0 {
			t.Errorf("%v: code %d, stderr %q, stdout %q", args, code, errb.String(), out.String())
		}
	}
}

func TestSeedTenThousandUsersQuickly(t *testing.T) {
	start := time.Now()
	tt := startTenant(t, Options{Seed: seed.Noncompliant, Users: 10000})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("starting with 10,000 users took %v", d)
	}
	r := tt.do("GET", "/v1.0/users?$top=999&$count=true", tt.token(true), nil)
	if r.status != 200 || len(r.body["value"].([]any)) != 999 || r.body["@odata.count"] != float64(10017) {
		t.Fatalf("users: %d count=%v items=%d", r.status, r.body["@odata.count"], len(r.body["value"].([]any)))
	}
}
