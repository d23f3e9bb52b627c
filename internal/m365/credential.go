// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// defaultAuthorities are the authority hosts azidentity knows; any other host (devtenant, a
// private proxy) needs instance discovery off, because MSAL would otherwise ask
// login.microsoftonline.com to vouch for it, which fails offline and for unknown hosts.
var defaultAuthorities = map[string]bool{
	"https://login.microsoftonline.com/": true,
	"https://login.microsoftonline.us/":  true,
	"https://login.chinacloudapi.cn/":    true,
}

// AuthMethod names the credential type newCredential chose; errors and logs use it.
type AuthMethod string

// The credential types, in order of precedence.
const (
	AuthClientSecret      AuthMethod = "client secret"
	AuthClientCertificate AuthMethod = "client certificate"
	AuthOIDC              AuthMethod = "OIDC federated token"
	AuthMSI               AuthMethod = "managed identity"
	AuthCLI               AuthMethod = "Azure CLI"
)

// newCredential builds the one azidentity credential a Client uses for every audience. azidentity
// caches each audience's token until shortly before it expires, so one credential per tenant
// means one token request per audience per run.
func newCredential(c Credentials, authority string, transport *http.Client) (azcore.TokenCredential, AuthMethod, error) {
	opts := azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: authority},
		Transport: transport,
	}
	// Token requests are retried by azidentity itself; our HTTP retry layer sits below it too,
	// so turn azcore's own retries down to avoid multiplying them.
	opts.Retry = policy.RetryOptions{MaxRetries: 1}
	disableDiscovery := !defaultAuthorities[authority]

	needIDs := func(m AuthMethod) error {
		var missing []string
		if c.TenantID == "" {
			missing = append(missing, "tenant_id (ARM_TENANT_ID)")
		}
		if c.ClientID == "" {
			missing = append(missing, "client_id (ARM_CLIENT_ID)")
		}
		if len(missing) > 0 {
			return fmt.Errorf("authenticating with a %s needs %s", m, strings.Join(missing, " and "))
		}
		return nil
	}

	switch {
	case c.ClientSecret != "":
		if err := needIDs(AuthClientSecret); err != nil {
			return nil, "", err
		}
		cred, err := azidentity.NewClientSecretCredential(c.TenantID, c.ClientID, c.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		return cred, AuthClientSecret, err

	case c.ClientCertificatePath != "":
		if err := needIDs(AuthClientCertificate); err != nil {
			return nil, "", err
		}
		data, err := os.ReadFile(c.ClientCertificatePath)
		if err != nil {
			return nil, "", fmt.Errorf("reading client certificate: %w", err)
		}
		var password []byte
		if c.ClientCertificatePassword != "" {
			password = []byte(c.ClientCertificatePassword)
		}
		certs, key, err := azidentity.ParseCertificates(data, password)
		if err != nil {
			return nil, "", fmt.Errorf("parsing client certificate %s (PEM or PKCS#12 with its password): %w", c.ClientCertificatePath, err)
		}
		cred, err := azidentity.NewClientCertificateCredential(c.TenantID, c.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery, SendCertificateChain: true})
		return cred, AuthClientCertificate, err

	case c.UseOIDC:
		if err := needIDs(AuthOIDC); err != nil {
			return nil, "", err
		}
		if c.OIDCToken == "" && c.OIDCTokenFilePath == "" {
			return nil, "", errors.New("use_oidc needs oidc_token (ARM_OIDC_TOKEN) or oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH)")
		}
		getAssertion := func(context.Context) (string, error) {
			if c.OIDCToken != "" {
				return c.OIDCToken, nil
			}
			// Re-read on every token request: CI systems rotate the file before it expires.
			b, err := os.ReadFile(c.OIDCTokenFilePath)
			if err != nil {
				return "", fmt.Errorf("reading OIDC token file: %w", err)
			}
			return strings.TrimSpace(string(b)), nil
		}
		cred, err := azidentity.NewClientAssertionCredential(c.TenantID, c.ClientID, getAssertion,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: disableDiscovery})
		return cred, AuthOIDC, err

	case c.UseMSI:
		mo := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if c.ClientID != "" {
			mo.ID = azidentity.ClientID(c.ClientID)
		}
		cred, err := azidentity.NewManagedIdentityCredential(mo)
		return cred, AuthMSI, err

	case c.UseCLI:
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: c.TenantID})
		return cred, AuthCLI, err
	}
	return nil, "", errors.New("no credential configured: set client_secret (ARM_CLIENT_SECRET), " +
		"client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH), use_oidc (ARM_USE_OIDC), use_msi (ARM_USE_MSI) or use_cli (ARM_USE_CLI)")
}
