// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// azOptions points an azidentity credential at devtenant's authority, over a client that trusts
// its CA.
func azOptions(tt *testTenant) azcore.ClientOptions {
	return azcore.ClientOptions{
		Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: tt.Env()["HIPAA_AUTHORITY_HOST"]},
		Transport: tt.client,
	}
}

// certCredential is azidentity's certificate credential of clientID, with the certificate and
// key of a PEM bundle.
func certCredential(t *testing.T, tt *testTenant, clientID string, bundle []byte) *azidentity.ClientCertificateCredential {
	t.Helper()
	certs, key, err := azidentity.ParseCertificates(bundle, nil)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := azidentity.NewClientCertificateCredential(tt.Env()["ARM_TENANT_ID"], clientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{DisableInstanceDiscovery: true, ClientOptions: azOptions(tt)})
	if err != nil {
		t.Fatal(err)
	}
	return cred
}

// getToken gets cred's token for resource, as the provider's clients ask for it (scope
// resource/.default).
func getToken(t *testing.T, cred azcore.TokenCredential, resource string) azcore.AccessToken {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{resource + "/.default"}})
	if err != nil {
		t.Fatalf("token for %s: %v", resource, err)
	}
	return tok
}

// certTokenFrom gets clientID's token for resource with the certificate bundle at certPath.
func certTokenFrom(t *testing.T, tt *testTenant, clientID, certPath, resource string) string {
	t.Helper()
	bundle, err := os.ReadFile(certPath)
	if err != nil {
		t.Fatal(err)
	}
	return getToken(t, certCredential(t, tt, clientID, bundle), resource).Token
}

// certToken gets a writer token for resource with the registered certificate (appidacr 2).
func certToken(t *testing.T, tt *testTenant, resource string) string {
	t.Helper()
	return certTokenFrom(t, tt, tt.Env()["ARM_CLIENT_ID"], tt.WriterCertificatePath(), resource)
}
