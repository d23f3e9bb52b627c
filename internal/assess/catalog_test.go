// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assess

import (
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

// TestCatalog_everyAutomatedControlHasACheck ties the catalog (data) to the evaluators (code):
// an automated or partial control without a registered check, or a check without a control, is a
// build that cannot assess what it promises.
func TestCatalog_everyAutomatedControlHasACheck(t *testing.T) {
	cat := realCatalog(t)
	for _, ctl := range cat.Controls {
		_, ok := checks.Lookup(ctl.ID)
		switch {
		case ctl.Automation == controls.Manual && ok:
			t.Errorf("%s is manual but has a check", ctl.ID)
		case ctl.Automation != controls.Manual && !ok:
			t.Errorf("%s is %s but no check is registered in internal/assess/checks", ctl.ID, ctl.Automation)
		}
	}
	for _, id := range checks.IDs() {
		if _, ok := cat.Control(id); !ok {
			t.Errorf("check %s has no control in the catalog", id)
		}
	}
}

// TestCatalog_emptySnapshotNeverPasses runs every real check against a snapshot in which each
// source failed: nothing may pass, and the engine must report every automated control as error.
func TestCatalog_emptySnapshotNeverPasses(t *testing.T) {
	cat := realCatalog(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	snap := snapshot.New("t", "test", now)
	for id := range snapshot.Specs {
		snap.Sources[id] = &snapshot.Source{Request: "GET x", Status: 503, FetchedAt: now, Error: "service unavailable"}
	}
	r := Evaluate(cat, snap, Inputs{}, now)
	for _, f := range r.Findings {
		if f.Automation == controls.Manual {
			continue
		}
		// A partial control may be not_applicable when its inputs are missing (HIPAA.CA.7 without
		// emergency-access ids), but never pass.
		if f.Status != checks.StatusError && (f.Automation == controls.Automated || f.Status == checks.StatusPass) {
			t.Errorf("%s is %s on a snapshot whose sources all failed, want error", f.ControlID, f.Status)
		}
	}
	if r.Compliant {
		t.Error("compliant on a snapshot without data")
	}
}
