// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package pipeline is what every devtenant service shares on the way to its handlers: the
// Tenant (one store, the fault knobs, request counters, token signing key and base URL), the
// front of the request pipeline (Serve: counters, latency, logging) and bearer token
// validation (VerifyBearer). Each service then applies, in the order its real counterpart
// does, audience and permission checks and the faults; see the services' package comments.
package pipeline

import (
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/faults"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

// Tenant is what every service of the emulated tenant shares: the one store, the fault knobs,
// the request counters, the token signing key and the base URL.
type Tenant struct {
	Store         *store.Store
	faults        *faults.Faults
	stats         statsCounter
	url           string
	SigningKey    *rsa.PrivateKey
	SigningCert   *x509.Certificate
	SigningKid    string
	TokenLifetime time.Duration
}

func New(st *store.Store, f *faults.Faults, tokenLifetime time.Duration) (*Tenant, error) {
	t := &Tenant{Store: st, faults: f, TokenLifetime: tokenLifetime}
	if err := t.loadSigningKey(); err != nil {
		return nil, err
	}
	return t, nil
}

// SetURL records the listener's address; Start calls it once, before serving.
func (s *Tenant) SetURL(u string) { s.url = u }

// Count updates the request counters.
func (s *Tenant) Count(f func(*Stats)) { s.stats.add(f) }

// CountRoute counts one request under its route key (ids folded to {id}).
func (s *Tenant) CountRoute(r *http.Request) {
	s.stats.add(func(st *Stats) { st.ByRoute[routeKey(r.Method, r.URL.Path)]++ })
}

func (s *Tenant) loadSigningKey() error {
	k, err := tokens.ParseKeyPEM([]byte(s.Store.State.SigningKeyPEM))
	if err != nil {
		return fmt.Errorf("devtenant: token signing key: %w", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return errors.New("devtenant: token signing key is not RSA")
	}
	cert, err := tokens.ParseCertPEM([]byte(s.Store.State.SigningCertPEM))
	if err != nil {
		return fmt.Errorf("devtenant: token signing certificate: %w", err)
	}
	s.SigningKey, s.SigningCert = rk, cert
	s.SigningKid, _ = tokens.Thumbprints(cert.Raw)
	return nil
}

// URL is the base URL, e.g. "https://127.0.0.1:PORT".
func (s *Tenant) URL() string { return s.url }

// Faults returns the runtime fault knobs.
func (s *Tenant) Faults() *faults.Faults { return s.faults }

// Stats returns a snapshot of the request counters.
func (s *Tenant) Stats() Stats { return s.stats.snapshot() }

func (s *Tenant) TenantID() string { return s.Store.State.TenantID }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// VerifyBearer checks the Authorization header's token (signature, lifetime, tenant) the way
// every Microsoft 365 service does before looking at audience and roles; on failure it returns
// nil and the reason Graph words it with.
func (s *Tenant) VerifyBearer(r *http.Request) (*tokens.JWT, string) {
	authz := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(authz, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(authz, "bearer ")
	}
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		return nil, "Access token is empty."
	}
	p, err := tokens.Parse(tok)
	if err != nil {
		return nil, "IDX14100: JWT is not well formed, there are no dots (.)."
	}
	if err := p.Verify(&s.SigningKey.PublicKey); err != nil || p.Header["alg"] != "RS256" {
		return nil, "Access token validation failure."
	}
	now := time.Now().Unix()
	if exp, ok := p.Num("exp"); !ok || now >= exp {
		return nil, "Lifetime validation failed, the token is expired."
	}
	if nbf, ok := p.Num("nbf"); ok && now < nbf-300 {
		return nil, "Lifetime validation failed, the token is not yet valid."
	}
	if p.Str("tid") != s.TenantID() {
		return nil, "Access token validation failure. Invalid tenant."
	}
	return p, ""
}

// Stats counts requests; see Server.Stats.
type Stats struct {
	Total        int64            // HTTP requests received (a $batch counts once here).
	ByRoute      map[string]int64 // "METHOD /v1.0/path/{id}" including each $batch item; "POST /exo InvokeCommand Get-X" per cmdlet.
	Throttled    int64            // 429 responses sent, $batch items included.
	TokensIssued int64            // Access tokens issued by the token endpoint.
}

// Serve is the front of the pipeline every request passes, whichever service answers it: it
// counts the request, waits the configured latency (or until the client gives up), lets next
// answer and logs the outcome.
func (s *Tenant) Serve(w http.ResponseWriter, r *http.Request, logf func(format string, args ...any), next http.HandlerFunc) {
	start := time.Now()
	s.Count(func(st *Stats) { st.Total++ })
	if d := s.Faults().Latency(); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	next(sw, r)
	if logf != nil {
		logf("devtenant: %s %s -> %d (%s)", r.Method, r.URL.RequestURI(), sw.status, time.Since(start).Round(time.Millisecond))
	}
}

// ResolveTenant accepts the tenant id or its initial domain, as Entra does.
// ResolveTenant reports whether t names this tenant, by id or initial domain, as every
// service's tenant path segment may.
func (s *Tenant) ResolveTenant(t string) bool {
	return strings.EqualFold(t, s.TenantID()) || strings.EqualFold(t, s.Store.State.Domain)
}

// CountThrottle counts a 429 answer sent by a service that does not go through Graph's pipeline.
func (s *Tenant) CountThrottle(status int) {
	if status == http.StatusTooManyRequests {
		s.Count(func(st *Stats) { st.Throttled++ })
	}
}
