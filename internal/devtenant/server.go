// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package devtenant is an emulated Microsoft 365 tenant (Entra token endpoint and a Graph v1.0
// subset) served over HTTPS on loopback. It backs the demo and every acceptance test, so it
// answers with Microsoft's status codes, JSON shapes, errors, paging, throttling, permission
// checks and replication delay.
package devtenant

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/compliance"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/entra"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/exchange"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/faults"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/sharepoint"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

// Options configures a devtenant server.
type Options struct {
	DataDir          string        // Required; holds ca.pem, ca-bundle.pem, env.sh, tenant.json.
	Listen           string        // Default "127.0.0.1:0".
	Seed             string        // "empty" | "noncompliant" | "compliant" | "shadowed"; used only for a new DataDir.
	Users            int           // Extra synthetic users for scale (applied with the seed).
	Latency          time.Duration // Added to every request.
	ThrottleRate     float64       // Share (0..1) of Graph requests answered 429 (some 503).
	ReplicationDelay time.Duration // After a write, reads of that object are stale for this long.
	TokenLifetime    time.Duration // Default 1h.
	Logf             func(format string, args ...any)
}

// Server is a running devtenant.
type Server struct {
	*pipeline.Tenant
	entra      *entra.Service
	admin      *adminapi.Service
	sharepoint *sharepoint.Service
	graph      *graph.Service
	opts       Options
	srv        *http.Server
	ln         net.Listener
	env        map[string]string
	closeOnce  sync.Once
	closeErr   error
	done       chan struct{}
}

// Start creates or loads the tenant in opts.DataDir and starts serving; it returns once the
// listener accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("devtenant: DataDir is required")
	}
	if opts.Listen == "" {
		opts.Listen = "127.0.0.1:0"
	}
	if opts.Seed == "" {
		opts.Seed = seed.Noncompliant
	}
	switch opts.Seed {
	case seed.Empty, seed.Noncompliant, seed.Compliant, seed.Shadowed:
	default:
		return nil, fmt.Errorf("devtenant: unknown seed %q (want empty, noncompliant, compliant or shadowed)", opts.Seed)
	}
	if opts.TokenLifetime <= 0 {
		opts.TokenLifetime = time.Hour
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("devtenant: creating data dir: %w", err)
	}
	ca, caKey, err := tokens.LoadOrCreateCA(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devtenant: CA: %w", err)
	}
	if err := tokens.WriteCABundle(opts.DataDir, ca); err != nil {
		return nil, fmt.Errorf("devtenant: writing CA bundle: %w", err)
	}
	st, existed, err := store.Load(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("devtenant: %w", err)
	}
	if !existed {
		fresh, err := seed.New(opts.DataDir, opts.Seed, opts.Users)
		if err != nil {
			return nil, fmt.Errorf("devtenant: seeding: %w", err)
		}
		st.State = fresh
		st.Reindex()
	} else if err := seed.FillAdmin(st.State); err != nil {
		return nil, fmt.Errorf("devtenant: upgrading %s: %w", store.StateFile, err)
	} else if err := seed.FillAssess(st.State); err != nil {
		return nil, fmt.Errorf("devtenant: upgrading %s: %w", store.StateFile, err)
	}
	certsAdded, err := seed.EnsureAppCertificates(opts.DataDir, st.State)
	if err != nil {
		return nil, fmt.Errorf("devtenant: app certificates: %w", err)
	}
	if !existed || certsAdded {
		if err := st.SaveLocked(); err != nil {
			return nil, fmt.Errorf("devtenant: writing %s: %w", store.StateFile, err)
		}
	}
	f := &faults.Faults{}
	f.SetLatency(opts.Latency)
	f.SetThrottleRate(opts.ThrottleRate)
	f.SetReplicationDelay(opts.ReplicationDelay)
	t, err := pipeline.New(st, f, opts.TokenLifetime)
	if err != nil {
		return nil, err
	}
	s := &Server{Tenant: t, entra: &entra.Service{Tenant: t},
		admin:      &adminapi.Service{Tenant: t, Nouns: append(exchange.Nouns(), compliance.Nouns()...)},
		sharepoint: &sharepoint.Service{Tenant: t}, graph: graph.New(t), opts: opts, done: make(chan struct{})}

	leaf, err := tokens.ServerCertificate(ca, caKey)
	if err != nil {
		return nil, fmt.Errorf("devtenant: server certificate: %w", err)
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("devtenant: listening on %s: %w", opts.Listen, err)
	}
	s.ln = ln
	s.SetURL("https://" + ln.Addr().String())
	s.srv = &http.Server{
		Handler:           s,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{leaf}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          nil,
	}
	s.env = s.buildEnv()
	if err := store.WriteFileAtomic(filepath.Join(opts.DataDir, "env.sh"), []byte(s.envScript()), 0o600); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("devtenant: writing env.sh: %w", err)
	}
	go func() {
		defer close(s.done)
		_ = s.srv.ServeTLS(ln, "", "")
	}()
	return s, nil
}

// Env returns exactly the variables env.sh exports.
func (s *Server) Env() map[string]string {
	out := make(map[string]string, len(s.env))
	for k, v := range s.env {
		out[k] = v
	}
	return out
}

