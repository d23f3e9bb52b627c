// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"context"
	"slices"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// assessEmail collects the sources the catalog lists for the email protection controls and runs
// their checks, as the data source and the drift command do.
func assessEmail(t *testing.T, c *m365.Client) map[string]checks.Outcome {
	t.Helper()
	cat, err := controls.Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"HIPAA.EXO.4v1", "HIPAA.EXO.5v1", "HIPAA.EXO.6v1"}
	snap, err := Collect(context.Background(), c, cat.Sources(ids...), Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]checks.Outcome{}
	for _, id := range ids {
		check, ok := checks.Lookup(id)
		if !ok {
			t.Fatalf("no check %s", id)
		}
		out[id] = check(snap, checks.Params{})
	}
	return out
}

// An administrator adds a Safe Links policy that does not scan email, with a rule of priority 0
// for every accepted domain. Exchange applies it before the baseline's policy and before the
// Built-in protection policy, so nobody's links are scanned any more: HIPAA.EXO.5 must fail.
func TestCollectedHigherPriorityPolicyOffFailsSafeLinks(t *testing.T) {
	srv, c := startTenant(t, "compliant", 0, 0)
	if o := assessEmail(t, c)["HIPAA.EXO.5v1"]; o.Status != checks.StatusPass {
		t.Fatalf("compliant tenant: %+v", o)
	}
	env := srv.Env()
	domains := []any{env["HIPAA_DEVTENANT_INITIAL_DOMAIN"]}
	accepted, err := c.Exchange().Invoke(context.Background(), "Get-AcceptedDomain", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range accepted {
		if !slices.Contains(domains, d["DomainName"]) {
			domains = append(domains, d["DomainName"])
		}
	}
	exo := newClient(t, srv).Exchange() // A second client: the "portal", outside the provider's run cache.
	if _, err := exo.Invoke(context.Background(), "New-SafeLinksPolicy", map[string]any{"Name": "Exec - no rewriting", "EnableSafeLinksForEmail": false}); err != nil {
		t.Fatal(err)
	}
	if _, err := exo.Invoke(context.Background(), "New-SafeLinksRule", map[string]any{"Name": "Exec - no rewriting", "SafeLinksPolicy": "Exec - no rewriting",
		"RecipientDomainIs": domains, "Priority": 0}); err != nil {
		t.Fatal(err)
	}
	o := assessEmail(t, newClient(t, srv))["HIPAA.EXO.5v1"]
	if o.Status != checks.StatusFail || !slices.Contains(o.Objects, "Exec - no rewriting") {
		t.Fatalf("after the shadowing policy: %+v", o)
	}

	// Disabling the rule hands the recipients back to the baseline's and the Built-in policies.
	if _, err := exo.Invoke(context.Background(), "Disable-SafeLinksRule", map[string]any{"Identity": "Exec - no rewriting"}); err != nil {
		t.Fatal(err)
	}
	if o := assessEmail(t, newClient(t, srv))["HIPAA.EXO.5v1"]; o.Status != checks.StatusPass {
		t.Errorf("after disabling the rule: %+v", o)
	}
}

// devtenant's "shadowed" seed is the compliant clinic plus higher-priority custom policies that
// turn protection off: every email protection control fails and names the rule; the compliant
// seed passes them.
func TestCollectedShadowedSeedFailsEveryEmailProtection(t *testing.T) {
	_, c := startTenant(t, "compliant", 0, 0)
	for id, o := range assessEmail(t, c) {
		if o.Status != checks.StatusPass {
			t.Errorf("compliant %s: %+v", id, o)
		}
	}
	_, c = startTenant(t, "shadowed", 0, 0)
	want := map[string]string{"HIPAA.EXO.4v1": "Scanner exemption", "HIPAA.EXO.5v1": "Legacy - Safe Links off", "HIPAA.EXO.6v1": "Front Desk - no detonation"}
	for id, o := range assessEmail(t, c) {
		if o.Status != checks.StatusFail || !slices.Contains(o.Objects, want[id]) {
			t.Errorf("shadowed %s: %+v", id, o)
		}
	}
}
