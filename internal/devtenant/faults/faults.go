// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package faults holds the runtime knobs that make devtenant misbehave like a busy tenant
// (latency, throttling, replication delay, failures before or after a write commits). The
// request pipeline and the cmdlet runner consult them; tests set them through Server.Faults.
package faults

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
)

// Faults holds the runtime knobs that make devtenant misbehave like a busy real tenant.
// All methods are safe for concurrent use.
type Faults struct {
	mu               sync.Mutex
	latency          time.Duration
	throttleRate     float64
	replicationDelay time.Duration
	throttleNext     int
	fails            []failRule
	cmdletFails      []cmdletFailRule
}

type cmdletFailRule struct {
	cmdlet      string
	status      int
	remaining   int
	afterCommit bool // The cmdlet runs; only its answer is replaced (FailCmdletAfterCommit).
}

type failRule struct {
	method      string
	pathPrefix  string
	status      int
	remaining   int
	afterCommit bool // The request is done; only its answer is replaced (FailAfterCommit).
}

// SetLatency sets the delay added to every request.
func (f *Faults) SetLatency(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency = d
}

// SetThrottleRate sets the share (0..1) of Graph and admin API requests answered 429 (or now and then 503).
func (f *Faults) SetThrottleRate(rate float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttleRate = min(max(rate, 0), 1)
}

// SetReplicationDelay sets how long reads keep seeing the previous version of a written object.
func (f *Faults) SetReplicationDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replicationDelay = d
}

// ThrottleNext makes the next n Graph requests fail with 429 and Retry-After: 1.
func (f *Faults) ThrottleNext(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.throttleNext = n
}

// FailNext makes the next n requests whose method matches (empty or "*" for any) and whose path
// starts with pathPrefix fail with status. A prefix under /exo, /ipps or /spo targets those admin
// endpoints; any other prefix is a Graph path, with or without the "/v1.0" prefix.
func (f *Faults) FailNext(method, pathPrefix string, status, n int) {
	f.addFail(failRule{method: method, pathPrefix: pathPrefix, status: status, remaining: n})
}

// FailAfterCommit makes the next n Graph, Exchange or Compliance requests matching as for
// FailNext do their work (a create
// commits its object) and then answer status instead of their result: a gateway that lost the
// service's answer. A client that sends a create again on that answer makes a second object.
func (f *Faults) FailAfterCommit(method, pathPrefix string, status, n int) {
	f.addFail(failRule{method: method, pathPrefix: pathPrefix, status: status, remaining: n, afterCommit: true})
}

// addFail adds a FailNext or FailAfterCommit rule, its method upper-cased and a Graph path
// prefixed with /v1.0 as requests arrive.
func (f *Faults) addFail(r failRule) {
	if !strings.HasPrefix(r.pathPrefix, "/v1.0") && !IsAdminPath(r.pathPrefix) {
		r.pathPrefix = "/v1.0" + "/" + strings.TrimPrefix(r.pathPrefix, "/")
	}
	r.method = strings.ToUpper(r.method)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, r)
}

// FailCmdletAfterCommit makes the next n invocations of cmdlet run (New- creates its object) and
// then answer status with the admin API's error body instead of the cmdlet's output.
func (f *Faults) FailCmdletAfterCommit(cmdlet string, status, n int) {
	f.addCmdletFail(cmdletFailRule{cmdlet: cmdlet, status: status, remaining: n, afterCommit: true})
}

// TakeAfterCommit consumes a FailAfterCommit rule matching the request.
func (f *Faults) TakeAfterCommit(method, path string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.fails {
		if r := &f.fails[i]; r.afterCommit && r.matches(method, path) {
			r.remaining--
			return r.status, true
		}
	}
	return 0, false
}

// TakeCmdletAfterCommit consumes a FailCmdletAfterCommit rule for cmdlet.
func (f *Faults) TakeCmdletAfterCommit(cmdlet string) (int, bool) {
	return f.takeCmdletFail(cmdlet, true)
}

func (r *failRule) matches(method, path string) bool {
	return r.remaining > 0 && strings.HasPrefix(path, r.pathPrefix) && (r.method == "" || r.method == "*" || r.method == method)
}

