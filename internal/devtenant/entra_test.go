// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

func TestTokenClientSecretAndClaims(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty, TokenLifetime: 30 * time.Minute})
	env := tt.Env()
	r := tt.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {env["ARM_CLIENT_ID"]},
		"client_secret": {env["HIPAA_DEVTENANT_CLIENT_SECRET"]}, "scope": {tt.URL() + "/.default"}, "claims": {`{"access_token":{"xms_cc":{"values":["CP1"]}}}`}})
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %v", r.status, r.body)
	}
	if r.body["token_type"] != "Bearer" || r.body["expires_in"] != float64(1800) || r.body["ext_expires_in"] != float64(1800) {
		t.Fatalf("unexpected token response %v", r.body)
	}
	p, err := tokens.Parse(r.body["access_token"].(string))
	if err != nil {
		t.Fatal(err)
	}
	// Verify the signature with the key published through discovery, as a resource server would.
	oidc := tt.do("GET", "/"+env["ARM_TENANT_ID"]+"/v2.0/.well-known/openid-configuration", "", nil)
	if oidc.status != 200 || oidc.body["issuer"] != tt.URL()+"/"+env["ARM_TENANT_ID"]+"/v2.0" {
		t.Fatalf("openid-configuration: %d %v", oidc.status, oidc.body)
	}
	keys := tt.do("GET", strings.TrimPrefix(oidc.body["jwks_uri"].(string), tt.URL()), "", nil)
	k := keys.body["keys"].([]any)[0].(map[string]any)
	n, _ := tokens.B64URL.DecodeString(k["n"].(string))
	e, _ := tokens.B64URL.DecodeString(k["e"].(string))
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if err := p.Verify(pub); err != nil {
		t.Fatalf("signature does not verify with the JWKS key: %v", err)
	}
	if p.Header["kid"] != k["kid"] {
		t.Errorf("kid %v does not match JWKS kid %v", p.Header["kid"], k["kid"])
	}
	if p.Str("aud") != tt.URL() || p.Str("tid") != env["ARM_TENANT_ID"] || p.Str("appid") != env["ARM_CLIENT_ID"] || p.Str("iss") != oidc.body["issuer"] {
		t.Errorf("claims: aud=%q tid=%q appid=%q iss=%q", p.Str("aud"), p.Str("tid"), p.Str("appid"), p.Str("iss"))
	}
	iat, _ := p.Num("iat")
	exp, _ := p.Num("exp")
	if exp-iat != 1800 {
		t.Errorf("exp-iat = %d, want 1800", exp-iat)
	}
	if p.Str("oid") == "" || p.Str("idtyp") != "app" {
		t.Errorf("oid/idtyp missing: %v", p.Claims)
	}
	var roles []string
	for _, r := range p.Claims["roles"].([]any) {
		roles = append(roles, r.(string))
	}
	if !slices.Contains(roles, "Policy.ReadWrite.ConditionalAccess") || !slices.Contains(roles, "Policy.Read.All") {
		t.Errorf("writer roles = %v", roles)
	}
	if tt.Stats().TokensIssued != 1 {
		t.Errorf("TokensIssued = %d", tt.Stats().TokensIssued)
	}
}

func TestTokenErrors(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	env := tt.Env()
	base := func() url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_id": {env["ARM_CLIENT_ID"]},
			"client_secret": {env["HIPAA_DEVTENANT_CLIENT_SECRET"]}, "scope": {tt.URL() + "/.default"}}
	}
	cases := []struct {
		name   string
		mutate func(url.Values)
		status int
		err    string
		code   float64
	}{
		{"bad secret", func(v url.Values) { v.Set("client_secret", "wrong") }, 401, "invalid_client", 7000215},
		{"unknown app", func(v url.Values) { v.Set("client_id", store.NewGUID()) }, 400, "unauthorized_client", 700016},
		{"scope without .default", func(v url.Values) { v.Set("scope", tt.URL()+"/Policy.Read.All") }, 400, "invalid_scope", 1002012},
		{"unknown resource", func(v url.Values) { v.Set("scope", "https://example.com/.default") }, 400, "invalid_resource", 500011},
		{"no credential", func(v url.Values) { v.Del("client_secret") }, 401, "invalid_client", 7000218},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			c.mutate(v)
			r := tt.tokenRequest(v)
			if r.status != c.status || r.body["error"] != c.err {
				t.Fatalf("got %d %v", r.status, r.body)
			}
			codes, _ := r.body["error_codes"].([]any)
			if len(codes) != 1 || codes[0] != c.code {
				t.Errorf("error_codes = %v", r.body["error_codes"])
			}
			desc, _ := r.body["error_description"].(string)
			if !strings.HasPrefix(desc, "AADSTS") || !strings.Contains(desc, "Trace ID:") {
				t.Errorf("error_description = %q", desc)
			}
			for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
				if r.body[k] == nil {
					t.Errorf("missing %s", k)
				}
			}
		})
	}
	resp, err := tt.client.PostForm(tt.URL()+"/"+store.NewGUID()+"/oauth2/v2.0/token", base())
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	_ = resp.Body.Close() // Decoded above; closing cannot fail the check.
	if resp.StatusCode != 400 || !strings.HasPrefix(body["error_description"].(string), "AADSTS90002:") {
		t.Errorf("unknown tenant: %d %v", resp.StatusCode, body)
	}
}

