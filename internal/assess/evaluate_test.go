// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assess

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

const (
	srcCA  = snapshot.GraphConditionalAccessPolicies
	srcSD  = snapshot.GraphSecurityDefaults
	citReq = "164.312(d)"         // Required standard.
	citAdd = "164.312(a)(2)(iii)" // Addressable specification.
	citStd = "164.312(a)(1)"      // Its standard, cited by nothing.
)

var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// testCatalog is a small synthetic catalog: automated T.1 and T.2 on the required safeguard,
// manual M.1 on the addressable one and M.2 on the required one, partial P.1 and advisory ADV.1
// on the addressable one.
func testCatalog(t *testing.T) *controls.Catalog {
	t.Helper()
	sg := `{"safeguards":[
 {"citation":"164.312(a)(1)","name":"Access control","category":"technical","kind":"standard","requirement":"required"},
 {"citation":"164.312(a)(2)(iii)","name":"Automatic logoff","category":"technical","kind":"implementation_specification","requirement":"addressable","standard":"164.312(a)(1)"},
 {"citation":"164.312(d)","name":"Person or entity authentication","category":"technical","kind":"standard","requirement":"required"}]}`
	ctl := func(id, auto, cit, extra string) string {
		src := `,"sources":["graph.conditionalAccessPolicies"]`
		if auto == "manual" {
			src = ""
		}
		return `{"id":"` + id + `","title":"Title of ` + id + `","rationale":"R.","citations":["` + cit + `"],"severity":"high","automation":"` + auto + `"` + src + extra +
			`,"remediation":{"baseline_attribute":"hipaa_baseline.x = 1","portal_path":"Portal > X"}}`
	}
	cs := `{"controls":[` + strings.Join([]string{
		ctl("HIPAA.T.1v1", "automated", citReq, ""),
		ctl("HIPAA.T.2v1", "automated", citReq, ""),
		ctl("HIPAA.M.1v1", "manual", citAdd, ""),
		ctl("HIPAA.M.2v1", "manual", citReq, ""),
		ctl("HIPAA.P.1v1", "partial", citAdd, ""),
		ctl("HIPAA.ADV.1v1", "automated", citAdd, `,"advisory":true`),
	}, ",") + `]}`
	c, err := controls.Parse(controls.Files{Safeguards: []byte(sg), Controls: []byte(cs)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// realCatalog is the catalog the provider ships.
func realCatalog(t *testing.T) *controls.Catalog {
	t.Helper()
	cat, err := controls.Load()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// fakeChecks replaces the evaluator registry for one test.
func fakeChecks(t *testing.T, outcomes map[string]checks.Outcome) {
	t.Helper()
	prev := lookupCheck
	lookupCheck = func(id string) (checks.Check, bool) {
		o, ok := outcomes[id]
		if !ok {
			return nil, false
		}
		return func(*snapshot.Snapshot, checks.Params) checks.Outcome { return o }, true
	}
	t.Cleanup(func() { lookupCheck = prev })
}

func testSnapshot(ok ...snapshot.SourceID) *snapshot.Snapshot {
	s := snapshot.New("tenant-1", "test", testNow)
	for _, id := range ok {
		s.Sources[id] = &snapshot.Source{Request: "GET x", Status: 200, FetchedAt: testNow, Body: json.RawMessage(`{"value":[]}`)}
	}
	return s
}

func pass() checks.Outcome {
	return checks.Outcome{Status: checks.StatusPass, Expected: "e", Actual: "fine"}
}
func fail(actual string, objs ...string) checks.Outcome {
	return checks.Outcome{Status: checks.StatusFail, Expected: "e", Actual: actual, Objects: objs}
}

func finding(t *testing.T, r Result, id string) Finding {
	t.Helper()
	return only(t, r.Findings, "finding for "+id, func(f Finding) bool { return f.ControlID == id })
}

func safeguard(t *testing.T, r Result, cit string) SafeguardResult {
	t.Helper()
	return only(t, r.Safeguards, "safeguard "+cit, func(s SafeguardResult) bool { return s.Citation == cit })
}

// only returns the first of items that match accepts, and fails the test when there is none.
func only[T any](t *testing.T, items []T, what string, match func(T) bool) T {
	t.Helper()
	i := slices.IndexFunc(items, match)
	if i < 0 {
		t.Fatalf("no %s", what)
	}
	return items[i]
}

func TestRollupStatus(t *testing.T) {
	f := func(st checks.Status) *Finding {
		return &Finding{ControlID: "HIPAA.X." + string(st) + "v1", Status: st}
	}
	adv := &Finding{ControlID: "HIPAA.ADV.1v1", Status: checks.StatusFail, Advisory: true}
	const R, A = controls.Required, controls.Addressable
	cases := []struct {
		name string
		req  controls.Requirement
		in   []*Finding
		want checks.Status
	}{
		{"no control", R, nil, checks.StatusNotApplicable},
		{"error beats fail", R, []*Finding{f(checks.StatusFail), f(checks.StatusError)}, checks.StatusError},
		{"fail beats pass", R, []*Finding{f(checks.StatusPass), f(checks.StatusFail)}, checks.StatusFail},
		{"manual missing fails a required safeguard", R, []*Finding{f(checks.StatusPass), f(checks.StatusManualMissing)}, checks.StatusFail},
		{"manual missing on an addressable one", A, []*Finding{f(checks.StatusPass), f(checks.StatusManualMissing)}, checks.StatusManualMissing},
		{"attested counts as pass", R, []*Finding{f(checks.StatusManualAttested)}, checks.StatusPass},
		{"pass with not licensed", R, []*Finding{f(checks.StatusPass), f(checks.StatusNotLicensed)}, checks.StatusPass},
		{"all not licensed", R, []*Finding{f(checks.StatusNotLicensed), f(checks.StatusNotLicensed)}, checks.StatusNotLicensed},
		{"not licensed and excepted", R, []*Finding{f(checks.StatusNotLicensed), f(checks.StatusNotApplicable)}, checks.StatusNotLicensed},
		{"all excepted", R, []*Finding{f(checks.StatusNotApplicable)}, checks.StatusNotApplicable},
		{"advisory fail does not fail", R, []*Finding{f(checks.StatusPass), adv}, checks.StatusPass},
		{"advisory fail alone", R, []*Finding{adv}, checks.StatusNotApplicable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := rollupStatus(tc.req, tc.in); got != tc.want {
				t.Fatalf("rollup = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestEvaluate_rollupScoreCompliantGaps(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{
		"HIPAA.T.1v1":   pass(),
		"HIPAA.T.2v1":   fail("MFA policy is report-only.", "HIPAA - Require MFA"),
		"HIPAA.P.1v1":   pass(),
		"HIPAA.ADV.1v1": fail("score 40%"),
	})
	in := Inputs{Attestations: []Attestation{{ControlID: "HIPAA.M.1v1", By: "CISO", Date: "2026-01-10", EvidenceURL: "https://x/ra.pdf"}}}
	r := Evaluate(cat, testSnapshot(srcCA), in, testNow)

	if got := safeguard(t, r, citReq).Status; got != checks.StatusFail {
		t.Errorf("required safeguard = %s, want fail", got)
	}
	if got := safeguard(t, r, citAdd).Status; got != checks.StatusPass {
		t.Errorf("addressable safeguard = %s, want pass (M.1 attested, P.1 pass, advisory ignored)", got)
	}
	sg := safeguard(t, r, citStd)
	if sg.Status != checks.StatusNotApplicable || sg.Detail != NotAssessed {
		t.Errorf("uncited standard = %s %q, want not_applicable %q", sg.Status, sg.Detail, NotAssessed)
	}
	if !reflect.DeepEqual(safeguard(t, r, citReq).ControlIDs, []string{"HIPAA.T.1v1", "HIPAA.T.2v1", "HIPAA.M.2v1"}) {
		t.Errorf("control ids = %v", safeguard(t, r, citReq).ControlIDs)
	}
	// pass: T.1, P.1, attested M.1 = 3; fail: T.2, ADV.1 = 2 → 60.
	if r.Score != 60 {
		t.Errorf("score = %d, want 60", r.Score)
	}
	if r.Compliant {
		t.Error("compliant with a failing control")
	}
	wantCounts := map[checks.Status]int{checks.StatusPass: 2, checks.StatusFail: 2, checks.StatusManualAttested: 1,
		checks.StatusManualMissing: 1, checks.StatusError: 0, checks.StatusNotLicensed: 0, checks.StatusNotApplicable: 0}
	if !reflect.DeepEqual(r.Counts, wantCounts) {
		t.Errorf("counts = %v, want %v", r.Counts, wantCounts)
	}
	wantGaps := []string{
		`HIPAA.T.2v1 [164.312(d)] Title of HIPAA.T.2v1: MFA policy is report-only (HIPAA - Require MFA). Fix: set hipaa_baseline.x = 1; portal: Portal > X`,
		`HIPAA.M.2v1 [164.312(d)] Title of HIPAA.M.2v1: no attestation. Fix: record an attestation (by, date, evidence_url) once it is in place`,
		`HIPAA.ADV.1v1 [164.312(a)(2)(iii)] Title of HIPAA.ADV.1v1 (advisory): score 40%. Fix: set hipaa_baseline.x = 1; portal: Portal > X`,
	}
	if !reflect.DeepEqual(r.Gaps, wantGaps) {
		t.Errorf("gaps =\n%s\nwant\n%s", strings.Join(r.Gaps, "\n"), strings.Join(wantGaps, "\n"))
	}
	if r.TenantID != "tenant-1" || len(r.SnapshotSHA256) != 64 {
		t.Errorf("tenant %q sha %q", r.TenantID, r.SnapshotSHA256)
	}
}

func TestEvaluate_compliantIgnoresAdvisoryAndAddressableManual(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": pass(), "HIPAA.P.1v1": pass(), "HIPAA.ADV.1v1": fail("low")})
	in := Inputs{Attestations: []Attestation{{ControlID: "HIPAA.M.2v1", By: "CISO", Date: "2026-06-01", EvidenceURL: "https://x"}}}
	r := Evaluate(cat, testSnapshot(srcCA), in, testNow)
	if !r.Compliant {
		t.Fatalf("not compliant: %v", r.Gaps)
	}
	if got := safeguard(t, r, citAdd).Status; got != checks.StatusManualMissing {
		t.Fatalf("addressable safeguard with M.1 missing = %s, want manual_missing", got)
	}
	// Without M.2's attestation the required safeguard lacks evidence: not compliant.
	r = Evaluate(cat, testSnapshot(srcCA), Inputs{}, testNow)
	if r.Compliant {
		t.Fatal("compliant without the attestation of a required safeguard")
	}
}

func TestEvaluate_exceptions(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": fail("off")})
	in := Inputs{Include: []string{"HIPAA.T.1v1", "HIPAA.T.2v1"},
		Exceptions: []Exception{{ControlID: "HIPAA.T.2v1", Reason: "migration in Q3", Expires: "2026-06-15"}}}

	r := Evaluate(cat, testSnapshot(srcCA), in, testNow) // The last day of the exception.
	f := finding(t, r, "HIPAA.T.2v1")
	if f.Status != checks.StatusNotApplicable || !f.Excepted || f.Underlying != checks.StatusFail {
		t.Fatalf("active exception: %+v", f)
	}
	if f.Detail != "excepted until 2026-06-15: migration in Q3" {
		t.Fatalf("detail = %q", f.Detail)
	}
	if !r.Compliant || len(r.Gaps) != 0 || safeguard(t, r, citReq).Status != checks.StatusPass {
		t.Fatalf("an excepted fail still counts: compliant=%v gaps=%v", r.Compliant, r.Gaps)
	}

	r = Evaluate(cat, testSnapshot(srcCA), in, testNow.AddDate(0, 0, 1)) // The day after.
	f = finding(t, r, "HIPAA.T.2v1")
	if f.Status != checks.StatusFail || f.Excepted || !strings.Contains(f.Detail, "exception expired on 2026-06-15") {
		t.Fatalf("expired exception: %+v", f)
	}
	if r.Compliant {
		t.Fatal("an expired exception still counts")
	}
}

func TestEvaluate_exceptionTurnsErrorButNotPass(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": pass()})
	in := Inputs{Include: []string{"HIPAA.T.1v1", "HIPAA.T.2v1"}, Exceptions: []Exception{
		{ControlID: "HIPAA.T.1v1", Reason: "r", Expires: "2027-01-01"}, {ControlID: "HIPAA.T.2v1", Reason: "r", Expires: "2027-01-01"}}}
	snap := testSnapshot()
	snap.Sources[srcCA] = &snapshot.Source{Request: "GET x", Status: 403, Error: "Authorization_RequestDenied"}
	r := Evaluate(cat, snap, in, testNow)
	f := finding(t, r, "HIPAA.T.1v1")
	if f.Status != checks.StatusNotApplicable || f.Underlying != checks.StatusError {
		t.Fatalf("excepted error: %+v", f)
	}
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": pass()})
	r = Evaluate(cat, testSnapshot(srcCA), in, testNow)
	if f := finding(t, r, "HIPAA.T.1v1"); f.Status != checks.StatusPass || f.Excepted {
		t.Fatalf("an exception changed a pass: %+v", f)
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "unused") {
		t.Fatalf("warnings = %v", r.Warnings)
	}
}

func TestEvaluate_attestations(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{})
	run := func(a ...Attestation) Finding {
		r := Evaluate(cat, testSnapshot(), Inputs{Include: []string{"HIPAA.M.1v1"}, Attestations: a}, testNow)
		return finding(t, r, "HIPAA.M.1v1")
	}
	if f := run(); f.Status != checks.StatusManualMissing || f.Actual != "no attestation" {
		t.Errorf("none: %+v", f)
	}
	valid := Attestation{ControlID: "HIPAA.M.1v1", By: "Jane Doe", Date: "2025-06-15", EvidenceURL: "https://e/1"}
	if f := run(valid); f.Status != checks.StatusManualAttested || f.Actual != "attested by Jane Doe on 2025-06-15" ||
		!strings.Contains(f.Detail, "valid through 2026-06-15") || f.Attestation == nil {
		t.Errorf("valid (last day of the default year): %+v", f)
	}
	old := valid
	old.Date = "2025-06-14"
	if f := run(old); f.Status != checks.StatusManualMissing || !strings.Contains(f.Actual, "expired on 2026-06-14") {
		t.Errorf("expired by default after a year: %+v", f)
	}
	explicit := valid
	explicit.Expires = "2026-06-01"
	if f := run(explicit); f.Status != checks.StatusManualMissing {
		t.Errorf("explicit expiry passed: %+v", f)
	}
	future := valid
	future.Date = "2026-07-01"
	if f := run(future); f.Status != checks.StatusManualMissing {
		t.Errorf("attestation dated in the future: %+v", f)
	}
	if f := run(old, valid); f.Status != checks.StatusManualAttested {
		t.Errorf("a valid attestation next to an expired one: %+v", f)
	}
}

func TestEvaluate_partialControlTakesAttestationForFailOnly(t *testing.T) {
	cat := testCatalog(t)
	att := Attestation{ControlID: "HIPAA.P.1v1", By: "IT", Date: "2026-06-01", EvidenceURL: "https://e/2"}
	in := Inputs{Include: []string{"HIPAA.P.1v1"}, Attestations: []Attestation{att}}
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.P.1v1": fail("no ids")})
	if f := finding(t, Evaluate(cat, testSnapshot(srcCA), in, testNow), "HIPAA.P.1v1"); f.Status != checks.StatusManualAttested {
		t.Fatalf("attested partial fail: %+v", f)
	}
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.P.1v1": pass()})
	if f := finding(t, Evaluate(cat, testSnapshot(), in, testNow), "HIPAA.P.1v1"); f.Status != checks.StatusError {
		t.Fatalf("attestation hid a source error: %+v", f)
	}
}

func TestEvaluate_errorIsNeverPass(t *testing.T) {
	cat := testCatalog(t)
	in := Inputs{Include: []string{"HIPAA.T.1v1"}}
	cases := []struct {
		name  string
		check func(*snapshot.Snapshot, checks.Params) checks.Outcome
		snap  *snapshot.Snapshot
		want  string
	}{
		{"pass on a failed source", func(*snapshot.Snapshot, checks.Params) checks.Outcome { return pass() },
			func() *snapshot.Snapshot {
				s := testSnapshot()
				s.Sources[srcCA] = &snapshot.Source{Status: 500, Error: "HTTP 500"}
				return s
			}(), "could not read graph.conditionalAccessPolicies: HTTP 500"},
		{"pass on a source never collected", func(*snapshot.Snapshot, checks.Params) checks.Outcome { return pass() },
			testSnapshot(srcSD), "not collected"},
		{"panicking check", func(*snapshot.Snapshot, checks.Params) checks.Outcome { panic("boom") }, testSnapshot(srcCA), "boom"},
		{"unknown status", func(*snapshot.Snapshot, checks.Params) checks.Outcome { return checks.Outcome{Status: "ok"} },
			testSnapshot(srcCA), `unknown status "ok"`},
		{"no evaluator", nil, testSnapshot(srcCA), "no evaluator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prev := lookupCheck
			t.Cleanup(func() { lookupCheck = prev })
			lookupCheck = func(string) (checks.Check, bool) { return tc.check, tc.check != nil }
			r := Evaluate(cat, tc.snap, in, testNow)
			f := finding(t, r, "HIPAA.T.1v1")
			if f.Status != checks.StatusError || !strings.Contains(f.Detail, tc.want) {
				t.Fatalf("finding %+v, want error mentioning %q", f, tc.want)
			}
			if r.Compliant || safeguard(t, r, citReq).Status != checks.StatusError {
				t.Fatal("an error left the tenant compliant or the safeguard not in error")
			}
			if !strings.HasPrefix(r.Gaps[0], "HIPAA.T.1v1 [164.312(d)] Title of HIPAA.T.1v1: could not be assessed: ") {
				t.Fatalf("gap = %q", r.Gaps[0])
			}
		})
	}
}

func TestEvaluate_includeExclude(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": pass(), "HIPAA.P.1v1": pass(), "HIPAA.ADV.1v1": pass()})
	ids := func(r Result) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.ControlID)
		}
		return out
	}
	r := Evaluate(cat, testSnapshot(srcCA), Inputs{Include: []string{"HIPAA.T.2v1", "HIPAA.M.1v1"}}, testNow)
	if got := ids(r); !reflect.DeepEqual(got, []string{"HIPAA.T.2v1", "HIPAA.M.1v1"}) {
		t.Errorf("include: %v", got)
	}
	r = Evaluate(cat, testSnapshot(srcCA), Inputs{Exclude: []string{"HIPAA.M.1v1", "HIPAA.M.2v1", "HIPAA.NOPE.1v1"}}, testNow)
	if got := ids(r); !reflect.DeepEqual(got, []string{"HIPAA.T.1v1", "HIPAA.T.2v1", "HIPAA.P.1v1", "HIPAA.ADV.1v1"}) {
		t.Errorf("exclude: %v", got)
	}
	if !r.Compliant || r.Score != 100 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "HIPAA.NOPE.1v1") {
		t.Errorf("compliant=%v score=%d warnings=%v", r.Compliant, r.Score, r.Warnings)
	}
	if got := safeguard(t, r, citAdd).ControlIDs; !reflect.DeepEqual(got, []string{"HIPAA.P.1v1", "HIPAA.ADV.1v1"}) {
		t.Errorf("excluded controls still listed: %v", got)
	}
}