// FailCmdlet makes the next n invocations of cmdlet (Exchange or Security & Compliance, matched
// case-insensitively) answer status with the error body the admin API sends for it.
func (f *Faults) FailCmdlet(cmdlet string, status, n int) {
	f.addCmdletFail(cmdletFailRule{cmdlet: cmdlet, status: status, remaining: n})
}

func (f *Faults) addCmdletFail(r cmdletFailRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmdletFails = append(f.cmdletFails, r)
}

// TakeCmdletFail consumes a FailCmdlet rule for cmdlet.
func (f *Faults) TakeCmdletFail(cmdlet string) (int, bool) { return f.takeCmdletFail(cmdlet, false) }

// takeCmdletFail consumes a rule for cmdlet of the kind asked for (after commit or before).
func (f *Faults) takeCmdletFail(cmdlet string, afterCommit bool) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.cmdletFails {
		if r := &f.cmdletFails[i]; r.afterCommit == afterCommit && r.remaining > 0 && strings.EqualFold(r.cmdlet, cmdlet) {
			r.remaining--
			return r.status, true
		}
	}
	return 0, false
}

func IsAdminPath(p string) bool {
	for _, pre := range []string{"/exo", "/ipps", "/spo"} {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return true
		}
	}
	return false
}

func (f *Faults) Latency() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latency
}

func (f *Faults) ReplicationDelay() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replicationDelay
}

// Injected decides whether a Graph request fails before reaching its handler.
func (f *Faults) Injected(method, path string) *httpx.GraphError { return f.inject(method, path, true) }

// InjectedAdmin is injected for the Exchange, Compliance and SharePoint admin endpoints:
// FailNext rules and the random throttle rate apply, ThrottleNext (a Graph knob) does not.
func (f *Faults) InjectedAdmin(method, path string) *httpx.GraphError {
	return f.inject(method, path, false)
}

func (f *Faults) inject(method, path string, graph bool) *httpx.GraphError {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.fails {
		r := &f.fails[i]
		if r.afterCommit || !r.matches(method, path) {
			continue
		}
		r.remaining--
		return StatusError(r.status)
	}
	if graph && f.throttleNext > 0 {
		f.throttleNext--
		return throttledError(1)
	}
	if f.throttleRate > 0 && rand.Float64() < f.throttleRate {
		// Graph mostly sheds load with 429; a gateway sometimes answers 503 instead.
		if rand.IntN(10) == 0 {
			return StatusError(http.StatusServiceUnavailable)
		}
		return throttledError(1 + rand.IntN(2))
	}
	return nil
}

func throttledError(retryAfter int) *httpx.GraphError {
	return &httpx.GraphError{Status: http.StatusTooManyRequests, Code: httpx.CodeTooManyRequests,
		Message: "Too many requests are being made to this application. Retry after the interval in the Retry-After header.", RetryAfter: retryAfter}
}

func StatusError(status int) *httpx.GraphError {
	switch status {
	case http.StatusTooManyRequests:
		return throttledError(1)
	case http.StatusServiceUnavailable:
		return &httpx.GraphError{Status: status, Code: httpx.CodeServiceUnavailable, Message: "The service is temporarily unavailable. Please retry later.", RetryAfter: 1}
	case http.StatusGatewayTimeout:
		return &httpx.GraphError{Status: status, Code: "GatewayTimeout", Message: "The gateway did not receive a response within the specified time."}
	case http.StatusNotFound:
		return &httpx.GraphError{Status: status, Code: httpx.CodeResourceNotFound, Message: "The requested resource does not exist."}
	case http.StatusForbidden:
		return &httpx.GraphError{Status: status, Code: httpx.CodeAccessDenied, Message: httpx.MsgPolicyAccessDenied}
	case http.StatusBadRequest:
		return &httpx.GraphError{Status: status, Code: httpx.CodeBadRequest, Message: "The server could not process the request because it is malformed or incorrect."}
	default:
		return &httpx.GraphError{Status: status, Code: "UnknownError", Message: "An internal server error occurred."}
	}
}
