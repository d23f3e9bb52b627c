// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package entra

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// The Azure Resource Manager metadata document (GET /metadata/endpoints?api-version=2022-09-01),
// which Terraform's azuread and azurerm providers and the Azure SDKs read from a custom metadata
// host to learn a cloud's login endpoint, token audiences and the Microsoft Graph resource. It
// has the schema management.azure.com answers with (as recorded in hashicorp/go-azure-sdk
// sdk/internal/metadata), pointing at devtenant itself; services devtenant does not emulate
// (Key Vault, Storage, SQL, ...) are left out rather than pointing nowhere.

// armMetadataVersions are the api-versions served, newest first; 2019-05-01 is the older array
// form (one element per cloud) that go-azure-helpers still requests.
var armMetadataVersions = []string{"2022-09-01", "2019-05-01"}

// armResources are the token audiences the document advertises; the token endpoint accepts each.
func (s *Service) armResources() []string {
	return []string{s.URL() + "/"}
}

func (s *Service) armMetadata() map[string]any {
	return map[string]any{
		"name": "AzureCloud",
		"authentication": map[string]any{
			"loginEndpoint":    s.URL(),
			"audiences":        s.armResources(),
			"tenant":           "common",
			"identityProvider": "AAD",
		},
		"resourceManager":          s.URL() + "/",
		"microsoftGraphResourceId": s.URL() + "/",
		"suffixes":                 map[string]any{},
	}
}

// ServeARMMetadata answers the metadata document, with ARM's errors for a missing or unknown
// api-version.
func (s *Service) ServeARMMetadata(w http.ResponseWriter, r *http.Request) {
	armError := func(status int, code, msg string) {
		w.Header().Set("x-ms-failure-cause", "gateway")
		httpx.WriteJSONAs(w, status, "application/json; charset=utf-8", map[string]any{"error": map[string]any{"code": code, "message": msg}})
	}
	if r.Method != http.MethodGet {
		armError(http.StatusMethodNotAllowed, "MethodNotAllowed", fmt.Sprintf("The requested resource does not support http method '%s'.", r.Method))
		return
	}
	v := r.URL.Query().Get("api-version")
	switch v {
	case "":
		armError(http.StatusBadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
	case "2022-09-01":
		httpx.WriteJSONAs(w, http.StatusOK, "application/json; charset=utf-8", s.armMetadata())
	case "2019-05-01":
		httpx.WriteJSONAs(w, http.StatusOK, "application/json; charset=utf-8", []any{s.armMetadata()})
	default:
		armError(http.StatusBadRequest, "InvalidApiVersionParameter",
			fmt.Sprintf("The api-version '%s' is invalid. The supported versions are '%s'.", v, strings.Join(armMetadataVersions, ",")))
	}
}
