// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package m365 is the tenant access layer: one Client per tenant, holding the azidentity
// credential, the HTTP pipeline (TLS trust, retries, logging) and the Microsoft Graph request
// adapter. Every resource, data source and the drift CLI reach Microsoft 365 through it.
package m365

import (
	"fmt"
	"sort"
	"strings"
)

// Environment names a Microsoft cloud. The endpoints differ per cloud; see environments.
type Environment string

// The clouds the provider knows. usgovernment is GCC High.
const (
	EnvironmentPublic       Environment = "public"
	EnvironmentUSGovernment Environment = "usgovernment"
	EnvironmentDoD          Environment = "dod"
	EnvironmentChina        Environment = "china"
)

// Endpoints are the base URLs of the services the provider talks to, without trailing slash
// except for the authority host, which azidentity wants with one.
type Endpoints struct {
	Authority       string
	Graph           string
	Exchange        string
	Compliance      string
	SharePointAdmin string // Empty: derived from the tenant's initial domain when first needed.
}

var environments = map[Environment]Endpoints{
	EnvironmentPublic: {
		Authority:  "https://login.microsoftonline.com/",
		Graph:      "https://graph.microsoft.com",
		Exchange:   "https://outlook.office365.com",
		Compliance: "https://ps.compliance.protection.outlook.com",
	},
	EnvironmentUSGovernment: {
		Authority:  "https://login.microsoftonline.us/",
		Graph:      "https://graph.microsoft.us",
		Exchange:   "https://outlook.office365.us",
		Compliance: "https://ps.compliance.protection.office365.us",
	},
	EnvironmentDoD: {
		Authority:  "https://login.microsoftonline.us/",
		Graph:      "https://dod-graph.microsoft.us",
		Exchange:   "https://webmail.apps.mil",
		Compliance: "https://l5.ps.compliance.protection.office365.us",
	},
	EnvironmentChina: {
		Authority:  "https://login.chinacloudapi.cn/",
		Graph:      "https://microsoftgraph.chinacloudapi.cn",
		Exchange:   "https://partner.outlook.cn",
		Compliance: "https://ps.compliance.protection.partner.outlook.cn",
	},
}

// EnvironmentNames lists the accepted values of the provider's `environment` attribute.
func EnvironmentNames() []string {
	names := make([]string, 0, len(environments))
	for e := range environments {
		names = append(names, string(e))
	}
	sort.Strings(names)
	return names
}

// EndpointsFor returns the endpoints of a cloud with the non-empty overrides applied.
func EndpointsFor(env Environment, overrides Endpoints) (Endpoints, error) {
	if env == "" {
		env = EnvironmentPublic
	}
	e, ok := environments[env]
	if !ok {
		return Endpoints{}, fmt.Errorf("unknown environment %q: use one of %s", env, strings.Join(EnvironmentNames(), ", "))
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&e.Authority, overrides.Authority)
	set(&e.Graph, overrides.Graph)
	set(&e.Exchange, overrides.Exchange)
	set(&e.Compliance, overrides.Compliance)
	set(&e.SharePointAdmin, overrides.SharePointAdmin)
	if !strings.HasSuffix(e.Authority, "/") {
		e.Authority += "/"
	}
	for _, p := range []*string{&e.Graph, &e.Exchange, &e.Compliance, &e.SharePointAdmin} {
		*p = strings.TrimRight(*p, "/")
	}
	return e, nil
}

// Scope is the OAuth2 scope that yields a token for a service endpoint: the endpoint followed by
// "/.default". For the public cloud that is the well-known audience (https://graph.microsoft.com);
// for an overridden endpoint (devtenant, a proxy) the token's audience is the endpoint itself.
func Scope(endpoint string) string {
	return strings.TrimRight(endpoint, "/") + "/.default"
}

// Credentials selects and configures how the provider authenticates. The first method that is
// configured wins, in this order: client secret, client certificate, OIDC, managed identity, CLI.
type Credentials struct {
	TenantID                  string
	ClientID                  string
	ClientSecret              string
	ClientCertificatePath     string
	ClientCertificatePassword string
	UseOIDC                   bool
	OIDCToken                 string
	OIDCTokenFilePath         string
	UseMSI                    bool
	UseCLI                    bool
}

// Config is everything needed to build a Client.
type Config struct {
	Environment Environment
	Endpoints   Endpoints // Overrides; empty fields take the environment's value.
	Credentials Credentials
	UserAgent   string
	Retry       RetryPolicy
}
