// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/collect"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

const fixture = "testdata/snapshot.json"

var driftNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

type driftRun struct {
	code           int
	stdout, stderr string
	dir            string
}

// runDrift runs the command with a fixed clock and an environment of its own; collecting fails
// unless the test supplies a collector.
func runDrift(t *testing.T, env map[string]string, coll func(context.Context, m365.Config, []snapshot.SourceID, collect.Options) (*snapshot.Snapshot, error), args ...string) driftRun {
	t.Helper()
	dir := t.TempDir()
	if coll == nil {
		coll = func(context.Context, m365.Config, []snapshot.SourceID, collect.Options) (*snapshot.Snapshot, error) {
			t.Fatal("the command collected from the tenant")
			return nil, nil
		}
	}
	var out, errOut bytes.Buffer
	code := drift(context.Background(), append([]string{"--output-dir", dir}, args...), BuildInfo{Version: "9.9.9"}, &out, &errOut,
		driftEnv{getenv: func(k string) string { return env[k] }, now: func() time.Time { return driftNow }, collect: coll})
	return driftRun{code: code, stdout: out.String(), stderr: errOut.String(), dir: dir}
}

func writeConfig(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readReport(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func controlStatus(t *testing.T, rep map[string]any, id string) string {
	t.Helper()
	for _, c := range rep["controls"].([]any) {
		if m := c.(map[string]any); m["control_id"] == id {
			return m["status"].(string)
		}
	}
	t.Fatalf("report has no control %s", id)
	return ""
}

func TestDrift_failingSnapshotExits2(t *testing.T) {
	r := runDrift(t, nil, nil, "--from-snapshot", fixture)
	if r.code != ExitFailing {
		t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
	}
	rep := readReport(t, r.dir)
	if rep["report_version"] != "1" || rep["tenant"] != "00000000-0000-0000-0000-0000000000aa" || rep["tool_version"] != "9.9.9" {
		t.Fatalf("report header: %v %v %v", rep["report_version"], rep["tenant"], rep["tool_version"])
	}
	if got := controlStatus(t, rep, "HIPAA.GUEST.1v1"); got != "fail" {
		t.Errorf("GUEST.1 = %s, want fail", got)
	}
	if got := controlStatus(t, rep, "HIPAA.GUEST.2v1"); got != "pass" {
		t.Errorf("GUEST.2 = %s, want pass", got)
	}
	if got := controlStatus(t, rep, "HIPAA.SPO.1v1"); got != "error" {
		t.Errorf("SPO.1 on a failed source = %s, want error", got)
	}
	if rep["compliant"] != false {
		t.Error("compliant")
	}
	txt, err := os.ReadFile(filepath.Join(r.dir, "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if string(txt) != r.stdout {
		t.Error("stdout is not the text report")
	}
	for _, want := range []string{"NOT COMPLIANT", "✘ HIPAA.GUEST.1v1 [164.308(a)(4)(ii)(B), 164.308(a)(3)(ii)(A)] Guest invitations limited: Guest invitations are allowed from \"everyone\"",
		"Fix: set hipaa_baseline.guests.allow_invites_from = \"adminsAndGuestInviters\""} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text report lacks %q", want)
		}
	}
	if !strings.Contains(r.stderr, "loaded 3 sources from testdata/snapshot.json") || !strings.Contains(r.stderr, "evaluated 49 controls") {
		t.Errorf("progress lines missing:\n%s", r.stderr)
	}
}

func TestDrift_passingSelectionExits0(t *testing.T) {
	cfg := writeConfig(t, map[string]any{
		"include":    []string{"HIPAA.GUEST.1v1", "HIPAA.GUEST.2v1"},
		"exceptions": []map[string]string{{"control_id": "HIPAA.GUEST.1v1", "reason": "partner onboarding", "expires": "2026-04-01"}},
	})
	r := runDrift(t, nil, nil, "--from-snapshot", fixture, "--config", cfg, "--format", "json")
	if r.code != ExitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("--format json printed no JSON: %v", err)
	}
	if rep["compliant"] != true || rep["score"] != float64(100) || len(rep["controls"].([]any)) != 2 {
		t.Fatalf("compliant %v score %v controls %d", rep["compliant"], rep["score"], len(rep["controls"].([]any)))
	}
	if got := controlStatus(t, rep, "HIPAA.GUEST.1v1"); got != "not_applicable" {
		t.Fatalf("excepted GUEST.1 = %s", got)
	}
	file := readReport(t, r.dir)
	if !reflect.DeepEqual(file, rep) {
		t.Fatal("report.json differs from the JSON printed")
	}
}

