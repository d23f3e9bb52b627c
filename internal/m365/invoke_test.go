// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/uuid"
)

const testTenant = "00000000-0000-0000-0000-0000000000aa"

// scopeToken hands out "tok:<scope>", so that a test can see which audience a request used.
type scopeToken struct{}

func (scopeToken) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: "tok:" + strings.Join(o.Scopes, " "), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// testClient is a Client whose HTTP pipeline trusts srv's certificate and retries without waiting.
func testClient(srv *httptest.Server, eps Endpoints, method AuthMethod) *Client {
	rt := &retryTransport{next: srv.Client().Transport, policy: RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		sleep: sleepContext}
	return &Client{TenantID: testTenant, Endpoints: eps, AuthMethod: method, credential: scopeToken{},
		httpClient: &http.Client{Transport: rt, Timeout: 10 * time.Second}}
}

type seen struct {
	method, path, query string
	header              http.Header
	body                string
}

// recorder is a TLS server that records every request and answers through handle.
func recorder(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) (*httptest.Server, func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var reqs []seen
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(b)})
		n := len(reqs)
		mu.Unlock()
		handle(w, r, n)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), reqs...)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func exoError(exception, message string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "BadRequest", "message": "generic: " + message,
		"details": []map[string]any{{"message": "|" + exception + "|" + message}}}})
	return string(b)
}

func TestInvoke_requestShapeAndPagingRePostsTheBody(t *testing.T) {
	const path = "/exo/adminapi/beta/" + testTenant + "/InvokeCommand"
	var srvURL string
	srv, requests := recorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		next := ""
		if n < 3 {
			next = fmt.Sprintf(`,"@odata.nextLink":"%s%s?$skiptoken=%d"`, srvURL, path, n)
		}
		writeJSON(w, 200, fmt.Sprintf(`{"@odata.context":"x","adminapi.warnings@odata.type":"#Collection(String)","@adminapi.warnings":[],
			"value":[{"Name":"m%d","Emails@odata.type":"#Collection(String)","Emails":["a"],"Nested":{"Inner@odata.type":"#x","Inner":[1]}}]%s}`, n, next))
	})
	srvURL = srv.URL
	c := testClient(srv, Endpoints{Exchange: srv.URL + "/exo"}, AuthClientCertificate)

	objs, err := c.Exchange().Invoke(context.Background(), "Get-Mailbox", map[string]any{"ResultSize": "Unlimited"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := requests()
	if len(reqs) != 3 || len(objs) != 3 {
		t.Fatalf("%d requests and %d objects, want 3 pages of one object", len(reqs), len(objs))
	}
	wantBody := `{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited"}}}`
	ids := map[string]bool{}
	for i, r := range reqs {
		if r.method != http.MethodPost || r.path != path || r.body != wantBody {
			t.Errorf("page %d: %s %s %s; every page must POST the same body to InvokeCommand", i+1, r.method, r.path, r.body)
		}
		if wantQuery := fmt.Sprintf("$skiptoken=%d", i); i > 0 && r.query != wantQuery {
			t.Errorf("page %d query %q, want %q from the next link", i+1, r.query, wantQuery)
		}
		for h, want := range map[string]string{
			"Authorization":    "Bearer tok:" + srv.URL + "/exo/.default",
			"Content-Type":     "application/json",
			"X-Responseformat": "json",
			"X-Anchormailbox":  "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + testTenant,
			"Prefer":           "odata.maxpagesize=1000",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("page %d header %s = %q, want %q", i+1, h, got, want)
			}
		}
		id := r.header.Get("client-request-id")
		if _, err := uuid.Parse(id); err != nil || ids[id] {
			t.Errorf("page %d client-request-id %q must be a fresh GUID", i+1, id)
		}
		ids[id] = true
	}
	for i, o := range objs {
		if o["Name"] != fmt.Sprintf("m%d", i+1) {
			t.Errorf("object %d is %v; pages must be concatenated in order", i, o["Name"])
		}
		if _, ok := o["Emails@odata.type"]; ok {
			t.Errorf("object %d keeps an @odata.type annotation: %v", i, o)
		}
		if _, ok := o["Nested"].(map[string]any)["Inner@odata.type"]; ok {
			t.Errorf("object %d keeps a nested @odata.type annotation", i)
		}
		if emails, _ := o["Emails"].([]any); len(emails) != 1 {
			t.Errorf("object %d lost its array: %v", i, o)
		}
	}
}

