// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package diagnostics

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPathText(t *testing.T) {
	users := path.Root("conditions").AtName("users").AtName("include_users")
	for _, tc := range []struct {
		p    path.Path
		want string
	}{
		{users, "conditions.users.include_users"},
		// A set element has no index: it is named by its set.
		{users.AtSetValue(types.StringValue("alice@contoso.com")), "conditions.users.include_users"},
		{path.Root("attestations").AtListIndex(2).AtName("expires"), "attestations[2].expires"},
	} {
		if got := PathText(tc.p); got != tc.want {
			t.Errorf("PathText(%s) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
