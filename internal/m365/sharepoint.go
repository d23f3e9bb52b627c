// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Graph has no API for some SharePoint tenant settings (guest and anonymous link expiry,
// unmanaged-device access). They are read through the admin site's REST API (SPO.Tenant) and
// written through CSOM (ProcessQuery), as SharePoint Online Management Shell does.
//
// This file is only the transport to the admin site; the typed settings, and the waits after a
// write, are package internal/m365/sharepoint. The transport stays here because Client caches
// one SharePointClient per tenant (c.services) and it sends through Client's unexported request
// pipeline (call, restError, withResendablePOST): in package sharepoint, m365 would have to
// import it for the cache while it imports m365 for everything else.

// ErrSharePointNeedsCertificate says why SharePoint refused the token: SharePoint Online accepts
// app-only tokens only when the app signed in with a certificate.
var ErrSharePointNeedsCertificate = errors.New("SharePoint admin APIs reject app-only tokens obtained with a client secret; " +
	"configure client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH) with a certificate registered on the same app registration " +
	"(SharePoint Online accepts only certificate credentials for app-only access)")

// sharePointPermissions is what SPO.Tenant and ProcessQuery need from an app.
var sharePointPermissions = []string{"Sites.FullControl.All (SharePoint, application) with a certificate credential"}

// tenantTypeID is the CSOM type id of Microsoft.Online.SharePoint.TenantAdministration.Tenant.
const tenantTypeID = "{268004ae-ef6b-4e9b-8425-127220d84719}"

// SharePointClient talks to the tenant's SharePoint admin site. It is safe for concurrent use.
type SharePointClient struct {
	client   *Client
	endpoint string // https://contoso-admin.sharepoint.com, without trailing slash.
}

// SharePointAdmin returns the tenant's SharePoint admin client. The admin site is
// Endpoints.SharePointAdmin or, when that is empty, derived once from the tenant's initial
// domain (Graph GET /organization).
func (c *Client) SharePointAdmin(ctx context.Context) (*SharePointClient, error) {
	if c.AuthMethod == AuthClientSecret {
		// Fail before the call: SharePoint's own answer ("Unsupported app only token.") does not
		// say what to change.
		return nil, ErrSharePointNeedsCertificate
	}
	c.services.sharePointMu.Lock()
	defer c.services.sharePointMu.Unlock()
	if c.services.sharePoint != nil {
		return c.services.sharePoint, nil
	}
	endpoint := strings.TrimRight(c.Endpoints.SharePointAdmin, "/")
	if endpoint == "" {
		var err error
		if endpoint, err = c.sharePointAdminFromGraph(ctx); err != nil {
			return nil, err
		}
	}
	if u, err := url.Parse(endpoint); err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("the SharePoint admin endpoint %q must be an https:// URL", endpoint)
	}
	c.services.sharePoint = &SharePointClient{client: c, endpoint: endpoint}
	return c.services.sharePoint, nil
}

// Endpoint is the admin site the client talks to.
func (s *SharePointClient) Endpoint() string { return s.endpoint }

// sharePointAdminFromGraph derives https://<name>-admin.sharepoint.<cloud> from the initial
// domain <name>.onmicrosoft.com, which cannot change, unlike the tenant's custom domains.
func (c *Client) sharePointAdminFromGraph(ctx context.Context) (string, error) {
	op := Operation{Action: "reading", Object: "the tenant's initial domain (to find its SharePoint admin site)",
		Permissions: []string{"Organization.Read.All"}}
	raw, err := c.call(ctx, http.MethodGet, c.Endpoints.Graph, c.Endpoints.Graph+"/v1.0/organization?$select=verifiedDomains",
		nil, map[string]string{"Accept": "application/json"}, op)
	if err != nil {
		return "", err
	}
	var orgs struct {
		Value []struct {
			VerifiedDomains []struct {
				Name      string `json:"name"`
				IsInitial bool   `json:"isInitial"`
			} `json:"verifiedDomains"`
		} `json:"value"`
	}
	if err := json.Unmarshal(raw, &orgs); err != nil {
		return "", fmt.Errorf("%s %s: decoding the answer: %w", op.Action, op.Object, err)
	}
	for _, org := range orgs.Value {
		for _, d := range org.VerifiedDomains {
			if d.IsInitial && strings.Contains(d.Name, ".") {
				name := strings.ToLower(d.Name[:strings.Index(d.Name, ".")])
				return "https://" + name + "-admin." + sharePointDomain(c.Endpoints.Graph), nil
			}
		}
	}
	return "", fmt.Errorf("%s %s: the organization has no initial domain; set sharepoint_admin_endpoint (HIPAA_SHAREPOINT_ADMIN_ENDPOINT)",
		op.Action, op.Object)
}