func TestInvoke_anchorHashtableAndNoContent(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusNoContent) })
	c := testClient(srv, Endpoints{Exchange: srv.URL + "/exo"}, AuthClientCertificate)
	settings := map[string]any{"Key": "Value"}
	objs, err := c.Exchange().Invoke(context.Background(), "Set-AdminAuditLogConfig",
		map[string]any{"UnifiedAuditLogIngestionEnabled": true, "AdvancedSettings": GenericHashTable(settings)},
		WithAnchorMailbox(AdminAuditLogAnchor(testTenant)))
	if err != nil || len(objs) != 0 {
		t.Fatalf("204 must be success without objects; got %v, %v", objs, err)
	}
	r := requests()[0]
	if want := "APP:SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}@" + testTenant; r.header.Get("X-AnchorMailbox") != want {
		t.Errorf("anchor %q, want %q", r.header.Get("X-AnchorMailbox"), want)
	}
	var body struct {
		CmdletInput struct {
			CmdletName string
			Parameters map[string]any
		}
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	ht, _ := body.CmdletInput.Parameters["AdvancedSettings"].(map[string]any)
	if ht["@odata.type"] != "#Exchange.GenericHashTable" || ht["Key"] != "Value" || body.CmdletInput.Parameters["UnifiedAuditLogIngestionEnabled"] != true {
		t.Errorf("parameters sent as %s", r.body)
	}
	if len(settings) != 1 {
		t.Errorf("GenericHashTable modified its argument: %v", settings)
	}
}

func TestInvoke_errorKinds(t *testing.T) {
	notFound := exoError("Microsoft.Exchange.Management.Tasks.ManagementObjectNotFoundException",
		"The operation couldn't be performed because object 'Strict' couldn't be found on 'DM3PR.prod.outlook.com'.")
	for _, tc := range []struct {
		name, cmdlet string
		status       int
		body         string
		kind         ErrorKind
		code         string
		wants        []string
	}{
		{"not found 404", "Get-SafeLinksPolicy", 404, notFound, KindNotFound, "ManagementObjectNotFoundException",
			[]string{`running Get-SafeLinksPolicy -Identity "Strict": not found (HTTP 404`, "object 'Strict' couldn't be found"}},
		{"not found as 400", "Set-SafeLinksPolicy", 400, notFound, KindNotFound, "ManagementObjectNotFoundException", nil},
		{"cmdlet not available", "Set-SafeLinksPolicy", 400, exoError("System.Management.Automation.CommandNotFoundException",
			"The term 'Set-SafeLinksPolicy' is not recognized as a name of a cmdlet."), KindUnavailable, "CommandNotFoundException",
			[]string{"not available", "is not recognized", "Microsoft Defender for Office 365"}},
		{"needs proxy, four parts", "Set-AdminAuditLogConfig", 400, exoError("Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException",
			"InvalidOperation|Cmdlet needs proxy to another server."), KindBadRequest, "ThrowTerminatingErrorException",
			[]string{"bad request (HTTP 400, ThrowTerminatingErrorException): Cmdlet needs proxy to another server."}},
		{"forbidden write", "Set-SafeLinksPolicy", 403, `{"error":{"code":"Forbidden","message":"The user is not allowed to run this cmdlet."}}`,
			KindForbidden, "Forbidden", []string{"not allowed to run this cmdlet",
				"For Exchange Online the application needs Exchange.ManageAsApp and the Exchange Administrator role"}},
		{"forbidden read", "Get-SafeLinksPolicy", 403, `{"error":{"code":"Forbidden","message":"no"}}`, KindForbidden, "Forbidden",
			[]string{"Exchange.ManageAsApp and the Global Reader role"}},
		{"unauthenticated", "Get-SafeLinksPolicy", 401, ``, KindAuth, "", []string{"access token was refused: The audience claim value is invalid;", "Exchange.ManageAsApp"}},
		{"no details", "Get-SafeLinksPolicy", 400, `{"error":{"code":"BadRequest","message":"A parameter cannot be found that matches parameter name 'Foo'."}}`,
			KindBadRequest, "BadRequest", []string{"matches parameter name 'Foo'"}},
		{"server", "Get-SafeLinksPolicy", 500, `oops`, KindServer, "", []string{"oops"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("request-id", "rid-7")
				if tc.status == 401 {
					w.Header().Set("x-ms-diagnostics", `2000003;reason="The audience claim value is invalid.";error_category="invalid_resource"`)
				}
				writeJSON(w, tc.status, tc.body)
			})
			c := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate)
			_, err := c.Exchange().Invoke(context.Background(), tc.cmdlet, map[string]any{"Identity": "Strict"})
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *APIError", err, err)
			}
			if apiErr.Kind != tc.kind || apiErr.Code != tc.code || apiErr.RequestID != "rid-7" {
				t.Errorf("kind %q code %q request %q, want %q %q rid-7", apiErr.Kind, apiErr.Code, apiErr.RequestID, tc.kind, tc.code)
			}
			for _, want := range tc.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q lacks %q", err.Error(), want)
				}
			}
			if strings.Contains(err.Error(), "|") {
				t.Errorf("message %q leaks the raw details", err.Error())
			}
		})
	}
}

