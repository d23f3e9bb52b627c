// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package directory

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// Role is a built-in directory role template.
type Role struct {
	TemplateID string // Lower case, as Graph writes it.
	Name       string // The display name, e.g. "Global Administrator".
}

//go:embed builtin.tsv
var builtinTSV string

// catalog is builtin.tsv, indexed by lower-case template id. It is the one list of built-in
// roles: Name, ByName and IsBuiltIn all read it.
var catalog = mustParse(builtinTSV)

func mustParse(tsv string) map[string]string {
	out := map[string]string{}
	for i, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, name, ok := strings.Cut(line, "\t")
		if !ok || name == "" || id != strings.ToLower(id) {
			panic(fmt.Sprintf("builtin.tsv line %d: want a lower-case template id, a tab and a name: %q", i+1, line))
		}
		if _, dup := out[id]; dup {
			panic(fmt.Sprintf("builtin.tsv line %d: %s is listed twice", i+1, id))
		}
		out[id] = name
	}
	return out
}

// IsBuiltIn reports whether id (any case) is the template id of a built-in directory role.
func IsBuiltIn(id string) bool {
	_, ok := catalog[strings.ToLower(id)]
	return ok
}

// BuiltIn lists every built-in role, by name.
func BuiltIn() []Role {
	out := make([]Role, 0, len(catalog))
	for id, name := range catalog {
		out = append(out, Role{TemplateID: id, Name: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
