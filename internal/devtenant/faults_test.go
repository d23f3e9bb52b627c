// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// FailAfterCommit: the create is done, the client sees only the 503; the next request is served.
func TestFailAfterCommit_graphCreateCommitsThenAnswers503(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	tt.Faults().FailAfterCommit("POST", "/identity/conditionalAccess/policies", 503, 1)

	r := tt.do("POST", "/v1.0/identity/conditionalAccess/policies", tok, tt.mfaPolicy("committed"))
	if r.status != 503 || r.errCode() != httpx.CodeServiceUnavailable || r.header.Get("Retry-After") == "" || r.body["id"] != nil {
		t.Fatalf("create under the fault: %d %s", r.status, r.raw)
	}
	list := tt.do("GET", "/v1.0/identity/conditionalAccess/policies", tok, nil)
	if n := countNamed(list.body, "displayName", "committed"); n != 1 {
		t.Fatalf("%d policies named committed after the lost answer, want 1 (the create was done): %s", n, list.raw)
	}
	if r := tt.do("POST", "/v1.0/identity/conditionalAccess/policies", tok, tt.mfaPolicy("second")); r.status != 201 {
		t.Errorf("the fault applies once: %d %s", r.status, r.raw)
	}
	// A request the handler refuses keeps its own error: nothing was committed to lose.
	tt.Faults().FailAfterCommit("POST", "/identity/conditionalAccess/policies", 503, 1)
	if r := tt.do("POST", "/v1.0/identity/conditionalAccess/policies", tok, map[string]any{"displayName": 1}); r.status != 400 {
		t.Errorf("invalid body under the fault: %d %s", r.status, r.raw)
	}
}

func TestFailCmdletAfterCommit_newCommitsThenAnswers503(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Empty})
	tt.Faults().FailCmdletAfterCommit("New-TransportRule", 503, 1)
	params := map[string]any{"Name": "committed rule", "SentToScope": "NotInOrganization", "ApplyRightsProtectionTemplate": "Encrypt"}
	if r := tt.invoke(exo, tok, "New-TransportRule", params); r.status != 503 {
		t.Fatalf("New- under the fault: %d %s", r.status, r.raw)
	}
	r := tt.invoke(exo, tok, "Get-TransportRule", nil)
	if r.status != 200 || countNamed(r.body, "Name", "committed rule") != 1 {
		t.Fatalf("rules after the lost answer: %d %s, want the one rule", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-TransportRule", map[string]any{"Name": "second rule", "SentToScope": "NotInOrganization"}); r.status != 200 {
		t.Errorf("the fault applies once: %d %s", r.status, r.raw)
	}
}

// countNamed counts the items of a collection answer ("value") whose property key is name:
// Graph objects are named by displayName, cmdlet objects by Name.
func countNamed(body map[string]any, key, name string) int {
	n := 0
	vals, _ := body["value"].([]any)
	for _, v := range vals {
		if p, _ := v.(map[string]any); p[key] == name {
			n++
		}
	}
	return n
}
