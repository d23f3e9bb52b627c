// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Graph error codes used by more than one route. The values are the ones Microsoft Graph sends.
const (
	codeBadRequest          = "BadRequest"
	codeRequestBadRequest   = "Request_BadRequest"
	codeUnsupportedQuery    = "Request_UnsupportedQuery"
	codeInvalidAuthToken    = "InvalidAuthenticationToken"
	codeAccessDenied        = "AccessDenied"
	codeAuthorizationDenied = "Authorization_RequestDenied"
	codeResourceNotFound    = "ResourceNotFound"
	codeDirNotFound         = "Request_ResourceNotFound"
	codeTooManyRequests     = "TooManyRequests"
	codeServiceUnavailable  = "ServiceNotAvailable"
)

// Messages Graph uses for permission failures. Conditional Access and the other policy APIs
// answer with AccessDenied, directory objects with Authorization_RequestDenied.
const (
	msgPolicyAccessDenied = "You cannot perform the requested operation, required scopes are missing in the token."
	msgDirectoryDenied    = "Insufficient privileges to complete the operation."
)

// graphError is a Graph error response waiting to be written.
type graphError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter int // Seconds; 0 means no Retry-After header.
}

func (e *graphError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newGraphError(status int, code, format string, args ...any) *graphError {
	return &graphError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// writeGraphError writes the error in Graph's shape; request-id and client-request-id headers are
// already set by the request pipeline and are echoed in innerError.
func writeGraphError(w http.ResponseWriter, e *graphError) {
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
	writeJSON(w, e.Status, body)
}

// graphContentType is the media type Graph answers JSON with; kiota keeps only the part before ';'.
const graphContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, body any) {
	writeJSONAs(w, status, graphContentType, body)
}

// writeJSONAs writes body as JSON with the media type of the service answering.
func writeJSONAs(w http.ResponseWriter, status int, contentType string, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// aadError is an Entra (AADSTS) OAuth error.
type aadError struct {
	Status      int
	Error       string
	Code        int
	Description string
}

// writeAADError writes the error exactly as the v2.0 token endpoint does: the description carries
// the AADSTS code, trace and correlation ids and a timestamp.
func writeAADError(w http.ResponseWriter, e aadError) {
	trace := newGUID()
	corr := newGUID()
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
