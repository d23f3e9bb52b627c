// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package consistency

import (
	"context"
	"errors"
	"testing"
	"time"
)

var fast = Options{Interval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Consecutive: 3}

func TestWaitFor_needsConsecutiveSuccesses(t *testing.T) {
	// A flapping read (true, false, true, true, true) settles only on the third success in a row.
	answers := []bool{false, true, false, true, true, true, true}
	calls := 0
	err := WaitFor(context.Background(), fast, "policy", func(context.Context) (bool, error) {
		calls++
		return answers[calls-1], nil
	})
	if err != nil || calls != 6 {
		t.Fatalf("err=%v calls=%d, want settled after 6 reads", err, calls)
	}
}

func TestWaitFor_stopsOnError(t *testing.T) {
	boom := errors.New("forbidden")
	err := WaitFor(context.Background(), fast, "policy", func(context.Context) (bool, error) { return false, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
}

func TestWaitFor_boundedByContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := WaitFor(ctx, fast, "policy x", func(context.Context) (bool, error) { return false, nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
}
