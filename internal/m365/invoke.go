// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Exchange Online and Security & Compliance have no Graph API for most of their settings. Their
// admin REST endpoint "InvokeCommand" runs one PowerShell cmdlet per request; it is what the
// ExchangeOnlineManagement v3 module uses. The protocol is undocumented, so this file follows
// what that module, ScubaGear and CIPP send and accept.

// MaxConcurrentCommands bounds the requests one CommandClient has in flight. Exchange Online
// limits concurrent sessions per tenant and answers "maximum number of concurrent requests"
// beyond it, so Terraform's default parallelism of ten would only produce retries.
const MaxConcurrentCommands = 3

// defaultAnchorMailbox routes a request to the tenant's system mailbox, as the module does.
const defaultAnchorMailbox = "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@"

// AdminAuditLogAnchor is the anchor mailbox Set-AdminAuditLogConfig needs; with the default
// anchor it fails with "Cmdlet needs proxy".
func AdminAuditLogAnchor(tenantID string) string {
	return "APP:SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}@" + tenantID
}

// GenericHashTable marks a copy of m as a PowerShell hashtable, which is how cmdlet parameters of
// type Hashtable (e.g. AdvancedSettings) must be sent.
func GenericHashTable(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out["@odata.type"] = "#Exchange.GenericHashTable"
	return out
}

// InvokeOption adjusts one Invoke call.
type InvokeOption func(*invokeOptions)

type invokeOptions struct{ anchor string }

// WithAnchorMailbox sends the request with another X-AnchorMailbox, e.g. AdminAuditLogAnchor.
func WithAnchorMailbox(mailbox string) InvokeOption {
	return func(o *invokeOptions) { o.anchor = mailbox }
}

// commandService describes one of the two services that speak InvokeCommand.
type commandService struct {
	name      string
	writeRole string // The least privileged directory role that runs its Set-/New-/Remove- cmdlets.
	endpoint  func(Endpoints) string
	discover  bool // Whether the region must be found through the EXOModuleFile redirect.
}

var (
	exchangeOnline = commandService{
		name: "Exchange Online", writeRole: "the Exchange Administrator role",
		endpoint: func(e Endpoints) string { return e.Exchange },
	}
	securityCompliance = commandService{
		name: "Security & Compliance", writeRole: "the Compliance Administrator role",
		endpoint: func(e Endpoints) string { return e.Compliance }, discover: true,
	}
)

// CommandClient runs cmdlets against one service of one tenant. It is safe for concurrent use.
type CommandClient struct {
	client   *Client
	service  commandService
	endpoint string        // The configured endpoint: the token's audience and the discovery front door.
	slots    chan struct{} // Semaphore of MaxConcurrentCommands.

	// busy bounds the retries of "maximum number of concurrent requests" answers, which come as
	// 400 or 500 and so are not retried by the transport.
	busy  RetryPolicy
	sleep func(ctx context.Context, d time.Duration) error

	mu   sync.Mutex
	base string // Where the calls go (scheme://host[/path]), once known.
}

func newCommandClient(c *Client, svc commandService) *CommandClient {
	return &CommandClient{
		client:   c,
		service:  svc,
		endpoint: strings.TrimRight(svc.endpoint(c.Endpoints), "/"),
		slots:    make(chan struct{}, MaxConcurrentCommands),
		busy:     RetryPolicy{MaxRetries: 5, BaseDelay: 2 * time.Second, MaxDelay: 30 * time.Second},
		sleep:    sleepCtx,
	}
}

// Invoke runs a cmdlet and returns every object it output, following @odata.nextLink (by POSTing
// the same body again, as the service requires). Set-/Remove- cmdlets usually return none.
// Numbers come back as float64, as encoding/json decodes them into any.
//
// A New- cmdlet with a Name creates at most one object: after an answer that leaves the outcome
// unknown (503, 504, a timeout) it reads the objects of that name back through the matching
// Get- cmdlet and adopts the one the lost answer would have named (CreateOnce). Every other
// cmdlet gets a value or removes an object, so sending it again is safe.
func (cc *CommandClient) Invoke(ctx context.Context, cmdlet string, params map[string]any, opts ...InvokeOption) ([]map[string]any, error) {
	verb, noun, _ := strings.Cut(cmdlet, "-")
	switch {
	case strings.EqualFold(verb, "New"):
		return cc.create(ctx, cmdlet, noun, params, opts...)
	case strings.EqualFold(verb, "Add"):
		return cc.invoke(ctx, cmdlet, params, opts...) // Adds again if sent again; never resent.
	default:
		return cc.invoke(withResendablePOST(ctx), cmdlet, params, opts...)
	}
}

