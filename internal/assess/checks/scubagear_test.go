// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// scubaMapping maps a ScubaGear policy to the control that says the same thing. ScubaGear
// policies that ask for something no HIPAA control asks for (risk-based policies, app consent,
// password expiry, SMTP AUTH, calendar sharing, Microsoft's built-in alerts...) are not mapped.
var scubaMapping = map[string]struct {
	control string
	convert converter
}{
	"MS.AAD.1.1v1":           {"HIPAA.CA.2v1", convertCA(caOptions{keepClients: true})},
	"MS.AAD.3.1v1":           {"HIPAA.CA.3v1", convertCA(caOptions{})},
	"MS.AAD.3.2v2":           {"HIPAA.CA.1v1", convertCA(caOptions{})},
	"MS.AAD.3.3v2":           {"HIPAA.AUTH.2v1", convertAuthMethods},
	"MS.AAD.3.5v2":           {"HIPAA.AUTH.1v1", convertAuthMethods},
	"MS.AAD.3.6v1":           {"HIPAA.CA.3v1", convertCA(caOptions{roles: true})},
	"MS.AAD.3.7v1":           {"HIPAA.CA.4v1", convertCA(caOptions{dropStrength: true})},
	"MS.AAD.7.1v1":           {"HIPAA.IAM.1v1", convertPrivilegedUsers},
	"MS.AAD.8.1v1":           {"HIPAA.GUEST.2v1", convertAuthorizationPolicy},
	"MS.AAD.8.2v1":           {"HIPAA.GUEST.1v1", convertAuthorizationPolicy},
	"MS.SHAREPOINT.1.1v1":    {"HIPAA.SPO.1v1", convertSPO},
	"MS.SHAREPOINT.1.3v1":    {"HIPAA.SPO.2v1", convertSPO},
	"MS.SHAREPOINT.3.1v1":    {"HIPAA.SPO.4v1", convertSPO},
	"MS.EXO.1.1v2":           {"HIPAA.EXO.1v1", convertRemoteDomains},
	"MS.EXO.13.1v1":          {"HIPAA.AUDIT.2v1", convertCmdlet("org_config", snapshot.ExchangeOrganizationConfig)},
	"MS.DEFENDER.4.1v2":      {"HIPAA.DLP.1v1", convertDLP},
	"MS.DEFENDER.4.2v1":      {"HIPAA.DLP.1v1", convertDLP},
	"MS.DEFENDER.6.1v1":      {"HIPAA.AUDIT.1v1", convertCmdlet("admin_audit_log_config", snapshot.ExchangeAdminAuditLogConfig)},
	"MS.SECURITYSUITE.3.1v1": {"HIPAA.DLP.1v1", convertDLP},
	"MS.SECURITYSUITE.3.2v1": {"HIPAA.DLP.1v1", convertDLP},
	"MS.SECURITYSUITE.5.1v1": {"HIPAA.AUDIT.1v1", convertCmdlet("admin_audit_log_config", snapshot.ExchangeAdminAuditLogConfig)},
	"MS.SECURITYSUITE.5.2v1": {"HIPAA.AUDIT.3v1", convertAuditRetention},
}

// disagreement is one entry of testdata/scubagear_disagreements.json. Ours is what our finding
// says in every case the entry covers, so that the reason is checked against the code: a
// reason that says "HIPAA asks more: guest exclusions are never accepted" must come with
// findings that fail on the guest exclusion, not on something else.
type disagreement struct {
	PolicyID string `json:"policy_id"`
	Test     string `json:"test"` // Regexp on the test name.
	Ours     string `json:"ours"` // Regexp our finding's actual must match.
	Reason   string `json:"reason"`
	re, ours *regexp.Regexp
	used     int
}

// findUp walks up from the package directory looking for rel in each directory.
func findUp(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	found, _ := walkUp(dir, rel)
	return found
}

