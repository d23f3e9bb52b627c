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