// create runs a New- cmdlet through CreateOnce, finding objects by Name with Get-<noun>.
func (cc *CommandClient) create(ctx context.Context, cmdlet, noun string, params map[string]any, opts ...InvokeOption) ([]map[string]any, error) {
	name, _ := params["Name"].(string)
	if name == "" {
		return cc.invoke(ctx, cmdlet, params, opts...) // Nothing to read back by: never resent.
	}
	obj, err := CreateOnce(ctx, Creation[map[string]any]{
		What: fmt.Sprintf("%s %q", noun, name),
		Find: func(ctx context.Context) ([]map[string]any, error) {
			all, err := cc.invoke(withResendablePOST(ctx), "Get-"+noun, nil, opts...)
			if err != nil {
				return nil, err
			}
			var named []map[string]any
			for _, o := range all {
				if n, _ := o["Name"].(string); strings.EqualFold(n, name) {
					named = append(named, o)
				}
			}
			return named, nil
		},
		ID: commandObjectID,
		Create: func(ctx context.Context) (map[string]any, error) {
			out, err := cc.invoke(ctx, cmdlet, params, opts...)
			if err != nil || len(out) == 0 {
				return nil, err
			}
			return out[0], nil
		},
	})
	if err != nil || obj == nil {
		return nil, err
	}
	return []map[string]any{obj}, nil
}

// commandObjectID is what tells two cmdlet objects of one name apart.
func commandObjectID(o map[string]any) string {
	for _, k := range []string{"Guid", "ImmutableId", "ExchangeObjectId", "DistinguishedName", "Identity"} {
		if v, ok := o[k].(string); ok && v != "" {
			return v
		}
	}
	n, _ := o["Name"].(string)
	return n
}

func (cc *CommandClient) invoke(ctx context.Context, cmdlet string, params map[string]any, opts ...InvokeOption) ([]map[string]any, error) {
	o := invokeOptions{anchor: defaultAnchorMailbox + cc.client.TenantID}
	for _, opt := range opts {
		opt(&o)
	}
	op := cc.operation(cmdlet, params)
	if params == nil {
		params = map[string]any{}
	}
	body, err := json.Marshal(map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}})
	if err != nil {
		return nil, fmt.Errorf("%s %s: encoding the parameters: %w", op.Action, op.Object, err)
	}
	base, err := cc.baseURL(ctx, op)
	if err != nil {
		return nil, err
	}
	origin, err := url.Parse(base)
	if err != nil || origin.Scheme != "https" || origin.Host == "" {
		// The bearer token goes with every request, so never over plain HTTP.
		return nil, fmt.Errorf("%s %s: the %s endpoint %q must be an https:// URL", op.Action, op.Object, cc.service.name, base)
	}
	tflog.Debug(ctx, "Running cmdlet", map[string]any{"service": cc.service.name, "cmdlet": cmdlet, "parameters": keys(params)})

	next := base + "/adminapi/beta/" + url.PathEscape(cc.client.TenantID) + "/InvokeCommand"
	var all []map[string]any
	for page := 1; next != ""; page++ {
		res, err := cc.post(ctx, next, body, o.anchor, op)
		if err != nil {
			return nil, err
		}
		for _, obj := range res.Value {
			all = append(all, stripODataTypes(obj))
		}
		if len(res.Warnings) > 0 {
			tflog.Debug(ctx, "Cmdlet warnings", map[string]any{"cmdlet": cmdlet, "warnings": res.Warnings})
		}
		next = res.NextLink
		if next == "" {
			break
		}
		// The next link carries no secret, but the token goes with it: only to the same service.
		u, err := url.Parse(next)
		if err != nil || u.Scheme != origin.Scheme || u.Host != origin.Host {
			return nil, fmt.Errorf("%s %s: the service sent a next page link to another host (%q); refusing to send the token there",
				op.Action, op.Object, next)
		}
		tflog.Debug(ctx, "Fetching the next page of cmdlet output", map[string]any{"cmdlet": cmdlet, "page": page + 1})
	}
	return all, nil
}