func TestInvoke_retriesConcurrentRequestRefusals(t *testing.T) {
	busy := `{"error":{"code":"BadRequest","message":"You have reached the maximum number of concurrent requests per tenant. Please wait and try again."}}`
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		switch n {
		case 1:
			writeJSON(w, 400, busy)
		case 2:
			writeJSON(w, 500, busy)
		default:
			writeJSON(w, 200, `{"value":[{"Identity":"Default"}]}`)
		}
	})
	c := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate)
	cc := c.Exchange()
	var waits []time.Duration
	cc.sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	obj, err := cc.InvokeSingle(context.Background(), "Get-HostedOutboundSpamFilterPolicy", nil)
	if err != nil || obj["Identity"] != "Default" {
		t.Fatalf("got %v, %v", obj, err)
	}
	if n := len(requests()); n != 3 || len(waits) != 2 {
		t.Fatalf("%d requests and %d waits, want 3 and 2", n, len(waits))
	}
	for i, w := range waits {
		if w < cc.busy.BaseDelay/2 || w > cc.busy.MaxDelay {
			t.Errorf("wait %d = %v outside the bounded backoff", i, w)
		}
	}
	if !strings.Contains(requests()[0].body, `"Parameters":{}`) {
		t.Errorf("nil parameters must be sent as {}: %s", requests()[0].body)
	}
}

func TestInvoke_givesUpOnPersistentConcurrencyRefusal(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 400, `{"error":{"code":"BadRequest","message":"maximum number of concurrent requests reached"}}`)
	})
	cc := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate).Exchange()
	cc.sleep = func(context.Context, time.Duration) error { return nil }
	_, err := cc.Invoke(context.Background(), "Get-OrganizationConfig", nil)
	if !IsThrottled(err) {
		t.Fatalf("got %v, want a throttled error", err)
	}
	if n := len(requests()); n != cc.busy.MaxRetries+1 {
		t.Errorf("%d requests, want %d", n, cc.busy.MaxRetries+1)
	}
}

func TestInvoke_neverMoreThanThreeInFlight(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(60 * time.Millisecond)
		inFlight.Add(-1)
		writeJSON(w, 200, `{"value":[]}`)
	})
	cc := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate).Exchange()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := cc.Invoke(context.Background(), "Get-AcceptedDomain", nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != MaxConcurrentCommands {
		t.Fatalf("peak of %d requests in flight, want exactly %d (capped, yet parallel)", p, MaxConcurrentCommands)
	}
}

func TestInvoke_refusesNextLinkToAnotherHost(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		writeJSON(w, 200, `{"value":[{"a":1}],"@odata.nextLink":"https://attacker.example/adminapi/beta/x/InvokeCommand"}`)
	})
	_, err := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate).Exchange().Invoke(context.Background(), "Get-Mailbox", nil)
	if err == nil || !strings.Contains(err.Error(), "another host") || len(requests()) != 1 {
		t.Fatalf("got %v after %d requests", err, len(requests()))
	}
}

func TestInvokeSingle_countsObjects(t *testing.T) {
	for n, check := range map[int]func(error) bool{
		0: IsNotFound,
		2: func(err error) bool { return err != nil && strings.Contains(err.Error(), "returned 2 objects") },
	} {
		srv, _ := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			writeJSON(w, 200, `{"value":[`+strings.TrimSuffix(strings.Repeat(`{"a":1},`, n), ",")+`]}`)
		})
		_, err := testClient(srv, Endpoints{Exchange: srv.URL}, AuthClientCertificate).Exchange().InvokeSingle(context.Background(), "Get-X", nil)
		if !check(err) {
			t.Errorf("%d objects: got %v", n, err)
		}
	}
}

