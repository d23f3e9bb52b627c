// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"maps"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// singleton is a settings object the tenant holds once (the authorization policy, security
// defaults, the SharePoint settings, the authentication methods policy): GET answers the version
// that has replicated, PATCH validates the body against def and merges it into the stored one.
type singleton struct {
	context string // The @odata.context fragment of the entity, without "/$entity".
	def     *objDef
	record  func(st *store.State) *store.Record
}

var (
	authorizationPolicy = singleton{"policies/authorizationPolicy", authorizationPolicyDef,
		func(st *store.State) *store.Record { return st.Admin.AuthorizationPolicy }}
	securityDefaults = singleton{"policies/identitySecurityDefaultsEnforcementPolicy", secDefDef,
		func(st *store.State) *store.Record { return st.SecurityDefaults }}
	sharepointSettings = singleton{"admin/sharepoint/settings", sharepointSettingsDef,
		func(st *store.State) *store.Record { return st.Admin.SharePointSettings }}
	authMethodsPolicy = singleton{"policies/authenticationMethodsPolicy", authMethodsPolicyDef,
		func(st *store.State) *store.Record { return st.Admin.AuthMethodsPolicy }}
)

// readSingleton returns a copy of the version of o that has replicated (nil before any has).
func (s *Service) readSingleton(g *gctx, o singleton) map[string]any {
	s.Store.Mu.RLock()
	defer s.Store.Mu.RUnlock()
	return maps.Clone(o.record(s.Store.State).Visible(g.now, s.Faults().ReplicationDelay()))
}

// writeSingleton answers v, a copy of o, with its @odata.context.
func (g *gctx) writeSingleton(o singleton, v map[string]any) *httpx.GraphError {
	v["@odata.context"] = g.contextURL(o.context + "/$entity")
	return g.writeJSON(http.StatusOK, v)
}

// getSingleton is the GET handler of o.
func (s *Service) getSingleton(o singleton) graphHandler {
	return func(g *gctx) *httpx.GraphError { return g.writeSingleton(o, s.readSingleton(g, o)) }
}

// singletonUpdate builds the next version of a singleton from the stored one and a PATCH body
// (as sent and as normalized), or refuses the body. It runs under the store's write lock.
type singletonUpdate func(g *gctx, cur, sent, norm map[string]any) (map[string]any, *httpx.GraphError)

// mergeSentUpdate is the update of most singletons: the properties sent replace (or, for complex
// values, merge into) the stored ones.
func mergeSentUpdate(_ *gctx, cur, sent, norm map[string]any) (map[string]any, *httpx.GraphError) {
	return mergeSent(cur, sent, norm), nil
}

// patchSingleton is the PATCH handler of o: it stores what update builds and answers 204.
func (s *Service) patchSingleton(o singleton, update singletonUpdate) graphHandler {
	return func(g *gctx) *httpx.GraphError {
		in, n, err := decodeNormalized(g.body, o.def)
		if err != nil {
			return err
		}
		s.Store.Mu.Lock()
		defer s.Store.Mu.Unlock()
		rec := o.record(s.Store.State)
		next, err := update(g, rec.Cur, in, n)
		if err != nil {
			return err
		}
		rec.Write(g.now, s.Faults().ReplicationDelay(), next)
		return s.savedNoContent(g)
	}
}
