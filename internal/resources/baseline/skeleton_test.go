// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import "testing"

// Every block's failures are titled from its name, one phrasing for all (internal/diagnostics).
func TestBlockSummary(t *testing.T) {
	for _, b := range blocks() {
		if got := blockSummary(b, opApplying); got == "" || got[:15] != "Error Applying " {
			t.Errorf("%s: summary %q", b.Name(), got)
		}
	}
	for name, want := range map[string]string{
		"guests":                "Guests Block",
		"mfa":                   "MFA Block",
		"legacy_authentication": "Legacy Authentication Block",
	} {
		if got := blockTitle(name); got != want {
			t.Errorf("blockTitle(%q) = %q, want %q", name, got, want)
		}
	}
}
