// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package controls is the HIPAA catalog as data: the standards and implementation specifications
// of the Security Rule (45 CFR 164.308, 164.310, 164.312, 164.316) and the controls that assess
// them. The JSON files under catalog/ are embedded in the binary and are the one source of truth;
// Go code only loads and validates them, so that adding or re-versioning a control is a data change
// (ScubaGear and Prowler keep their catalogs the same way).
package controls

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

//go:embed catalog/*.json catalog/migrations.csv
var embedded embed.FS

// Category groups the safeguards as the Security Rule does.
type Category string

// The Security Rule's safeguard categories.
const (
	CategoryAdministrative Category = "administrative"
	CategoryPhysical       Category = "physical"
	CategoryTechnical      Category = "technical"
	CategoryDocumentation  Category = "documentation"
)

// Requirement says whether an implementation specification is required or addressable. Standards
// are always required.
type Requirement string

// The two kinds of requirement.
const (
	Required    Requirement = "required"
	Addressable Requirement = "addressable"
)

// Safeguard kinds.
const (
	KindStandard      = "standard"
	KindSpecification = "implementation_specification"
)

// Severity ranks how much a failing control exposes ePHI.
type Severity string

// The severities.
const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
)

// Automation says how a control is assessed.
type Automation string

// The automation levels. A partial control has a check that sees only part of the requirement and
// accepts an attestation for the rest; a manual control is satisfied only by an attestation.
const (
	Automated Automation = "automated"
	Partial   Automation = "partial"
	Manual    Automation = "manual"
)

// Safeguard is one standard or implementation specification, e.g. 164.312(d) or
// 164.308(a)(1)(ii)(A).
type Safeguard struct {
	Citation    string      `json:"citation"`
	Name        string      `json:"name"`
	Category    Category    `json:"category"`
	Kind        string      `json:"kind"`
	Requirement Requirement `json:"requirement"`
	Standard    string      `json:"standard,omitempty"` // The parent standard of a specification.
}

// Remediation says what fixes a failing control.
type Remediation struct {
	BaselineAttribute string `json:"baseline_attribute,omitempty"` // e.g. hipaa_baseline.mfa.state = "enabled".
	Resource          string `json:"resource,omitempty"`
	PortalPath        string `json:"portal_path,omitempty"`
}

// String is the one-line form used in gaps: the Terraform fix when there is one, else the portal.
func (r Remediation) String() string {
	var parts []string
	if r.BaselineAttribute != "" {
		parts = append(parts, "set "+r.BaselineAttribute)
	} else if r.Resource != "" {
		parts = append(parts, "manage it with "+r.Resource)
	}
	if r.PortalPath != "" {
		parts = append(parts, "portal: "+r.PortalPath)
	}
	if len(parts) == 0 {
		return "record an attestation (who, when, evidence link) in the assessment inputs"
	}
	return strings.Join(parts, "; ")
}

// References cross-reference other benchmarks that say the same thing.
type References struct {
	Scuba []string `json:"scuba,omitempty"` // CISA ScubaGear policy ids, e.g. MS.AAD.3.2v2.
	CIS   []string `json:"cis,omitempty"`   // CIS Microsoft 365 Foundations Benchmark recommendation numbers.
}

// Control is one assessable requirement.
type Control struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Rationale   string              `json:"rationale"`
	Citations   []string            `json:"citations"`
	Severity    Severity            `json:"severity"`
	Automation  Automation          `json:"automation"`
	Advisory    bool                `json:"advisory,omitempty"` // A failure is reported but does not make the tenant non-compliant.
	Sources     []snapshot.SourceID `json:"sources,omitempty"`
	Remediation Remediation         `json:"remediation"`
	References  References          `json:"references,omitempty"`
}

// Migration records a control id replaced by a new version.
type Migration struct {
	OldID, NewID, Date, Reason string
}

// Catalog is the loaded, validated catalog. Safeguards and Controls keep the files' order.
type Catalog struct {
	Safeguards []Safeguard
	Controls   []Control
	Migrations []Migration

	safeguards map[string]*Safeguard
	controls   map[string]*Control
}

