// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// BenchmarkCollectPeakHeap measures what the collector holds in memory while it reads a whole
// tenant, at 1,000, 10,000 and 100,000 users: the claim is that it does not grow with the tenant,
// because the registration report (one row per user) is streamed page by page into a summary.
//
// How, and why it is honest:
//   - devtenant runs in a child process (startTenantProcess), so its tenant and the answers it
//     renders are not in this process's heap at all. What is left here is the collector, its
//     HTTP and token clients, and the test harness, which is idle during the collection.
//   - Before each collection the heap is garbage-collected and its size taken as the baseline;
//     during it a goroutine reads runtime/metrics every millisecond (metrics.Read does not stop
//     the world, unlike ReadMemStats, so sampling does not pace the collection).
//   - peak-heap-MB is the largest /memory/classes/heap/objects:bytes above the baseline: every
//     object the heap holds, live or garbage not yet collected, i.e. what the process really
//     needs, not an optimistic live-set figure. A spike shorter than a millisecond can fall
//     between samples, so it is a close lower bound of the true peak; the last sample is taken
//     after Collect returns, with the snapshot still referenced.
//     Because it counts garbage, it rises with the work done until the garbage collector's heap
//     goal (GOGC) caps it: a small tenant may finish before the first collection cycle. What a
//     collector that kept every row would look like is shown by the naive reference, measured
//     the same way against the same child.
//   - alloc-MB is everything allocated during the collection (/gc/heap/allocs:bytes): it does grow
//     with the users, since every row is decoded once, and it is reported so that a flat peak is
//     seen next to it rather than instead of it.
//
// Run with `make bench`, or just this one:
//
//	go test -run '^$' -bench BenchmarkCollectPeakHeap -benchtime 3x ./internal/assess/collect/
func BenchmarkCollectPeakHeap(b *testing.B) {
	for _, users := range []int{1000, 10000, 100000} {
		tenant := startTenantProcess(b, "compliant", users)
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			var peak, allocs uint64
			for i := 0; i < b.N; i++ {
				var snap *snapshot.Snapshot
				p, a, err := measureHeap(func() (err error) {
					snap, err = Collect(context.Background(), tenant.client(b), AllSources(), Options{})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				for id := range snapshot.Specs {
					if !snap.Has(id) {
						b.Fatalf("%s: %s", id, snap.Sources[id].Error)
					}
				}
				var reg snapshot.RegistrationSummary
				if err := snap.Decode(snapshot.GraphUserRegistrationDetails, &reg); err != nil || reg.Members < users {
					b.Fatalf("the registration report was not read in full: %d members of %d (%v)", reg.Members, users, err)
				}
				peak, allocs = max(peak, p), max(allocs, a)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(allocs)/(1<<20), "alloc-MB")
		})
		// The same measurement of the naive reference, which keeps every page: it shows the
		// method sees a heap that grows with the users, so the collector's flat line means
		// something.
		b.Run(fmt.Sprintf("naive/users=%d", users), func(b *testing.B) {
			var peak uint64
			for i := 0; i < b.N; i++ {
				var out map[snapshot.SourceID][]byte
				p, _, err := measureHeap(func() (err error) {
					out, err = collectNaive(context.Background(), tenant.client(b))
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
				if len(out[snapshot.GraphUserRegistrationDetails]) == 0 {
					b.Fatal("the naive collector read no registration report")
				}
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

const (
	heapObjects = "/memory/classes/heap/objects:bytes"
	heapAllocs  = "/gc/heap/allocs:bytes"
)

// measureHeap runs f and returns the peak heap above the baseline taken just before it, and the
// bytes it allocated. f keeps its result in a variable of the caller, so the result is still
// referenced at the last sample.
func measureHeap(f func() error) (peak, allocs uint64, err error) {
	samples := []metrics.Sample{{Name: heapObjects}, {Name: heapAllocs}}
	read := func() (objects, allocated uint64) {
		metrics.Read(samples)
		return samples[0].Value.Uint64(), samples[1].Value.Uint64()
	}
	runtime.GC()
	base, allocBase := read()

	var mu sync.Mutex
	var top uint64
	note := func(objects uint64) {
		mu.Lock()
		top = max(top, objects)
		mu.Unlock()
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		own := []metrics.Sample{{Name: heapObjects}} // Its own buffer: read's is not for concurrent use.
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(own)
			note(own[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	err = f()
	close(done)
	wg.Wait()
	objects, allocated := read()
	note(objects)
	if top > base {
		peak = top - base
	}
	return peak, allocated - allocBase, err
}
