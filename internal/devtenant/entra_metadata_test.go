// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// A client given devtenant as its metadata host (azuread's metadata_host, azurerm's, the Azure
// SDKs') reads ARM's metadata document, signs in at its loginEndpoint for the resources it
// advertises, and reaches Microsoft Graph at microsoftGraphResourceId.
func TestARMMetadataDocument(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	r := tt.do("GET", "/metadata/endpoints?api-version=2022-09-01", "", nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("metadata: %d %s", r.status, r.raw)
	}
	doc := r.body
	auth, _ := doc["authentication"].(map[string]any)
	if doc["name"] != "AzureCloud" || doc["resourceManager"] != tt.URL()+"/" || doc["microsoftGraphResourceId"] != tt.URL()+"/" ||
		auth["loginEndpoint"] != tt.URL() || auth["tenant"] != "common" || auth["identityProvider"] != "AAD" || doc["suffixes"] == nil {
		t.Fatalf("metadata document: %s", r.raw)
	}
	env := tt.Env()
	audiences, _ := auth["audiences"].([]any)
	if len(audiences) == 0 {
		t.Fatalf("no audiences: %s", r.raw)
	}
	for _, a := range append(audiences, doc["microsoftGraphResourceId"]) {
		scope := strings.TrimSuffix(a.(string), "/") + "/.default"
		tr := tt.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {env["ARM_CLIENT_ID"]},
			"client_secret": {tt.Store.State.Apps[0].Secret}, "scope": {scope}})
		if tr.status != 200 {
			t.Fatalf("token for advertised resource %s: %d %v", a, tr.status, tr.body)
		}
		if a == doc["microsoftGraphResourceId"] {
			g := tt.do("GET", doc["microsoftGraphResourceId"].(string)+"v1.0/organization", tr.body["access_token"].(string), nil)
			if g.status != 200 {
				t.Errorf("Graph at microsoftGraphResourceId: %d %s", g.status, g.raw)
			}
		}
	}
	// The older array form, one element per cloud.
	resp, err := tt.client.Get(tt.URL() + "/metadata/endpoints?api-version=2019-05-01")
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != 200 || len(list) != 1 || list[0]["resourceManager"] != tt.URL()+"/" {
		t.Errorf("2019-05-01 array form: %d %v %v", resp.StatusCode, list, err)
	}
	_ = resp.Body.Close()
	for q, code := range map[string]string{"": "MissingApiVersionParameter", "?api-version=2099-01-01": "InvalidApiVersionParameter"} {
		if r := tt.do("GET", "/metadata/endpoints"+q, "", nil); r.status != http.StatusBadRequest || r.errCode() != code {
			t.Errorf("api-version %q: %d %s", q, r.status, r.raw)
		}
	}
}
