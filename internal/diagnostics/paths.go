// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package diagnostics

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// PathText renders an attribute path the way it is written in configuration:
// conditions.users.include_users, attestations[2].expires. A set element has no index, so it is
// named by its set (the detail quotes the value).
func PathText(p path.Path) string {
	if steps := p.Steps(); len(steps) > 0 {
		if _, ok := steps[len(steps)-1].(path.PathStepElementKeyValue); ok {
			p = p.ParentPath()
		}
	}
	return p.String()
}

// AddPathError adds an error on the attribute at p whose detail starts with the attribute's path.
// Terraform shows an attribute error against the resource or block it is in, not against a
// nested attribute or a set element, so without the path in the text the user is left to guess
// which attribute holds the value.
func AddPathError(diags *diag.Diagnostics, p path.Path, summary, detail string) {
	diags.AddAttributeError(p, summary, PathText(p)+": "+detail)
}
