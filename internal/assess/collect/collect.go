// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package collect reads a tenant into a snapshot: every source the selected controls need,
// fetched once per run and as fast as the data dependencies allow. Graph GETs go out in $batch
// requests of twenty, their next pages in later batches; Exchange, Security & Compliance and
// SharePoint calls run at the same time, within each service's concurrency limit; the per-user
// registration report is streamed into a summary so that memory does not grow with the tenant.
package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Options tune a collection.
type Options struct {
	ToolVersion string
	Now         func() time.Time // Default time.Now.
	// Progress, when set, is called after each source is read (or failed), never concurrently.
	Progress func(done, total int, id snapshot.SourceID)
	// MaxUnregisteredListed caps the users a RegistrationSummary names (default 200); the
	// counts are always complete.
	MaxUnregisteredListed int
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxUnregisteredListed <= 0 {
		o.MaxUnregisteredListed = 200
	}
	return o
}

// Collect reads the sources ids into a snapshot. A source that cannot be read is recorded with
// its Error (and Status when the service answered) and the collection goes on; Collect fails
// only when it cannot sign in at all, or ctx ends. Sources already read during this run by
// another caller of the same Client (the provider's data source and resources share one) are
// taken from the run cache instead of read again.
func Collect(ctx context.Context, c *m365.Client, ids []snapshot.SourceID, opts Options) (*snapshot.Snapshot, error) {
	opts = opts.withDefaults()
	ids = unique(ids)
	snap := snapshot.New(c.TenantID, opts.ToolVersion, opts.Now())
	// Sign in first: when the credential does not work, no source can be read and the caller
	// must hear about that rather than get a snapshot of errors.
	if _, err := c.Token(ctx, c.Endpoints.Graph); err != nil {
		return nil, fmt.Errorf("collecting the tenant's configuration: %w", err)
	}

	run := &run{c: c, opts: opts, snap: snap, total: len(ids)}
	var owned []*pending
	var waiting []*pending
	for _, id := range ids {
		p := &pending{id: id, key: cacheKey{tenant: c.TenantID, id: id}}
		if id == snapshot.GraphUserRegistrationDetails {
			p.key.variant = opts.MaxUnregisteredListed
		}
		e, loaded := c.RunCache().LoadOrStore(p.key, &entry{done: make(chan struct{})})
		ent, ok := e.(*entry)
		if !ok {
			// Only this package stores under a cacheKey, so this does not happen; should it, the
			// source is read again rather than taken from a value of unknown meaning.
			ent, loaded = &entry{done: make(chan struct{})}, false
		}
		p.entry = ent
		if loaded {
			waiting = append(waiting, p)
		} else {
			owned = append(owned, p)
		}
	}

	fetchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	fatal := run.fetch(fetchCtx, owned, cancel)
	// Release every entry this call owns, also on failure, so that no other caller waits forever.
	for _, p := range owned {
		p.entry.finish(&snapshot.Source{Request: requestOf(c, p.id), FetchedAt: opts.Now().UTC(), Error: "not read: the collection stopped early"})
		if p.entry.src.Error != "" {
			c.RunCache().CompareAndDelete(p.key, p.entry) // A later caller tries again.
		}
	}
	if fatal != nil {
		return nil, fatal
	}
	for _, p := range waiting {
		select {
		case <-p.entry.done:
			run.record(p.id, p.entry.src)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return snap, nil
}

type cacheKey struct {
	tenant  string
	id      snapshot.SourceID
	variant int // Options that change the body (the registration summary's cap).
}

// entry is one source's read, shared through the run cache; done closes when src is final.
type entry struct {
	once sync.Once
	done chan struct{}
	src  *snapshot.Source
}

func (e *entry) finish(src *snapshot.Source) {
	e.once.Do(func() {
		e.src = src
		close(e.done)
	})
}

type pending struct {
	id    snapshot.SourceID
	key   cacheKey
	entry *entry
}

// run is one Collect call's bookkeeping.
type run struct {
	c     *m365.Client
	opts  Options
	mu    sync.Mutex
	snap  *snapshot.Snapshot
	done  int
	total int
}

// record stores a final source in the snapshot (a copy: cached sources are shared).
func (r *run) record(id snapshot.SourceID, src *snapshot.Source) {
	cp := *src
	r.mu.Lock()
	defer r.mu.Unlock()
	r.snap.Sources[id] = &cp
	r.done++
	if r.opts.Progress != nil {
		r.opts.Progress(r.done, r.total, id)
	}
}

// complete finishes a source this call fetched: cache entry, then snapshot.
func (r *run) complete(p *pending, src *snapshot.Source) {
	p.entry.finish(src)
	r.record(p.id, p.entry.src)
}

// fetch reads the owned sources, every service at once. It returns an error only when the
// collection cannot go on (the Graph credential is refused), after cancelling the others.
func (r *run) fetch(ctx context.Context, owned []*pending, cancel context.CancelFunc) error {
	var graph []*pending
	var wg sync.WaitGroup
	for _, p := range owned {
		spec, ok := snapshot.Specs[p.id]
		if !ok {
			r.complete(p, &snapshot.Source{FetchedAt: r.opts.Now().UTC(), Error: fmt.Sprintf("unknown source %q", p.id)})
			continue
		}
		switch spec.Kind {
		case snapshot.KindGraph:
			graph = append(graph, p)
		case snapshot.KindExchange, snapshot.KindCompliance:
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.complete(p, r.cmdlet(ctx, p.id, spec))
			}()
		case snapshot.KindSharePoint:
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.complete(p, r.sharePoint(ctx, p.id))
			}()
		default:
			r.complete(p, &snapshot.Source{FetchedAt: r.opts.Now().UTC(), Error: fmt.Sprintf("source %q has unknown kind %q", p.id, spec.Kind)})
		}
	}
	var fatal error
	if len(graph) > 0 {
		if fatal = r.graph(ctx, graph); fatal != nil {
			cancel()
		}
	}
	wg.Wait()
	return fatal
}

