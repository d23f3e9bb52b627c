// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package httpx writes the wire shapes more than one devtenant service answers with: Graph's
// OData JSON and error body (which Exchange, Compliance and SharePoint faults are derived from),
// Entra's AADSTS errors, and request body reading.
package httpx

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Graph error codes used by more than one route. The values are the ones Microsoft Graph sends.
const (
	CodeBadRequest          = "BadRequest"
	CodeRequestBadRequest   = "Request_BadRequest"
	CodeUnsupportedQuery    = "Request_UnsupportedQuery"
	CodeInvalidAuthToken    = "InvalidAuthenticationToken"
	CodeAccessDenied        = "AccessDenied"
	CodeAuthorizationDenied = "Authorization_RequestDenied"
	CodeResourceNotFound    = "ResourceNotFound"
	CodeDirNotFound         = "Request_ResourceNotFound"
	CodeTooManyRequests     = "TooManyRequests"
	CodeServiceUnavailable  = "ServiceNotAvailable"
)

// Messages Graph uses for permission failures. Conditional Access and the other policy APIs
// answer with AccessDenied, directory objects with Authorization_RequestDenied.
const (
	MsgPolicyAccessDenied = "You cannot perform the requested operation, required scopes are missing in the token."
	MsgDirectoryDenied    = "Insufficient privileges to complete the operation."
)

// GraphError is a Graph error response waiting to be written.
type GraphError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter int // Seconds; 0 means no Retry-After header.
}

func (e *GraphError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func NewGraphError(status int, code, format string, args ...any) *GraphError {
	return &GraphError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// WriteGraphError writes the error in Graph's shape; request-id and client-request-id headers are
// already set by the request pipeline and are echoed in innerError.
func WriteGraphError(w http.ResponseWriter, e *GraphError) {
	h := w.Header()
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	body := map[string]any{
		"error": map[string]any{
			"code":    e.Code,
			"message": e.Message,
			"innerError": map[string]any{
				"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
				"request-id":        h.Get("request-id"),
				"client-request-id": h.Get("client-request-id"),
			},
		},
	}
	WriteJSON(w, e.Status, body)
}

// graphContentType is the media type Graph answers JSON with; kiota keeps only the part before ';'.
const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func WriteJSON(w http.ResponseWriter, status int, body any) {
	WriteJSONAs(w, status, graphContentType, body)
}

// WriteJSONAs writes body as JSON with the media type of the service answering.
func WriteJSONAs(w http.ResponseWriter, status int, contentType string, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// AADError is an Entra (AADSTS) OAuth error.
type AADError struct {
	Status      int
	Error       string
	Code        int
	Description string
}

// WriteAADError writes the error exactly as the v2.0 token endpoint does: the description carries
// the AADSTS code, trace and correlation ids and a timestamp.
func WriteAADError(w http.ResponseWriter, e AADError) {
	trace := store.NewGUID()
	corr := store.NewGUID()
	ts := time.Now().UTC().Format("2006-01-02 15:04:05Z")
	desc := fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s", e.Code, e.Description, trace, corr, ts)
	body := map[string]any{
		"error":             e.Error,
		"error_description": desc,
		"error_codes":       []int{e.Code},
		"timestamp":         ts,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", e.Code),
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("x-ms-request-id", trace)
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// DiscardResponse takes the answer of a request whose answer a fault replaces.
type DiscardResponse struct{ h http.Header }

func (d *DiscardResponse) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}

func (d *DiscardResponse) Write(b []byte) (int, error) { return len(b), nil }

func (d *DiscardResponse) WriteHeader(int) {}

// ReadBody returns the request body, gunzipped when kiota's compression handler sent it so.
func ReadBody(r *http.Request) ([]byte, *GraphError) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return nil, NewGraphError(http.StatusBadRequest, CodeBadRequest, "Unable to read the request body.")
	}
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") && len(b) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, NewGraphError(http.StatusBadRequest, CodeBadRequest, "The request body is not valid gzip.")
		}
		if b, err = io.ReadAll(io.LimitReader(zr, 32<<20)); err != nil {
			return nil, NewGraphError(http.StatusBadRequest, CodeBadRequest, "The request body is not valid gzip.")
		}
	}
	return b, nil
}
