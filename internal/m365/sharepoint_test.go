// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestSharePoint_tenantRead(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"SharingCapability":2,"ExternalUserExpirationRequired":true,"ConditionalAccessPolicy":1}`)
	})
	c := testClient(srv, Endpoints{SharePointAdmin: srv.URL + "/spo/"}, AuthClientCertificate)
	spo, err := c.SharePointAdmin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := spo.Tenant(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got["SharingCapability"] != 2.0 || got["ExternalUserExpirationRequired"] != true {
		t.Errorf("tenant %v", got)
	}
	r := requests()[0]
	if r.method != http.MethodGet || r.path != "/spo/_api/SPO.Tenant" ||
		r.header.Get("Accept") != "application/json;odata=nometadata" ||
		r.header.Get("Authorization") != "Bearer tok:"+srv.URL+"/spo/.default" {
		t.Errorf("request %s %s, headers %v", r.method, r.path, r.header)
	}
}

// csomRequest is the ProcessQuery body, parsed back to check its structure.
type csomRequest struct {
	XMLName     xml.Name `xml:"http://schemas.microsoft.com/sharepoint/clientquery/2009 Request"`
	Application string   `xml:"ApplicationName,attr"`
	Set         []struct {
		ID           string `xml:"Id,attr"`
		ObjectPathID string `xml:"ObjectPathId,attr"`
		Name         string `xml:"Name,attr"`
		Parameter    struct {
			Type  string `xml:",attr"`
			Value string `xml:",chardata"`
		}
	} `xml:"Actions>SetProperty"`
	Constructor struct {
		ID     string `xml:"Id,attr"`
		TypeID string `xml:"TypeId,attr"`
	} `xml:"ObjectPaths>Constructor"`
}

