// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package entra is devtenant's Microsoft Entra: OpenID discovery and signing keys, instance
// discovery, the v2.0 token endpoint (client secret and certificate assertion, per-resource
// roles as Entra issues them) and the ARM metadata document that tools such as azuread read.
package entra

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

// The Entra side: OIDC discovery, instance discovery, JWKS and the v2.0 token endpoint for the
// client credentials grant (secret or certificate assertion).

// serveEntra handles /{tenant}/... and /common/discovery/instance; it returns false when the path is
// not an Entra path.
func (s *Service) serveEntra(w http.ResponseWriter, r *http.Request) bool {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(segs) < 2 {
		return false
	}
	tenant, rest := segs[0], strings.Join(segs[1:], "/")
	switch rest {
	case "v2.0/.well-known/openid-configuration", ".well-known/openid-configuration":
		s.openIDConfiguration(w, tenant)
	case "discovery/instance":
		s.instanceDiscovery(w)
	case "discovery/v2.0/keys", "discovery/keys":
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"keys": []any{tokens.JWK(&s.SigningKey.PublicKey, s.SigningKid, base64.StdEncoding.EncodeToString(s.SigningCert.Raw))}})
	case "oauth2/v2.0/token":
		if r.Method != http.MethodPost {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusMethodNotAllowed, Error: "invalid_request", Code: 900561, Description: "The endpoint only accepts POST requests. Received a " + r.Method + " request."})
			return true
		}
		s.token(w, r, tenant)
	default:
		return false
	}
	return true
}

func (s *Service) tenantNotFound(w http.ResponseWriter, tenant string) {
	httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_tenant", Code: 90002,
		Description: fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing in to the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", tenant)})
}

func (s *Service) openIDConfiguration(w http.ResponseWriter, tenant string) {
	if !s.ResolveTenant(tenant) && tenant != "common" && tenant != "organizations" {
		s.tenantNotFound(w, tenant)
		return
	}
	base := s.URL()
	tid := s.TenantID()
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"token_endpoint":                        base + "/" + tid + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/" + tid + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/" + tid + "/v2.0",
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     base + "/oidc/userinfo",
		"authorization_endpoint":                base + "/" + tid + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/" + tid + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  base + "/" + tid + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"kerberos_endpoint":                     base + "/" + tid + "/kerberos",
		"tenant_region_scope":                   "NA",
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
		"rbac_url":                              "https://pas.windows.net",
	})
}

func (s *Service) instanceDiscovery(w http.ResponseWriter) {
	host := strings.TrimPrefix(s.URL(), "https://")
	tenant := s.TenantID()
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": s.URL() + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []any{map[string]any{
			"preferred_network": host, "preferred_cache": host, "aliases": []string{host},
		}},
	})
}

// validResources are the token audiences devtenant issues for (scope minus "/.default").
func (s *Service) validResource(res string) bool {
	res = strings.TrimSuffix(res, "/")
	switch res {
	case s.URL(), s.URL() + "/exo", s.URL() + "/ipps", s.URL() + "/spo", "https://graph.microsoft.com", pipeline.GraphAppID,
		"https://outlook.office365.com", "https://ps.compliance.protection.outlook.com":
		return true
	}
	return false
}

// Resource kinds: tokens carry the app roles granted on the resource they are issued for.
const (
	resGraph = iota
	resExchange
	resSharePoint
)

func (s *Service) resourceKind(res string) int {
	switch strings.TrimSuffix(res, "/") {
	case s.URL() + "/exo", s.URL() + "/ipps", "https://outlook.office365.com", "https://ps.compliance.protection.outlook.com":
		return resExchange
	case s.URL() + "/spo":
		return resSharePoint
	}
	return resGraph
}

