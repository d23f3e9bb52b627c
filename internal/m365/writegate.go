// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"sync"
	"time"
)

// ConditionalAccessWriteSpacing is the least time between two Conditional Access writes to one
// tenant. Microsoft documents about one request per second for that API.
var ConditionalAccessWriteSpacing = time.Second

// writeGate serialises a kind of write to one tenant and spaces the writes out.
type writeGate struct {
	slot chan struct{} // A one-slot semaphore: unlike sync.Mutex it can be awaited with a context.
	mu   sync.Mutex
	last time.Time
}

var (
	gatesMu sync.Mutex
	gates   = map[string]*writeGate{}
)

// gateFor returns the process-wide gate of a key, so that provider aliases and concurrent
// resources pointing at the same tenant share it.
func gateFor(key string) *writeGate {
	gatesMu.Lock()
	defer gatesMu.Unlock()
	g, ok := gates[key]
	if !ok {
		g = &writeGate{slot: make(chan struct{}, 1)}
		gates[key] = g
	}
	return g
}

func (g *writeGate) do(ctx context.Context, fn func(context.Context) error) error {
	select {
	case g.slot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slot }()
	g.mu.Lock()
	wait := time.Until(g.last.Add(ConditionalAccessWriteSpacing))
	g.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	defer func() {
		g.mu.Lock()
		g.last = time.Now()
		g.mu.Unlock()
	}()
	return fn(ctx)
}
