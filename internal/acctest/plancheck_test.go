// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"slices"
	"sort"
	"testing"
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