// cmdlet runs an Exchange or Security & Compliance Get- cmdlet. The CommandClient holds at most
// three calls in flight per service, which is what Exchange Online allows a tenant.
func (r *run) cmdlet(ctx context.Context, id snapshot.SourceID, spec snapshot.Spec) *snapshot.Source {
	cc := r.c.Exchange()
	if spec.Kind == snapshot.KindCompliance {
		cc = r.c.Compliance()
	}
	src := &snapshot.Source{Request: requestOf(r.c, id)}
	objs, err := cc.Invoke(ctx, spec.Cmdlet, nil)
	src.FetchedAt = r.opts.Now().UTC()
	if err != nil {
		// An unavailable cmdlet (m365.IsUnavailable: no Defender for Office 365, say) keeps its
		// message, so that a check can tell "not licensed" from a failure using subscribedSkus.
		return failed(src, err)
	}
	if objs == nil {
		objs = []map[string]any{}
	}
	return withBody(src, objs)
}

func (r *run) sharePoint(ctx context.Context, id snapshot.SourceID) *snapshot.Source {
	src := &snapshot.Source{Request: requestOf(r.c, id)}
	sp, err := r.c.SharePointAdmin(ctx)
	if err != nil {
		src.FetchedAt = r.opts.Now().UTC()
		return failed(src, err)
	}
	src.Request = "GET " + sp.Endpoint() + "/_api/SPO.Tenant"
	tenant, err := sp.Tenant(ctx)
	src.FetchedAt = r.opts.Now().UTC()
	if err != nil {
		return failed(src, err)
	}
	return withBody(src, tenant)
}

func failed(src *snapshot.Source, err error) *snapshot.Source {
	var apiErr *m365.APIError
	if errors.As(err, &apiErr) {
		src.Status = apiErr.Status
	}
	src.Error = err.Error()
	return src
}

func withBody(src *snapshot.Source, v any) *snapshot.Source {
	b, err := json.Marshal(v)
	if err != nil {
		src.Error = "encoding the answer: " + err.Error()
		return src
	}
	src.Status, src.Body = 200, b
	return src
}

// requestOf says what a source's request is, for the snapshot's record.
func requestOf(c *m365.Client, id snapshot.SourceID) string {
	spec := snapshot.Specs[id]
	switch spec.Kind {
	case snapshot.KindGraph:
		return "GET " + c.Endpoints.Graph + "/v1.0" + spec.Path
	case snapshot.KindExchange:
		return "POST " + c.Endpoints.Exchange + "/adminapi/beta/" + url.PathEscape(c.TenantID) + "/InvokeCommand " + spec.Cmdlet
	case snapshot.KindCompliance:
		return "POST " + c.Endpoints.Compliance + "/adminapi/beta/" + url.PathEscape(c.TenantID) + "/InvokeCommand " + spec.Cmdlet
	case snapshot.KindSharePoint:
		return "GET " + c.Endpoints.SharePointAdmin + "/_api/SPO.Tenant"
	}
	return ""
}

func unique(ids []snapshot.SourceID) []snapshot.SourceID {
	seen := map[snapshot.SourceID]bool{}
	out := make([]snapshot.SourceID, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// AllSources lists every source snapshot.Specs knows, sorted.
func AllSources() []snapshot.SourceID {
	ids := make([]snapshot.SourceID, 0, len(snapshot.Specs))
	for id := range snapshot.Specs {
		ids = append(ids, id)
	}
	return unique(ids)
}