func (s *Service) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if !s.ResolveTenant(tenant) {
		s.tenantNotFound(w, tenant)
		return
	}
	if err := r.ParseForm(); err != nil {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_request", Code: 900144, Description: "The request body must contain the following parameter: 'grant_type'."})
		return
	}
	f := r.PostForm
	if gt := f.Get("grant_type"); gt != "client_credentials" {
		if gt == "" {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_request", Code: 900144, Description: "The request body must contain the following parameter: 'grant_type'."})
		} else {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "unsupported_grant_type", Code: 70003, Description: fmt.Sprintf("The app requested an unsupported grant type '%s'.", gt)})
		}
		return
	}
	clientID := f.Get("client_id")
	assertion := f.Get("client_assertion")
	var assertJWT *tokens.JWT
	if assertion != "" {
		p, err := tokens.Parse(assertion)
		if err != nil {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_request", Code: 50027, Description: "JWT token is invalid or malformed."})
			return
		}
		assertJWT = p
		if clientID == "" {
			clientID = p.Str("iss")
		}
	}
	if clientID == "" {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_request", Code: 900144, Description: "The request body must contain the following parameter: 'client_id'."})
		return
	}
	s.Store.Mu.RLock()
	a := s.Store.State.AppByID(clientID)
	s.Store.Mu.RUnlock()
	if a == nil {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "unauthorized_client", Code: 700016,
			Description: fmt.Sprintf("Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, s.Store.State.DisplayName)})
		return
	}
	acr := "1"
	switch {
	case assertJWT != nil:
		if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_request", Code: 50027, Description: "Invalid client_assertion_type; it must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'."})
			return
		}
		if e := s.checkAssertion(a, assertJWT, tenant); e != nil {
			httpx.WriteAADError(w, *e)
			return
		}
		acr = "2"
	case f.Get("client_secret") != "":
		if f.Get("client_secret") != a.Secret {
			httpx.WriteAADError(w, httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 7000215,
				Description: fmt.Sprintf("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", a.AppID)})
			return
		}
	default:
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 7000218, Description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."})
		return
	}
	// MSAL adds the OIDC scopes (openid, profile, offline_access); Entra ignores them here.
	var scopes []string
	for _, sc := range strings.Fields(f.Get("scope")) {
		switch sc {
		case "openid", "profile", "offline_access", "email":
		default:
			scopes = append(scopes, sc)
		}
	}
	scope := strings.Join(scopes, " ")
	resource, ok := strings.CutSuffix(scope, "/.default")
	if !ok || len(scopes) != 1 {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_scope", Code: 1002012,
			Description: fmt.Sprintf("The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope)})
		return
	}
	if !s.validResource(resource) {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusBadRequest, Error: "invalid_resource", Code: 500011,
			Description: fmt.Sprintf("The resource principal named %s was not found in the tenant named %s. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.", resource, s.Store.State.DisplayName)})
		return
	}
	tok, lifetime, err := s.issueToken(a, resource, acr)
	if err != nil {
		httpx.WriteAADError(w, httpx.AADError{Status: http.StatusInternalServerError, Error: "server_error", Code: 90000, Description: "Signing the token failed."})
		return
	}
	s.Count(func(st *pipeline.Stats) { st.TokensIssued++ })
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	secs := int(lifetime / time.Second)
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok})
}

