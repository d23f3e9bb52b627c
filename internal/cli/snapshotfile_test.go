// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/collect"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// sha256File is the hash an auditor gets from sha256sum, computed here independently of the code
// under test.
func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func noReport(t *testing.T, r driftRun) {
	t.Helper()
	for _, name := range []string{"report.json", "report.txt"} {
		if _, err := os.Stat(filepath.Join(r.dir, name)); err == nil {
			t.Errorf("%s was written: the snapshot was evaluated", name)
		}
	}
	if r.stdout != "" || evaluatedLine.MatchString(r.stderr) {
		t.Errorf("the snapshot was evaluated; stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}

var evaluatedLine = regexp.MustCompile(`evaluated \d+ controls`)

// copyFixture returns a private copy of the fixture after edit has changed its bytes.
func copyFixture(t *testing.T, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	edited := edit(string(b))
	p := filepath.Join(t.TempDir(), "snapshot.json")
	if err := os.WriteFile(p, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDrift_expectSHA256Matches(t *testing.T) {
	sum := sha256File(t, fixture)
	// Upper case too: PowerShell's Get-FileHash prints it that way.
	for _, given := range []string{sum, strings.ToUpper(sum)} {
		r := runDrift(t, nil, nil, "--from-snapshot", fixture, "--expect-sha256", given)
		if r.code != ExitFailing { // The fixture has a failing control: evaluated as without the flag.
			t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
		}
		if want := "snapshot testdata/snapshot.json: sha256 " + sum + ", as --expect-sha256 requires"; !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
		if got := controlStatus(t, readReport(t, r.dir), "HIPAA.GUEST.1v1"); got != "fail" {
			t.Errorf("GUEST.1 = %s, want fail", got)
		}
	}
}

// TestDrift_expectSHA256RefusesEditedSnapshot edits the fixture the way the issue did (a failing
// setting made compliant), which on its own re-evaluates to pass, and requires the recorded hash
// to refuse it.
func TestDrift_expectSHA256RefusesEditedSnapshot(t *testing.T) {
	recorded := sha256File(t, fixture)
	edited := copyFixture(t, func(s string) string {
		return strings.Replace(s, `"allowInvitesFrom": "everyone"`, `"allowInvitesFrom": "adminsAndGuestInviters"`, 1)
	})
	if plain := runDrift(t, nil, nil, "--from-snapshot", edited); controlStatus(t, readReport(t, plain.dir), "HIPAA.GUEST.1v1") != "pass" {
		t.Fatal("the edit does not turn GUEST.1 into pass: the test proves nothing")
	}
	actual := sha256File(t, edited)
	r := runDrift(t, nil, nil, "--from-snapshot", edited, "--expect-sha256", recorded)
	if r.code != ExitRunFail {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{edited, "sha256 " + actual, "--expect-sha256 is " + recorded, "nothing was evaluated"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	noReport(t, r)

	// A snapshot that no longer parses is still reported as the wrong file, not as bad JSON.
	truncated := copyFixture(t, func(s string) string { return s[:len(s)/2] })
	r = runDrift(t, nil, nil, "--from-snapshot", truncated, "--expect-sha256", recorded)
	if r.code != ExitRunFail || !strings.Contains(r.stderr, "--expect-sha256 is "+recorded) {
		t.Fatalf("truncated snapshot: exit %d; stderr:\n%s", r.code, r.stderr)
	}
	noReport(t, r)
}

func TestDrift_expectSHA256Malformed(t *testing.T) {
	sum := sha256File(t, fixture)
	cases := map[string]struct{ value, want string }{
		"short":          {sum[:63], "want 64 hexadecimal characters (as sha256sum prints), got 63 characters"},
		"long":           {sum + "0", "got 65 characters"},
		"not hex":        {"z" + sum[1:], "a character that is not 0-9 or a-f"},
		"sha256sum line": {sum + "  snapshot.json", "got 79 characters"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := runDrift(t, nil, nil, "--from-snapshot", fixture, "--expect-sha256", tc.value)
			if r.code != ExitRunFail {
				t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "is not a SHA-256") {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			noReport(t, r)
		})
	}
	t.Run("without --from-snapshot", func(t *testing.T) {
		r := runDrift(t, nil, nil, "--expect-sha256", sum)
		if r.code != ExitRunFail || !strings.Contains(r.stderr, "use it with --from-snapshot") {
			t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
		}
	})
}

// TestDrift_printsSnapshotSHA256 requires the hash of the file on disk to be printed when a live
// run saves the snapshot and when a run reads one, and that hash to be accepted later by
// --expect-sha256: the auditor's round trip.
func TestDrift_printsSnapshotSHA256(t *testing.T) {
	fixed, _, err := readSnapshot(fixture, "")
	if err != nil {
		t.Fatal(err)
	}
	coll := func(context.Context, m365.Config, []snapshot.SourceID, collect.Options) (*snapshot.Snapshot, error) {
		return fixed, nil
	}
	env := map[string]string{"ARM_TENANT_ID": "tid", "ARM_CLIENT_ID": "cid", "ARM_CLIENT_SECRET": "s"}
	out := filepath.Join(t.TempDir(), "evidence", "snapshot.json")
	live := runDrift(t, env, coll, "--snapshot-out", out)
	if live.code != ExitFailing {
		t.Fatalf("exit %d; stderr:\n%s", live.code, live.stderr)
	}
	sum := sha256File(t, out)
	if want := "saved the snapshot to " + out + ": sha256 " + sum; !strings.Contains(live.stderr, want) {
		t.Fatalf("live run: stderr lacks %q:\n%s", want, live.stderr)
	}

	read := runDrift(t, nil, nil, "--from-snapshot", out)
	if want := "snapshot " + out + ": sha256 " + sum + "\n"; !strings.Contains(read.stderr, want) {
		t.Fatalf("offline run: stderr lacks %q:\n%s", want, read.stderr)
	}
	if again := runDrift(t, nil, nil, "--from-snapshot", out, "--expect-sha256", sum); again.code != live.code {
		t.Fatalf("the printed hash does not verify the saved file: exit %d; stderr:\n%s", again.code, again.stderr)
	}

	// Without --snapshot-out there is no file; the run still names the content hash it reports.
	unsaved := runDrift(t, env, coll)
	canonical, err := fixed.SHA256()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(unsaved.stderr, "canonical sha256 "+canonical) || readReport(t, unsaved.dir)["snapshot_sha256"] != canonical {
		t.Fatalf("unsaved live run: stderr:\n%s", unsaved.stderr)
	}
}

// TestDrift_unknownSourcesRefused renames a source the checks read to an id no check knows (the
// controls reading it then have no data) and adds one: the run lists both and evaluates nothing.
func TestDrift_unknownSourcesRefused(t *testing.T) {
	edited := copyFixture(t, func(s string) string {
		s = strings.Replace(s, `"graph.authorizationPolicy": {`, `"graph.authorizationPolicyV2": {`, 1)
		return strings.Replace(s, `"sources": {`, `"sources": {
    "graph.extraPolicy": {"request": "GET x", "status": 200, "fetched_at": "2026-03-01T09:00:01Z", "body": {"ok": true}},`, 1)
	})
	r := runDrift(t, nil, nil, "--from-snapshot", edited)
	if r.code != ExitRunFail {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{edited, "2 source(s) this build does not know: graph.authorizationPolicyV2, graph.extraPolicy", `tool version "test"`, "nothing was evaluated"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	noReport(t, r)
}
