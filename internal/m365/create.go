// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
)

// A create answered 503 or 504, or cut off by a timeout, may have been done all the same: the
// service committed the object and lost the answer. Sending it again then makes a second object
// (two Conditional Access policies of one name, both enforced), so the transport never resends a
// create (see mayResend). CreateOnce finds out instead: it reads back by name and adopts the
// object the lost answer would have named, and creates again only when there is none.

// Creation describes one create to CreateOnce.
type Creation[T any] struct {
	What   string                                 // Names the object in logs and errors, e.g. `Conditional Access policy "HIPAA - MFA"`.
	Find   func(ctx context.Context) ([]T, error) // The objects that carry the new object's name.
	ID     func(T) string                         // The id of an object Find returned.
	Create func(ctx context.Context) (T, error)   // Sends the create once.
}

// CreateAttempts bounds how often CreateOnce sends a create whose outcome stayed unknown.
const CreateAttempts = 3

// createSettle is how long CreateOnce waits, after an unknown outcome, for an object created
// behind it to become readable before it concludes that the create was not done. A tenant's
// replicas can take seconds to show a new object.
var createSettle = 10 * time.Second

// CreateOnce runs c.Create so that it creates at most one object: it notes which objects of
// that name exist before, and after an answer that leaves the outcome unknown it adopts the
// object that appeared since, or creates again when none did.
func CreateOnce[T any](ctx context.Context, c Creation[T]) (T, error) {
	var zero T
	existing, err := c.Find(ctx)
	if err != nil {
		return zero, err
	}
	before := map[string]bool{}
	for _, o := range existing {
		before[c.ID(o)] = true
	}
	for attempt := 1; ; attempt++ {
		created, err := c.Create(ctx)
		if err == nil || !OutcomeUnknown(ctx, err) {
			return created, err
		}
		tflog.Warn(ctx, "A create failed with an answer that leaves its outcome unknown; reading back before creating again",
			map[string]any{"object": c.What, "attempt": attempt, "error": err.Error()})
		found, ferr := appeared(ctx, c, before)
		if ferr != nil {
			return zero, fmt.Errorf("%w; reading back whether it was created anyway failed: %v", err, ferr)
		}
		if found != nil {
			tflog.Info(ctx, "The create was done behind the failed answer; using the object it made",
				map[string]any{"object": c.What, "id": c.ID(*found)})
			return *found, nil
		}
		if attempt >= CreateAttempts || ctx.Err() != nil {
			return zero, err
		}
	}
}

// appeared polls Find for up to createSettle for an object that was not there before.
func appeared[T any](ctx context.Context, c Creation[T], before map[string]bool) (*T, error) {
	settle, cancel := context.WithTimeout(ctx, createSettle)
	defer cancel()
	var found *T
	err := consistency.WaitFor(settle, consistency.Options{Interval: 250 * time.Millisecond, MaxInterval: 2 * time.Second, Consecutive: 1},
		c.What, func(ctx context.Context) (bool, error) {
			objs, err := c.Find(ctx)
			if err != nil {
				return false, err
			}
			for _, o := range objs {
				if id := c.ID(o); id != "" && !before[id] {
					found = &o
					return true, nil
				}
			}
			return false, nil
		})
	if found != nil {
		return found, nil
	}
	if err != nil && settle.Err() != nil && ctx.Err() == nil {
		return nil, nil // Nothing appeared within the window: the create was not done.
	}
	return nil, err
}

// OutcomeUnknown reports whether a failed write may have been done all the same: a 503 or 504
// answer, or a request cut off by the network or a timeout after it was sent. An error of the
// caller's own context (cancelled, deadline) is not: the caller has stopped.
func OutcomeUnknown(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.Status == http.StatusServiceUnavailable || apiErr.Status == http.StatusGatewayTimeout
	}
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr)
}