// InvokeSingle runs a cmdlet that outputs one object, e.g. Get-OrganizationConfig or a Get- with
// -Identity. No object is a not-found *APIError; more than one is an error.
func (cc *CommandClient) InvokeSingle(ctx context.Context, cmdlet string, params map[string]any, opts ...InvokeOption) (map[string]any, error) {
	objs, err := cc.Invoke(ctx, cmdlet, params, opts...)
	if err != nil {
		return nil, err
	}
	op := cc.operation(cmdlet, params)
	switch len(objs) {
	case 1:
		return objs[0], nil
	case 0:
		return nil, &APIError{Kind: KindNotFound, Status: http.StatusNotFound, Message: "the cmdlet returned no object", Op: op}
	default:
		return nil, fmt.Errorf("%s %s: the cmdlet returned %d objects where one was expected; make the Identity more specific",
			op.Action, op.Object, len(objs))
	}
}

// operation names a cmdlet call and the least privileges it needs: Get- cmdlets run with Global
// Reader, the others need the service's administrator role.
func (cc *CommandClient) operation(cmdlet string, params map[string]any) Operation {
	object := cmdlet
	if id, ok := params["Identity"]; ok && id != nil {
		object = fmt.Sprintf("%s -Identity %q", cmdlet, fmt.Sprint(id))
	}
	role := cc.service.writeRole
	if strings.HasPrefix(strings.ToLower(cmdlet), "get-") {
		role = "the Global Reader role"
	}
	return Operation{Action: "running", Object: object, Service: cc.service.name, Permissions: []string{"Exchange.ManageAsApp", role}}
}

type invokeResult struct {
	Value    []map[string]any `json:"value"`
	NextLink string           `json:"@odata.nextLink"`
	Warnings []string         `json:"@adminapi.warnings"`
}

// post sends one page request, retrying while the tenant has too many concurrent requests.
func (cc *CommandClient) post(ctx context.Context, target string, body []byte, anchor string, op Operation) (*invokeResult, error) {
	for attempt := 0; ; attempt++ {
		res, retryAfter, err := cc.postOnce(ctx, target, body, anchor, op)
		if retryAfter == nil || attempt >= cc.busy.MaxRetries {
			return res, err
		}
		// Reuse the transport's jittered backoff, so that the three slots do not retry in lockstep.
		wait := (&retryTransport{policy: cc.busy}).backoff(attempt, *retryAfter)
		tflog.Debug(ctx, "The tenant has too many concurrent Exchange requests; retrying", map[string]any{
			"service": cc.service.name, "attempt": attempt + 1, "wait": wait.String(),
		})
		if err := cc.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// postOnce holds a concurrency slot for one request. A non-nil retryAfter (possibly "") means the
// answer was a "concurrent requests" refusal that may be retried.
func (cc *CommandClient) postOnce(ctx context.Context, target string, body []byte, anchor string, op Operation) (*invokeResult, *string, error) {
	token, err := cc.client.Token(ctx, cc.endpoint)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	select {
	case cc.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-cc.slots }()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	requestID := uuid.NewString()
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-ResponseFormat", "json")
	req.Header.Set("X-AnchorMailbox", anchor)
	req.Header.Set("Prefer", "odata.maxpagesize=1000")
	req.Header.Set("client-request-id", requestID)
	resp, err := cc.client.httpClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	// The body is read to the end before it is closed, so Close has nothing left to report.
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: reading the answer: %w", op.Action, op.Object, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		var res invokeResult
		if len(bytes.TrimSpace(raw)) > 0 {
			if err := json.Unmarshal(raw, &res); err != nil {
				return nil, nil, fmt.Errorf("%s %s: decoding the answer (HTTP %d): %w", op.Action, op.Object, resp.StatusCode, err)
			}
		}
		return &res, nil, nil
	}
	apiErr := commandError(resp, raw, op, requestID)
	if isConcurrencyRefusal(resp.StatusCode, raw) {
		apiErr.Kind = KindThrottled
		ra := resp.Header.Get("Retry-After")
		return nil, &ra, apiErr
	}
	return nil, nil, apiErr
}

func isConcurrencyRefusal(status int, body []byte) bool {
	return (status == http.StatusBadRequest || status >= 500) &&
		bytes.Contains(bytes.ToLower(body), []byte("maximum number of concurrent requests"))
}

// commandError classifies an InvokeCommand error answer. The useful part is in
// error.details[].message, "<id>|<exception type>|[<category>|]<human message>"; the exception
// type says more than the status (an unknown object can come as 400).
func commandError(resp *http.Response, raw []byte, op Operation, requestID string) *APIError {
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Details []struct {
				Message string `json:"message"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(raw, &body)
	e := &APIError{
		Kind: kindForStatus(resp.StatusCode), Status: resp.StatusCode, Code: body.Error.Code,
		Message: body.Error.Message, RequestID: resp.Header.Get("request-id"), Op: op,
	}
	if e.RequestID == "" {
		e.RequestID = requestID
	}
	if e.Message == "" && body.Error.Code == "" {
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 300 {
			e.Message = e.Message[:300] + "…"
		}
	}
	for _, d := range body.Error.Details {
		parts := strings.Split(d.Message, "|")
		if len(parts) < 3 {
			continue
		}
		exception := parts[1][strings.LastIndex(parts[1], ".")+1:]
		if exception != "" {
			e.Code = exception
		}
		e.Message = strings.TrimSpace(parts[len(parts)-1])
		switch exception {
		case "ManagementObjectNotFoundException":
			e.Kind = KindNotFound
		case "CommandNotFoundException":
			e.Kind = KindUnavailable
		}
		break
	}
	if e.Kind == KindAuth {
		if e.Message == "" {
			// Exchange often answers 401 with no body; the reason is in x-ms-diagnostics.
			e.Message = "the access token was refused"
			if _, reason, ok := strings.Cut(resp.Header.Get("x-ms-diagnostics"), `reason="`); ok {
				e.Message += ": " + strings.TrimSuffix(reason[:max(strings.Index(reason, `"`), 0)], ".")
			}
		}
		e.Message += "; app-only access to " + op.Service +
			" needs the application permission Exchange.ManageAsApp (Office 365 Exchange Online) with admin consent"
	}
	return e
}

