// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/collect"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/report"
)

// Exit codes of `drift`, as conftest's: 0 no control fails, 2 at least one fails (or could not be
// assessed), 1 the run itself failed.
const (
	ExitOK      = 0
	ExitRunFail = 1
	ExitFailing = 2
)

const driftUsage = `Usage: terraform-provider-hipaa drift [flags]

Assesses the tenant against the HIPAA Security Rule controls without Terraform. Authenticates
like the provider, from the ARM_* and HIPAA_* environment variables. Writes DIR/report.json and
DIR/report.txt and prints the summary. Exit code: 0 no control fails, 2 at least one control
fails or could not be assessed, 1 the run failed.

Flags:
`

// driftEnv is what the drift command takes from the process; tests replace it.
type driftEnv struct {
	getenv func(string) string
	now    func() time.Time
	// collect reads the tenant; tests replace it, and --from-snapshot never calls it.
	collect func(ctx context.Context, cfg m365.Config, sources []snapshot.SourceID, opts collect.Options) (*snapshot.Snapshot, error)
}

func realDriftEnv() driftEnv {
	return driftEnv{getenv: os.Getenv, now: time.Now, collect: func(ctx context.Context, cfg m365.Config, sources []snapshot.SourceID, opts collect.Options) (*snapshot.Snapshot, error) {
		client, err := m365.NewClient(cfg)
		if err != nil {
			return nil, fmt.Errorf("setting up access to the tenant: %w", err)
		}
		return collect.Collect(ctx, client, sources, opts)
	}}
}

// Drift runs the `drift` subcommand and returns its exit code.
func Drift(args []string, info BuildInfo, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return drift(ctx, args, info, stdout, stderr, realDriftEnv())
}

func drift(ctx context.Context, args []string, info BuildInfo, stdout, stderr io.Writer, env driftEnv) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printf(stderr, "%s", driftUsage); fs.PrintDefaults() }
	format := fs.String("format", "text", "what to print on stdout: text or json")
	outDir := fs.String("output-dir", ".", "directory for report.json and report.txt")
	snapshotOut := fs.String("snapshot-out", "", "also save the snapshot to this file, to re-evaluate it offline later")
	fromSnapshot := fs.String("from-snapshot", "", "evaluate a saved snapshot instead of reading the tenant")
	expectSHA := fs.String("expect-sha256", "", "with --from-snapshot: refuse the file unless the SHA-256 of its bytes is this (64 hex characters, as printed when it was saved)")
	configPath := fs.String("config", "", "JSON file with include, exclude, exceptions, attestations, thresholds and baa_covered_apps")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitRunFail
	}
	fail := func(format string, a ...any) int {
		printf(stderr, "drift: "+format+"\n", a...)
		return ExitRunFail
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *expectSHA != "" {
		if *fromSnapshot == "" {
			return fail("--expect-sha256 checks a saved snapshot: use it with --from-snapshot FILE")
		}
		sum, err := parseSHA256(*expectSHA)
		if err != nil {
			return fail("%v", err)
		}
		*expectSHA = sum
	}
	renderer, err := report.Lookup(*format)
	if err != nil {
		return fail("--format: %v", err)
	}

	cat, err := controls.Load()
	if err != nil {
		return fail("%v", err)
	}
	cfg, err := loadDriftConfig(*configPath)
	if err != nil {
		return fail("%v", err)
	}
	in := cfg.inputs(env.getenv)
	if err := in.Validate(cat); err != nil {
		return fail("invalid --config %s:\n%v", *configPath, err)
	}

	var snap *snapshot.Snapshot
	if *fromSnapshot != "" {
		var sum string
		if snap, sum, err = readSnapshot(*fromSnapshot, *expectSHA); err != nil {
			return fail("%v", err)
		}
		if *expectSHA != "" {
			printf(stderr, "snapshot %s: sha256 %s, as --expect-sha256 requires\n", *fromSnapshot, sum)
		} else {
			printf(stderr, "snapshot %s: sha256 %s\n", *fromSnapshot, sum)
		}
		printf(stderr, "loaded %d sources from %s (collected %s)\n", len(snap.Sources), *fromSnapshot, snap.CollectedAt.Format(time.RFC3339))
	} else {
		mcfg, err := m365.ConfigFromEnv(env.getenv, "terraform-provider-hipaa/"+info.Version+" drift")
		if err != nil {
			return fail("%v", err)
		}
		sources := cat.Sources(assess.Selected(cat, in)...)
		printf(stderr, "collecting %d sources…\n", len(sources))
		start := env.now()
		snap, err = env.collect(ctx, mcfg, sources, collect.Options{ToolVersion: info.Version, Now: env.now})
		if err != nil {
			return fail("%v", err)
		}
		failed := 0
		for _, s := range snap.Sources {
			if s.Error != "" {
				failed++
			}
		}
		printf(stderr, "collected %d sources (%d could not be read) in %s\n", len(snap.Sources), failed, env.now().Sub(start).Round(time.Millisecond))
	}
	if *snapshotOut != "" {
		sum, err := writeSnapshot(*snapshotOut, snap)
		if err != nil {
			return fail("writing the snapshot: %v", err)
		}
		printf(stderr, "saved the snapshot to %s: sha256 %s (record it; --expect-sha256 checks it later)\n", *snapshotOut, sum)
	} else if *fromSnapshot == "" {
		// Nothing on disk to hash: the content hash is the one the report quotes.
		sum, err := snap.SHA256()
		if err != nil {
			return fail("hashing the snapshot: %v", err)
		}
		printf(stderr, "snapshot not saved (add --snapshot-out FILE to keep it as evidence): canonical sha256 %s, the report's snapshot_sha256\n", sum)
	}

	now := env.now()
	res := assess.Evaluate(cat, snap, in, now)
	printf(stderr, "evaluated %d controls\n", len(res.Findings))
	for _, w := range res.Warnings {
		printf(stderr, "warning: %s\n", w)
	}
	rep := report.New(res, info.Version, snap.CollectedAt, now)

	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return fail("creating the output directory: %v", err)
	}
	for name, r := range map[string]report.Renderer{"report.json": report.JSON{}, "report.txt": report.Text{}} {
		if err := writeFile(filepath.Join(*outDir, name), func(w io.Writer) error { return r.Render(w, rep) }); err != nil {
			return fail("writing %s: %v", name, err)
		}
	}
	if err := renderer.Render(stdout, rep); err != nil {
		return fail("printing the report: %v", err)
	}
	if rep.Failing() {
		return ExitFailing
	}
	return ExitOK
}

