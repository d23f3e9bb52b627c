// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// readSetting must behave as the struct fields the checks used to declare: a name matches
// regardless of case, and an absent or null setting is an error, never a default.
func TestReadSettingUnknownIsAnError(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source any
		want   flexBool
		err    string
	}{
		{"exact name", arr{obj{"AuditDisabled": "True"}}, flexBool{Set: true, V: true}, ""},
		{"other case", obj{"auditdisabled": false}, flexBool{Set: true, V: false}, ""},
		{"absent", arr{obj{"Name": "org"}}, flexBool{}, "source exchange.Get-OrganizationConfig has no AuditDisabled"},
		{"null", obj{"AuditDisabled": nil}, flexBool{}, "source exchange.Get-OrganizationConfig has no AuditDisabled"},
		{"not a boolean", obj{"AuditDisabled": "maybe"}, flexBool{}, `decoding source exchange.Get-OrganizationConfig: not a boolean: "maybe"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := build(t, sources{snapshot.ExchangeOrganizationConfig: tc.source})
			got, err := readSetting[flexBool](s, snapshot.ExchangeOrganizationConfig, "AuditDisabled")
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