func TestDrift_runFailuresExit1(t *testing.T) {
	bad := writeConfig(t, map[string]any{"exclude": []string{"HIPAA.NOPE.1v1"}})
	typo := writeConfig(t, map[string]any{"exceptionz": []string{}})
	oldSnap := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(oldSnap, []byte(`{"schema_version":"0","sources":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	authFails := func(context.Context, m365.Config, []snapshot.SourceID, collect.Options) (*snapshot.Snapshot, error) {
		return nil, errors.New("collecting the tenant's configuration: AADSTS7000215: Invalid client secret provided")
	}
	cases := []struct {
		name string
		env  map[string]string
		coll func(context.Context, m365.Config, []snapshot.SourceID, collect.Options) (*snapshot.Snapshot, error)
		args []string
		want string
	}{
		{"unknown flag", nil, nil, []string{"--colour"}, "flag provided but not defined"},
		{"bad format", nil, nil, []string{"--format", "sarif", "--from-snapshot", fixture}, "unknown format"},
		{"stray argument", nil, nil, []string{"--from-snapshot", fixture, "extra"}, `unexpected argument "extra"`},
		{"missing snapshot", nil, nil, []string{"--from-snapshot", "testdata/none.json"}, "reading --from-snapshot"},
		{"snapshot version", nil, nil, []string{"--from-snapshot", oldSnap}, `schema version "0" is not supported`},
		{"unknown control in config", nil, nil, []string{"--from-snapshot", fixture, "--config", bad}, `unknown control id "HIPAA.NOPE.1v1"`},
		{"misspelt config key", nil, nil, []string{"--from-snapshot", fixture, "--config", typo}, `unknown field "exceptionz"`},
		{"bad boolean env", map[string]string{"ARM_USE_MSI": "yes please"}, nil, nil, `ARM_USE_MSI="yes please" is not a boolean`},
		{"auth failure", nil, authFails, nil, "Invalid client secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runDrift(t, tc.env, tc.coll, tc.args...)
			if r.code != ExitRunFail {
				t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if _, err := os.Stat(filepath.Join(r.dir, "report.json")); err == nil {
				t.Fatal("a failed run wrote report.json")
			}
		})
	}
}

// TestDrift_collectsWithProviderEnvironment checks that the live path builds the same Config as
// the provider's environment fallback, asks for the selected controls' sources only, saves the
// snapshot, and that re-evaluating the saved snapshot offline gives the same report.
func TestDrift_collectsWithProviderEnvironment(t *testing.T) {
	env := map[string]string{"ARM_TENANT_ID": "tid", "ARM_CLIENT_ID": "cid", "ARM_CLIENT_SECRET": "s3cret",
		"HIPAA_GRAPH_ENDPOINT": "https://127.0.0.1:8443", "HIPAA_EMERGENCY_ACCESS_USER_IDS": "bg-1, bg-2"}
	fixed, _, err := readSnapshot(fixture, "")
	if err != nil {
		t.Fatal(err)
	}
	var gotCfg m365.Config
	var gotSources []snapshot.SourceID
	coll := func(_ context.Context, cfg m365.Config, src []snapshot.SourceID, opts collect.Options) (*snapshot.Snapshot, error) {
		gotCfg, gotSources = cfg, src
		if opts.ToolVersion != "9.9.9" {
			t.Errorf("tool version %q", opts.ToolVersion)
		}
		return fixed, nil
	}
	cfg := writeConfig(t, map[string]any{"include": []string{"HIPAA.GUEST.1v1", "HIPAA.SPO.1v1", "HIPAA.CA.7v1"}})
	snapOut := filepath.Join(t.TempDir(), "snap.json")
	live := runDrift(t, env, coll, "--config", cfg, "--snapshot-out", snapOut)
	if live.code != ExitFailing {
		t.Fatalf("exit %d; stderr:\n%s", live.code, live.stderr)
	}
	if gotCfg.Credentials.TenantID != "tid" || gotCfg.Credentials.ClientSecret != "s3cret" || gotCfg.Endpoints.Graph != "https://127.0.0.1:8443" {
		t.Fatalf("config from env: %+v", gotCfg)
	}
	// Every automated control also reads the licences, to tell not_licensed from fail.
	want := []snapshot.SourceID{snapshot.GraphAuthorizationPolicy, snapshot.GraphConditionalAccessPolicies, snapshot.GraphSharePointSettings, snapshot.GraphSubscribedSkus}
	if !reflect.DeepEqual(gotSources, want) {
		t.Fatalf("sources %v, want %v", gotSources, want)
	}
	if !strings.Contains(live.stderr, "collecting 4 sources…") || !strings.Contains(live.stderr, "evaluated 3 controls") {
		t.Fatalf("progress:\n%s", live.stderr)
	}

	offline := runDrift(t, env, nil, "--config", cfg, "--from-snapshot", snapOut)
	a, b := readReport(t, live.dir), readReport(t, offline.dir)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the saved snapshot re-evaluates to a different report")
	}
}

// TestDrift_deterministic requires two runs on the same snapshot to write byte-identical
// report.json apart from generated_at.
func TestDrift_deterministic(t *testing.T) {
	strip := func(dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "report.json"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		out := lines[:0]
		for _, l := range lines {
			if !strings.HasPrefix(strings.TrimSpace(l), `"generated_at"`) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	first := runDrift(t, nil, nil, "--from-snapshot", fixture)
	driftNow = driftNow.Add(3 * time.Hour)
	t.Cleanup(func() { driftNow = driftNow.Add(-3 * time.Hour) })
	second := runDrift(t, nil, nil, "--from-snapshot", fixture)
	if strip(first.dir) != strip(second.dir) {
		t.Fatal("report.json differs between two runs on the same snapshot")
	}
	if a, b := readReport(t, first.dir)["generated_at"], readReport(t, second.dir)["generated_at"]; a == b {
		t.Fatal("generated_at did not change")
	}
}