// Safeguard returns the safeguard of a citation.
func (c *Catalog) Safeguard(citation string) (*Safeguard, bool) {
	s, ok := c.safeguards[citation]
	return s, ok
}

// Control returns the control of an id.
func (c *Catalog) Control(id string) (*Control, bool) {
	ctl, ok := c.controls[id]
	return ctl, ok
}

// ControlsFor lists the controls citing a safeguard, in catalog order.
func (c *Catalog) ControlsFor(citation string) []*Control {
	var out []*Control
	for i := range c.Controls {
		for _, cit := range c.Controls[i].Citations {
			if cit == citation {
				out = append(out, &c.Controls[i])
				break
			}
		}
	}
	return out
}

// Sources is the sorted union of the sources the given controls need (all controls when ids is
// empty): what a collector has to fetch.
func (c *Catalog) Sources(ids ...string) []snapshot.SourceID {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	set := map[snapshot.SourceID]bool{}
	for _, ctl := range c.Controls {
		if len(ids) > 0 && !want[ctl.ID] {
			continue
		}
		for _, s := range ctl.Sources {
			set[s] = true
		}
	}
	out := make([]snapshot.SourceID, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// Load returns the embedded catalog, parsed and validated once per process. An error means the
// binary was built with a broken catalog, which the package tests rule out.
func Load() (*Catalog, error) {
	loadOnce.Do(func() {
		files := Files{}
		files.Safeguards, loadErr = embedded.ReadFile("catalog/safeguards.json")
		if loadErr != nil {
			return
		}
		if files.Controls, loadErr = embedded.ReadFile("catalog/controls.json"); loadErr != nil {
			return
		}
		if files.Migrations, loadErr = embedded.ReadFile("catalog/migrations.csv"); loadErr != nil {
			return
		}
		loaded, loadErr = Parse(files)
	})
	return loaded, loadErr
}

// Files are the raw catalog files; Parse takes them so tests can feed broken catalogs.
type Files struct {
	Safeguards []byte
	Controls   []byte
	Migrations []byte // Optional.
}

// Parse decodes and validates a catalog. Every problem is reported, not only the first.
func Parse(f Files) (*Catalog, error) {
	var sg struct {
		Comment    string      `json:"_comment"` // JSON has no comments; the files carry one here.
		Safeguards []Safeguard `json:"safeguards"`
	}
	if err := decodeStrict(f.Safeguards, &sg); err != nil {
		return nil, fmt.Errorf("reading safeguards.json: %w", err)
	}
	var ctl struct {
		Comment  string    `json:"_comment"`
		Controls []Control `json:"controls"`
	}
	if err := decodeStrict(f.Controls, &ctl); err != nil {
		return nil, fmt.Errorf("reading controls.json: %w", err)
	}
	migrations, err := parseMigrations(f.Migrations)
	if err != nil {
		return nil, fmt.Errorf("reading migrations.csv: %w", err)
	}
	c := &Catalog{Safeguards: sg.Safeguards, Controls: ctl.Controls, Migrations: migrations,
		safeguards: map[string]*Safeguard{}, controls: map[string]*Control{}}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeStrict rejects unknown fields: a misspelt key in hand-edited JSON would otherwise be
// silently dropped.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON document")
	}
	return nil
}

func parseMigrations(b []byte) ([]Migration, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "old_id,new_id,date,reason" {
		return nil, errors.New(`the header must be "old_id,new_id,date,reason"`)
	}
	var out []Migration
	for _, r := range rows[1:] {
		out = append(out, Migration{OldID: r[0], NewID: r[1], Date: r[2], Reason: r[3]})
	}
	return out, nil
}

// IDPattern is the form of a control id: HIPAA.<AREA>.<n>v<version>.
var IDPattern = regexp.MustCompile(`^HIPAA\.[A-Z]+\.\d+v\d+$`)

var citationPattern = regexp.MustCompile(`^164\.3(08|10|12|16)(\([a-zA-Z0-9]+\))+$`)
