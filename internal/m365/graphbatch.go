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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Graph JSON batching (POST /v1.0/$batch) for callers that read many resources at once: one
// round trip instead of twenty. The SDK's batch support needs a typed request per item; reads
// that keep the payload verbatim (the assessment's snapshot) want raw JSON instead.

// MaxGraphBatch is the number of requests Graph accepts in one $batch.
const MaxGraphBatch = 20

// maxConcurrentBatches bounds the batches in flight: Graph throttles per app and tenant, and
// four batches of twenty already cover a whole assessment.
const maxConcurrentBatches = 4

// GraphRequest is one request of a batch. URL is relative to the version root, e.g.
// "/users?$top=1" (Graph rejects absolute URLs in a batch); Method defaults to GET.
type GraphRequest struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// GraphResponse is Graph's answer to one request of a batch: its own status, headers and body
// (JSON, verbatim).
type GraphResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// GraphBatch sends reqs in $batch requests of at most MaxGraphBatch, a few at once, and returns
// one response per request, in the order given. Items answered 429, 503 or 504 are sent again,
// only they, after the longest Retry-After among them, within the client's retry policy; after
// the last retry their throttled answer is returned. An error means a whole batch failed (no
// token, 401, network): a per-item failure is in its response's Status.
func (c *Client) GraphBatch(ctx context.Context, reqs []GraphRequest) ([]GraphResponse, error) {
	out := make([]GraphResponse, len(reqs))
	ids := make(map[string]int, len(reqs))
	for i := range reqs {
		if reqs[i].ID == "" {
			reqs[i].ID = strconv.Itoa(i + 1)
		}
		if _, dup := ids[reqs[i].ID]; dup {
			return nil, fmt.Errorf("Graph batch: request id %q is used twice", reqs[i].ID)
		}
		ids[reqs[i].ID] = i
		if reqs[i].Method == "" {
			reqs[i].Method = http.MethodGet
		}
		if strings.Contains(reqs[i].URL, "://") {
			return nil, fmt.Errorf("Graph batch: request %q must use a relative URL, not %q", reqs[i].ID, reqs[i].URL)
		}
	}
	policy := c.retryPolicy()
	pending := reqs
	for attempt := 0; len(pending) > 0; attempt++ {
		answers, err := c.sendBatches(ctx, pending)
		if err != nil {
			return nil, err
		}
		var again []GraphRequest
		var wait time.Duration
		for i, a := range answers {
			out[ids[pending[i].ID]] = a
			if isRetryableStatus(a.Status) && attempt < policy.MaxRetries {
				again = append(again, pending[i])
				wait = max(wait, (&retryTransport{policy: policy}).backoff(attempt, headerCI(a.Headers, "Retry-After")))
			}
		}
		if len(again) == 0 {
			break
		}
		tflog.Debug(ctx, "Graph throttled part of a batch; retrying those requests", map[string]any{
			"requests": len(again), "attempt": attempt + 1, "wait": wait.String()})
		if err := sleepCtx(ctx, wait); err != nil {
			return nil, err
		}
		pending = again
	}
	return out, nil
}

// sendBatches splits reqs into batches, sends them concurrently and returns the answers in the
// order of reqs.
func (c *Client) sendBatches(ctx context.Context, reqs []GraphRequest) ([]GraphResponse, error) {
	answers := make([]GraphResponse, len(reqs))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	slots := make(chan struct{}, maxConcurrentBatches)
	for start := 0; start < len(reqs); start += MaxGraphBatch {
		chunk := reqs[start:min(start+MaxGraphBatch, len(reqs))]
		wg.Add(1)
		go func(start int, chunk []GraphRequest) {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			got, err := c.sendBatch(ctx, chunk)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			copy(answers[start:], got)
		}(start, chunk)
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return answers, firstErr
}

// sendBatch posts one $batch and matches its responses (which Graph may reorder) to chunk.
func (c *Client) sendBatch(ctx context.Context, chunk []GraphRequest) ([]GraphResponse, error) {
	op := Operation{Action: "sending", Object: fmt.Sprintf("a Microsoft Graph batch of %d requests", len(chunk))}
	body, err := json.Marshal(map[string]any{"requests": chunk})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
	}
	if !slices.ContainsFunc(chunk, func(r GraphRequest) bool { return strings.EqualFold(r.Method, http.MethodPost) }) {
		// Without a create in it, sending the batch again after a 503 cannot duplicate anything.
		ctx = withResendablePOST(ctx)
	}
	raw, err := c.call(ctx, http.MethodPost, c.Endpoints.Graph, c.Endpoints.Graph+"/v1.0/$batch", body,
		map[string]string{"Content-Type": "application/json", "Accept": "application/json"}, op)
	if err != nil {
		return nil, err
	}
	var res struct {
		Responses []GraphResponse `json:"responses"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, fmt.Errorf("%s %s: decoding the answer: %w", op.Action, op.Object, err)
	}
	byID := make(map[string]GraphResponse, len(res.Responses))
	for _, r := range res.Responses {
		byID[r.ID] = r
	}
	out := make([]GraphResponse, len(chunk))
	for i, rq := range chunk {
		r, ok := byID[rq.ID]
		if !ok {
			return nil, fmt.Errorf("%s %s: the answer has no response for request %q", op.Action, op.Object, rq.ID)
		}
		out[i] = r
	}
	return out, nil
}

// GraphGet sends one GET to Graph (target absolute, or relative to the version root) and returns
// the status and body of any answer; err is set only when no answer came (token, network).
func (c *Client) GraphGet(ctx context.Context, target string) (int, []byte, error) {
	if !strings.Contains(target, "://") {
		target = c.Endpoints.Graph + "/v1.0" + target
	}
	token, err := c.Token(ctx, c.Endpoints.Graph)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("client-request-id", uuid.NewString())
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	// The body is read to the end before it is closed, so Close has nothing left to report.
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("reading the answer of GET %s: %w", req.URL.Redacted(), err)
	}
	return resp.StatusCode, raw, nil
}

// GraphRelative turns an @odata.nextLink into the relative URL a batch item needs. It refuses a
// link to another host, which must not receive the tenant's token.
func (c *Client) GraphRelative(link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("the next page link %q is not a URL: %w", link, err)
	}
	if !u.IsAbs() {
		return link, nil
	}
	base, _ := url.Parse(c.Endpoints.Graph)
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return "", fmt.Errorf("the next page link %q points to another host than %s; refusing to send the token there", link, c.Endpoints.Graph)
	}
	rel := strings.TrimPrefix(u.EscapedPath(), strings.TrimRight(base.EscapedPath(), "/"))
	rel = strings.TrimPrefix(rel, "/v1.0")
	if u.RawQuery != "" {
		rel += "?" + u.RawQuery
	}
	return rel, nil
}

// GraphErrorMessage extracts "code: message" from a Graph error body, for a failed batch item.
func GraphErrorMessage(status int, body []byte) string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && (e.Error.Code != "" || e.Error.Message != "") {
		return fmt.Sprintf("HTTP %d %s: %s", status, e.Error.Code, e.Error.Message)
	}
	msg := strings.TrimSpace(string(bytes.TrimSpace(body)))
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return fmt.Sprintf("HTTP %d %s", status, msg)
}

func (c *Client) retryPolicy() RetryPolicy {
	if rt, ok := c.httpClient.Transport.(*retryTransport); ok {
		return rt.policy
	}
	return DefaultRetryPolicy
}

func headerCI(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}
