// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"maps"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// caCollection is a collection of the Conditional Access service (policies, named locations):
// versioned records, each write visible after the replication delay, server-managed properties
// refused with the service's errors (caReadOnly), and the collection's own 404.
type caCollection struct {
	context  string // The @odata.context fragment of the collection.
	typeName string
	records  func(st *store.State) *[]*store.Record
	notFound func(id string) *httpx.GraphError
	// build validates a POST body into the object stored.
	build func(in map[string]any) (map[string]any, *httpx.GraphError)
	// render is what Graph answers for a stored object; nil answers it as stored.
	render func(s *Service, obj map[string]any) map[string]any
	// templated objects have a templateId, which a PATCH may not set.
	templated bool
	// modifiedOnCreate: a new object's modifiedDateTime is its creation time, not null.
	modifiedOnCreate bool
}

// rendered is a copy of obj as Graph answers it.
func (c caCollection) rendered(s *Service, obj map[string]any) map[string]any {
	if c.render == nil {
		return maps.Clone(obj)
	}
	return c.render(s, obj)
}

// listRecords answers the collection's GET with the objects visible now.
func (s *Service) listRecords(g *gctx, c caCollection) *httpx.GraphError {
	return s.listLocked(g, c.context, func(st *store.State) lister {
		delay := s.Faults().ReplicationDelay()
		var vis []map[string]any
		for _, r := range *c.records(st) {
			if v := r.Visible(g.now, delay); v != nil {
				vis = append(vis, c.rendered(s, v))
			}
		}
		return mapLister(vis, c.typeName)
	})
}

// getRecord answers the GET of one object, by the id in the path.
func (s *Service) getRecord(g *gctx, c caCollection) *httpx.GraphError {
	id := g.params[0]
	s.Store.Mu.RLock()
	var v map[string]any
	if r := store.FindRecord(*c.records(s.Store.State), id); r != nil {
		v = r.Visible(g.now, s.Faults().ReplicationDelay())
	}
	s.Store.Mu.RUnlock()
	if v == nil {
		return c.notFound(id)
	}
	return g.writeEntity(c.context, c.rendered(s, v), mapLister([]map[string]any{v}, c.typeName))
}

// createRecord is the collection's POST up to the answer: the body is built into a new object
// with its id and timestamps, which check (when set) may refuse under the write lock, then stored.
// It returns the object stored.
func (s *Service) createRecord(g *gctx, c caCollection, check func(obj map[string]any) *httpx.GraphError) (map[string]any, *httpx.GraphError) {
	in, err := decodeJSONObject(g.body)
	if err != nil {
		return nil, err
	}
	if err := caReadOnly(in, false); err != nil {
		return nil, err
	}
	obj, err := c.build(in)
	if err != nil {
		return nil, err
	}
	obj["id"] = store.NewGUID()
	obj["createdDateTime"] = store.GraphTime(g.now)
	obj["modifiedDateTime"] = nil
	if c.modifiedOnCreate {
		obj["modifiedDateTime"] = obj["createdDateTime"]
	}
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	if check != nil {
		if err := check(obj); err != nil {
			return nil, err
		}
	}
	rec := &store.Record{ID: store.String(obj, "id")}
	rec.Write(g.now, s.Faults().ReplicationDelay(), obj)
	list := c.records(s.Store.State)
	*list = append(*list, rec)
	if serr := s.Store.SaveLocked(); serr != nil {
		return nil, httpx.NewGraphError(http.StatusInternalServerError, "UnknownError", "Persisting the tenant failed: %v", serr)
	}
	return obj, nil
}

// writeCreated answers a POST with the object created.
func (g *gctx) writeCreated(c caCollection, obj map[string]any) *httpx.GraphError {
	out := c.rendered(g.s, obj)
	out["@odata.context"] = g.contextURL(c.context + "/$entity")
	return g.writeJSON(http.StatusCreated, out)
}

// updateRecord is the PATCH of one object: next builds its new version from the stored one and
// the body under the write lock, and savedVersion stores it.
func (s *Service) updateRecord(g *gctx, c caCollection, next func(cur, in map[string]any) (map[string]any, *httpx.GraphError)) *httpx.GraphError {
	id := g.params[0]
	in, err := decodeJSONObject(g.body)
	if err != nil {
		return err
	}
	if err := caReadOnly(in, c.templated); err != nil {
		return err
	}
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	rec := store.FindRecord(*c.records(s.Store.State), id)
	if rec == nil || rec.Cur == nil {
		return c.notFound(id)
	}
	obj, err := next(rec.Cur, in)
	if err != nil {
		return err
	}
	return s.savedVersion(g, rec, id, obj)
}

// deleteRecord is the DELETE of one object; inUse (when set) refuses, under the write lock, to
// delete one that something still references.
func (s *Service) deleteRecord(g *gctx, c caCollection, inUse func(st *store.State, id string) *httpx.GraphError) *httpx.GraphError {
	id := g.params[0]
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	list := c.records(s.Store.State)
	rec := store.FindRecord(*list, id)
	if rec == nil || rec.Cur == nil {
		return c.notFound(id)
	}
	if inUse != nil {
		if err := inUse(s.Store.State, id); err != nil {
			return err
		}
	}
	delay := s.Faults().ReplicationDelay()
	rec.Write(g.now, delay, nil)
	*list = store.Compact(*list, g.now, delay)
	return s.savedNoContent(g)
}