// checkAssertion verifies a certificate client assertion: a registered certificate (by x5t or
// x5t#S256), a valid signature, our token endpoint as audience, iss/sub equal to the app, and time.
func (s *Service) checkAssertion(a *store.App, p *tokens.JWT, tenant string) *httpx.AADError {
	thumb, _ := p.Header["x5t#S256"].(string)
	sha256Thumb := thumb != ""
	if !sha256Thumb {
		thumb, _ = p.Header["x5t"].(string)
	}
	thumb = tokens.NormalizeThumb(thumb)
	s.Store.Mu.RLock()
	var cert *x509.Certificate
	for _, c := range a.Certificates {
		if (sha256Thumb && c.X5tS256 == thumb) || (!sha256Thumb && c.X5t == thumb) {
			cert, _ = tokens.ParseCertPEM([]byte(c.CertPEM))
		}
	}
	s.Store.Mu.RUnlock()
	if cert == nil {
		return &httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 700027,
			Description: fmt.Sprintf("The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '%s', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '%s'.]", thumb, a.AppID)}
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok || p.Verify(pub) != nil {
		return &httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 700027, Description: "Client assertion failed signature validation."}
	}
	if p.Str("iss") != a.AppID || p.Str("sub") != a.AppID {
		return &httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 700021, Description: "Client assertion application identifier doesn't match 'client_id' parameter."}
	}
	okAud := false
	for _, aud := range p.Audiences() {
		aud = strings.TrimSuffix(aud, "/")
		okAud = okAud || aud == s.URL()+"/"+tenant+"/oauth2/v2.0/token" || aud == s.URL()+"/"+s.TenantID()+"/oauth2/v2.0/token" ||
			aud == s.URL()+"/"+tenant+"/v2.0" || aud == s.URL()+"/"+s.TenantID()+"/v2.0"
	}
	if !okAud {
		return &httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 700212,
			Description: fmt.Sprintf("The audience claim value %v is invalid; it must be the token endpoint %s.", p.Audiences(), s.URL()+"/"+s.TenantID()+"/oauth2/v2.0/token")}
	}
	now := time.Now().Unix()
	exp, hasExp := p.Num("exp")
	nbf, _ := p.Num("nbf")
	if !hasExp || now >= exp+300 || now < nbf-300 {
		return &httpx.AADError{Status: http.StatusUnauthorized, Error: "invalid_client", Code: 700024, Description: "Client assertion is not within its valid time range."}
	}
	return nil
}

// issueToken mints an app-only access token like Entra's, with the app's granted roles.
func (s *Service) issueToken(a *store.App, resource, acr string) (string, time.Duration, error) {
	now := time.Now()
	lifetime := s.TokenLifetime
	tid := s.TenantID()
	s.Store.Mu.RLock()
	roles := slices.Clone(a.Roles)
	switch s.resourceKind(resource) {
	case resExchange:
		roles = slices.Clone(a.ExchangeRoles)
	case resSharePoint:
		roles = slices.Clone(a.SharePointRoles)
	}
	wids := slices.Clone(a.DirectoryRoles)
	s.Store.Mu.RUnlock()
	if roles == nil {
		roles = []string{}
	}
	claims := map[string]any{
		"aud":                 resource,
		"iss":                 s.URL() + "/" + tid + "/v2.0",
		"iat":                 now.Unix(),
		"nbf":                 now.Unix(),
		"exp":                 now.Add(lifetime).Unix(),
		"aio":                 store.RandomFrom(store.SecretAlphabet[:62], 56),
		"app_displayname":     a.DisplayName,
		"appid":               a.AppID,
		"appidacr":            acr,
		"azp":                 a.AppID,
		"azpacr":              acr,
		"idp":                 s.URL() + "/" + tid + "/",
		"idtyp":               "app",
		"oid":                 a.ServicePrincipalID,
		"rh":                  "0.devtenant.",
		"roles":               roles,
		"sub":                 a.ServicePrincipalID,
		"tenant_region_scope": "NA",
		"tid":                 tid,
		"uti":                 store.RandomFrom(store.SecretAlphabet[:62], 22),
		"ver":                 "2.0",
		"xms_idrel":           "7 12",
		"xms_tcdt":            now.Add(-365 * 24 * time.Hour).Unix(),
	}
	if len(wids) > 0 {
		claims["wids"] = wids
	}
	tok, err := tokens.Sign(s.SigningKey, s.SigningKid, claims)
	return tok, lifetime, err
}

// Serve answers r when it is an Entra path, counting it under its route with the tenant folded,
// and reports whether it did.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request) bool {
	if s.serveEntra(w, r) {
		s.Count(func(st *pipeline.Stats) { st.ByRoute[entraRouteKey(r.Method, r.URL.Path)]++ })
		return true
	}
	return false
}

// entraRouteKey replaces the tenant segment, the only variable part of Entra paths.
func entraRouteKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) > 0 && segs[0] != "common" {
		segs[0] = "{tenant}"
	}
	return method + " /" + strings.Join(segs, "/")
}

// Service is the Microsoft Entra sign-in endpoints: OpenID discovery, keys, instance
// discovery, the v2.0 token endpoint and the ARM metadata document.
type Service struct{ *pipeline.Tenant }