// walkUp looks for rel in start and each directory above it, and returns the first path that
// exists and every path it tried.
func walkUp(start, rel string) (found string, searched []string) {
	dir := start
	for {
		p := filepath.Join(dir, rel)
		searched = append(searched, p)
		if _, err := os.Stat(p); err == nil {
			return p, searched
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", searched
		}
		dir = parent
	}
}

// scubaCorpus is the ScubaGear corpus, looked for above the package directory: in a checkout
// next to the project's shared/ directory (the worktrees' and CI's layout).
var scubaCorpus = filepath.Join("shared", "reference", "scubagear", "cases.json")

// missingCorpus decides what a missing corpus means: under CI (CI=true, as .ci/run sets and CI
// services do) the conformance test must not pass without running, so it fails; elsewhere it
// skips. Either way the message names every path where the corpus was looked for.
func missingCorpus(getenv func(string) string, searched []string) (fail bool, msg string) {
	ci, _ := strconv.ParseBool(getenv("CI"))
	msg = "ScubaGear corpus not found; it is expected at one of:\n  " + strings.Join(searched, "\n  ")
	if ci {
		return true, msg + "\nCI=true: the conformance test must run under CI, so a missing corpus is a failure."
	}
	return false, msg + "\n(set CI=true to make this a failure)"
}

type policyTally struct{ cases, agreed, deliberate, unexpected int }