// sharePointDomain is SharePoint's DNS suffix in the cloud whose Graph endpoint is given.
func sharePointDomain(graph string) string {
	u, _ := url.Parse(graph)
	switch u.Hostname() {
	case "graph.microsoft.us":
		return "sharepoint.us"
	case "dod-graph.microsoft.us":
		return "sharepoint-mil.us"
	case "microsoftgraph.chinacloudapi.cn":
		return "sharepoint.cn"
	}
	return "sharepoint.com"
}

// Tenant reads the tenant's settings (SPO.Tenant) as a flat object. Numbers are float64.
func (s *SharePointClient) Tenant(ctx context.Context) (map[string]any, error) {
	op := Operation{Action: "reading", Object: "SharePoint tenant settings", Service: "SharePoint Online", Permissions: sharePointPermissions}
	raw, err := s.client.call(ctx, http.MethodGet, s.endpoint, s.endpoint+"/_api/SPO.Tenant", nil,
		map[string]string{"Accept": "application/json;odata=nometadata"}, op)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s %s: decoding the answer: %w", op.Action, op.Object, err)
	}
	return out, nil
}

// CSOMProperty is one tenant property to set. Value is a bool (sent as Boolean), an int that
// fits in 32 bits (Int32), a string (String) or a CSOMEnum (Enum).
type CSOMProperty struct {
	Name  string
	Value any
}

// CSOMEnum is the integer value of an enum property such as SharingCapability, which CSOM wants
// typed as Enum rather than Int32.
type CSOMEnum int

// SetTenantProperties sets tenant properties in one ProcessQuery request. CSOM answers 200 even
// when the request failed and puts the error in ErrorInfo, so that is checked too.
func (s *SharePointClient) SetTenantProperties(ctx context.Context, props []CSOMProperty) error {
	if len(props) == 0 {
		return nil
	}
	names := make([]string, len(props))
	for i, p := range props {
		names[i] = p.Name
	}
	op := Operation{Action: "updating", Object: "SharePoint tenant settings (" + strings.Join(names, ", ") + ")",
		Service: "SharePoint Online", Permissions: sharePointPermissions}
	body, err := processQueryBody(props)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	tflog.Debug(ctx, "Setting SharePoint tenant properties", map[string]any{"properties": names})
	// Setting properties to values is the same the second time: safe to send again after a 503.
	raw, err := s.client.call(withResendablePOST(ctx), http.MethodPost, s.endpoint, s.endpoint+"/_vti_bin/client.svc/ProcessQuery", body,
		map[string]string{"Content-Type": "text/xml", "Accept": "application/json"}, op)
	if err != nil {
		return err
	}
	var answers []json.RawMessage
	if err := json.Unmarshal(raw, &answers); err != nil {
		return fmt.Errorf("%s %s: decoding the answer: %w", op.Action, op.Object, err)
	}
	for _, a := range answers {
		var r struct {
			ErrorInfo *struct {
				ErrorMessage       string `json:"ErrorMessage"`
				ErrorCode          int64  `json:"ErrorCode"`
				ErrorTypeName      string `json:"ErrorTypeName"`
				TraceCorrelationID string `json:"TraceCorrelationId"`
			} `json:"ErrorInfo"`
		}
		if json.Unmarshal(a, &r) != nil || r.ErrorInfo == nil {
			continue // Not every element is a status object; the others are action results.
		}
		kind := KindBadRequest
		if r.ErrorInfo.ErrorTypeName == "System.UnauthorizedAccessException" || r.ErrorInfo.ErrorCode == -2147024891 {
			kind = KindForbidden
		}
		return &APIError{Kind: kind, Status: http.StatusOK, Code: r.ErrorInfo.ErrorTypeName, Message: r.ErrorInfo.ErrorMessage,
			RequestID: r.ErrorInfo.TraceCorrelationID, Op: op}
	}
	return nil
}

