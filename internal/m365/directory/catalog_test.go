// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package directory

import (
	"regexp"
	"sort"
	"strings"
	"testing"
)

var templateID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// builtin.tsv is kept sorted by id, one GUID per role and one role per name, so that a role
// added by hand lands in one obvious place and a pasted duplicate fails here.
func TestCatalogFile(t *testing.T) {
	var ids []string
	names := map[string]bool{}
	for _, line := range strings.Split(builtinTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, name, _ := strings.Cut(line, "\t")
		if !templateID.MatchString(id) {
			t.Errorf("%q is not a lower-case GUID", id)
		}
		if names[name] {
			t.Errorf("%q is listed twice", name)
		}
		names[name] = true
		ids = append(ids, id)
	}
	if !sort.StringsAreSorted(ids) {
		t.Error("builtin.tsv is not sorted by template id")
	}
	// The page listed 123 roles in January 2026; the catalog only grows.
	if len(ids) < 130 {
		t.Errorf("only %d roles: the catalog lost some", len(ids))
	}
}

// Every role the code names is in the catalog, under the name Microsoft gives it.
func TestCatalogHasTheNamedRoles(t *testing.T) {
	named := append(Privileged(), HybridIdentityAdministrator, ComplianceAdministrator, GlobalReader)
	for _, id := range named {
		if !IsBuiltIn(id) || Name(id) == id {
			t.Errorf("%s is not in the catalog", id)
		}
	}
	if Name(GlobalReader) != "Global Reader" || Name(ComplianceAdministrator) != "Compliance Administrator" {
		t.Errorf("names: %q, %q", Name(GlobalReader), Name(ComplianceAdministrator))
	}
	// The guest access roles of the authorization policy are role templates too.
	for _, id := range []string{"a0b1b346-4d3e-4e8b-98f8-753987be4970", "10dae51f-b6af-4016-8d66-8c2a99b929b3", "2af84b1e-32c8-42b7-82bc-daa82404023b"} {
		if !IsBuiltIn(id) {
			t.Errorf("guest access role %s is not in the catalog", id)
		}
	}
}

func TestIsBuiltIn(t *testing.T) {
	if !IsBuiltIn(strings.ToUpper(GlobalAdministrator)) {
		t.Error("template ids compare case-insensitively")
	}
	// A GUID that is no role, and Device Join, which Microsoft deprecated.
	for _, id := range []string{"11111111-2222-3333-4444-555555555555", "9c094953-4995-41c8-84c8-3ebb9b32c93f", "Global Administrator"} {
		if IsBuiltIn(id) {
			t.Errorf("%s accepted as a built-in role", id)
		}
	}
	if roles := BuiltIn(); len(roles) != len(catalog) || !sort.SliceIsSorted(roles, func(i, j int) bool { return roles[i].Name < roles[j].Name }) {
		t.Error("BuiltIn must list every role, by name")
	}
}