// TestAzidentityClientSecret proves MSAL accepts the discovery documents and token responses.
func TestAzidentityClientSecret(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	env := tt.Env()
	cred, err := azidentity.NewClientSecretCredential(env["ARM_TENANT_ID"], env["ARM_CLIENT_ID"], env["HIPAA_DEVTENANT_CLIENT_SECRET"],
		&azidentity.ClientSecretCredentialOptions{DisableInstanceDiscovery: true, ClientOptions: azOptions(tt)})
	if err != nil {
		t.Fatal(err)
	}
	tok := getToken(t, cred, tt.URL())
	if time.Until(tok.ExpiresOn) < 50*time.Minute {
		t.Errorf("ExpiresOn = %v", tok.ExpiresOn)
	}
	r := tt.do("GET", "/v1.0/organization", tok.Token, nil)
	if r.status != 200 {
		t.Fatalf("Graph with azidentity token: %d %s", r.status, r.raw)
	}

	bad, _ := azidentity.NewClientSecretCredential(env["ARM_TENANT_ID"], env["ARM_CLIENT_ID"], "not-the-secret",
		&azidentity.ClientSecretCredentialOptions{DisableInstanceDiscovery: true, ClientOptions: azOptions(tt)})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = bad.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{tt.URL() + "/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("bad secret error = %v", err)
	}
}

// TestAzidentityClientCertificate signs a PS256 assertion (what MSAL sends to Entra) with the
// certificate devtenant registered on the writer app, and one with an unregistered certificate.
func TestAzidentityClientCertificate(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	env := tt.Env()
	p, _ := tokens.Parse(certToken(t, tt, tt.URL()))
	if p.Str("appidacr") != "2" {
		t.Errorf("appidacr = %q, want 2 for a certificate", p.Str("appidacr"))
	}

	_, other, err := tokens.NewAppCertificate("CN=unregistered")
	if err != nil {
		t.Fatal(err)
	}
	cred2 := certCredential(t, tt, env["ARM_CLIENT_ID"], other)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := cred2.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{tt.URL() + "/.default"}}); err == nil || !strings.Contains(err.Error(), "AADSTS700027") {
		t.Fatalf("unregistered certificate error = %v", err)
	}
	// Registering it at runtime makes it usable.
	certOnly := other[strings.Index(string(other), "-----BEGIN CERTIFICATE"):]
	if err := tt.AddAppCertificate(env["ARM_CLIENT_ID"], certOnly); err != nil {
		t.Fatal(err)
	}
	if _, err := cred2.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{tt.URL() + "/.default"}}); err != nil {
		t.Fatalf("after AddAppCertificate: %v", err)
	}
}

func TestGraphRejectsBadTokens(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty, TokenLifetime: time.Second})
	r := tt.do("GET", "/v1.0/users", "", nil, "client-request-id", "abc-123")
	if r.status != 401 || r.errCode() != "InvalidAuthenticationToken" || r.errMessage() != "Access token is empty." {
		t.Fatalf("no token: %d %s", r.status, r.raw)
	}
	inner := r.body["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["client-request-id"] != "abc-123" || inner["request-id"] == "" || r.header.Get("request-id") != inner["request-id"] {
		t.Errorf("innerError / headers: %v %v", inner, r.header)
	}
	env := tt.Env()
	// A token for another audience.
	res := tt.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {env["ARM_CLIENT_ID"]},
		"client_secret": {env["HIPAA_DEVTENANT_CLIENT_SECRET"]}, "scope": {tt.URL() + "/exo/.default"}})
	if r := tt.do("GET", "/v1.0/users", res.body["access_token"].(string), nil); r.status != 401 || !strings.Contains(r.errMessage(), "Invalid audience") {
		t.Errorf("wrong audience: %d %s", r.status, r.raw)
	}
	tok := tt.token(false)
	if r := tt.do("GET", "/v1.0/users", tok, nil); r.status != 200 {
		t.Fatalf("fresh token: %d %s", r.status, r.raw)
	}
	time.Sleep(1100 * time.Millisecond)
	if r := tt.do("GET", "/v1.0/users", tok, nil); r.status != 401 || !strings.Contains(r.errMessage(), "expired") {
		t.Errorf("expired token: %d %s", r.status, r.raw)
	}
}
