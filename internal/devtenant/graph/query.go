// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// lister describes a collection lazily so a 10,000-user tenant only materializes one page.
type lister struct {
	n        int
	item     func(i int) map[string]any // Full object (every property devtenant knows).
	defaults []string                   // Properties returned without $select; nil means all.
	typeName string                     // Graph type, for $select errors.
	// itemType, when set, is written as @odata.type on each item (directoryObject collections).
	itemType string
}

const maxPageSize = 999

// writeList answers a collection GET with $filter, $top, $skiptoken, $select and $count applied,
// and an @odata.nextLink when more items remain.
func (g *gctx) writeList(contextFrag string, l lister) *httpx.GraphError {
	sel, err := g.selectProps(l)
	if err != nil {
		return err
	}
	top := httpx.DefaultPageSize
	if v := g.q.Get("$top"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n < 1 || n > maxPageSize {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeUnsupportedQuery, "Invalid page size specified: '%s'. Must be between 1 and %d inclusive.", v, maxPageSize)
		}
		top = n
	}
	skip := 0
	if v := g.q.Get("$skiptoken"); v != "" {
		n, ok := httpx.DecodeSkipToken(v)
		if !ok {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "Invalid paging token.")
		}
		skip = n
	}
	get := l.item
	total := l.n
	if f := g.q.Get("$filter"); f != "" {
		clauses, ferr := parseFilter(f)
		if ferr != nil {
			return ferr
		}
		var kept []map[string]any
		for i := 0; i < l.n; i++ {
			it := l.item(i)
			if matchFilter(it, clauses) {
				kept = append(kept, it)
			}
		}
		get = func(i int) map[string]any { return kept[i] }
		total = len(kept)
	}
	value := make([]any, 0, min(top, max(total-skip, 0)))
	for i := skip; i < total && i < skip+top; i++ {
		value = append(value, project(get(i), sel, l.itemType, l.typeName))
	}
	ctx := contextFrag
	if g.q.Get("$select") != "" {
		ctx += "(" + strings.Join(sel, ",") + ")"
	}
	resp := map[string]any{"@odata.context": g.contextURL(ctx)}
	if strings.EqualFold(g.q.Get("$count"), "true") {
		resp["@odata.count"] = total
	}
	if skip+top < total {
		resp["@odata.nextLink"] = g.s.URL() + "/v1.0" + g.path + "?" + nextQuery(g.q, httpx.EncodeSkipToken(skip+top))
	}
	resp["value"] = value
	return g.writeJSON(http.StatusOK, resp)
}

// writeEntity answers a single-object GET, honouring $select.
func (g *gctx) writeEntity(contextFrag string, obj map[string]any, l lister) *httpx.GraphError {
	sel, err := g.selectProps(l)
	if err != nil {
		return err
	}
	out := project(obj, sel, l.itemType, l.typeName)
	if g.q.Get("$select") != "" {
		contextFrag += "(" + strings.Join(sel, ",") + ")"
	}
	out["@odata.context"] = g.contextURL(contextFrag + "/$entity")
	return g.writeJSON(http.StatusOK, out)
}

// selectProps returns the properties to return: $select, or the type's defaults. A property
// is known when the v1.0 type documents it (graphTypeProps) or the stored object has it.
func (g *gctx) selectProps(l lister) ([]string, *httpx.GraphError) {
	raw := g.q.Get("$select")
	if raw == "" {
		return l.defaults, nil
	}
	var stored map[string]any
	if l.n > 0 {
		stored = l.item(0)
	}
	doc, documented := graphTypeProps[l.typeName]
	var out []string
	for _, p := range strings.Split(raw, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		canon := ""
		if c, _, ok := doc.lookup(p); ok {
			canon = c
		}
		for k := range stored {
			if canon == "" && strings.EqualFold(k, p) {
				canon = k
			}
		}
		if canon == "" && (documented || stored != nil) {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "Could not find a property named '%s' on type 'microsoft.graph.%s'.", p, l.typeName)
		}
		if canon == "" {
			canon = p
		}
		if !containsStr(out, canon) {
			out = append(out, canon)
		}
	}
	// Graph returns the selected properties only, not even the key unless it is selected (the
	// List users docs example: $select=displayName,userPrincipalName,signInActivity).
	return out, nil
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// project keeps the selected properties of obj; a documented property the object does not
// store reads as Graph writes an unset one ([] for a collection, null otherwise).
func project(obj map[string]any, sel []string, itemType, typeName string) map[string]any {
	out := map[string]any{}
	if itemType != "" {
		out["@odata.type"] = itemType
	}
	if sel == nil {
		for k, v := range obj {
			out[k] = v
		}
		return out
	}
	for _, k := range sel {
		if v, ok := obj[k]; ok {
			out[k] = v
		} else if _, collection, documented := graphTypeProps[typeName].lookup(k); documented {
			if collection {
				out[k] = []any{}
			} else {
				out[k] = nil
			}
		}
	}
	return out
}

// nextQuery keeps the caller's options and sets $skiptoken; like Graph it leaves '$' unescaped.
func nextQuery(q url.Values, token string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "$skiptoken" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	parts = append(parts, "$skiptoken="+token)
	return strings.ReplaceAll(strings.Join(parts, "&"), "%24", "$")
}

// filterClause is "property eq literal"; devtenant supports conjunctions of these, which is what
// callers use against role assignments and users.
type filterClause struct {
	prop  string
	value any
}

var clauseRE = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z0-9/]*)\s+eq\s+('(?:[^']|'')*'|true|false|null|-?[0-9]+(?:\.[0-9]+)?)\s*$`)

func parseFilter(f string) ([]filterClause, *httpx.GraphError) {
	var out []filterClause
	for _, part := range regexp.MustCompile(`(?i)\s+and\s+`).Split(f, -1) {
		m := clauseRE.FindStringSubmatch(part)
		if m == nil {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeUnsupportedQuery, "Unsupported or invalid query filter clause specified: '%s'.", strings.TrimSpace(part))
		}
		var v any
		lit := m[2]
		switch {
		case strings.HasPrefix(lit, "'"):
			v = strings.ReplaceAll(lit[1:len(lit)-1], "''", "'")
		case lit == "true":
			v = true
		case lit == "false":
			v = false
		case lit == "null":
			v = nil
		default:
			v = json.Number(lit)
		}
		out = append(out, filterClause{prop: m[1], value: v})
	}
	return out, nil
}

func matchFilter(obj map[string]any, clauses []filterClause) bool {
	for _, c := range clauses {
		got, ok := obj[c.prop]
		if !ok {
			return false
		}
		switch want := c.value.(type) {
		case string:
			s, ok := got.(string)
			if !ok || !strings.EqualFold(s, want) {
				return false
			}
		case json.Number:
			if fmt.Sprint(got) != want.String() {
				return false
			}
		default:
			if got != want {
				return false
			}
		}
	}
	return true
}
