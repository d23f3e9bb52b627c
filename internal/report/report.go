// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package report turns an assessment result into the documented, versioned report (report.json)
// and renders it. Formats sit behind one Renderer interface so that later ones (SARIF, CSV,
// Markdown, the evidence package) slot in without touching the CLI.
package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
)

// ReportVersion is the version of the report schema (templates/guides/report-format.md.tmpl).
// Adding a field keeps it; renaming, removing or changing the meaning of one bumps it.
const ReportVersion = "1"

// Report is report.json.
type Report struct {
	ReportVersion       string                   `json:"report_version"`
	Tenant              string                   `json:"tenant"`
	ToolVersion         string                   `json:"tool_version"`
	GeneratedAt         time.Time                `json:"generated_at"`
	SnapshotCollectedAt time.Time                `json:"snapshot_collected_at"`
	SnapshotSHA256      string                   `json:"snapshot_sha256"`
	Score               int                      `json:"score"`
	Compliant           bool                     `json:"compliant"`
	Counts              map[string]int           `json:"counts"`
	Safeguards          []assess.SafeguardResult `json:"safeguards"`
	Controls            []assess.Finding         `json:"controls"`
	Gaps                []string                 `json:"gaps"`
	BAA                 assess.BAA               `json:"baa"`
	Warnings            []string                 `json:"warnings,omitempty"`
}

// New builds the report of a result. generatedAt is the only field that differs between two
// reports of the same snapshot, inputs and evaluation day.
func New(r assess.Result, toolVersion string, snapshotCollectedAt, generatedAt time.Time) *Report {
	counts := make(map[string]int, len(r.Counts))
	for _, s := range assess.Statuses {
		counts[string(s)] = r.Counts[s]
	}
	return &Report{
		ReportVersion:       ReportVersion,
		Tenant:              r.TenantID,
		ToolVersion:         toolVersion,
		GeneratedAt:         generatedAt.UTC(),
		SnapshotCollectedAt: snapshotCollectedAt.UTC(),
		SnapshotSHA256:      r.SnapshotSHA256,
		Score:               r.Score,
		Compliant:           r.Compliant,
		Counts:              counts,
		Safeguards:          nonNil(r.Safeguards),
		Controls:            nonNil(r.Findings),
		Gaps:                nonNil(r.Gaps),
		BAA:                 r.BAA,
		Warnings:            r.Warnings,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Failing reports whether any control fails (advisory controls aside) or could not be assessed:
// the drift CLI's exit 2. An error counts because a gate that passes on data it could not read
// would pass silently.
func (r *Report) Failing() bool {
	for _, f := range r.Controls {
		if f.Failing() || f.Status == checks.StatusError {
			return true
		}
	}
	return false
}

// Renderer writes a report in one format.
type Renderer interface {
	Name() string
	Render(w io.Writer, r *Report) error
}

var renderers = map[string]Renderer{}

func register(r Renderer) { renderers[r.Name()] = r }

func init() {
	register(JSON{})
	register(Text{})
}

// Lookup returns the renderer of a format name.
func Lookup(name string) (Renderer, error) {
	r, ok := renderers[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q: use one of %s", name, strings.Join(Names(), ", "))
	}
	return r, nil
}

// Names lists the formats, sorted.
func Names() []string { return slices.Sorted(maps.Keys(renderers)) }
