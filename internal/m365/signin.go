// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// SignInError is a credential Entra ID refused (or that could not ask it): the reason is Entra's
// AADSTS message when there is one.
type SignInError struct {
	Method AuthMethod
	Reason string
	Err    error
}

func (e *SignInError) Error() string {
	return fmt.Sprintf("signing in with the %s failed: %s", e.Method, e.Reason)
}

func (e *SignInError) Unwrap() error { return e.Err }

// SignIn gets the Microsoft Graph token now, so that a credential Entra refuses is an error when
// the provider is configured (at plan) rather than at the first API call, or never when a plan
// happens to make none. It is one token request: the credential caches the token, and every
// Graph request of this client asks for the same scope and reuses it until it nears expiry.
func (c *Client) SignIn(ctx context.Context) error {
	_, err := c.credential.GetToken(ctx, tokenRequest(c.Endpoints.Graph))
	if err == nil {
		return nil
	}
	reason := err.Error()
	if m := aadsts.FindString(reason); m != "" {
		reason = m
	}
	return &SignInError{Method: c.AuthMethod, Reason: reason, Err: err}
}

// tokenRequest is how every token of an audience is asked for (SignIn, Token and, with the same
// scope and no CAE, the Graph adapter), so that they all hit one cache entry.
func tokenRequest(endpoint string) policy.TokenRequestOptions {
	return policy.TokenRequestOptions{Scopes: []string{Scope(endpoint)}}
}
