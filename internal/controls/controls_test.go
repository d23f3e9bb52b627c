// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package controls

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const validSafeguards = `{"safeguards":[
 {"citation":"164.312(a)(1)","name":"Access control","category":"technical","kind":"standard","requirement":"required"},
 {"citation":"164.312(a)(2)(iii)","name":"Automatic logoff","category":"technical","kind":"implementation_specification","requirement":"addressable","standard":"164.312(a)(1)"},
 {"citation":"164.312(d)","name":"Person or entity authentication","category":"technical","kind":"standard","requirement":"required"}
]}`

const validControls = `{"controls":[
 {"id":"HIPAA.CA.1v1","title":"MFA","rationale":"Because.","citations":["164.312(d)"],"severity":"high",
  "automation":"automated","sources":["graph.conditionalAccessPolicies"],"remediation":{"portal_path":"Entra"}},
 {"id":"HIPAA.MAN.1v1","title":"Risk analysis","rationale":"Because.","citations":["164.312(a)(1)"],"severity":"low",
  "automation":"manual","remediation":{}}
]}`

func TestParse_validMinimalCatalog(t *testing.T) {
	c, err := Parse(Files{Safeguards: []byte(validSafeguards), Controls: []byte(validControls),
		Migrations: []byte("old_id,new_id,date,reason\n")})
	if err != nil {
		t.Fatal(err)
	}
	if ctl, ok := c.Control("HIPAA.CA.1v1"); !ok || ctl.Title != "MFA" {
		t.Fatalf("Control(HIPAA.CA.1v1) = %v, %v", ctl, ok)
	}
	if got := c.ControlsFor("164.312(d)"); len(got) != 1 || got[0].ID != "HIPAA.CA.1v1" {
		t.Fatalf("ControlsFor = %v", got)
	}
	if got := c.Sources(); len(got) != 1 || got[0] != "graph.conditionalAccessPolicies" {
		t.Fatalf("Sources = %v", got)
	}
}

