// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	kiotaazure "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	textserialization "github.com/microsoft/kiota-serialization-text-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// Client is the access to one tenant. It is safe for concurrent use and meant to be shared by
// every resource and data source of a provider instance.
type Client struct {
	TenantID   string
	Endpoints  Endpoints
	AuthMethod AuthMethod

	credential azcore.TokenCredential
	httpClient *http.Client
	graph      abs.RequestAdapter
	caWrites   *writeGate
	services   services
	runCache   sync.Map // Reads shared by every caller during one run; see RunCache.
}

// services are the hand-written clients of the APIs without an SDK, built on first use and then
// shared, so that their per-service limits (concurrency, discovered endpoints) hold tenant-wide.
type services struct {
	exchangeOnce, complianceOnce sync.Once
	exchange, compliance         *CommandClient

	sharePointMu sync.Mutex // Not a sync.Once: a failed endpoint discovery must be tried again.
	sharePoint   *SharePointClient
}

// NewClient builds the credential, the HTTP pipeline and the Graph adapter. It does not call the
// network: the first request fetches the first token.
func NewClient(cfg Config) (*Client, error) {
	endpoints, err := EndpointsFor(cfg.Environment, cfg.Endpoints)
	if err != nil {
		return nil, err
	}
	for name, raw := range map[string]string{"authority": endpoints.Authority, "graph": endpoints.Graph,
		"exchange": endpoints.Exchange, "compliance": endpoints.Compliance, "sharepoint_admin": endpoints.SharePointAdmin} {
		if raw == "" && name == "sharepoint_admin" {
			continue // Derived from the tenant's initial domain when first needed.
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("the %s endpoint %q must be an https:// URL", name, raw)
		}
	}
	httpClient, err := newHTTPClient(cfg.Retry)
	if err != nil {
		return nil, err
	}
	cred, method, err := newCredential(cfg.Credentials, endpoints.Authority, httpClient)
	if err != nil {
		return nil, err
	}
	c := &Client{
		TenantID:   cfg.Credentials.TenantID,
		Endpoints:  endpoints,
		AuthMethod: method,
		credential: cred,
		httpClient: httpClient,
		caWrites:   gateFor(endpoints.Authority + cfg.Credentials.TenantID + "/conditionalAccess"),
	}
	if c.graph, err = newGraphAdapter(cred, endpoints.Graph, httpClient, cfg.UserAgent); err != nil {
		return nil, err
	}
	return c, nil
}

// Graph is the request adapter for Microsoft Graph v1.0. Build request builders on it with the
// msgraph-sdk-go packages' New...RequestBuilderInternal(map[string]string{}, adapter).
func (c *Client) Graph() abs.RequestAdapter { return c.graph }

// Token returns an access token for the given service endpoint, e.g. for hand-written clients.
func (c *Client) Token(ctx context.Context, endpoint string) (string, error) {
	tok, err := c.credential.GetToken(ctx, tokenRequest(endpoint))
	if err != nil {
		return "", fmt.Errorf("getting a token for %s with the %s credential: %w", endpoint, c.AuthMethod, err)
	}
	return tok.Token, nil
}

// ConditionalAccessWrite runs fn with this tenant's Conditional Access writes serialised and
// spaced: that API allows about one write per second per tenant and answers 429 without
// Retry-After beyond it, so running Terraform's ten parallel operations at once only wastes retries.
func (c *Client) ConditionalAccessWrite(ctx context.Context, fn func(context.Context) error) error {
	return c.caWrites.do(ctx, fn)
}

func newGraphAdapter(cred azcore.TokenCredential, graphEndpoint string, httpClient *http.Client, userAgent string) (abs.RequestAdapter, error) {
	u, _ := url.Parse(graphEndpoint)
	// msgraph-sdk-go sends no Authorization header to a host outside validHosts (and Graph then
	// answers 401 "Access token is empty"), so the configured host must be listed. Scopes are
	// explicit because kiota would otherwise derive them from the request URL. CAE is off so
	// that the adapter asks for the token exactly as Token and SignIn do: azidentity caches CAE
	// and non-CAE tokens apart, and mixed requests would fetch a second Graph token per run.
	auth, err := kiotaazure.NewAzureIdentityAuthenticationProviderWithScopesAndValidHostsAndObservabilityOptionsAndIsCaeEnabled(
		cred, []string{Scope(graphEndpoint)}, []string{u.Hostname()}, kiotaazure.ObservabilityOptions{}, false)
	if err != nil {
		return nil, fmt.Errorf("configuring Graph authentication: %w", err)
	}
	opts := msgraphcore.GraphClientOptions{GraphServiceVersion: "v1.0", GraphServiceLibraryVersion: "hipaa"}
	// Our retryTransport below the SDK handles 429/503/504 for every client of the tenant, so the
	// SDK's own retry handler is left out to avoid retrying retries.
	var middlewares []khttp.Middleware
	for _, m := range msgraphcore.GetDefaultMiddlewaresWithOptions(&opts) {
		if _, isRetry := m.(*khttp.RetryHandler); isRetry {
			continue
		}
		middlewares = append(middlewares, m)
	}
	if userAgent != "" {
		middlewares = append(middlewares, khttp.NewUserAgentHandlerWithOptions(&khttp.UserAgentHandlerOptions{
			Enabled: true, ProductName: "terraform-provider-hipaa", ProductVersion: userAgent}))
	}
	client := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(httpClient.Transport, middlewares...),
		Timeout:   httpClient.Timeout,
	}
	parsers := absser.NewParseNodeFactoryRegistry()
	parsers.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonParseNodeFactory()
	parsers.ContentTypeAssociatedFactories["text/plain"] = textserialization.NewTextParseNodeFactory()
	writers := absser.NewSerializationWriterFactoryRegistry()
	writers.ContentTypeAssociatedFactories["application/json"] = jsonserialization.NewJsonSerializationWriterFactory()
	writers.ContentTypeAssociatedFactories["text/plain"] = textserialization.NewTextSerializationWriterFactory()
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, opts, parsers, writers, client)
	if err != nil {
		return nil, fmt.Errorf("configuring the Graph client: %w", err)
	}
	adapter.SetBaseUrl(graphEndpoint + "/v1.0")
	return adapter, nil
}

// Exchange is the Exchange Online admin client (InvokeCommand) of the tenant.
func (c *Client) Exchange() *CommandClient {
	c.services.exchangeOnce.Do(func() { c.services.exchange = newCommandClient(c, exchangeOnline) })
	return c.services.exchange
}

// Compliance is the Security & Compliance admin client (InvokeCommand) of the tenant. It finds
// the tenant's region on first use.
func (c *Client) Compliance() *CommandClient {
	c.services.complianceOnce.Do(func() { c.services.compliance = newCommandClient(c, securityCompliance) })
	return c.services.compliance
}

// RunCache holds what callers read once per run and share (the assessment's sources, keyed
// by tenant and source): a Client lives for one Terraform or CLI run, so its cache does too.
func (c *Client) RunCache() *sync.Map { return &c.runCache }

// HTTPClient is the tenant's HTTP client (TLS trust, logging, retries) for hand-written clients.
func (c *Client) HTTPClient() *http.Client { return c.httpClient }