// processQueryBody is the CSOM request: one SetProperty per property on the Tenant object.
func processQueryBody(props []CSOMProperty) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`<Request AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ` +
		`ApplicationName="terraform-provider-hipaa" xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009"><Actions>`)
	for i, p := range props {
		typ, text, err := csomValue(p.Value)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
		fmt.Fprintf(&b, `<SetProperty Id="%d" ObjectPathId="100" Name="%s"><Parameter Type="%s">%s</Parameter></SetProperty>`,
			i+1, xmlEscape(p.Name), typ, xmlEscape(text))
	}
	b.WriteString(`</Actions><ObjectPaths><Constructor Id="100" TypeId="` + tenantTypeID + `" /></ObjectPaths></Request>`)
	return b.Bytes(), nil
}

func csomValue(v any) (typ, text string, err error) {
	switch t := v.(type) {
	case bool:
		return "Boolean", strconv.FormatBool(t), nil
	case string:
		return "String", t, nil
	case CSOMEnum:
		return "Enum", strconv.Itoa(int(t)), nil
	case int:
		return int32Value(int64(t))
	case int32:
		return int32Value(int64(t))
	case int64:
		return int32Value(t)
	}
	return "", "", fmt.Errorf("unsupported value type %T (want bool, int, string or CSOMEnum)", v)
}

func int32Value(v int64) (string, string, error) {
	if v < math.MinInt32 || v > math.MaxInt32 {
		return "", "", fmt.Errorf("%d does not fit in Int32", v)
	}
	return "Int32", strconv.FormatInt(v, 10), nil
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// call sends one request with a token for audience and returns the body of a 2xx answer; any
// other answer is an *APIError.
func (c *Client) call(ctx context.Context, method, audience, target string, body []byte, headers map[string]string, op Operation) ([]byte, error) {
	token, err := c.Token(ctx, audience)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	requestID := uuid.NewString()
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("client-request-id", requestID)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	// The body is read to the end before it is closed, so Close has nothing left to report.
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", op.Action, op.Object, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return raw, nil
	}
	return nil, restError(resp, raw, op, requestID)
}

// restError classifies an error answer of Graph or SharePoint REST. SharePoint words its errors
// as {"odata.error":{"code":"-2147024891, System.UnauthorizedAccessException","message":{"value":...}}},
// Graph as {"error":{"code":...,"message":"..."}}, and token refusals as {"error_description":...}.
func restError(resp *http.Response, raw []byte, op Operation, requestID string) *APIError {
	e := &APIError{Kind: kindForStatus(resp.StatusCode), Status: resp.StatusCode, Op: op,
		RequestID: firstNonEmpty(resp.Header.Get("request-id"), resp.Header.Get("SPRequestGuid"), requestID)}
	var body map[string]json.RawMessage
	_ = json.Unmarshal(raw, &body)
	for _, key := range []string{"odata.error", "error"} {
		var inner struct {
			Code    string          `json:"code"`
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(body[key], &inner) != nil {
			continue
		}
		e.Code = inner.Code
		var text string
		var lang struct {
			Value string `json:"value"`
		}
		if json.Unmarshal(inner.Message, &text) == nil {
			e.Message = text
		} else if json.Unmarshal(inner.Message, &lang) == nil {
			e.Message = lang.Value
		}
		break
	}
	var description string
	if e.Message == "" && json.Unmarshal(body["error_description"], &description) == nil {
		e.Message = description
	}
	if e.Message == "" && e.Code == "" {
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 300 {
			e.Message = e.Message[:300] + "…"
		}
	}
	if resp.StatusCode == http.StatusUnauthorized &&
		(strings.Contains(resp.Header.Get("x-ms-diagnostics"), "Unsupported app only token") ||
			strings.Contains(e.Message, "Unsupported app only token")) {
		e.Message, e.Err = ErrSharePointNeedsCertificate.Error(), ErrSharePointNeedsCertificate
	}
	return e
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