// baseURL is where the calls go: the configured endpoint, or for Security & Compliance the
// tenant's regional host, found once and then cached.
func (cc *CommandClient) baseURL(ctx context.Context, op Operation) (string, error) {
	if !cc.service.discover {
		return cc.endpoint, nil
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.base != "" {
		return cc.base, nil
	}
	base, err := cc.discoverRegion(ctx, op)
	if err != nil {
		return "", err
	}
	cc.base = base
	return base, nil
}

// discoverRegion asks the front door for the module file without following the redirect: its
// Location names the tenant's region. A 200 means the front door serves the tenant itself.
func (cc *CommandClient) discoverRegion(ctx context.Context, op Operation) (string, error) {
	op = Operation{Action: "discovering", Object: "the tenant's " + cc.service.name + " region", Service: op.Service, Permissions: op.Permissions}
	token, err := cc.client.Token(ctx, cc.endpoint)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	target := cc.endpoint + "/adminapi/v1.0/" + url.PathEscape(cc.client.TenantID) + "/EXOModuleFile"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	requestID := uuid.NewString()
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-AnchorMailbox", defaultAnchorMailbox+cc.client.TenantID)
	req.Header.Set("client-request-id", requestID)
	noRedirect := *cc.client.httpClient
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	// The body is read to the end before it is closed, so Close has nothing left to report.
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("%s %s: HTTP %d without a usable Location: %w", op.Action, op.Object, resp.StatusCode, err)
		}
		base, err := complianceBase(loc)
		if err != nil {
			return "", fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
		}
		tflog.Debug(ctx, "Found the Security & Compliance region", map[string]any{"base": base})
		return base, nil
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return cc.endpoint, nil
	default:
		return "", commandError(resp, raw, op, requestID)
	}
}

// complianceBase turns the discovery redirect into the base of the calls: the Location up to
// "/adminapi". Real tenants are sent to "<region>.admin.protection.outlook.com:446", whose
// PowerShell endpoint is "<region>.ps.compliance.protection.outlook.com" on the default port.
func complianceBase(loc *url.URL) (string, error) {
	if loc.Scheme != "https" || loc.Host == "" {
		return "", fmt.Errorf("the region redirect %q is not an https:// URL", loc.Redacted())
	}
	host := loc.Host
	const admin = ".admin.protection."
	if name := loc.Hostname(); strings.Contains(name, admin) {
		host = strings.Replace(name, admin, ".ps.compliance.protection.", 1)
	}
	path := ""
	if i := strings.Index(loc.Path, "/adminapi"); i >= 0 {
		path = strings.TrimRight(loc.Path[:i], "/")
	}
	return "https://" + host + path, nil
}

// stripODataTypes removes the "<Prop>@odata.type" annotations that accompany arrays and
// hashtables in the output: they are not properties, and callers compare properties.
func stripODataTypes(m map[string]any) map[string]any {
	for k, v := range m {
		if strings.HasSuffix(k, "@odata.type") {
			delete(m, k)
			continue
		}
		m[k] = stripNested(v)
	}
	return m
}

func stripNested(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return stripODataTypes(t)
	case []any:
		for i := range t {
			t[i] = stripNested(t[i])
		}
	}
	return v
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
