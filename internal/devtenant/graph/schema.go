// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// A small schema language for Graph complex types: enough to reject what Graph's OData layer
// rejects (unknown properties, bad enum literals, wrong JSON types) and to fill the defaults Graph
// writes back (empty arrays for unset collections, null for unset objects and scalars).

type kind int

const (
	kString kind = iota
	kBool
	kInt
	kEnum
	kFlags
	kStrList
	kEnumList
	kObject
	kAny // Accepted and kept verbatim (e.g. ip ranges, validated elsewhere).
)

type prop struct {
	name string
	kind kind
	enum *enumDef
	obj  *objDef
	// readOnly properties are server-managed: normalize ignores them (a nested copy such as an
	// expanded authenticationStrength is accepted and dropped); services that refuse them in a
	// request body check for them before normalizing (see rejectReadOnly).
	readOnly bool
}

type enumDef struct {
	name   string // Graph type name, e.g. conditionalAccessPolicyState.
	values []string
}

type objDef struct {
	name     string   // Graph type name without namespace.
	subtypes []string // Other @odata.type values accepted (derived types).
	keepType bool     // Write @odata.type in responses (polymorphic values).
	props    []prop
	post     func(out map[string]any) // Adjusts the normalized object (derived-type specifics).
}

func (d *objDef) find(name string) *prop {
	for i := range d.props {
		if d.props[i].name == name {
			return &d.props[i]
		}
	}
	return nil
}

func unknownProperty(typ, name string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest,
		"The property '%s' does not exist on type 'microsoft.graph.%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", name, typ)
}

func badLiteral(path, value, typ string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest,
		"Invalid value '%s' for property '%s'. Cannot convert the literal '%s' to the expected type 'microsoft.graph.%s'.", value, path, value, typ)
}

func badKind(path, want string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest,
		"Invalid value for property '%s': a %s was expected.", path, want)
}

func joinPath(base, name string) string {
	if base == "" {
		return name
	}
	return base + "." + name
}

// typeName returns the @odata.type value of in, without '#', or "".
func typeName(in map[string]any) string {
	s, _ := in["@odata.type"].(string)
	return strings.TrimPrefix(strings.TrimPrefix(s, "#"), "microsoft.graph.")
}

// normalize validates in against d and returns the full object Graph would store.
func normalize(d *objDef, raw any, path string) (map[string]any, *httpx.GraphError) {
	if raw == nil {
		return nil, nil
	}
	in, ok := raw.(map[string]any)
	if !ok {
		return nil, badKind(path, "JSON object of type microsoft.graph."+d.name)
	}
	typ := d.name
	if _, present := in["@odata.type"]; present {
		t := typeName(in)
		okType := t == d.name
		for _, s := range d.subtypes {
			okType = okType || t == s
		}
		if !okType {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest,
				"A type named 'microsoft.graph.%s' could not be resolved by the model for property '%s'. When a model is available, each type name must resolve to a valid type.", t, path)
		}
		typ = t
	}
	for k := range in {
		if k == "@odata.type" || strings.Contains(k, "@odata.") {
			continue
		}
		if d.find(k) == nil {
			return nil, unknownProperty(typ, k)
		}
	}
	out := make(map[string]any, len(d.props)+1)
	if d.keepType {
		out["@odata.type"] = "#microsoft.graph." + typ
	}
	for _, p := range d.props {
		if p.readOnly {
			continue
		}
		v, err := normalizeValue(&p, in[p.name], joinPath(path, p.name))
		if err != nil {
			return nil, err
		}
		out[p.name] = v
	}
	if d.post != nil {
		d.post(out)
	}
	return out, nil
}