func TestScubaGearConformance(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	path, searched := walkUp(wd, scubaCorpus)
	if path == "" {
		if fail, msg := missingCorpus(os.Getenv, searched); fail {
			t.Fatal(msg)
		} else {
			t.Skip(msg)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []scubaCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for i := range cases {
		cases[i].Input = m(cases[i].RawInput)
	}
	dis := loadDisagreements(t)

	tally := map[string]*policyTally{}
	var mapped, agreed, deliberate, unexpected int
	for _, c := range cases {
		mp, ok := scubaMapping[c.PolicyID]
		if !ok {
			continue
		}
		mapped++
		pt := tally[c.PolicyID]
		if pt == nil {
			pt = &policyTally{}
			tally[c.PolicyID] = pt
		}
		pt.cases++
		src, params := mp.convert(c)
		check, _ := Lookup(mp.control)
		o := check(build(t, src), params)
		ours := o.Status == StatusPass
		if ours == c.ExpectedPass {
			agreed++
			pt.agreed++
			for _, d := range dis {
				if d.PolicyID == c.PolicyID && d.re.MatchString(c.TestName) {
					t.Errorf("%s %s is listed as a deliberate disagreement but agrees (%s): update the table", c.PolicyID, c.TestName, o.Status)
				}
			}
			continue
		}
		if d := findDisagreement(dis, c); d != nil {
			if !d.ours.MatchString(o.Actual) {
				t.Errorf("%s %s disagrees for another reason than its entry gives: ours %s: %q does not match %q",
					c.PolicyID, c.TestName, o.Status, o.Actual, d.Ours)
			}
			d.used++
			deliberate++
			pt.deliberate++
			continue
		}
		unexpected++
		pt.unexpected++
		t.Errorf("unexpected disagreement: %s %s -> %s: ScubaGear pass=%v, ours %s: %s (%s)",
			c.PolicyID, c.TestName, mp.control, c.ExpectedPass, o.Status, o.Actual, o.Detail)
	}
	for _, d := range dis {
		if d.used == 0 {
			t.Errorf("deliberate disagreement %s %q matches no disagreeing case: remove it", d.PolicyID, d.Test)
		}
	}
	t.Logf("scubagear conformance: %d cases, %d mapped, %d agreed, %d deliberate disagreements, %d unexpected disagreements",
		len(cases), mapped, agreed, deliberate, unexpected)
	checkGuide(t, len(cases), mapped, agreed, deliberate, unexpected, tally, dis)
}

func loadDisagreements(t *testing.T) []*disagreement {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "scubagear_disagreements.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dis []*disagreement
	if err := json.Unmarshal(b, &dis); err != nil {
		t.Fatal(err)
	}
	for _, d := range dis {
		if _, ok := scubaMapping[d.PolicyID]; !ok {
			t.Errorf("disagreement for unmapped policy %s", d.PolicyID)
		}
		if d.Reason == "" || d.Ours == "" {
			t.Errorf("disagreement %s %q needs a reason and what our finding says (ours)", d.PolicyID, d.Test)
		}
		d.re, d.ours = regexp.MustCompile(d.Test), regexp.MustCompile(d.Ours)
	}
	return dis
}

func findDisagreement(dis []*disagreement, c scubaCase) *disagreement {
	for _, d := range dis {
		if d.PolicyID == c.PolicyID && d.re.MatchString(c.TestName) {
			return d
		}
	}
	return nil
}

// checkGuide compares the published guide with this run, so the documentation cannot go stale:
// the totals table, one row per mapped policy, and one row per deliberate disagreement.
func checkGuide(t *testing.T, total, mapped, agreed, deliberate, unexpected int, tally map[string]*policyTally, dis []*disagreement) {
	t.Helper()
	path := findUp(t, filepath.Join("templates", "guides", "scubagear-conformance.md.tmpl"))
	if path == "" {
		t.Fatal("templates/guides/scubagear-conformance.md.tmpl not found")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	want := []string{
		fmt.Sprintf("| ScubaGear test cases | %d |", total),
		fmt.Sprintf("| Mapped to a HIPAA control | %d |", mapped),
		fmt.Sprintf("| Agreed | %d |", agreed),
		fmt.Sprintf("| Deliberate disagreements | %d |", deliberate),
		fmt.Sprintf("| Unexpected disagreements | %d |", unexpected),
	}
	ids := make([]string, 0, len(tally))
	for id := range tally {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		pt := tally[id]
		want = append(want, fmt.Sprintf("| %s | %s | %d | %d | %d |", id, scubaMapping[id].control, pt.cases, pt.agreed, pt.deliberate))
	}
	for _, d := range dis {
		want = append(want, fmt.Sprintf("| %s | `%s` | %d | %s |", d.PolicyID, strings.ReplaceAll(d.Test, "|", `\|`), d.used, d.Reason))
	}
	var missing []string
	for _, line := range want {
		if !strings.Contains(doc, line) {
			missing = append(missing, line)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s is stale; it must contain these lines:\n%s", path, strings.Join(missing, "\n"))
	}
	rows := regexp.MustCompile(`(?m)^\| MS\.[A-Z]+\.[0-9.]+v[0-9]+ \| HIPAA\.`).FindAllString(doc, -1)
	if len(rows) != len(ids) {
		t.Errorf("%s has %d policy rows, want %d", path, len(rows), len(ids))
	}
}

// A missing corpus never passes silently: under CI it fails, elsewhere the skip says where the
// corpus was looked for.
func TestScubaGearCorpusMissing(t *testing.T) {
	start := t.TempDir()
	found, searched := walkUp(start, scubaCorpus)
	if found != "" {
		t.Skipf("a corpus exists above the temporary directory (%s); cannot test its absence", found)
	}
	if want := filepath.Join(start, scubaCorpus); len(searched) < 2 || searched[0] != want || searched[len(searched)-1] != filepath.Join(string(filepath.Separator), scubaCorpus) {
		t.Fatalf("searched %q, want from %s up to the root", searched, want)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "CI" {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct {
		ci   string
		fail bool
	}{{"true", true}, {"1", true}, {"", false}, {"false", false}} {
		fail, msg := missingCorpus(env(c.ci), searched)
		if fail != c.fail {
			t.Errorf("CI=%q: fail = %v, want %v", c.ci, fail, c.fail)
		}
		for _, p := range searched {
			if !strings.Contains(msg, p) {
				t.Errorf("CI=%q: the message does not name %s:\n%s", c.ci, p, msg)
			}
		}
	}
}
