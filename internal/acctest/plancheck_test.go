// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

func TestDiffPaths(t *testing.T) {
	before := map[string]any{
		"state": "disabled", "id": "1",
		"conditions": map[string]any{"users": map[string]any{"include_users": []any{"All"}, "exclude_users": []any{"a", "b"}}},
	}
	after := map[string]any{
		"state": "enabled", "id": "1",
		// Same set in another order: not a change.
		"conditions": map[string]any{"users": map[string]any{"include_users": []any{"All"}, "exclude_users": []any{"b", "a"}}},
		"new":        "x",
	}
	var got []string
	diffPaths("", before, after, &got)
	sort.Strings(got)
	if want := []string{"new", "state"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got = nil
	after["conditions"].(map[string]any)["users"].(map[string]any)["exclude_users"] = []any{"a"}
	diffPaths("", before, after, &got)
	if !slices.Contains(got, "conditions.users.exclude_users") {
		t.Fatalf("a removed set element was not seen: %v", got)
	}
}

func TestExpectNoChangesUnder(t *testing.T) {
	const addr = "hipaa_baseline.test"
	change := func(before, after, unknown map[string]any) *tfjson.ResourceChange {
		return &tfjson.ResourceChange{Address: addr, Change: &tfjson.Change{Before: before, After: after, AfterUnknown: unknown}}
	}
	audit := map[string]any{"retention_days": float64(2190)}
	cases := map[string]struct {
		changes []*tfjson.ResourceChange
		wantErr string // "" means the check passes.
	}{
		"no change under the roots": {changes: []*tfjson.ResourceChange{change(
			map[string]any{"audit": audit, "mfa": map[string]any{"state": "disabled"}},
			map[string]any{"audit": audit, "mfa": map[string]any{"state": "enabled"}},
			map[string]any{})}},
		"a known change": {changes: []*tfjson.ResourceChange{change(
			map[string]any{"audit": audit},
			map[string]any{"audit": map[string]any{"retention_days": float64(365)}},
			map[string]any{})}, wantErr: "audit.retention_days"},
		"a value left unknown": {changes: []*tfjson.ResourceChange{change(
			map[string]any{"audit": audit},
			map[string]any{"audit": audit},
			map[string]any{"audit": map[string]any{"status": true}})}, wantErr: "audit (unknown after apply)"},
		"resource absent from the plan": {changes: []*tfjson.ResourceChange{{Address: "hipaa_baseline.other",
			Change: &tfjson.Change{Before: map[string]any{}, After: map[string]any{}}}}, wantErr: "not in the plan"},
		"empty plan": {wantErr: "not in the plan"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := plancheck.CheckPlanRequest{Plan: &tfjson.Plan{ResourceChanges: tc.changes}}
			var resp plancheck.CheckPlanResponse
			ExpectNoChangesUnder(addr, "audit").CheckPlan(context.Background(), req, &resp)
			switch {
			case tc.wantErr == "" && resp.Error != nil:
				t.Fatalf("want no error, got %v", resp.Error)
			case tc.wantErr != "" && resp.Error == nil:
				t.Fatalf("want an error containing %q, got none", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(resp.Error.Error(), tc.wantErr):
				t.Fatalf("error %q lacks %q", resp.Error, tc.wantErr)
			}
		})
	}
}

func TestDiagText(t *testing.T) {
	out := "Error: Invalid Attribute Value\n\n  with hipaa_baseline.test,\n\nsharing.guest_access_expiration_days must be 0 (never) or between 30 and 730,\ngot 10.\n"
	if !DiagText("Invalid Attribute Value", "sharing.guest_access_expiration_days must be 0 (never) or between 30 and 730, got 10.").MatchString(out) {
		t.Error("a wrapped detail does not match")
	}
	if DiagText("must be 0 (never)", "Invalid Attribute Value").MatchString(out) {
		t.Error("texts out of order match")
	}
	if DiagText("between 3 and 730").MatchString(out) {
		t.Error("the texts are not matched literally")
	}
}