func normalizeValue(p *prop, v any, path string) (any, *httpx.GraphError) {
	switch p.kind {
	case kStrList, kEnumList:
		if v == nil {
			return []any{}, nil
		}
		arr, ok := v.([]any)
		if !ok {
			return nil, badKind(path, "collection")
		}
		out := make([]any, 0, len(arr))
		for _, item := range arr {
			s, ok := item.(string)
			if !ok {
				return nil, badKind(path, "collection of strings")
			}
			if p.kind == kEnumList {
				c, ok := canonical(p.enum, s)
				if !ok {
					return nil, badLiteral(path, s, p.enum.name)
				}
				s = c
			}
			out = append(out, s)
		}
		return out, nil
	case kObject:
		if v == nil {
			return nil, nil
		}
		o, err := normalize(p.obj, v, path)
		if err != nil {
			return nil, err
		}
		return o, nil
	}
	if v == nil {
		return nil, nil
	}
	switch p.kind {
	case kString:
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, badKind(path, "string")
	case kBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, badKind(path, "boolean")
	case kInt:
		switch n := v.(type) {
		case json.Number:
			i, err := n.Int64()
			if err != nil {
				return nil, badKind(path, "32-bit integer")
			}
			return i, nil
		case int64:
			return n, nil
		case float64:
			if n == float64(int64(n)) {
				return int64(n), nil
			}
		}
		return nil, badKind(path, "32-bit integer")
	case kEnum:
		s, ok := v.(string)
		if !ok {
			return nil, badKind(path, "string")
		}
		c, ok := canonical(p.enum, s)
		if !ok {
			return nil, badLiteral(path, s, p.enum.name)
		}
		return c, nil
	case kFlags:
		s, ok := v.(string)
		if !ok {
			return nil, badKind(path, "string")
		}
		parts := strings.Split(s, ",")
		for i, part := range parts {
			c, ok := canonical(p.enum, strings.TrimSpace(part))
			if !ok {
				return nil, badLiteral(path, strings.TrimSpace(part), p.enum.name)
			}
			parts[i] = c
		}
		return strings.Join(parts, ","), nil
	case kAny:
		return v, nil
	}
	return v, nil
}

// canonical matches enum literals case-insensitively, as Graph does, and returns Graph's spelling.
func canonical(e *enumDef, s string) (string, bool) {
	for _, v := range e.values {
		if strings.EqualFold(v, s) {
			return v, true
		}
	}
	return "", false
}

// decodeJSONObject parses a request body into a generic object, keeping numbers exact.
func decodeJSONObject(body []byte) (map[string]any, *httpx.GraphError) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The request payload must be a JSON object.")
	}
	return m, nil
}

// decodeNormalized parses a request body and validates it against d, returning the body as sent
// and normalized (canonical values), the two halves mergeSent takes.
func decodeNormalized(body []byte, d *objDef) (map[string]any, map[string]any, *httpx.GraphError) {
	in, err := decodeJSONObject(body)
	if err != nil {
		return nil, nil, err
	}
	n, err := normalize(d, in, "")
	if err != nil {
		return nil, nil, err
	}
	return in, n, nil
}

// mergePatch applies a PATCH body to a stored object as Graph's OData layer does (OData 4.01
// Protocol, 11.4.3 Update an Entity; the Graph update pages: "Existing properties that aren't
// included in the request body maintain their previous values"): properties absent from the body
// keep their values, a complex value merges property by property, recursively, while collections
// and primitive values are replaced and null clears. A complex value naming another derived type
// (@odata.type) replaces the stored one whole, since its properties differ.
func mergePatch(d *objDef, cur, in map[string]any) map[string]any {
	out := maps.Clone(cur)
	if out == nil {
		out = map[string]any{}
	}
	for k, v := range in {
		if p := d.find(k); p != nil && p.kind == kObject {
			nv, sent := v.(map[string]any)
			cv, stored := out[k].(map[string]any)
			if sent && stored && sameDerivedType(cv, nv) {
				out[k] = mergePatch(p.obj, cv, nv)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// mergeSent is mergePatch for a body already normalized (norm, canonical values and defaults):
// each property sent takes its normalized value, except that a complex value sent in part merges
// into the stored one, recursively. Properties normalize leaves out (read-only ones) stay as
// stored.
func mergeSent(cur, sent, norm map[string]any) map[string]any {
	out := maps.Clone(cur)
	if out == nil {
		out = map[string]any{}
	}
	for k, raw := range sent {
		nv, known := norm[k]
		if !known || strings.Contains(k, "@odata.") {
			continue
		}
		rm, sentMap := raw.(map[string]any)
		nm, normMap := nv.(map[string]any)
		cm, storedMap := out[k].(map[string]any)
		if sentMap && normMap && storedMap && sameDerivedType(cm, rm) {
			out[k] = mergeSent(cm, rm, nm)
			continue
		}
		out[k] = nv
	}
	return out
}

// sameDerivedType reports whether a PATCH value may merge into the stored one: it names no
// derived type, or the stored one's.
func sameDerivedType(stored, sent map[string]any) bool {
	st, nt := typeName(stored), typeName(sent)
	return st == "" || nt == "" || st == nt
}

// rejectReadOnly returns the error a service answers when a request body sets one of its
// server-managed properties, checked in the order given so the answer is deterministic.
func rejectReadOnly(in map[string]any, names []string, errFor func(name string) *httpx.GraphError) *httpx.GraphError {
	for _, n := range names {
		if _, ok := in[n]; ok {
			return errFor(n)
		}
	}
	return nil
}
