// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import "testing"

// TestGuardSeesEveryPolicyBlock: a block that manages a Conditional Access policy (it has a
// policy_id) must be judged by the lockout guard, which finds it through caPolicyBlock.
func TestGuardSeesEveryPolicyBlock(t *testing.T) {
	t.Parallel()
	n := 0
	for _, b := range blocks() {
		if _, hasPolicy := b.Schema().Attributes["policy_id"]; !hasPolicy {
			continue
		}
		n++
		if _, ok := b.(caPolicyBlock); !ok {
			t.Errorf("block %s manages a Conditional Access policy but the lockout guard does not see it: implement plannedPolicy in guard.go", b.Name())
		}
	}
	if n < 5 {
		t.Errorf("found %d Conditional Access blocks, want the 5 of the checklist", n)
	}
}
