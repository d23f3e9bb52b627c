// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

type batchBody struct {
	Requests []GraphRequest `json:"requests"`
}

func TestGraphBatchSplitsMatchesAndRetriesThrottledItems(t *testing.T) {
	var mu sync.Mutex
	throttled := map[string]bool{}
	var reqs func() []seen
	srv, reqs := recorder(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		var in batchBody
		if err := json.Unmarshal([]byte(reqs()[n-1].body), &in); err != nil {
			t.Errorf("batch body: %v", err)
		}
		var out []string
		// Answer in reverse order, as Graph may; throttle request "7" once.
		for i := len(in.Requests) - 1; i >= 0; i-- {
			rq := in.Requests[i]
			mu.Lock()
			first := rq.ID == "7" && !throttled[rq.ID]
			throttled[rq.ID] = throttled[rq.ID] || rq.ID == "7"
			mu.Unlock()
			if first {
				out = append(out, fmt.Sprintf(`{"id":%q,"status":429,"headers":{"Retry-After":"0"},"body":{"error":{"code":"TooManyRequests","message":"slow down"}}}`, rq.ID))
				continue
			}
			out = append(out, fmt.Sprintf(`{"id":%q,"status":200,"headers":{},"body":{"url":%q}}`, rq.ID, rq.URL))
		}
		writeJSON(w, 200, `{"responses":[`+strings.Join(out, ",")+`]}`)
	})
	c := testClient(srv, Endpoints{Graph: srv.URL}, AuthClientSecret)
	var in []GraphRequest
	for i := 0; i < 45; i++ {
		in = append(in, GraphRequest{URL: fmt.Sprintf("/users?n=%d", i)})
	}
	got, err := c.GraphBatch(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		var b struct {
			URL string `json:"url"`
		}
		_ = json.Unmarshal(g.Body, &b)
		if g.Status != 200 || b.URL != in[i].URL {
			t.Errorf("response %d: %d %s", i, g.Status, g.Body)
		}
	}
	seen := reqs()
	if len(seen) != 4 {
		t.Fatalf("%d requests, want 3 batches and 1 retry", len(seen))
	}
	sizes := []int{}
	for _, s := range seen {
		var b batchBody
		_ = json.Unmarshal([]byte(s.body), &b)
		sizes = append(sizes, len(b.Requests))
		if s.method != "POST" || s.path != "/v1.0/$batch" || s.header.Get("Authorization") != "Bearer tok:"+srv.URL+"/.default" {
			t.Errorf("request %s %s %q", s.method, s.path, s.header.Get("Authorization"))
		}
	}
	total := 0
	for _, n := range sizes {
		total += n
		if n > MaxGraphBatch {
			t.Errorf("batch of %d", n)
		}
	}
	if total != 46 || !containsInt(sizes, 1) {
		t.Errorf("batch sizes %v: want 20+20+5 and a retry of the one throttled item", sizes)
	}
}

func TestGraphBatchGivesUpOnThrottlingAndFailsOnAuth(t *testing.T) {
	var reqs func() []seen
	srv, reqs := recorder(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if strings.Contains(reqs()[n-1].body, "denied") {
			writeJSON(w, 401, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}`)
			return
		}
		writeJSON(w, 200, `{"responses":[{"id":"1","status":429,"headers":{"retry-after":"0"},"body":{}}]}`)
	})
	c := testClient(srv, Endpoints{Graph: srv.URL}, AuthClientSecret)
	got, err := c.GraphBatch(context.Background(), []GraphRequest{{URL: "/organization"}})
	if err != nil || got[0].Status != 429 {
		t.Errorf("persistent throttling: %v %+v", err, got)
	}
	if n := len(reqs()); n != 3 {
		t.Errorf("%d attempts, want 1 + MaxRetries (2)", n)
	}
	_, err = c.GraphBatch(context.Background(), []GraphRequest{{URL: "/denied"}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Kind != KindAuth || apiErr.Status != 401 {
		t.Errorf("401 batch: %v", err)
	}
	if _, err := c.GraphBatch(context.Background(), []GraphRequest{{URL: srv.URL + "/v1.0/users"}}); err == nil {
		t.Error("an absolute URL must be refused")
	}
}

func TestGraphRelative(t *testing.T) {
	c := &Client{Endpoints: Endpoints{Graph: "https://graph.example"}}
	rel, err := c.GraphRelative("https://graph.example/v1.0/users?$top=5&$skiptoken=abc")
	if err != nil || rel != "/users?$top=5&$skiptoken=abc" {
		t.Errorf("GraphRelative = %q, %v", rel, err)
	}
	if _, err := c.GraphRelative("https://evil.example/v1.0/users"); err == nil {
		t.Error("a link to another host must be refused")
	}
	if msg := GraphErrorMessage(403, []byte(`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}`)); msg != "HTTP 403 Authorization_RequestDenied: Insufficient privileges." {
		t.Errorf("GraphErrorMessage = %q", msg)
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
