// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/tokens"
)

func csomBody(actions string) string {
	return `<Request AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="terraform-provider-hipaa" xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009"><Actions>` +
		actions + `</Actions><ObjectPaths><Constructor Id="100" TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}" /></ObjectPaths></Request>`
}

func processQuery(t *testing.T, tt *testTenant, tok, body string) (int, []any) {
	t.Helper()
	r := tt.doRaw("POST", tt.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]+"/_vti_bin/client.svc/ProcessQuery", tok, body, "Content-Type", "text/xml")
	var arr []any
	if err := json.Unmarshal([]byte(r.raw), &arr); err != nil {
		t.Fatalf("ProcessQuery answer is not a JSON array: %d %q", r.status, r.raw)
	}
	return r.status, arr
}

func TestSPOTenantRESTAndCSOM(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Noncompliant})
	spo := tt.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]
	tok := certToken(t, tt, spo)
	r := tt.do("GET", spo+"/_api/SPO.Tenant", tok, nil, "Accept", "application/json;odata=nometadata")
	if r.status != 200 || r.body["ExternalUserExpirationRequired"] != false || r.body["RequireAnonymousLinksExpireInDays"] != float64(-1) || r.body["SharingCapability"] != float64(2) {
		t.Fatalf("GET: %d %s", r.status, r.raw)
	}
	if _, has := r.body["odata.metadata"]; has {
		t.Errorf("nometadata carries metadata: %s", r.raw)
	}
	v := tt.do("GET", spo+"/_api/SPO.Tenant", tok, nil, "Accept", "application/json;odata=verbose")
	if d, ok := v.body["d"].(map[string]any); !ok || d["ConditionalAccessPolicy"] != float64(0) || d["__metadata"] == nil {
		t.Errorf("verbose: %s", v.raw)
	}
	status, arr := processQuery(t, tt, tok, csomBody(`<SetProperty Id="1" ObjectPathId="100" Name="ExternalUserExpirationRequired"><Parameter Type="Boolean">true</Parameter></SetProperty>`+
		`<SetProperty Id="2" ObjectPathId="100" Name="ExternalUserExpireInDays"><Parameter Type="Int32">30</Parameter></SetProperty>`+
		`<SetProperty Id="3" ObjectPathId="100" Name="SharingCapability"><Parameter Type="Enum">3</Parameter></SetProperty>`))
	if hdr := arr[0].(map[string]any); status != 200 || hdr["ErrorInfo"] != nil || hdr["SchemaVersion"] != "15.0.0.0" || hdr["TraceCorrelationId"] == "" {
		t.Fatalf("set: %d %v", status, arr)
	}
	r = tt.do("GET", spo+"/_api/SPO.Tenant", tok, nil, "Accept", "application/json;odata=nometadata")
	if r.body["ExternalUserExpirationRequired"] != true || r.body["ExternalUserExpireInDays"] != float64(30) {
		t.Errorf("after set: %s", r.raw)
	}
	// The Graph view of the same setting follows.
	g := tt.do("GET", "/v1.0/admin/sharepoint/settings", tt.token(false), nil)
	if g.body["sharingCapability"] != "existingExternalUserSharingOnly" {
		t.Errorf("graph mirror: %s", g.raw)
	}
	// Errors come back inside a 200 answer.
	status, arr = processQuery(t, tt, tok, csomBody(`<SetProperty Id="1" ObjectPathId="100" Name="NoSuchProperty"><Parameter Type="Boolean">true</Parameter></SetProperty>`))
	info, _ := arr[0].(map[string]any)["ErrorInfo"].(map[string]any)
	if status != 200 || info == nil || !strings.Contains(info["ErrorMessage"].(string), "NoSuchProperty") {
		t.Errorf("unknown property: %d %v", status, arr)
	}
	status, arr = processQuery(t, tt, tok, csomBody(`<SetProperty Id="1" ObjectPathId="100" Name="ExternalUserExpireInDays"><Parameter Type="String">thirty</Parameter></SetProperty>`))
	info, _ = arr[0].(map[string]any)["ErrorInfo"].(map[string]any)
	if status != 200 || info == nil || info["ErrorTypeName"] != "System.ArgumentException" || info["ErrorCode"] != float64(-2147024809) {
		t.Errorf("bad type: %d %v", status, arr)
	}
}

func TestSPOAuthentication(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Empty})
	spo := tt.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]
	secretTok := tt.adminToken(false, spo)
	r := tt.do("GET", spo+"/_api/SPO.Tenant", secretTok, nil, "Accept", "application/json;odata=nometadata")
	if r.status != 401 || r.header.Get("x-ms-diagnostics") != `3000003;reason="Unsupported app only token.";category="invalid_client"` || r.body["error_description"] != "Unsupported app only token." {
		t.Errorf("secret token: %d %v %s", r.status, r.header, r.raw)
	}
	if r := tt.do("GET", spo+"/_api/SPO.Tenant", certToken(t, tt, tt.URL()), nil); r.status != 401 {
		t.Errorf("graph-audience token: %d", r.status)
	}
	// The reader holds Sites.Read.All; with a certificate of its own it may read but not write.
	_, bundle, err := tokens.NewAppCertificate("CN=reader")
	if err != nil {
		t.Fatal(err)
	}
	certOnly := bundle[strings.Index(string(bundle), "-----BEGIN CERTIFICATE"):]
	readerID := tt.Env()["HIPAA_DEVTENANT_READER_CLIENT_ID"]
	if err := tt.AddAppCertificate(readerID, certOnly); err != nil {
		t.Fatal(err)
	}
	tok := getToken(t, certCredential(t, tt, readerID, bundle), spo)
	if r := tt.do("GET", spo+"/_api/SPO.Tenant", tok.Token, nil, "Accept", "application/json;odata=nometadata"); r.status != 200 {
		t.Errorf("reader GET: %d %s", r.status, r.raw)
	}
	status, arr := processQuery(t, tt, tok.Token, csomBody(`<SetProperty Id="1" ObjectPathId="100" Name="ExternalUserExpirationRequired"><Parameter Type="Boolean">true</Parameter></SetProperty>`))
	info, _ := arr[0].(map[string]any)["ErrorInfo"].(map[string]any)
	if status != 403 || info["ErrorTypeName"] != "System.UnauthorizedAccessException" {
		t.Errorf("reader ProcessQuery: %d %v", status, arr)
	}
	tt.Faults().FailNext("GET", "/spo", 503, 1)
	if r := tt.do("GET", spo+"/_api/SPO.Tenant", tok.Token, nil); r.status != 503 || r.header.Get("Retry-After") == "" {
		t.Errorf("FailNext /spo: %d", r.status)
	}
}
