// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package directory

import (
	"slices"
	"testing"
)

// Privileged is Microsoft's template "Require phishing-resistant multifactor authentication for
// administrators": these 14 roles, by name, each with its documented template id.
func TestPrivilegedIsMicrosoftsTemplate(t *testing.T) {
	template := []string{
		"Global Administrator", "Application Administrator", "Authentication Administrator", "Billing Administrator",
		"Cloud Application Administrator", "Conditional Access Administrator", "Exchange Administrator",
		"Helpdesk Administrator", "Password Administrator", "Privileged Authentication Administrator",
		"Privileged Role Administrator", "Security Administrator", "SharePoint Administrator", "User Administrator",
	}
	var got []string
	for _, id := range Privileged() {
		got = append(got, Name(id))
	}
	if !slices.Equal(got, template) {
		t.Fatalf("Privileged() = %q, want Microsoft's template %q", got, template)
	}
	for _, name := range template {
		if id, ok := ByName(name); !ok || Name(id) != name {
			t.Errorf("ByName(%q) = %q, %v", name, id, ok)
		}
	}
	if Name("FE930BE7-5E62-47DB-91AF-98C3A49A38B1") != "User Administrator" || Name("not-a-role") != "not-a-role" {
		t.Error("Name must ignore case and fall back to the id")
	}
}
