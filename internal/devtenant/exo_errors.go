// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// exoError is an Exchange Online / Security & Compliance admin API error. Cmdlet failures carry
// the exception in error.details[].message as "|ExceptionType|[Category|]Human message".
type exoError struct {
	status     int
	code       string // error.code; derived from status when empty.
	message    string // error.message; "Error executing cmdlet" when empty.
	exception  string
	category   string
	human      string
	retryAfter int
	// diagnostics is the x-ms-diagnostics header of authentication failures.
	diagnostics string
}

func (e *exoError) Error() string { return strconv.Itoa(e.status) + " " + e.exception + ": " + e.human }

// Exception types Exchange reports.
const (
	exNotFound        = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException"
	exAlreadyExists   = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException"
	exCommandNotFound = "System.Management.Automation.CommandNotFoundException"
	exTerminating     = "Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException"
	exTaskValidation  = "Microsoft.Exchange.Configuration.Tasks.TaskArgumentException"
	exTransient       = "Microsoft.Exchange.Data.Storage.TransientException"
	exDataValidation  = "Microsoft.Exchange.Data.DataValidationException"
)

// exoServerName is the domain controller Exchange names in not-found messages.
const exoServerName = "NAMPR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM"

func exoNotFound(identity string) *exoError {
	return &exoError{status: http.StatusNotFound, exception: exNotFound,
		human: "The operation couldn't be performed because object '" + identity + "' couldn't be found on '" + exoServerName + "'."}
}

func commandNotFound(cmdlet string) *exoError {
	return &exoError{status: http.StatusBadRequest, exception: exCommandNotFound,
		human: "The term '" + cmdlet + "' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."}
}

func exoUnauthorized(reason, category string) *exoError {
	return &exoError{status: http.StatusUnauthorized, code: "Unauthorized", message: reason, human: reason,
		diagnostics: `2000003;reason="` + reason + `";error_category="` + category + `"`}
}

func exoForbidden(cmdlet string) *exoError {
	msg := "Access denied. The user is not allowed to run this cmdlet '" + cmdlet + "'. The role assignments of the application do not include it."
	return &exoError{status: http.StatusForbidden, code: "Forbidden", message: msg, exception: "Microsoft.Exchange.Configuration.Tasks.CmdletAccessDeniedException", human: msg}
}

// cmdletFault is the error an injected fault answers with for status, worded like the real service.
func cmdletFault(status int) *exoError {
	switch status {
	case http.StatusTooManyRequests:
		return &exoError{status: status, code: "TooManyRequests", message: "Too many requests. Please retry after the interval in the Retry-After header.",
			exception: "Microsoft.Exchange.Admin.OData.Core.ThrottlingException", human: "You have reached the maximum number of concurrent requests per tenant. Please wait and try again.", retryAfter: 1}
	case http.StatusBadRequest:
		// The concurrency limit surfaces as a 400 whose message callers must treat as retryable.
		return &exoError{status: status, exception: exTransient, human: "You have reached the maximum number of concurrent requests per tenant. Please wait and try again."}
	case http.StatusNotFound:
		return exoNotFound("(injected)")
	case http.StatusForbidden:
		return exoForbidden("(injected)")
	case http.StatusServiceUnavailable:
		return &exoError{status: status, code: "ServiceUnavailable", message: "The service is temporarily unavailable. Please retry later.", exception: exTransient,
			human: "The service is temporarily unavailable. Please retry later.", retryAfter: 1}
	default:
		return &exoError{status: status, code: "InternalServerError", exception: exTransient,
			human: "An internal server error occurred. The operation failed. Please try again later."}
	}
}

// exoFromGraph converts a FailNext or throttling fault to the admin API's shape.
func exoFromGraph(g *httpx.GraphError) *exoError {
	e := cmdletFault(g.Status)
	if g.RetryAfter > 0 {
		e.retryAfter = g.RetryAfter
	}
	return e
}

func exoStatusCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "BadRequest"
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusTooManyRequests:
		return "TooManyRequests"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	}
	return "InternalServerError"
}

func writeExoError(w http.ResponseWriter, e *exoError) {
	h := w.Header()
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if e.status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"`)
		if e.diagnostics != "" {
			h.Set("x-ms-diagnostics", e.diagnostics)
		}
	}
	code := e.code
	if code == "" {
		code = exoStatusCode(e.status)
	}
	msg := e.message
	if msg == "" {
		msg = "Error executing cmdlet"
	}
	body := map[string]any{"code": code, "message": msg}
	if e.exception != "" {
		parts := []string{"", e.exception}
		if e.category != "" {
			parts = append(parts, e.category)
		}
		parts = append(parts, e.human)
		detail := strings.Join(parts, "|")
		body["details"] = []any{map[string]any{"code": "Context", "target": "", "message": detail}}
		body["innererror"] = map[string]any{
			"message": msg, "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", "stacktrace": "",
			"internalexception": map[string]any{"message": e.human, "type": e.exception, "stacktrace": ""},
		}
	}
	httpx.WriteJSON(w, e.status, map[string]any{"error": body, "adminapi.warnings@odata.type": "#Collection(String)", "@adminapi.warnings": []any{}})
}
