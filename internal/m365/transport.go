// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// RetryPolicy bounds how the HTTP layer retries throttled and unavailable answers. Microsoft 365
// answers 429 (throttled), 503 and 504 when a service is busy; Conditional Access's 429s often
// carry no Retry-After, so the backoff must work without it.
type RetryPolicy struct {
	MaxRetries int           // Retries after the first attempt.
	BaseDelay  time.Duration // First backoff when the answer gives no Retry-After.
	MaxDelay   time.Duration // Cap on any one wait, Retry-After included.
}

// DefaultRetryPolicy waits at most about a minute in all before giving up.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 6, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second}

func (p RetryPolicy) orDefault() RetryPolicy {
	if p.MaxRetries == 0 && p.BaseDelay == 0 && p.MaxDelay == 0 {
		return DefaultRetryPolicy
	}
	return p
}

func isRetryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout
}

type resendableKey struct{}

// withResendablePOST marks the POST requests sent with ctx as safe to send again after a 503 or
// 504: reads and sets that travel as POST (InvokeCommand Get-/Set- cmdlets, CSOM property sets,
// a $batch without a POST in it).
func withResendablePOST(ctx context.Context) context.Context {
	return context.WithValue(ctx, resendableKey{}, true)
}

// mayResend reports whether a request answered status may be sent again as it is. Graph refuses a
// throttled request (429) without doing it, so that is always safe. A 503 or 504 leaves the
// outcome unknown: the service may have done the work and lost the answer, and sending a create
// again would then make a second object (two Conditional Access policies of one name). So a
// POST goes again only when marked resendable; creates find out what happened by reading back
// (CreateOnce) instead.
func mayResend(req *http.Request, status int) bool {
	switch {
	case status == http.StatusTooManyRequests:
		return true
	case !isRetryableStatus(status):
		return false
	case req.Method != http.MethodPost:
		return true
	default:
		ok, _ := req.Context().Value(resendableKey{}).(bool)
		return ok
	}
}

// retryTransport re-sends a request answered 429/503/504 (see mayResend for POST), honouring Retry-After (seconds or an
// HTTP date) and otherwise backing off exponentially with full jitter, within RetryPolicy's bounds.
// It sits below the Graph SDK's middleware, so every client of the tenant (Graph, and the
// hand-written Exchange and SharePoint clients) shares one retry behaviour.
type retryTransport struct {
	next   http.RoundTripper
	policy RetryPolicy
	sleep  func(req *http.Request, d time.Duration) error
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.GetBody == nil {
		// Buffer the body once so that every attempt can send it again.
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("buffering request body for retries: %w", err)
		}
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		req.Body, _ = req.GetBody()
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		if err != nil || !mayResend(req, resp.StatusCode) || attempt >= t.policy.MaxRetries {
			return resp, err
		}
		wait := t.backoff(attempt, resp.Header.Get("Retry-After"))
		tflog.Debug(req.Context(), "Microsoft 365 asked us to slow down; retrying", map[string]any{
			"method": req.Method, "url": req.URL.Redacted(), "status": resp.StatusCode,
			"attempt": attempt + 1, "wait": wait.String(), "request_id": resp.Header.Get("request-id"),
		})
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err := t.sleep(req, wait); err != nil {
			return nil, err
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
	}
}

func (t *retryTransport) backoff(attempt int, retryAfter string) time.Duration {
	var d time.Duration
	if retryAfter != "" {
		if s, err := strconv.Atoi(retryAfter); err == nil && s >= 0 {
			d = time.Duration(s) * time.Second
		} else if at, err := http.ParseTime(retryAfter); err == nil {
			d = time.Until(at)
		}
	}
	if d <= 0 {
		// Full jitter: spread concurrent clients so that they do not retry in lockstep.
		ceiling := t.policy.BaseDelay << attempt
		if ceiling <= 0 || ceiling > t.policy.MaxDelay {
			ceiling = t.policy.MaxDelay
		}
		d = t.policy.BaseDelay / 2
		if ceiling > 0 {
			d += rand.N(ceiling)
		}
	}
	if d > t.policy.MaxDelay {
		d = t.policy.MaxDelay
	}
	return d
}

func sleepContext(req *http.Request, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-req.Context().Done():
		return req.Context().Err()
	case <-timer.C:
		return nil
	}
}

// logTransport logs each exchange at DEBUG without headers, so tokens never reach logs.
type logTransport struct{ next http.RoundTripper }

func (t logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	fields := map[string]any{"method": req.Method, "url": req.URL.Redacted(), "duration": time.Since(start).String()}
	if err != nil {
		fields["error"] = err.Error()
	} else {
		fields["status"] = resp.StatusCode
		fields["request_id"] = resp.Header.Get("request-id")
	}
	tflog.Debug(req.Context(), "Microsoft 365 request", fields)
	return resp, err
}

// rootCAs is the system trust store plus every certificate in $SSL_CERT_FILE. Go reads
// SSL_CERT_FILE only once per process, when the system pool is first loaded; reading it again
// here lets a process that starts devtenant in-process (the acceptance tests) trust its CA.
func rootCAs() (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading SSL_CERT_FILE: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("SSL_CERT_FILE %s holds no PEM certificate", f)
		}
	}
	return pool, nil
}

// newHTTPClient is the transport every call to the tenant goes through: verified TLS, logging
// and bounded retries. TLS verification is never turned off; trust a private CA through
// SSL_CERT_FILE.
func newHTTPClient(policy RetryPolicy) (*http.Client, error) {
	pool, err := rootCAs()
	if err != nil {
		return nil, err
	}
	def, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("http.DefaultTransport is a %T, not the standard library's *http.Transport: something replaced it", http.DefaultTransport)
	}
	base := def.Clone()
	base.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	rt := &retryTransport{next: logTransport{next: base}, policy: policy.orDefault(), sleep: sleepContext}
	return &http.Client{Transport: rt, Timeout: 2 * time.Minute}, nil
}
