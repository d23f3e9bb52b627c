// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

type testTenant struct {
	*Server
	t      *testing.T
	client *http.Client
	dir    string
}

func startTenant(t *testing.T, opts Options) *testTenant {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return &testTenant{Server: s, t: t, client: caClient(t, opts.DataDir), dir: opts.DataDir}
}

// reopenTenant starts a devtenant on the data dir of one the test has closed, as a restart does;
// stopping it at the end of the test must succeed.
func reopenTenant(t *testing.T, opts Options) *testTenant {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("stopping the reopened devtenant: %v", err)
		}
	})
	return &testTenant{Server: s, t: t, client: caClient(t, opts.DataDir), dir: opts.DataDir}
}

// caClient trusts only the tenant's CA, as a user sourcing env.sh would.
func caClient(t *testing.T, dir string) *http.Client {
	t.Helper()
	pemBytes, err := os.ReadFile(filepath.Join(dir, tokens.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("ca.pem holds no certificate")
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
}

type tokenResult struct {
	status int
	body   map[string]any
}

func (tt *testTenant) tokenRequest(form url.Values) tokenResult {
	tt.t.Helper()
	resp, err := tt.client.PostForm(tt.URL()+"/"+tt.Env()["ARM_TENANT_ID"]+"/oauth2/v2.0/token", form)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }() // Read to the end below; closing cannot fail the check.
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		tt.t.Fatalf("token response is not JSON: %v", err)
	}
	return tokenResult{resp.StatusCode, body}
}

// token gets a Graph token for the writer (reader=false) or reader app.
func (tt *testTenant) token(reader bool) string {
	tt.t.Helper()
	return tt.adminToken(reader, tt.URL())
}

type apiResult struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (tt *testTenant) do(method, path, token string, body any, headers ...string) apiResult {
	tt.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	u := path
	if !strings.HasPrefix(u, "https://") {
		u = tt.URL() + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		tt.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res := tt.send(req, headers...)
	if len(res.raw) > 0 {
		if err := json.Unmarshal([]byte(res.raw), &res.body); err != nil {
			tt.t.Fatalf("%s %s: body is not a JSON object: %q", method, path, res.raw)
		}
	}
	return res
}

// send sets the header pairs on req, sends it and reads the whole answer.
func (tt *testTenant) send(req *http.Request, headers ...string) apiResult {
	tt.t.Helper()
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := tt.client.Do(req)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }() // Read to the end below; closing cannot fail the check.
	raw, _ := io.ReadAll(resp.Body)
	return apiResult{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
}

// errCode returns error.code of a Graph error body.
func (r apiResult) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r apiResult) errMessage() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["message"].(string)
	return c
}

// mfaPolicy is a report-only policy requiring MFA of everyone but the tenant's break-glass
// account, which every policy must spare.
func (tt *testTenant) mfaPolicy(name string) map[string]any {
	excludeUser := tt.Env()["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"]
	return map[string]any{
		"displayName": name,
		"state":       "enabledForReportingButNotEnforced",
		"conditions": map[string]any{
			"users":        map[string]any{"includeUsers": []any{"All"}, "excludeUsers": []any{excludeUser}},
			"applications": map[string]any{"includeApplications": []any{"All"}},
		},
		"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"mfa"}},
	}
}

// The app a test signs in to Graph as.
const (
	asWriter = false // The writer app, with the permissions the provider needs.
	asReader = true  // The reader app, with read permissions only.
)

// startGraph starts a tenant and signs in to Graph as the writer or the reader app.
func startGraph(t *testing.T, opts Options, reader bool) (*testTenant, string) {
	t.Helper()
	tt := startTenant(t, opts)
	return tt, tt.token(reader)
}
