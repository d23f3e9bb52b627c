// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package assess is the assessment engine: catalog × snapshot × inputs → findings, safeguard
// statuses, score, gaps and the BAA summary. Evaluate is a pure function (the clock is an
// argument), so a saved snapshot re-evaluates to the same result and every rule is unit-tested
// with small synthetic catalogs. The rules are documented in templates/guides/assessment.md.tmpl.
package assess

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

// Finding is the verdict on one control.
type Finding struct {
	ControlID   string               `json:"control_id"`
	Title       string               `json:"title"`
	Status      checks.Status        `json:"status"`
	Expected    string               `json:"expected"`
	Actual      string               `json:"actual"`
	Detail      string               `json:"detail,omitempty"`
	Objects     []string             `json:"objects,omitempty"`
	Remediation controls.Remediation `json:"remediation"`
	Citations   []string             `json:"citations"`
	Severity    controls.Severity    `json:"severity"`
	Automation  controls.Automation  `json:"automation"`
	Advisory    bool                 `json:"advisory,omitempty"`
	References  controls.References  `json:"references,omitempty"`
	Attestation *Attestation         `json:"attestation,omitempty"` // The attestation that satisfied (or failed to satisfy) the control.
	Excepted    bool                 `json:"excepted"`
	Underlying  checks.Status        `json:"underlying_status,omitempty"` // The status an active exception replaced.
	Exception   *Exception           `json:"exception,omitempty"`         // The exception on the control, active or expired.
	Sources     []snapshot.SourceID  `json:"sources,omitempty"`
}

// SafeguardResult is the rolled-up status of one standard or implementation specification.
type SafeguardResult struct {
	Citation    string               `json:"citation"`
	Title       string               `json:"title"`
	Category    controls.Category    `json:"category"`
	Kind        string               `json:"kind"`
	Requirement controls.Requirement `json:"requirement"`
	Status      checks.Status        `json:"status"`
	Detail      string               `json:"detail,omitempty"`
	ControlIDs  []string             `json:"control_ids"`
}

// BAAItem is one half of the BAA summary, taken from a BAA control's finding.
type BAAItem struct {
	ControlID string        `json:"control_id"`
	Status    checks.Status `json:"status"` // Empty when the control was not assessed.
	Expected  string        `json:"expected,omitempty"`
	Actual    string        `json:"actual,omitempty"`
	Detail    string        `json:"detail,omitempty"`
	Objects   []string      `json:"objects,omitempty"`
}

// BAA summarizes business associate coverage: Services.Objects are the services in use that
// Microsoft's BAA does not cover (HIPAA.BAA.1), Apps.Objects the apps holding PHI-capable
// permissions whose vendor needs a BAA (HIPAA.BAA.2).
type BAA struct {
	Services    BAAItem  `json:"services"`
	Apps        BAAItem  `json:"apps"`
	CoveredApps []string `json:"covered_apps"`
}

// The BAA controls the summary is read from.
const (
	BAAServicesControl = "HIPAA.BAA.1v1"
	BAAAppsControl     = "HIPAA.BAA.2v1"
)

// Result is a whole assessment.
type Result struct {
	TenantID       string                `json:"tenant_id"`
	EvaluatedAt    time.Time             `json:"evaluated_at"`
	SnapshotSHA256 string                `json:"snapshot_sha256"`
	Score          int                   `json:"score"`
	Compliant      bool                  `json:"compliant"`
	Counts         map[checks.Status]int `json:"counts"`
	Safeguards     []SafeguardResult     `json:"safeguards"`
	Findings       []Finding             `json:"findings"`
	Gaps           []string              `json:"gaps"`
	BAA            BAA                   `json:"baa"`
	Warnings       []string              `json:"warnings,omitempty"`
}

// Statuses lists every status in report order.
var Statuses = []checks.Status{checks.StatusPass, checks.StatusFail, checks.StatusError, checks.StatusManualAttested,
	checks.StatusManualMissing, checks.StatusNotLicensed, checks.StatusNotApplicable}

// Failing reports whether a finding makes the run fail (exit code 2, a non-compliant tenant
// aside from manual controls): a fail of a control that is not advisory.
func (f Finding) Failing() bool { return f.Status == checks.StatusFail && !f.Advisory }

