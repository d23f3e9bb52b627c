// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// scripted answers each request with the next status of a script, recording the bodies it got.
func scripted(t *testing.T, statuses []int, retryAfter string) (*httptest.Server, *[]string) {
	t.Helper()
	var n atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		i := int(n.Add(1)) - 1
		status := statuses[min(i, len(statuses)-1)]
		if status == http.StatusTooManyRequests && retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies
}

func newTestRetry(policy RetryPolicy, waits *[]time.Duration) *retryTransport {
	return &retryTransport{next: http.DefaultTransport, policy: policy, sleep: func(_ *http.Request, d time.Duration) error {
		*waits = append(*waits, d)
		return nil
	}}
}

func TestRetryTransport_honoursRetryAfterAndResendsBody(t *testing.T) {
	srv, bodies := scripted(t, []int{429, 503, 201}, "2")
	var waits []time.Duration
	rt := newTestRetry(RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: time.Minute}, &waits)

	// A POST the caller marked resendable (a read or a set sent as POST).
	req, _ := http.NewRequestWithContext(withResendablePOST(context.Background()), http.MethodPost, srv.URL, strings.NewReader(`{"displayName":"x"}`))
	req.GetBody = nil // As a middleware that wrapped the body would leave it.
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 {
		t.Fatalf("status %d, want 201 after two retries", resp.StatusCode)
	}
	if len(*bodies) != 3 {
		t.Fatalf("server saw %d requests, want 3", len(*bodies))
	}
	for i, b := range *bodies {
		if b != `{"displayName":"x"}` {
			t.Errorf("attempt %d sent body %q; retries must re-send the same body", i+1, b)
		}
	}
	if waits[0] != 2*time.Second {
		t.Errorf("first wait %v, want the 2s Retry-After", waits[0])
	}
	// Attempt 1 without Retry-After: BaseDelay/2 plus up to BaseDelay<<1 of jitter.
	if waits[1] > 2500*time.Microsecond || waits[1] < 500*time.Microsecond {
		t.Errorf("second wait %v: a 503 without Retry-After must back off within the jittered bound", waits[1])
	}
}

func TestRetryTransport_givesUpAfterMaxRetries(t *testing.T) {
	srv, bodies := scripted(t, []int{429}, "")
	var waits []time.Duration
	rt := newTestRetry(RetryPolicy{MaxRetries: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: 250 * time.Millisecond}, &waits)
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 429 || len(*bodies) != 4 {
		t.Fatalf("got status %d after %d attempts, want the final 429 after 4 attempts", resp.StatusCode, len(*bodies))
	}
	for i, w := range waits {
		if w < 50*time.Millisecond || w > 250*time.Millisecond {
			t.Errorf("wait %d = %v, outside [BaseDelay/2, MaxDelay]", i, w)
		}
	}
}

func TestRetryTransport_doesNotRetryClientErrors(t *testing.T) {
	srv, bodies := scripted(t, []int{400, 200}, "")
	var waits []time.Duration
	rt := newTestRetry(DefaultRetryPolicy, &waits)
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 400 || len(*bodies) != 1 {
		t.Fatalf("a 400 must come back at once, got %d after %d attempts", resp.StatusCode, len(*bodies))
	}
}

func TestRetryTransport_retryAfterCappedByMaxDelay(t *testing.T) {
	rt := &retryTransport{policy: RetryPolicy{MaxRetries: 1, BaseDelay: time.Second, MaxDelay: 5 * time.Second}}
	if d := rt.backoff(0, "3600"); d != 5*time.Second {
		t.Fatalf("Retry-After 3600 gave %v, want the 5s cap", d)
	}
	at := time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	if d := rt.backoff(0, at); d <= time.Second || d > 3*time.Second {
		t.Fatalf("Retry-After as an HTTP date gave %v, want about 3s", d)
	}
}

// A create answered 503 or 504 may have been done: it is never sent again blindly (the caller
// reads back, see CreateOnce). A throttled create (429) was refused undone and is sent again.
func TestRetryTransport_neverResendsACreateAnswered503Or504(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		srv, bodies := scripted(t, []int{status, 201}, "")
		var waits []time.Duration
		rt := newTestRetry(RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: time.Second}, &waits)
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"displayName":"x"}`))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != status || len(*bodies) != 1 {
			t.Errorf("POST answered %d: got %d after %d requests, want the %d after exactly one", status, resp.StatusCode, len(*bodies), status)
		}
		// The same answer to a read, a PATCH or a DELETE is retried.
		for _, method := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
			srv, bodies := scripted(t, []int{status, 200}, "")
			req, _ := http.NewRequest(method, srv.URL, nil)
			if resp, err := rt.RoundTrip(req); err != nil || resp.StatusCode != 200 || len(*bodies) != 2 {
				t.Errorf("%s answered %d: %v %v after %d requests, want 200 after a retry", method, status, resp, err, len(*bodies))
			}
		}
	}
	srv, bodies := scripted(t, []int{429, 201}, "")
	var waits []time.Duration
	rt := newTestRetry(RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: time.Second}, &waits)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{}`))
	if resp, err := rt.RoundTrip(req); err != nil || resp.StatusCode != 201 || len(*bodies) != 2 {
		t.Errorf("POST answered 429: %v %v after %d requests, want 201 after a retry", resp, err, len(*bodies))
	}
}
