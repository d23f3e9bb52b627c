// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// ExpectOnlyAttributesChanged checks that a planned change of one resource touches exactly the
// given attribute paths (dotted, e.g. "state" or "conditions.users.exclude_users"): drift must show
// as exactly what changed, nothing more and nothing less.
func ExpectOnlyAttributesChanged(address string, paths ...string) plancheck.PlanCheck {
	return onlyChanged{address: address, want: paths}
}

type onlyChanged struct {
	address string
	want    []string
}

func (c onlyChanged) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		var got []string
		diffPaths("", rc.Change.Before, rc.Change.After, &got)
		want := slices.Clone(c.want)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s: planned changes to %v, want exactly %v", c.address, got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: no planned change", c.address)
}

// diffPaths appends the leaf paths where before and after differ. Arrays compare as multisets,
// because the provider's lists are sets.
func diffPaths(prefix string, before, after any, out *[]string) {
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if bok && aok {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		for k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			diffPaths(p, bm[k], am[k], out)
		}
		return
	}
	if canonical(before) != canonical(after) {
		*out = append(*out, prefix)
	}
}

func canonical(v any) string {
	if arr, ok := v.([]any); ok {
		items := make([]string, len(arr))
		for i, e := range arr {
			items[i] = canonical(e)
		}
		sort.Strings(items)
		return "[" + strings.Join(items, ",") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// ExpectNoChangesUnder checks that a planned change of one resource touches nothing under the
// given top-level attributes or blocks: neither a known change nor a value left unknown.
func ExpectNoChangesUnder(address string, roots ...string) plancheck.PlanCheck {
	return noChangesUnder{address: address, roots: roots}
}

type noChangesUnder struct {
	address string
	roots   []string
}

func (c noChangesUnder) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var changed []string
		for _, root := range c.roots {
			diffPaths(root, before[root], after[root], &changed)
			if anyTrue(unknown[root]) {
				changed = append(changed, root+" (unknown after apply)")
			}
		}
		if len(changed) > 0 {
			sort.Strings(changed)
			resp.Error = fmt.Errorf("%s: planned changes to %v, want none under %v", c.address, changed, c.roots)
		}
		return
	}
	// A resource missing from the plan (a wrong address, or a destroyed resource) would otherwise
	// pass this check without checking anything.
	resp.Error = fmt.Errorf("%s: not in the plan, so nothing under %v could be checked", c.address, c.roots)
}

// anyTrue reports whether an after_unknown value marks anything unknown.
func anyTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case map[string]any:
		for _, e := range v {
			if anyTrue(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}
