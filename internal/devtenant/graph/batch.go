// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// JSON batching: up to 20 requests, each run through the full pipeline with the caller's token.

const maxBatchRequests = 20

type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

func (s *Service) batch(g *gctx) *httpx.GraphError {
	var req struct {
		Requests []batchRequest `json:"requests"`
	}
	if err := json.Unmarshal(g.body, &req); err != nil {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Invalid batch payload format.")
	}
	if len(req.Requests) == 0 {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Invalid batch payload format.")
	}
	if len(req.Requests) > maxBatchRequests {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Number of individual requests in a batch exceeds the limit. Maximum number of requests allowed in a batch is %d.", maxBatchRequests)
	}
	seen := map[string]bool{}
	for _, r := range req.Requests {
		if r.ID == "" || seen[r.ID] {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Each request in a batch needs a unique 'id'; '%s' is missing or duplicated.", r.ID)
		}
		seen[r.ID] = true
		if r.Method == "" || r.URL == "" {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Request '%s' needs 'method' and 'url'.", r.ID)
		}
		if strings.Contains(r.URL, "://") {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Batch request '%s' must use a relative URL.", r.ID)
		}
		for _, d := range r.DependsOn {
			if !seen[d] || d == r.ID {
				return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Request '%s' depends on '%s', which is not an earlier request in the batch.", r.ID, d)
			}
		}
	}
	status := map[string]int{}
	responses := make([]any, 0, len(req.Requests))
	for _, br := range req.Requests {
		failedDep := ""
		for _, d := range br.DependsOn {
			if status[d] >= 400 {
				failedDep = d
			}
		}
		if failedDep != "" {
			status[br.ID] = http.StatusFailedDependency
			responses = append(responses, map[string]any{
				"id": br.ID, "status": http.StatusFailedDependency, "headers": map[string]string{"Content-Type": "application/json"},
				"body": map[string]any{"error": map[string]any{"code": "FailedDependency", "message": "Failed dependency: request '" + failedDep + "' failed."}},
			})
			continue
		}
		resp := s.runBatchItem(g, br)
		status[br.ID], _ = resp["status"].(int)
		responses = append(responses, resp)
	}
	return g.writeJSON(http.StatusOK, map[string]any{"responses": responses})
}

func (s *Service) runBatchItem(g *gctx, br batchRequest) map[string]any {
	u := "/" + strings.TrimPrefix(br.URL, "/")
	u = strings.TrimPrefix(u, "/v1.0")
	if strings.HasPrefix(strings.TrimPrefix(u, "/"), "$batch") {
		return map[string]any{"id": br.ID, "status": http.StatusBadRequest, "body": map[string]any{"error": map[string]any{"code": httpx.CodeBadRequest, "message": "Nested batch requests are not supported."}}}
	}
	var body []byte
	if len(br.Body) > 0 && string(br.Body) != "null" {
		body = br.Body
	}
	inner := httptest.NewRequest(strings.ToUpper(br.Method), "/v1.0"+u, bytes.NewReader(body))
	inner = inner.WithContext(g.r.Context())
	for k, v := range br.Headers {
		inner.Header.Set(k, v)
	}
	inner.Header.Set("Authorization", g.r.Header.Get("Authorization"))
	if inner.Header.Get("client-request-id") == "" {
		inner.Header.Set("client-request-id", g.w.Header().Get("client-request-id"))
	}
	rec := httptest.NewRecorder()
	s.Serve(rec, inner)
	headers := map[string]string{}
	for k := range rec.Header() {
		switch k {
		case "Content-Type", "Retry-After", "Location", "Request-Id", "Client-Request-Id":
			headers[k] = rec.Header().Get(k)
		}
	}
	out := map[string]any{"id": br.ID, "status": rec.Code, "headers": headers}
	if rec.Body.Len() > 0 {
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err == nil {
			out["body"] = v
		} else {
			out["body"] = rec.Body.String()
		}
	}
	return out
}