func TestEvaluate_deterministic(t *testing.T) {
	cat := testCatalog(t)
	fakeChecks(t, map[string]checks.Outcome{"HIPAA.T.1v1": pass(), "HIPAA.T.2v1": fail("x", "b", "a"), "HIPAA.P.1v1": pass(), "HIPAA.ADV.1v1": pass()})
	a, _ := json.Marshal(Evaluate(cat, testSnapshot(srcCA), Inputs{}, testNow))
	b, _ := json.Marshal(Evaluate(cat, testSnapshot(srcCA), Inputs{}, testNow))
	if string(a) != string(b) {
		t.Fatal("two evaluations of the same snapshot differ")
	}
}

func TestInputsValidate(t *testing.T) {
	cat := testCatalog(t)
	good := Inputs{Include: []string{"HIPAA.T.1v1"},
		Exceptions: []Exception{{ControlID: "HIPAA.T.2v1", Reason: "r", Expires: "2026-12-31"}},
		Attestations: []Attestation{{ControlID: "HIPAA.M.1v1", By: "me", Date: "2026-01-01", EvidenceURL: "https://e"},
			// Expiring the day it is made is odd but not contradictory.
			{ControlID: "HIPAA.M.1v1", By: "me", Date: "2026-01-01", EvidenceURL: "https://e", Expires: "2026-01-01"}}}
	if err := good.Validate(cat); err != nil {
		t.Fatal(err)
	}
	bad := Inputs{Exclude: []string{"HIPAA.X.1v1"},
		Exceptions: []Exception{{ControlID: "HIPAA.T.2v1", Expires: "31/12/2026"}},
		Attestations: []Attestation{{ControlID: "HIPAA.T.1v1", Date: "2026-01-01", EvidenceURL: "not a url"},
			{ControlID: "HIPAA.M.1v1", By: "me", Date: "2026-06-01", EvidenceURL: "https://e", Expires: "2025-06-01"}}}
	err := bad.Validate(cat)
	if err == nil {
		t.Fatal("bad inputs accepted")
	}
	for _, want := range []string{`exclude: unknown control id "HIPAA.X.1v1"`, "a reason is required", `expires: "31/12/2026" is not a date`,
		"HIPAA.T.1v1 is automated", "by (who attests) is required", "evidence_url must be an absolute URL",
		"attestations[1]: expires (2025-06-01) is before date (2026-06-01)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestEvaluate_baaSummaryFromOutcomes(t *testing.T) {
	sg := `{"safeguards":[{"citation":"164.308(b)(1)","name":"BA contracts","category":"administrative","kind":"standard","requirement":"required"}]}`
	cs := `{"controls":[
 {"id":"HIPAA.BAA.1v1","title":"S","rationale":"R","citations":["164.308(b)(1)"],"severity":"high","automation":"automated","sources":["graph.subscribedSkus"],"remediation":{}},
 {"id":"HIPAA.BAA.2v1","title":"A","rationale":"R","citations":["164.308(b)(1)"],"severity":"high","automation":"automated","sources":["graph.subscribedSkus"],"remediation":{}}]}`
	cat, err := controls.Parse(controls.Files{Safeguards: []byte(sg), Controls: []byte(cs)})
	if err != nil {
		t.Fatal(err)
	}
	var got checks.Params
	prev := lookupCheck
	t.Cleanup(func() { lookupCheck = prev })
	lookupCheck = func(id string) (checks.Check, bool) {
		return func(_ *snapshot.Snapshot, p checks.Params) checks.Outcome {
			got = p
			if id == BAAServicesControl {
				return checks.Outcome{Status: checks.StatusPass, Expected: "covered", Actual: "all 4 services covered"}
			}
			return fail("2 apps need a vendor BAA", "Acme Mail Archiver", "Files Sync Pro")
		}, true
	}
	in := Inputs{BAACoveredApps: []string{"app-2", "app-1"}, Params: checks.Params{BAACoveredAppIDs: []string{"app-1"}}}
	r := Evaluate(cat, testSnapshot(snapshot.GraphSubscribedSkus), in, testNow)
	if !reflect.DeepEqual(got.BAACoveredAppIDs, []string{"app-1", "app-2"}) || got.AuditRetentionDays != 2190 {
		t.Fatalf("params passed to checks: %+v", got)
	}
	if r.BAA.Services.Status != checks.StatusPass || r.BAA.Services.Actual != "all 4 services covered" {
		t.Errorf("services: %+v", r.BAA.Services)
	}
	if r.BAA.Apps.Status != checks.StatusFail || !reflect.DeepEqual(r.BAA.Apps.Objects, []string{"Acme Mail Archiver", "Files Sync Pro"}) {
		t.Errorf("apps: %+v", r.BAA.Apps)
	}
	if !reflect.DeepEqual(r.BAA.CoveredApps, []string{"app-1", "app-2"}) {
		t.Errorf("covered apps: %v", r.BAA.CoveredApps)
	}
}
