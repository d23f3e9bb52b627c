// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"errors"
	"strings"
	"testing"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

func odataError(status int, code, message, requestID string) error {
	inner := odataerrors.NewInnerError()
	inner.SetRequestId(&requestID)
	main := odataerrors.NewMainError()
	main.SetCode(&code)
	main.SetMessage(&message)
	main.SetInnerError(inner)
	e := odataerrors.NewODataError()
	e.SetErrorEscaped(main)
	e.ResponseStatusCode = status
	return e
}

func TestGraphError_forbiddenNamesThePermission(t *testing.T) {
	op := Operation{Action: "creating", Object: "Conditional Access policy", Permissions: []string{"Policy.ReadWrite.ConditionalAccess", "Policy.Read.All"}}
	err := GraphError(odataError(403, "AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token.", "req-1"), op)
	if !IsForbidden(err) || IsNotFound(err) {
		t.Fatalf("classified as %q", kindOf(err))
	}
	msg := err.Error()
	for _, want := range []string{"creating Conditional Access policy", "HTTP 403", "AccessDenied", "required scopes are missing",
		"Policy.ReadWrite.ConditionalAccess and Policy.Read.All", "request-id req-1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestGraphError_kinds(t *testing.T) {
	for status, kind := range map[int]ErrorKind{404: KindNotFound, 429: KindThrottled, 400: KindBadRequest, 401: KindAuth, 500: KindServer, 409: KindConflict} {
		err := GraphError(odataError(status, "X", "m", "r"), Operation{Action: "reading", Object: "thing"})
		if kindOf(err) != kind {
			t.Errorf("HTTP %d classified %q, want %q", status, kindOf(err), kind)
		}
	}
}

// An error body without an "error" object makes ODataError.Error() panic; GraphError must not.
func TestGraphError_emptyODataBodyDoesNotPanic(t *testing.T) {
	e := odataerrors.NewODataError()
	e.ResponseStatusCode = 404
	e.ResponseHeaders = abs.NewResponseHeaders()
	e.ResponseHeaders.Add("request-id", "hdr-req")
	err := GraphError(e, Operation{Action: "reading", Object: "policy"})
	if !IsNotFound(err) || !strings.Contains(err.Error(), "hdr-req") {
		t.Fatalf("got %v", err)
	}
}

func TestGraphError_nonAPIErrorKeepsContext(t *testing.T) {
	base := errors.New("dial tcp: connection refused")
	err := GraphError(base, Operation{Action: "reading", Object: "policy x"})
	if !errors.Is(err, base) || !strings.HasPrefix(err.Error(), "reading policy x: ") {
		t.Fatalf("got %v", err)
	}
	if GraphError(nil, Operation{}) != nil {
		t.Fatal("nil error must stay nil")
	}
}
