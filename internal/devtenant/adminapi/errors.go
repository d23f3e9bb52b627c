// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package adminapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// exoError is an Exchange Online / Security & Compliance admin API error. Cmdlet failures carry
// the exception in error.details[].message as "|ExceptionType|[Category|]Human message".
type Error struct {
	Status     int
	code       string // error.code; derived from status when empty.
	message    string // error.message; "Error executing cmdlet" when empty.
	Exception  string
	category   string
	Human      string
	retryAfter int
	// diagnostics is the x-ms-diagnostics header of authentication failures.
	diagnostics string
}

func (e *Error) Error() string { return strconv.Itoa(e.Status) + " " + e.Exception + ": " + e.Human }

// Exception types Exchange reports.
const (
	ExNotFound        = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException"
	ExAlreadyExists   = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAlreadyExistsException"
	ExCommandNotFound = "System.Management.Automation.CommandNotFoundException"
	ExTerminating     = "Microsoft.Exchange.Configuration.Tasks.ThrowTerminatingErrorException"
	ExTaskValidation  = "Microsoft.Exchange.Configuration.Tasks.TaskArgumentException"
	exTransient       = "Microsoft.Exchange.Data.Storage.TransientException"
	ExDataValidation  = "Microsoft.Exchange.Data.DataValidationException"
)

// exoServerName is the domain controller Exchange names in not-found messages.
const exoServerName = "NAMPR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM"

func NotFound(identity string) *Error {
	return &Error{Status: http.StatusNotFound, Exception: ExNotFound,
		Human: "The operation couldn't be performed because object '" + identity + "' couldn't be found on '" + exoServerName + "'."}
}

// BadRequest is a 400 whose details carry exception and message: a cmdlet refusing its input.
func BadRequest(exception, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Exception: exception, Human: fmt.Sprintf(format, args...)}
}

// alreadyExists is what New- and a renaming Set- answer for a name another object has.
func alreadyExists(name string) *Error {
	return BadRequest(ExAlreadyExists, "The object '%s' already exists. Use a different name.", name)
}

func commandNotFound(cmdlet string) *Error {
	return &Error{Status: http.StatusBadRequest, Exception: ExCommandNotFound,
		Human: "The term '" + cmdlet + "' is not recognized as a name of a cmdlet, function, script file, or executable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."}
}

func exoUnauthorized(reason, category string) *Error {
	return &Error{Status: http.StatusUnauthorized, code: "Unauthorized", message: reason, Human: reason,
		diagnostics: `2000003;reason="` + reason + `";error_category="` + category + `"`}
}

func exoForbidden(cmdlet string) *Error {
	msg := "Access denied. The user is not allowed to run this cmdlet '" + cmdlet + "'. The role assignments of the application do not include it."
	return &Error{Status: http.StatusForbidden, code: "Forbidden", message: msg, Exception: "Microsoft.Exchange.Configuration.Tasks.CmdletAccessDeniedException", Human: msg}
}

// cmdletFault is the error an injected fault answers with for status, worded like the real service.
func cmdletFault(status int) *Error {
	switch status {
	case http.StatusTooManyRequests:
		return &Error{Status: status, code: "TooManyRequests", message: "Too many requests. Please retry after the interval in the Retry-After header.",
			Exception: "Microsoft.Exchange.Admin.OData.Core.ThrottlingException", Human: "You have reached the maximum number of concurrent requests per tenant. Please wait and try again.", retryAfter: 1}
	case http.StatusBadRequest:
		// The concurrency limit surfaces as a 400 whose message callers must treat as retryable.
		return &Error{Status: status, Exception: exTransient, Human: "You have reached the maximum number of concurrent requests per tenant. Please wait and try again."}
	case http.StatusNotFound:
		return NotFound("(injected)")
	case http.StatusForbidden:
		return exoForbidden("(injected)")
	case http.StatusServiceUnavailable:
		return &Error{Status: status, code: "ServiceUnavailable", message: "The service is temporarily unavailable. Please retry later.", Exception: exTransient,
			Human: "The service is temporarily unavailable. Please retry later.", retryAfter: 1}
	default:
		return &Error{Status: status, code: "InternalServerError", Exception: exTransient,
			Human: "An internal server error occurred. The operation failed. Please try again later."}
	}
}

// exoFromGraph converts a FailNext or throttling fault to the admin API's shape.
func exoFromGraph(g *httpx.GraphError) *Error {
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

func writeExoError(w http.ResponseWriter, e *Error) {
	h := w.Header()
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if e.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"`)
		if e.diagnostics != "" {
			h.Set("x-ms-diagnostics", e.diagnostics)
		}
	}
	code := e.code
	if code == "" {
		code = exoStatusCode(e.Status)
	}
	msg := e.message
	if msg == "" {
		msg = "Error executing cmdlet"
	}
	body := map[string]any{"code": code, "message": msg}
	if e.Exception != "" {
		parts := []string{"", e.Exception}
		if e.category != "" {
			parts = append(parts, e.category)
		}
		parts = append(parts, e.Human)
		detail := strings.Join(parts, "|")
		body["details"] = []any{map[string]any{"code": "Context", "target": "", "message": detail}}
		body["innererror"] = map[string]any{
			"message": msg, "type": "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", "stacktrace": "",
			"internalexception": map[string]any{"message": e.Human, "type": e.Exception, "stacktrace": ""},
		}
	}
	httpx.WriteJSON(w, e.Status, map[string]any{"error": body, "adminapi.warnings@odata.type": "#Collection(String)", "@adminapi.warnings": []any{}})
}