func (s *Server) buildEnv() map[string]string {
	st := s.Store.State
	writer, reader := st.Apps[0], st.Apps[1]
	// The default credential is the writer's certificate: it reads and writes everything
	// devtenant serves, SharePoint admin included, which refuses client secrets for app-only
	// access. The secrets are exported under devtenant's own names, so that ARM_CLIENT_SECRET
	// (which takes precedence over a certificate) is set only by a user who chooses it.
	return map[string]string{
		"ARM_TENANT_ID":                                  st.TenantID,
		"ARM_CLIENT_ID":                                  writer.AppID,
		"ARM_CLIENT_CERTIFICATE_PATH":                    s.WriterCertificatePath(),
		"HIPAA_DEVTENANT_CLIENT_SECRET":                  writer.Secret,
		"SSL_CERT_FILE":                                  filepath.Join(s.absDataDir(), tokens.CABundleFile),
		"HIPAA_AUTHORITY_HOST":                           s.URL() + "/",
		"HIPAA_GRAPH_ENDPOINT":                           s.URL(),
		"HIPAA_EXCHANGE_ENDPOINT":                        s.URL() + "/exo",
		"HIPAA_COMPLIANCE_ENDPOINT":                      s.URL() + "/ipps",
		"HIPAA_SHAREPOINT_ADMIN_ENDPOINT":                s.URL() + "/spo",
		"HIPAA_DEVTENANT_READER_CLIENT_ID":               reader.AppID,
		"HIPAA_DEVTENANT_READER_CLIENT_SECRET":           reader.Secret,
		"HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH": s.ReaderCertificatePath(),
		"HIPAA_DEVTENANT_BREAK_GLASS_USER_ID":            st.BreakGlassUserID,
		"HIPAA_EMERGENCY_ACCESS_USER_IDS":                st.BreakGlassUserID,
		"HIPAA_DEVTENANT_INITIAL_DOMAIN":                 st.Domain,
		"HIPAA_DEVTENANT_METADATA_HOST":                  strings.TrimPrefix(s.URL(), "https://"),
	}
}

func (s *Server) absDataDir() string {
	if abs, err := filepath.Abs(s.opts.DataDir); err == nil {
		return abs
	}
	return s.opts.DataDir
}

func (s *Server) envScript() string {
	keys := make([]string, 0, len(s.env))
	for k := range s.env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(`# Written by terraform-provider-hipaa devtenant; source it to point the provider at this tenant.
#
# Credential: the writer app's certificate (ARM_CLIENT_CERTIFICATE_PATH). It can read and write
# everything devtenant serves, SharePoint admin included, which takes only certificates for
# app-only access. The alternative is the app's client secret (everything but SharePoint admin):
#   export ARM_CLIENT_SECRET="$HIPAA_DEVTENANT_CLIENT_SECRET"; unset ARM_CLIENT_CERTIFICATE_PATH
# The read-only app (least privilege, SharePoint included):
#   export ARM_CLIENT_ID="$HIPAA_DEVTENANT_READER_CLIENT_ID" ARM_CLIENT_CERTIFICATE_PATH="$HIPAA_DEVTENANT_READER_CLIENT_CERTIFICATE_PATH"
# Other tools that take a metadata host (azuread's metadata_host) can use HIPAA_DEVTENANT_METADATA_HOST.
#
# A client secret left in the shell would take precedence over the certificate.
unset ARM_CLIENT_SECRET
`)
	for _, k := range keys {
		fmt.Fprintf(&b, "export %s='%s'\n", k, strings.ReplaceAll(s.env[k], "'", `'\''`))
	}
	return b.String()
}

// AddAppCertificate registers a PEM certificate on an app (by appId) for client assertion sign-in.
func (s *Server) AddAppCertificate(appID string, certPEM []byte) error {
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	a := s.Store.State.AppByID(appID)
	if a == nil {
		return fmt.Errorf("devtenant: no app with appId %s", appID)
	}
	if err := seed.RegisterCert(a, certPEM); err != nil {
		return err
	}
	return s.Store.SaveLocked()
}

// WriterCertificatePath is a PEM file (key + certificate) registered on the writer app.
func (s *Server) WriterCertificatePath() string {
	return filepath.Join(s.absDataDir(), seed.WriterCertFile)
}

// ReaderCertificatePath is a PEM file (key + certificate) registered on the read-only app.
func (s *Server) ReaderCertificatePath() string {
	return filepath.Join(s.absDataDir(), seed.ReaderCertFile)
}

// Close shuts the server down gracefully and flushes the state.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		<-s.done
		s.Store.Mu.RLock()
		serr := s.Store.SaveLocked()
		s.Store.Mu.RUnlock()
		s.closeErr = errors.Join(err, serr)
	})
	return s.closeErr
}

// ServeHTTP runs the request through the front of the pipeline every service shares (counters,
// latency, logging) and hands it to the service that owns its path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Serve(w, r, s.opts.Logf, s.dispatch)
}

// dispatch sends a request to Entra, Graph or the Exchange, Compliance and SharePoint admin endpoints.
func (s *Server) dispatch(sw http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/v1.0" || strings.HasPrefix(p, "/v1.0/"):
		s.graph.Serve(sw, r)
	case faults.IsAdminPath(p) && strings.HasPrefix(p, "/spo"):
		s.sharepoint.Serve(sw, r)
	case faults.IsAdminPath(p) && strings.HasPrefix(p, "/exo"):
		s.admin.Serve(sw, r, adminapi.EXO)
	case faults.IsAdminPath(p):
		s.admin.Serve(sw, r, adminapi.IPPS)
	case p == "/metadata/endpoints":
		s.CountRoute(r)
		s.entra.ServeARMMetadata(sw, r)
	default:
		if !s.entra.Serve(sw, r) {
			s.CountRoute(r)
			sw.Header().Set("request-id", store.NewGUID())
			httpx.WriteGraphError(sw, httpx.NewGraphError(http.StatusNotFound, "UnknownError", "No HTTP resource was found that matches the request URI '%s'.", r.URL.String()))
		}
	}
}

// Faults and Stats are the types of Server.Faults and Server.Stats, named here for importers.
type (
	Faults = faults.Faults
	Stats  = pipeline.Stats
)
