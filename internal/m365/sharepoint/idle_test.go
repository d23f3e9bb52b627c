// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

// Moved from the baseline's session block test with the code.
func TestIdleSignOut(t *testing.T) {
	want := IdleSignOut{Enabled: true, WarnAfter: 600, SignOutAfter: 900}
	body := graphjson.Payload(t, expandIdleSignOut(want))
	if len(body) != 1 {
		t.Errorf("PATCH body %v carries more than idleSessionSignOut: it would overwrite the sharing settings", body)
	}
	for p, v := range map[string]any{"idleSessionSignOut.isEnabled": true, "idleSessionSignOut.warnAfterInSeconds": float64(600),
		"idleSessionSignOut.signOutAfterInSeconds": float64(900)} {
		if got := graphjson.At(t, body, p); got != v {
			t.Errorf("%s = %v, want %v", p, got, v)
		}
	}
	off := graphjson.Payload(t, expandIdleSignOut(IdleSignOut{}))
	if got := graphjson.At(t, off, "idleSessionSignOut.isEnabled"); got != false {
		t.Errorf("restore body isEnabled = %v", got)
	}

	if !want.Satisfies(want) || (IdleSignOut{Enabled: true, WarnAfter: 600, SignOutAfter: 3600}).Satisfies(want) ||
		(IdleSignOut{WarnAfter: 600, SignOutAfter: 900}).Satisfies(want) {
		t.Error("satisfies compares wrongly when enabled")
	}
	if !(IdleSignOut{WarnAfter: 5}).Satisfies(IdleSignOut{}) || want.Satisfies(IdleSignOut{}) {
		t.Error("satisfies compares wrongly when off")
	}
	if got := flattenIdleSignOut(expandIdleSignOut(want)); got != want {
		t.Errorf("round trip %+v", got)
	}
}