func TestSharePoint_setTenantPropertiesSendsOneProcessQuery(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `[{"SchemaVersion":"15.0.0.0","LibraryVersion":"16.0.0.0","ErrorInfo":null,"TraceCorrelationId":"t1"}]`)
	})
	spo, err := testClient(srv, Endpoints{SharePointAdmin: srv.URL + "/spo"}, AuthClientCertificate).SharePointAdmin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The contract's example, byte for byte.
	err = spo.SetTenantProperties(context.Background(), []CSOMProperty{
		{Name: "ExternalUserExpirationRequired", Value: true}, {Name: "ExternalUserExpireInDays", Value: 30}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<Request AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="terraform-provider-hipaa" xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009"><Actions><SetProperty Id="1" ObjectPathId="100" Name="ExternalUserExpirationRequired"><Parameter Type="Boolean">true</Parameter></SetProperty><SetProperty Id="2" ObjectPathId="100" Name="ExternalUserExpireInDays"><Parameter Type="Int32">30</Parameter></SetProperty></Actions><ObjectPaths><Constructor Id="100" TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}" /></ObjectPaths></Request>`
	r := requests()[0]
	if r.body != want {
		t.Errorf("body\n%s\nwant\n%s", r.body, want)
	}
	if r.method != http.MethodPost || r.path != "/spo/_vti_bin/client.svc/ProcessQuery" || r.header.Get("Content-Type") != "text/xml" {
		t.Errorf("request %s %s %s", r.method, r.path, r.header.Get("Content-Type"))
	}

	// Every value type, and text that needs escaping, parsed back.
	err = spo.SetTenantProperties(context.Background(), []CSOMProperty{
		{Name: "SharingCapability", Value: CSOMEnum(1)}, {Name: "SignInAccelerationDomain", Value: `a<b&"c"`},
		{Name: "RequireAnonymousLinksExpireInDays", Value: int64(-1)}, {Name: "EmailAttestationRequired", Value: false}})
	if err != nil {
		t.Fatal(err)
	}
	var got csomRequest
	if err := xml.Unmarshal([]byte(requests()[1].body), &got); err != nil {
		t.Fatalf("body is not valid XML: %v\n%s", err, requests()[1].body)
	}
	wantSet := [][4]string{{"1", "SharingCapability", "Enum", "1"}, {"2", "SignInAccelerationDomain", "String", `a<b&"c"`},
		{"3", "RequireAnonymousLinksExpireInDays", "Int32", "-1"}, {"4", "EmailAttestationRequired", "Boolean", "false"}}
	if len(got.Set) != len(wantSet) || got.Application != "terraform-provider-hipaa" ||
		got.Constructor.ID != "100" || got.Constructor.TypeID != "{268004ae-ef6b-4e9b-8425-127220d84719}" {
		t.Fatalf("parsed %+v", got)
	}
	for i, w := range wantSet {
		s := got.Set[i]
		if [4]string{s.ID, s.Name, s.Parameter.Type, s.Parameter.Value} != w || s.ObjectPathID != "100" {
			t.Errorf("SetProperty %d = %+v, want %v on object path 100", i, s, w)
		}
	}

	if err := spo.SetTenantProperties(context.Background(), nil); err != nil || len(requests()) != 2 {
		t.Errorf("no properties must send nothing: %v", err)
	}
	for _, bad := range []any{int64(1) << 40, 1.5, nil} {
		if err := spo.SetTenantProperties(context.Background(), []CSOMProperty{{Name: "X", Value: bad}}); err == nil {
			t.Errorf("value %#v accepted", bad)
		}
	}
	if len(requests()) != 2 {
		t.Error("an invalid value must fail before the request")
	}
}

func TestSharePoint_errorInfoInA200IsAnError(t *testing.T) {
	for _, tc := range []struct {
		errorInfo string
		kind      ErrorKind
	}{
		{`{"ErrorMessage":"Specified argument was out of the range of valid values.","ErrorValue":null,"TraceCorrelationId":"tc-1","ErrorCode":-2147024809,"ErrorTypeName":"System.ArgumentException"}`, KindBadRequest},
		{`{"ErrorMessage":"Access denied.","ErrorValue":null,"TraceCorrelationId":"tc-1","ErrorCode":-2147024891,"ErrorTypeName":"System.UnauthorizedAccessException"}`, KindForbidden},
	} {
		srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			writeJSON(w, 200, `[{"SchemaVersion":"15.0.0.0","LibraryVersion":"16.0.0.0","ErrorInfo":`+tc.errorInfo+`,"TraceCorrelationId":"tc-1"}]`)
		})
		spo, _ := testClient(srv, Endpoints{SharePointAdmin: srv.URL}, AuthClientCertificate).SharePointAdmin(context.Background())
		err := spo.SetTenantProperties(context.Background(), []CSOMProperty{{Name: "ExternalUserExpireInDays", Value: 9999}})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Kind != tc.kind || apiErr.RequestID != "tc-1" {
			t.Fatalf("got %v, want %s with the trace correlation id", err, tc.kind)
		}
		if !strings.Contains(err.Error(), "updating SharePoint tenant settings (ExternalUserExpireInDays)") {
			t.Errorf("message %q does not say what failed", err.Error())
		}
		if tc.kind == KindForbidden && !strings.Contains(err.Error(), "For SharePoint Online the application needs Sites.FullControl.All") {
			t.Errorf("message %q does not name the permission", err.Error())
		}
	}
}

func TestSharePoint_clientSecretIsRefusedBeforeCalling(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 200, `{}`) })
	_, err := testClient(srv, Endpoints{SharePointAdmin: srv.URL}, AuthClientSecret).SharePointAdmin(context.Background())
	if !errors.Is(err, ErrSharePointNeedsCertificate) || len(requests()) != 0 {
		t.Fatalf("got %v after %d requests", err, len(requests()))
	}
	for _, want := range []string{"client secret", "client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH)", "only certificate credentials"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err.Error(), want)
		}
	}
}

func TestSharePoint_unsupportedAppOnlyTokenIsExplained(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("x-ms-diagnostics", `3000003;reason="Unsupported app only token.";category="invalid_client"`)
		writeJSON(w, 401, `{"error_description":"Unsupported app only token."}`)
	})
	// An OIDC token can still carry appidacr 1; SharePoint's answer is then the only hint.
	spo, _ := testClient(srv, Endpoints{SharePointAdmin: srv.URL}, AuthOIDC).SharePointAdmin(context.Background())
	_, err := spo.Tenant(context.Background())
	if !errors.Is(err, ErrSharePointNeedsCertificate) || kindOf(err) != KindAuth || !strings.Contains(err.Error(), "client_certificate_path") {
		t.Fatalf("got %v", err)
	}
}

func TestSharePoint_restErrors(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("SPRequestGuid", "sp-1")
		writeJSON(w, 403, `{"odata.error":{"code":"-2147024891, System.UnauthorizedAccessException","message":{"lang":"en-US","value":"Access denied."}}}`)
	})
	spo, _ := testClient(srv, Endpoints{SharePointAdmin: srv.URL}, AuthClientCertificate).SharePointAdmin(context.Background())
	_, err := spo.Tenant(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindForbidden || apiErr.Message != "Access denied." || apiErr.RequestID != "sp-1" {
		t.Fatalf("got %#v", err)
	}
}

func TestSharePoint_adminEndpointFromTheInitialDomain(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"value":[{"verifiedDomains":[{"name":"contoso.com","isInitial":false},{"name":"Contoso.onmicrosoft.com","isInitial":true}]}]}`)
	})
	c := testClient(srv, Endpoints{Graph: srv.URL}, AuthClientCertificate)
	for range 2 {
		spo, err := c.SharePointAdmin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if spo.Endpoint() != "https://contoso-admin.sharepoint.com" {
			t.Errorf("endpoint %q", spo.Endpoint())
		}
	}
	reqs := requests()
	if len(reqs) != 1 || reqs[0].path != "/v1.0/organization" || reqs[0].header.Get("Authorization") != "Bearer tok:"+srv.URL+"/.default" {
		t.Fatalf("requests %+v; want one Graph GET /organization, then the cached endpoint", reqs)
	}
	for graph, want := range map[string]string{
		"https://graph.microsoft.com": "sharepoint.com", "https://graph.microsoft.us": "sharepoint.us",
		"https://dod-graph.microsoft.us": "sharepoint-mil.us", "https://microsoftgraph.chinacloudapi.cn": "sharepoint.cn",
	} {
		if got := sharePointDomain(graph); got != want {
			t.Errorf("sharePointDomain(%s) = %s, want %s", graph, got, want)
		}
	}
}

func TestSharePoint_organizationReadFailureNamesThePermission(t *testing.T) {
	srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 403, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`)
	})
	_, err := testClient(srv, Endpoints{Graph: srv.URL}, AuthClientCertificate).SharePointAdmin(context.Background())
	if !IsForbidden(err) || !strings.Contains(err.Error(), "Organization.Read.All") || !strings.Contains(err.Error(), "Authorization_RequestDenied") {
		t.Fatalf("got %v", err)
	}
}