// Evaluate runs every selected control's check against the snapshot and applies attestations,
// exceptions, the safeguard rollup and the score. It never fails and never reads the clock.
func Evaluate(cat *controls.Catalog, snap *snapshot.Snapshot, in Inputs, now time.Time) Result {
	now = now.UTC()
	r := Result{EvaluatedAt: now, Counts: map[checks.Status]int{}, Gaps: []string{}}
	if snap == nil {
		snap = snapshot.New("", "", now)
		r.Warnings = append(r.Warnings, "no snapshot: every automated control is an error")
	}
	r.TenantID = snap.TenantID
	if sum, err := snap.SHA256(); err == nil {
		r.SnapshotSHA256 = sum
	} else {
		r.Warnings = append(r.Warnings, "hashing the snapshot: "+err.Error())
	}

	params := in.Params
	params.BAACoveredAppIDs = dedupe(append(append([]string(nil), params.BAACoveredAppIDs...), in.BAACoveredApps...))
	params = params.Defaults()

	selected := selectControls(cat, in, &r)
	exceptions := indexExceptions(cat, in.Exceptions, &r)
	attestations := indexAttestations(cat, in.Attestations, &r)
	for _, ctl := range cat.Controls {
		if !selected[ctl.ID] {
			continue
		}
		f := evaluateControl(ctl, snap, params, attestations[ctl.ID], now)
		applyException(&f, exceptions[ctl.ID], now, &r)
		r.Findings = append(r.Findings, f)
	}

	for _, s := range Statuses {
		r.Counts[s] = 0
	}
	byID := map[string]*Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		r.Counts[f.Status]++
		byID[f.ControlID] = f
	}
	r.Safeguards = rollup(cat, byID)
	r.Score = score(r.Findings)
	r.Compliant = compliant(cat, r.Findings, params)
	r.Gaps = gaps(r.Findings, params)
	r.BAA = baaSummary(byID, params.BAACoveredAppIDs)
	return r
}

// Selected lists, in catalog order, the ids of the controls the inputs select: what a collector
// needs the sources of (Catalog.Sources) and what Evaluate assesses.
func Selected(cat *controls.Catalog, in Inputs) []string {
	var scratch Result
	sel := selectControls(cat, in, &scratch)
	var out []string
	for _, ctl := range cat.Controls {
		if sel[ctl.ID] {
			out = append(out, ctl.ID)
		}
	}
	return out
}

// selectControls applies include (empty: all) then exclude; retired ids resolve to their
// successors.
func selectControls(cat *controls.Catalog, in Inputs, r *Result) map[string]bool {
	resolve := func(what string, ids []string) map[string]bool {
		out := map[string]bool{}
		for _, id := range ids {
			rid, err := cat.Resolve(id)
			if err != nil {
				r.Warnings = append(r.Warnings, what+": "+err.Error())
				continue
			}
			out[rid] = true
		}
		return out
	}
	include, exclude := resolve("include", in.Include), resolve("exclude", in.Exclude)
	sel := map[string]bool{}
	for _, ctl := range cat.Controls {
		if (len(in.Include) == 0 || include[ctl.ID]) && !exclude[ctl.ID] {
			sel[ctl.ID] = true
		}
	}
	return sel
}

func indexExceptions(cat *controls.Catalog, list []Exception, r *Result) map[string]*Exception {
	out := map[string]*Exception{}
	for i := range list {
		e := list[i]
		id, err := cat.Resolve(e.ControlID)
		if err != nil {
			r.Warnings = append(r.Warnings, "exception: "+err.Error())
			continue
		}
		if _, err := parseDate(e.Expires); err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("exception on %s ignored: expires: %v", id, err))
			continue
		}
		// With several exceptions on one control, the one lasting longest wins.
		if prev, ok := out[id]; ok && prev.Expires >= e.Expires {
			continue
		}
		out[id] = &e
	}
	return out
}

func indexAttestations(cat *controls.Catalog, list []Attestation, r *Result) map[string][]Attestation {
	out := map[string][]Attestation{}
	for _, a := range list {
		id, err := cat.Resolve(a.ControlID)
		if err != nil {
			r.Warnings = append(r.Warnings, "attestation: "+err.Error())
			continue
		}
		if ctl, _ := cat.Control(id); ctl.Automation == controls.Automated {
			r.Warnings = append(r.Warnings, fmt.Sprintf("attestation on %s ignored: the control is automated", id))
			continue
		}
		if _, _, err := a.valid(time.Time{}); err != nil {
			r.Warnings = append(r.Warnings, fmt.Sprintf("attestation on %s ignored: %v", id, err))
			continue
		}
		out[id] = append(out[id], a)
	}
	return out
}

// bestAttestation returns a valid attestation (the one lasting longest) or, when none is valid,
// the most recent expired one so that the finding can say what expired.
func bestAttestation(list []Attestation, now time.Time) (*Attestation, bool, time.Time) {
	var best *Attestation
	var bestValid bool
	var bestExp time.Time
	for i := range list {
		a := list[i]
		ok, exp, _ := a.valid(now)
		if best == nil || (ok && !bestValid) || (ok == bestValid && exp.After(bestExp)) {
			best, bestValid, bestExp = &a, ok, exp
		}
	}
	return best, bestValid, bestExp
}

func newFinding(ctl controls.Control) Finding {
	return Finding{ControlID: ctl.ID, Title: ctl.Title, Remediation: ctl.Remediation,
		Citations: append([]string(nil), ctl.Citations...), Severity: ctl.Severity, Automation: ctl.Automation,
		Advisory: ctl.Advisory, References: ctl.References, Sources: ctl.Sources}
}

