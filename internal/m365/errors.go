// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// ErrorKind classifies an answer from Microsoft 365 so callers can act on it: a resource's Read
// removes itself from state on KindNotFound, and a 403 is reported with the missing permission.
type ErrorKind string

// The kinds of API error the provider distinguishes.
const (
	KindNotFound   ErrorKind = "not found"
	KindForbidden  ErrorKind = "forbidden"
	KindThrottled  ErrorKind = "throttled"
	KindBadRequest ErrorKind = "bad request"
	KindAuth       ErrorKind = "unauthenticated"
	KindConflict   ErrorKind = "conflict"
	KindServer     ErrorKind = "server error"
	// KindUnavailable: the service does not offer the operation to this tenant or role, e.g. an
	// Exchange cmdlet that needs a licence the tenant lacks (CommandNotFoundException).
	KindUnavailable ErrorKind = "not available"
)

// Operation describes what a call was doing, so an error can say it in the user's terms.
type Operation struct {
	Action      string   // A gerund: "reading", "creating", "updating", "deleting".
	Object      string   // What it acted on: `Conditional Access policy "abc"`.
	Permissions []string // The Graph application permissions the call needs (least privileged first).
	// Service names the API when it is not Microsoft Graph ("Exchange Online"); Permissions then
	// hold that service's permissions and roles, and the error words its hint accordingly.
	Service string
}

// APIError is an error answer from Microsoft 365, classified, with what we were doing.
type APIError struct {
	Kind      ErrorKind
	Status    int
	Code      string // The service's error code, e.g. Authorization_RequestDenied.
	Message   string // The service's message, verbatim.
	RequestID string // Quote it to Microsoft support.
	Op        Operation
	Err       error
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s (HTTP %d", e.Op.Action, e.Op.Object, e.Kind, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, ", %s", e.Code)
	}
	b.WriteString(")")
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	switch e.Kind {
	case KindForbidden:
		if len(e.Op.Permissions) > 0 && e.Op.Service != "" {
			fmt.Fprintf(&b, ". For %s the application needs %s", e.Op.Service, strings.Join(e.Op.Permissions, " and "))
		} else if len(e.Op.Permissions) > 0 {
			fmt.Fprintf(&b, ". The application needs the Microsoft Graph application permission %s (with admin consent) for this",
				strings.Join(e.Op.Permissions, " and "))
		}
	case KindThrottled:
		b.WriteString(". Microsoft 365 kept throttling after every retry; run again later or lower -parallelism")
	case KindUnavailable:
		b.WriteString(". The cmdlet is not available to this tenant or role: it may need a licence such as Microsoft Defender for Office 365")
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", e.RequestID)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.Err }

// IsNotFound reports whether err says the object does not exist.
func IsNotFound(err error) bool { return kindOf(err) == KindNotFound }

// IsForbidden reports whether err says the credential lacks a permission.
func IsForbidden(err error) bool { return kindOf(err) == KindForbidden }

// IsThrottled reports whether err says the service is still throttling after every retry.
func IsThrottled(err error) bool { return kindOf(err) == KindThrottled }

// IsUnavailable reports whether err says the service does not offer the operation to this
// tenant or role (for example a cmdlet that needs a licence).
func IsUnavailable(err error) bool { return kindOf(err) == KindUnavailable }

func kindOf(err error) ErrorKind {
	var e *APIError
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func kindForStatus(status int) ErrorKind {
	switch {
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusForbidden:
		return KindForbidden
	case status == http.StatusUnauthorized:
		return KindAuth
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		return KindConflict
	case isRetryableStatus(status):
		return KindThrottled
	case status >= 500:
		return KindServer
	default:
		return KindBadRequest
	}
}

var aadsts = regexp.MustCompile(`AADSTS\d+: [^.]*\.`)

// GraphError turns an error from msgraph-sdk-go into an *APIError that names the operation.
// Errors that are not API answers (network, context, credential) are wrapped as they are.
func GraphError(err error, op Operation) error {
	if err == nil {
		return nil
	}
	var od *odataerrors.ODataError
	if errors.As(err, &od) {
		e := &APIError{Status: od.ResponseStatusCode, Op: op, Err: err}
		// ODataError.Error() panics when the body had no "error" object; read the fields instead.
		if main := od.GetErrorEscaped(); main != nil {
			e.Code = deref(main.GetCode())
			e.Message = deref(main.GetMessage())
			if inner := main.GetInnerError(); inner != nil {
				e.RequestID = deref(inner.GetRequestId())
			}
		}
		if e.RequestID == "" {
			e.RequestID = headerValue(od.ResponseHeaders, "request-id")
		}
		e.Kind = kindForStatus(e.Status)
		return e
	}
	var authErr *azidentity.AuthenticationFailedError
	if errors.As(err, &authErr) {
		e := &APIError{Kind: KindAuth, Op: op, Err: err, Message: "signing in to Entra ID failed"}
		if authErr.RawResponse != nil {
			e.Status = authErr.RawResponse.StatusCode
		}
		// Entra's error_description starts with the AADSTS code that says what is wrong.
		if m := aadsts.FindString(err.Error()); m != "" {
			e.Message += ": " + m
		}
		return e
	}
	var ae *abs.ApiError
	if errors.As(err, &ae) && ae.ResponseStatusCode != 0 {
		return &APIError{
			Kind: kindForStatus(ae.ResponseStatusCode), Status: ae.ResponseStatusCode, Message: ae.Message,
			RequestID: headerValue(ae.ResponseHeaders, "request-id"), Op: op, Err: err,
		}
	}
	return fmt.Errorf("%s %s: %w", op.Action, op.Object, err)
}

func headerValue(h *abs.ResponseHeaders, name string) string {
	if h == nil {
		return ""
	}
	if v := h.Get(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
