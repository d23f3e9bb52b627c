// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

// JSON renders report.json: indented, fields in schema order, map keys sorted (encoding/json),
// so that two reports of the same snapshot differ only in generated_at.
type JSON struct{}

// Name implements Renderer.
func (JSON) Name() string { return "json" }

// Render implements Renderer.
func (JSON) Render(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // Remediation text quotes Terraform (`= "enabled"`, `>` in portal paths).
	return enc.Encode(r)
}

// Text renders the human summary: the verdict, then every safeguard with a marker, then the gaps
// and the BAA summary.
type Text struct{}

// Name implements Renderer.
func (Text) Name() string { return "text" }

// Marker is the one-character verdict of a status in the text report.
func Marker(s checks.Status) string {
	switch s {
	case checks.StatusPass, checks.StatusManualAttested:
		return "✔"
	case checks.StatusFail, checks.StatusError:
		return "✘"
	case checks.StatusManualMissing:
		return "?"
	case checks.StatusNotLicensed:
		return "$"
	default:
		return "–"
	}
}

var categoryTitles = []struct {
	cat   controls.Category
	title string
}{
	{controls.CategoryAdministrative, "Administrative safeguards (164.308)"},
	{controls.CategoryPhysical, "Physical safeguards (164.310)"},
	{controls.CategoryTechnical, "Technical safeguards (164.312)"},
	{controls.CategoryDocumentation, "Policies, procedures and documentation (164.316)"},
}

// Render implements Renderer.
func (Text) Render(w io.Writer, r *Report) error {
	b := bufio.NewWriter(w)
	// bufio.Writer keeps the first write error and stops writing; Flush, returned below, reports it.
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(b, format, a...) }

	verdict := "NOT COMPLIANT"
	if r.Compliant {
		verdict = "COMPLIANT"
	}
	p("HIPAA Security Rule assessment of tenant %s\n", r.Tenant)
	p("Generated %s by terraform-provider-hipaa %s from the snapshot of %s (canonical content sha256 %s, not the file hash)\n",
		r.GeneratedAt.Format("2006-01-02 15:04 MST"), r.ToolVersion, r.SnapshotCollectedAt.Format("2006-01-02 15:04 MST"), short(r.SnapshotSHA256))
	p("\n%s  score %d/100\n", verdict, r.Score)
	var counts []string
	for _, s := range assess.Statuses {
		if n := r.Counts[string(s)]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, s))
		}
	}
	p("Controls: %s\n", strings.Join(counts, ", "))
	p("Legend: ✔ pass  ✘ fail or error  ? attestation missing  $ not licensed  – not assessed\n")

	for _, ct := range categoryTitles {
		p("\n%s\n", ct.title)
		for _, s := range r.Safeguards {
			if s.Category != ct.cat {
				continue
			}
			indent := "  "
			if s.Kind == controls.KindSpecification {
				indent = "    "
			}
			req := ""
			if s.Kind == controls.KindSpecification {
				req = " (" + string(s.Requirement) + ")"
			}
			p("%s%s %s %s%s", indent, Marker(s.Status), s.Citation, s.Title, req)
			switch {
			case s.Status == checks.StatusNotApplicable && s.Detail == assess.NotAssessed:
				p(": not assessed\n")
			case len(s.ControlIDs) > 0:
				p(": %s [%s]\n", s.Status, strings.Join(s.ControlIDs, " "))
			default:
				p(": %s\n", s.Status)
			}
		}
	}

	p("\nGaps (%d)\n", len(r.Gaps))
	if len(r.Gaps) == 0 {
		p("  none\n")
	}
	for _, g := range r.Gaps {
		p("  %s %s\n", "✘", g)
	}

	p("\nBusiness associate agreements\n")
	baaLine(p, "Services in use covered by Microsoft's BAA", r.BAA.Services, "not covered")
	baaLine(p, "Apps with PHI-capable permissions", r.BAA.Apps, "need a vendor BAA")
	if len(r.BAA.CoveredApps) > 0 {
		p("  Apps listed as covered: %s\n", strings.Join(r.BAA.CoveredApps, ", "))
	}
	for _, w := range r.Warnings {
		p("\nwarning: %s", w)
	}
	if len(r.Warnings) > 0 {
		p("\n")
	}
	return b.Flush()
}

func baaLine(p func(string, ...any), label string, it assess.BAAItem, objectsAre string) {
	if it.Status == "" {
		p("  – %s: not assessed\n", label)
		return
	}
	p("  %s %s: %s", Marker(it.Status), label, it.Status)
	if it.Actual != "" {
		p(" (%s)", strings.TrimSuffix(it.Actual, "."))
	}
	p("\n")
	if len(it.Objects) > 0 && it.Status != checks.StatusPass {
		p("      %s: %s\n", objectsAre, strings.Join(it.Objects, ", "))
	}
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