// TestParse_rejectsEachErrorKind feeds catalogs broken in one way each and requires the
// validation message that names the problem.
func TestParse_rejectsEachErrorKind(t *testing.T) {
	ctl := func(body string) string { return `{"controls":[` + body + `]}` }
	ok := `{"id":"HIPAA.CA.1v1","title":"T","rationale":"R","citations":["164.312(d)"],"severity":"high","automation":"automated","sources":["graph.conditionalAccessPolicies"],"remediation":{}}`
	cases := []struct {
		name, safeguards, controls, migrations, want string
	}{
		{"bad id", validSafeguards, ctl(strings.Replace(ok, "HIPAA.CA.1v1", "HIPAA.ca.1", 1)), "", "id does not match"},
		{"id without version", validSafeguards, ctl(strings.Replace(ok, "HIPAA.CA.1v1", "HIPAA.CA.1", 1)), "", "id does not match"},
		{"duplicate id", validSafeguards, ctl(ok + "," + ok), "", "duplicate id"},
		{"unknown citation", validSafeguards, ctl(strings.Replace(ok, "164.312(d)", "164.312(z)", 1)), "", `citation "164.312(z)" is not in safeguards.json`},
		{"no citation", validSafeguards, ctl(strings.Replace(ok, `["164.312(d)"]`, `[]`, 1)), "", "cites no safeguard"},
		{"automated without sources", validSafeguards, ctl(strings.Replace(ok, `"sources":["graph.conditionalAccessPolicies"],`, "", 1)), "", "lists the snapshot sources"},
		{"partial without sources", validSafeguards, ctl(strings.Replace(strings.Replace(ok, `"sources":["graph.conditionalAccessPolicies"],`, "", 1), "automated", "partial", 1)), "", "lists the snapshot sources"},
		{"unknown source", validSafeguards, ctl(strings.Replace(ok, "graph.conditionalAccessPolicies", "graph.nope", 1)), "", `source "graph.nope" is not a known snapshot source`},
		{"manual with sources", validSafeguards, ctl(strings.Replace(ok, "automated", "manual", 1)), "", "a manual control reads no sources"},
		{"bad severity", validSafeguards, ctl(strings.Replace(ok, `"high"`, `"critical"`, 1)), "", "unknown severity"},
		{"bad automation", validSafeguards, ctl(strings.Replace(ok, "automated", "robotic", 1)), "", "unknown automation"},
		{"unknown field", validSafeguards, ctl(strings.Replace(ok, `"title"`, `"titel"`, 1)), "", "unknown field"},
		{"duplicate citation", strings.Replace(validSafeguards, "164.312(a)(2)(iii)", "164.312(d)", 1), ctl(ok), "", "duplicate citation"},
		{"bad category", strings.Replace(validSafeguards, `"category":"technical"`, `"category":"magic"`, 1), ctl(ok), "", "unknown category"},
		{"bad requirement", strings.Replace(validSafeguards, `"addressable"`, `"optional"`, 1), ctl(ok), "", "neither required nor addressable"},
		{"addressable standard", strings.Replace(validSafeguards, `"kind":"standard","requirement":"required"`, `"kind":"standard","requirement":"addressable"`, 1), ctl(ok), "", "a standard is always required"},
		{"orphan specification", strings.Replace(validSafeguards, `"standard":"164.312(a)(1)"`, `"standard":"164.312(x)(1)"`, 1), ctl(ok), "", "is not a standard of the catalog"},
		{"malformed citation", strings.Replace(validSafeguards, "164.312(a)(1)", "45 CFR 164.312 a1", 3), ctl(ok), "", "citation is not of the form"},
		{"migration header", validSafeguards, ctl(ok), "from,to\n", "header must be"},
		{"migration reuses retired id", validSafeguards, ctl(ok), "old_id,new_id,date,reason\nHIPAA.CA.1v1,HIPAA.CA.1v2,2026-01-01,x\n", "the retired id is still a control"},
		{"migration to nowhere", validSafeguards, ctl(ok), "old_id,new_id,date,reason\nHIPAA.CA.0v1,HIPAA.CA.9v1,2026-01-01,x\n", "the new id is not a control"},
		{"not json", validSafeguards, "{", "", "reading controls.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(Files{Safeguards: []byte(tc.safeguards), Controls: []byte(tc.controls), Migrations: []byte(tc.migrations)})
			if err == nil {
				t.Fatalf("Parse accepted a catalog with %s", tc.name)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestLoad_embeddedCatalog(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Load()
	if again != c {
		t.Fatal("Load parsed the catalog twice")
	}
	if len(c.Controls) < 45 {
		t.Fatalf("only %d controls", len(c.Controls))
	}
	// Every control id of the issue 4 contract, automation included.
	want := map[string]Automation{"HIPAA.CA.7v1": Partial, "HIPAA.SPO.2v1": Partial, "HIPAA.MAN.11v1": Manual, "HIPAA.BAA.2v1": Automated}
	for _, area := range []struct {
		prefix string
		n      int
	}{{"CA", 7}, {"AUTH", 3}, {"IAM", 3}, {"SPO", 7}, {"GUEST", 2}, {"AUDIT", 3}, {"EXO", 6}, {"DLP", 1}, {"ALERT", 1}, {"DEV", 2}, {"SCORE", 1}, {"BAA", 2}, {"MAN", 11}} {
		for i := 1; i <= area.n; i++ {
			id := "HIPAA." + area.prefix + "." + strconv.Itoa(i) + "v1"
			ctl, ok := c.Control(id)
			if !ok {
				t.Errorf("control %s missing", id)
				continue
			}
			if a, ok := want[id]; ok && ctl.Automation != a {
				t.Errorf("%s automation %s, want %s", id, ctl.Automation, a)
			}
			if area.prefix == "MAN" && ctl.Automation != Manual {
				t.Errorf("%s must be manual", id)
			}
		}
	}
	for _, ctl := range c.Controls {
		if ctl.Automation != Manual && ctl.Remediation.PortalPath == "" {
			t.Errorf("%s: remediation has no portal path", ctl.ID)
		}
		for _, id := range ctl.References.Scuba {
			if !strings.HasPrefix(id, "MS.") {
				t.Errorf("%s: %q is not a ScubaGear id", ctl.ID, id)
			}
		}
	}
}

// TestLoad_securityRuleCitations pins the appendix table of the Security Rule: every standard and
// implementation specification of 164.308, 164.310, 164.312 and 164.316, once, with its
// requirement, and nothing else.
func TestLoad_securityRuleCitations(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const R, A = Required, Addressable
	want := map[string]Requirement{
		"164.308(a)(1)": R, "164.308(a)(1)(ii)(A)": R, "164.308(a)(1)(ii)(B)": R, "164.308(a)(1)(ii)(C)": R, "164.308(a)(1)(ii)(D)": R,
		"164.308(a)(2)": R,
		"164.308(a)(3)": R, "164.308(a)(3)(ii)(A)": A, "164.308(a)(3)(ii)(B)": A, "164.308(a)(3)(ii)(C)": A,
		"164.308(a)(4)": R, "164.308(a)(4)(ii)(A)": R, "164.308(a)(4)(ii)(B)": A, "164.308(a)(4)(ii)(C)": A,
		"164.308(a)(5)": R, "164.308(a)(5)(ii)(A)": A, "164.308(a)(5)(ii)(B)": A, "164.308(a)(5)(ii)(C)": A, "164.308(a)(5)(ii)(D)": A,
		"164.308(a)(6)": R, "164.308(a)(6)(ii)": R,
		"164.308(a)(7)": R, "164.308(a)(7)(ii)(A)": R, "164.308(a)(7)(ii)(B)": R, "164.308(a)(7)(ii)(C)": R, "164.308(a)(7)(ii)(D)": A, "164.308(a)(7)(ii)(E)": A,
		"164.308(a)(8)": R,
		"164.308(b)(1)": R, "164.308(b)(3)": R,
		"164.310(a)(1)": R, "164.310(a)(2)(i)": A, "164.310(a)(2)(ii)": A, "164.310(a)(2)(iii)": A, "164.310(a)(2)(iv)": A,
		"164.310(b)": R, "164.310(c)": R,
		"164.310(d)(1)": R, "164.310(d)(2)(i)": R, "164.310(d)(2)(ii)": R, "164.310(d)(2)(iii)": A, "164.310(d)(2)(iv)": A,
		"164.312(a)(1)": R, "164.312(a)(2)(i)": R, "164.312(a)(2)(ii)": R, "164.312(a)(2)(iii)": A, "164.312(a)(2)(iv)": A,
		"164.312(b)":    R,
		"164.312(c)(1)": R, "164.312(c)(2)": A,
		"164.312(d)":    R,
		"164.312(e)(1)": R, "164.312(e)(2)(i)": A, "164.312(e)(2)(ii)": A,
		"164.316(a)": R, "164.316(b)(1)": R, "164.316(b)(2)(i)": R, "164.316(b)(2)(ii)": R, "164.316(b)(2)(iii)": R,
	}
	count := map[string]int{}
	for _, s := range c.Safeguards {
		count[s.Citation]++
		req, ok := want[s.Citation]
		if !ok {
			t.Errorf("safeguard %s is not in the Security Rule's table", s.Citation)
			continue
		}
		if s.Requirement != req {
			t.Errorf("%s is %s, want %s", s.Citation, s.Requirement, req)
		}
		wantCat := map[string]Category{"164.308": CategoryAdministrative, "164.310": CategoryPhysical, "164.312": CategoryTechnical, "164.316": CategoryDocumentation}[s.Citation[:7]]
		if s.Category != wantCat {
			t.Errorf("%s category %s, want %s", s.Citation, s.Category, wantCat)
		}
	}
	for cit := range want {
		if count[cit] != 1 {
			t.Errorf("citation %s appears %d times, want exactly once", cit, count[cit])
		}
	}
}

func TestResolve_followsMigrations(t *testing.T) {
	c, err := Parse(Files{Safeguards: []byte(validSafeguards), Controls: []byte(validControls),
		Migrations: []byte("old_id,new_id,date,reason\nHIPAA.CA.1v0,HIPAA.CA.1v1,2026-01-01,threshold changed\n")})
	if err != nil {
		t.Fatal(err)
	}
	if id, err := c.Resolve("HIPAA.CA.1v0"); err != nil || id != "HIPAA.CA.1v1" {
		t.Fatalf("Resolve(HIPAA.CA.1v0) = %q, %v", id, err)
	}
	if _, err := c.Resolve("HIPAA.CA.9v1"); !errors.Is(err, ErrUnknownControl) {
		t.Fatalf("Resolve(unknown) = %v, want ErrUnknownControl", err)
	}
}

func TestRemediationString(t *testing.T) {
	r := Remediation{BaselineAttribute: `hipaa_baseline.mfa.state = "enabled"`, PortalPath: "Entra > CA"}
	if got := r.String(); got != `set hipaa_baseline.mfa.state = "enabled"; portal: Entra > CA` {
		t.Fatalf("String() = %q", got)
	}
	if got := (Remediation{}).String(); !strings.Contains(got, "attestation") {
		t.Fatalf("empty remediation = %q", got)
	}
}