func TestCompliance_discoversTheRegionOnceWithoutFollowingTheRedirect(t *testing.T) {
	discovery := "/ipps/adminapi/v1.0/" + testTenant + "/EXOModuleFile"
	var srvURL string
	srv, requests := recorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == discovery:
			http.Redirect(w, r, srvURL+"/ipps/nam01/adminapi/v1.0/"+testTenant+"/EXOModuleFile", http.StatusFound)
		case r.Method == http.MethodPost && r.URL.Path == "/ipps/nam01/adminapi/beta/"+testTenant+"/InvokeCommand":
			writeJSON(w, 200, `{"value":[{"Name":"DLP"}]}`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	srvURL = srv.URL
	c := testClient(srv, Endpoints{Exchange: srv.URL + "/exo", Compliance: srv.URL + "/ipps"}, AuthClientCertificate)
	if first, second := c.Compliance(), c.Compliance(); first != second || first == c.Exchange() {
		t.Fatal("Compliance() must build one client per tenant, distinct from Exchange()")
	}
	for range 2 {
		objs, err := c.Compliance().Invoke(context.Background(), "Get-DlpCompliancePolicy", nil)
		if err != nil || len(objs) != 1 {
			t.Fatalf("got %v, %v", objs, err)
		}
	}
	reqs := requests()
	if len(reqs) != 3 || reqs[0].path != discovery {
		t.Fatalf("requests %+v, want one discovery GET (redirect not followed) and two calls", reqs)
	}
	for _, r := range reqs {
		if want := "Bearer tok:" + srv.URL + "/ipps/.default"; r.header.Get("Authorization") != want {
			t.Errorf("%s %s sent %q, want the compliance endpoint's audience %q", r.method, r.path, r.header.Get("Authorization"), want)
		}
	}
}

func TestCompliance_discoveryAnswering200UsesTheEndpoint(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"value":[]}`)
	})
	c := testClient(srv, Endpoints{Compliance: srv.URL + "/ipps"}, AuthClientCertificate)
	if _, err := c.Compliance().Invoke(context.Background(), "Get-Label", nil); err != nil {
		t.Fatal(err)
	}
	if reqs := requests(); len(reqs) != 2 || reqs[1].path != "/ipps/adminapi/beta/"+testTenant+"/InvokeCommand" {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestCompliance_discoveryFailureIsRetriedLater(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 403, `{"error":{"code":"Forbidden","message":"no role"}}`)
			return
		}
		writeJSON(w, 200, `{"value":[]}`)
	})
	cc := testClient(srv, Endpoints{Compliance: srv.URL}, AuthClientCertificate).Compliance()
	_, err := cc.Invoke(context.Background(), "Get-Label", nil)
	if !IsForbidden(err) || !strings.Contains(err.Error(), "discovering the tenant's Security & Compliance region") ||
		!strings.Contains(err.Error(), "the Global Reader role") {
		t.Fatalf("got %v", err)
	}
	if _, err := cc.Invoke(context.Background(), "Get-Label", nil); err != nil || len(requests()) != 3 {
		t.Fatalf("second attempt: %v after %d requests; a failed discovery must not be cached", err, len(requests()))
	}
}

func TestComplianceBase(t *testing.T) {
	for loc, want := range map[string]string{
		"https://nam12b.admin.protection.outlook.com:446/adminapi/v1.0/tid/EXOModuleFile":    "https://nam12b.ps.compliance.protection.outlook.com",
		"https://127.0.0.1:8443/ipps/nam01/adminapi/v1.0/tid/EXOModuleFile":                  "https://127.0.0.1:8443/ipps/nam01",
		"https://eur03.ps.compliance.protection.outlook.com/adminapi/v1.0/tid/EXOModuleFile": "https://eur03.ps.compliance.protection.outlook.com",
	} {
		u, _ := url.Parse(loc)
		if got, err := complianceBase(u); err != nil || got != want {
			t.Errorf("complianceBase(%s) = %q, %v; want %q", loc, got, err, want)
		}
	}
	u, _ := url.Parse("http://nam12b.admin.protection.outlook.com/adminapi/v1.0/tid/EXOModuleFile")
	if _, err := complianceBase(u); err == nil {
		t.Error("a plain http:// redirect must be refused: the token would follow it")
	}
}

func TestInvoke_refusesPlainHTTPEndpoint(t *testing.T) {
	srv, requests := recorder(t, func(w http.ResponseWriter, _ *http.Request, _ int) { writeJSON(w, 200, `{"value":[]}`) })
	c := testClient(srv, Endpoints{Exchange: strings.Replace(srv.URL, "https://", "http://", 1)}, AuthClientCertificate)
	if _, err := c.Exchange().Invoke(context.Background(), "Get-Mailbox", nil); err == nil || !strings.Contains(err.Error(), "https://") {
		t.Fatalf("got %v", err)
	}
	if len(requests()) != 0 {
		t.Error("no request may be sent to a plain http:// endpoint")
	}
}
