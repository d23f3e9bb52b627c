// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package identitypolicies is the one place that calls the tenant-wide Entra ID policies of
// Microsoft Graph v1.0 that the baseline manages: the authorization policy (who may invite
// guests, what guests see), the method configurations of the authentication methods policy, and
// security defaults (identitySecurityDefaultsEnforcementPolicy). Each is a singleton that always
// exists, so there is nothing to create or delete: get, update, and wait until the update reads
// back, since a write takes seconds to reach every replica. A missing object (a method
// configuration id Graph does not know, an empty answer) is an *m365.APIError of kind not found,
// the one "not found" of internal/m365 (m365.IsNotFound), as in internal/m365/capolicies.
//
// Every call names its object and the least-privileged application permission it needs, so that
// a 403 says what to grant.
package identitypolicies

import (
	"context"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// notFound is the error of an answer without the object.
func notFound(op m365.Operation) error {
	return &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
}

// waitFor polls read until check holds for consistency.Defaults' run of reads and returns the
// last value read, also on error, so that the caller knows what the tenant has. An error from
// read or check ends the wait.
func waitFor[T any](ctx context.Context, what string, read func(ctx context.Context) (T, error), check func(T) (bool, error)) (T, error) {
	var last T
	err := consistency.WaitFor(ctx, consistency.Defaults, what, func(ctx context.Context) (bool, error) {
		v, err := read(ctx)
		if err != nil {
			return false, err
		}
		last = v
		return check(v)
	})
	return last, err
}