// evaluateControl produces the finding of one control before exceptions.
func evaluateControl(ctl controls.Control, snap *snapshot.Snapshot, p checks.Params, atts []Attestation, now time.Time) Finding {
	f := newFinding(ctl)
	att, attValid, attExp := bestAttestation(atts, now)
	if ctl.Automation == controls.Manual {
		f.Expected = "a valid attestation (who, when, evidence link, not expired)"
		switch {
		case att != nil && attValid:
			f.Status, f.Attestation = checks.StatusManualAttested, att
			f.Actual = fmt.Sprintf("attested by %s on %s", att.By, att.Date)
			f.Detail = fmt.Sprintf("evidence: %s; valid through %s", att.EvidenceURL, attExp.Format(DateLayout))
		case att != nil:
			f.Status, f.Attestation = checks.StatusManualMissing, att
			f.Actual = fmt.Sprintf("the attestation by %s on %s expired on %s", att.By, att.Date, attExp.Format(DateLayout))
		default:
			f.Status, f.Actual = checks.StatusManualMissing, "no attestation"
		}
		return f
	}

	o := runCheck(ctl.ID, snap, p)
	f.Status, f.Expected, f.Actual, f.Detail, f.Objects = o.Status, o.Expected, o.Actual, o.Detail, o.Objects
	// An API failure is never a pass: a check that passed although a source it depends on is
	// missing or failed is overruled.
	if f.Status == checks.StatusPass {
		for _, id := range ctl.Sources {
			if !snap.Has(id) {
				f.Status, f.Actual = checks.StatusError, "unknown"
				f.Detail = "could not read " + string(id) + ": " + sourceProblem(snap, id)
				break
			}
		}
	}
	// A partial control's check sees only part of the requirement; an attestation covers the
	// rest and turns a fail (never an error) into manual_attested.
	if ctl.Automation == controls.Partial && f.Status == checks.StatusFail && att != nil && attValid {
		f.Status, f.Attestation = checks.StatusManualAttested, att
		f.Detail = strings.TrimSpace(fmt.Sprintf("%s (check: %s) attested by %s on %s, evidence: %s", f.Detail, f.Actual, att.By, att.Date, att.EvidenceURL))
	}
	return f
}

func sourceProblem(snap *snapshot.Snapshot, id snapshot.SourceID) string {
	src, ok := snap.Sources[id]
	switch {
	case !ok || src == nil:
		return "not collected"
	case src.Error != "":
		return src.Error
	default:
		return "empty payload"
	}
}

// lookupCheck finds a control's evaluator; tests swap it for synthetic checks.
var lookupCheck = checks.Lookup

// runCheck calls the control's evaluator, turning a missing evaluator, a panic or an unknown
// status into an error finding rather than a crash or a silent pass.
func runCheck(id string, snap *snapshot.Snapshot, p checks.Params) (o checks.Outcome) {
	check, ok := lookupCheck(id)
	if !ok {
		return checks.Outcome{Status: checks.StatusError, Actual: "unknown",
			Detail: "this build has no evaluator for " + id + "; please report this issue to the provider developers"}
	}
	defer func() {
		if v := recover(); v != nil {
			o = checks.Outcome{Status: checks.StatusError, Actual: "unknown",
				Detail: fmt.Sprintf("the evaluator of %s failed (%v); please report this issue to the provider developers", id, v)}
		}
	}()
	o = check(snap, p)
	switch o.Status {
	case checks.StatusPass, checks.StatusFail, checks.StatusNotLicensed, checks.StatusError, checks.StatusNotApplicable:
	default:
		o = checks.Outcome{Status: checks.StatusError, Expected: o.Expected, Actual: "unknown",
			Detail: fmt.Sprintf("the evaluator of %s returned the unknown status %q", id, o.Status)}
	}
	return o
}

// applyException turns a fail, error or manual_missing into not_applicable while an exception is
// active; an expired one leaves the underlying result and says so.
func applyException(f *Finding, e *Exception, now time.Time, r *Result) {
	if e == nil {
		return
	}
	f.Exception = e
	active, _ := e.active(now)
	switch {
	case !active:
		f.Detail = strings.TrimSpace(f.Detail + fmt.Sprintf(" (exception expired on %s: %s)", e.Expires, e.Reason))
	case f.Status == checks.StatusFail || f.Status == checks.StatusError || f.Status == checks.StatusManualMissing:
		f.Underlying, f.Status, f.Excepted = f.Status, checks.StatusNotApplicable, true
		f.Detail = fmt.Sprintf("excepted until %s: %s", e.Expires, e.Reason)
	default:
		r.Warnings = append(r.Warnings, fmt.Sprintf("exception on %s is unused: the control is %s", f.ControlID, f.Status))
	}
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
