// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package consistency waits out Microsoft 365's eventual consistency: right after a write, a read
// may still miss the object or return the old version for seconds. Writers poll a predicate until
// it holds several times in a row (one success can come from a replica that is already up to
// date while the next read hits one that is not), bounded by the context's deadline.
package consistency

import (
	"context"
	"fmt"
	"time"
)

// Options tune WaitFor. The zero value means the defaults.
type Options struct {
	Interval    time.Duration // First pause between polls; doubles up to MaxInterval.
	MaxInterval time.Duration
	Consecutive int // How many successes in a row count as settled.
}

// Defaults, chosen so that devtenant's replication delay and a real tenant's few seconds both
// settle well within a resource's default timeout.
var Defaults = Options{Interval: 250 * time.Millisecond, MaxInterval: 5 * time.Second, Consecutive: 3}

// Check reports whether the write is visible. A non-nil error stops the wait at once.
type Check func(ctx context.Context) (bool, error)

// WaitFor polls check until it returns true Consecutive times in a row or ctx ends.
func WaitFor(ctx context.Context, opts Options, what string, check Check) error {
	if opts.Interval <= 0 {
		opts.Interval = Defaults.Interval
	}
	if opts.MaxInterval <= 0 {
		opts.MaxInterval = Defaults.MaxInterval
	}
	if opts.Consecutive <= 0 {
		opts.Consecutive = Defaults.Consecutive
	}
	interval, streak, polls := opts.Interval, 0, 0
	for {
		ok, err := check(ctx)
		polls++
		if err != nil {
			return err
		}
		if ok {
			streak++
			if streak >= opts.Consecutive {
				return nil
			}
			// Confirmations come quickly; only the wait for the first success backs off.
			interval = opts.Interval
		} else {
			streak = 0
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("waiting for %s to be visible (gave up after %d reads): %w", what, polls, ctx.Err())
		case <-t.C:
		}
		if !ok {
			interval = min(interval*2, opts.MaxInterval)
		}
	}
}