// driftConfig is the --config file.
type driftConfig struct {
	Include                 []string             `json:"include"`
	Exclude                 []string             `json:"exclude"`
	Exceptions              []assess.Exception   `json:"exceptions"`
	Attestations            []assess.Attestation `json:"attestations"`
	Thresholds              thresholds           `json:"thresholds"`
	BAACoveredApps          []string             `json:"baa_covered_apps"`
	EmergencyAccessUserIDs  []string             `json:"emergency_access_user_ids"`  // Default: HIPAA_EMERGENCY_ACCESS_USER_IDS.
	EmergencyAccessGroupIDs []string             `json:"emergency_access_group_ids"` // Default: HIPAA_EMERGENCY_ACCESS_GROUP_IDS.
}

type thresholds struct {
	AuditRetentionDays     int     `json:"audit_retention_days"`
	SignInFrequencyHours   int     `json:"sign_in_frequency_hours"`
	IdleSignOutMinutes     int     `json:"idle_sign_out_minutes"`
	MFARegistrationPercent float64 `json:"mfa_registration_percent"`
}

func loadDriftConfig(path string) (driftConfig, error) {
	var c driftConfig
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("reading --config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // A misspelt key must not silently drop an exception.
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("reading --config %s: %w", path, err)
	}
	t := c.Thresholds
	if t.AuditRetentionDays < 0 || t.SignInFrequencyHours < 0 || t.IdleSignOutMinutes < 0 || t.MFARegistrationPercent < 0 || t.MFARegistrationPercent > 100 {
		return c, fmt.Errorf("--config %s: thresholds must be positive and mfa_registration_percent at most 100", path)
	}
	return c, nil
}

func (c driftConfig) inputs(getenv func(string) string) assess.Inputs {
	env := m365.EnvValues(getenv)
	users, groups := c.EmergencyAccessUserIDs, c.EmergencyAccessGroupIDs
	if users == nil {
		users = env.IDs(m365.SettingEmergencyAccessUserIDs)
	}
	if groups == nil {
		groups = env.IDs(m365.SettingEmergencyAccessGroupIDs)
	}
	return assess.Inputs{
		Include: c.Include, Exclude: c.Exclude, Exceptions: c.Exceptions, Attestations: c.Attestations,
		BAACoveredApps: c.BAACoveredApps,
		Params: checks.Params{
			AuditRetentionDays:      c.Thresholds.AuditRetentionDays,
			SignInFrequencyHours:    c.Thresholds.SignInFrequencyHours,
			IdleSignOutMinutes:      c.Thresholds.IdleSignOutMinutes,
			MFARegistrationPercent:  c.Thresholds.MFARegistrationPercent,
			EmergencyAccessUserIDs:  users,
			EmergencyAccessGroupIDs: groups,
		},
	}
}

// writeFile writes through a temporary file and renames it, so that a failed run never leaves a
// truncated report behind for a pipeline to pick up.
func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	// After the rename there is nothing left to remove; before it, a leftover temporary file is
	// hidden (dot name) and harmless, so a failed removal does not change the outcome.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := write(tmp); err != nil {
		_ = tmp.Close() // The write error is the one to report.
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
