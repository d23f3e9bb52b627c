// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
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
	if !strings.HasPrefix(pathPrefix, "/v1.0") && !isAdminPath(pathPrefix) {
		pathPrefix = "/v1.0" + "/" + strings.TrimPrefix(pathPrefix, "/")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, failRule{method: strings.ToUpper(method), pathPrefix: pathPrefix, status: status, remaining: n})
}

// FailAfterCommit makes the next n Graph, Exchange or Compliance requests matching as for
// FailNext do their work (a create
// commits its object) and then answer status instead of their result: a gateway that lost the
// service's answer. A client that sends a create again on that answer makes a second object.
func (f *Faults) FailAfterCommit(method, pathPrefix string, status, n int) {
	if !strings.HasPrefix(pathPrefix, "/v1.0") && !isAdminPath(pathPrefix) {
		pathPrefix = "/v1.0" + "/" + strings.TrimPrefix(pathPrefix, "/")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, failRule{method: strings.ToUpper(method), pathPrefix: pathPrefix, status: status, remaining: n, afterCommit: true})
}

// FailCmdletAfterCommit makes the next n invocations of cmdlet run (New- creates its object) and
// then answer status with the admin API's error body instead of the cmdlet's output.
func (f *Faults) FailCmdletAfterCommit(cmdlet string, status, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmdletFails = append(f.cmdletFails, cmdletFailRule{cmdlet: cmdlet, status: status, remaining: n, afterCommit: true})
}

// takeAfterCommit consumes a FailAfterCommit rule matching the request.
func (f *Faults) takeAfterCommit(method, path string) (int, bool) {
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

// takeCmdletAfterCommit consumes a FailCmdletAfterCommit rule for cmdlet.
func (f *Faults) takeCmdletAfterCommit(cmdlet string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.cmdletFails {
		if r := &f.cmdletFails[i]; r.afterCommit && r.remaining > 0 && strings.EqualFold(r.cmdlet, cmdlet) {
			r.remaining--
			return r.status, true
		}
	}
	return 0, false
}

func (r *failRule) matches(method, path string) bool {
	return r.remaining > 0 && strings.HasPrefix(path, r.pathPrefix) && (r.method == "" || r.method == "*" || r.method == method)
}

// discardResponse takes the answer of a request whose answer a fault replaces.
type discardResponse struct{ h http.Header }

func (d *discardResponse) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardResponse) WriteHeader(int)             {}

// FailCmdlet makes the next n invocations of cmdlet (Exchange or Security & Compliance, matched
// case-insensitively) answer status with the error body the admin API sends for it.
func (f *Faults) FailCmdlet(cmdlet string, status, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cmdletFails = append(f.cmdletFails, cmdletFailRule{cmdlet: cmdlet, status: status, remaining: n})
}

func (f *Faults) takeCmdletFail(cmdlet string) (int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.cmdletFails {
		r := &f.cmdletFails[i]
		if !r.afterCommit && r.remaining > 0 && strings.EqualFold(r.cmdlet, cmdlet) {
			r.remaining--
			return r.status, true
		}
	}
	return 0, false
}

func isAdminPath(p string) bool {
	for _, pre := range []string{"/exo", "/ipps", "/spo"} {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return true
		}
	}
	return false
}

func (f *Faults) getLatency() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latency
}

func (f *Faults) getReplicationDelay() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.replicationDelay
}

// injected decides whether a Graph request fails before reaching its handler.
func (f *Faults) injected(method, path string) *graphError { return f.inject(method, path, true) }

// injectedAdmin is injected for the Exchange, Compliance and SharePoint admin endpoints:
// FailNext rules and the random throttle rate apply, ThrottleNext (a Graph knob) does not.
func (f *Faults) injectedAdmin(method, path string) *graphError { return f.inject(method, path, false) }

func (f *Faults) inject(method, path string, graph bool) *graphError {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.fails {
		r := &f.fails[i]
		if r.afterCommit || !r.matches(method, path) {
			continue
		}
		r.remaining--
		return faultError(r.status)
	}
	if graph && f.throttleNext > 0 {
		f.throttleNext--
		return throttledError(1)
	}
	if f.throttleRate > 0 && rand.Float64() < f.throttleRate {
		// Graph mostly sheds load with 429; a gateway sometimes answers 503 instead.
		if rand.IntN(10) == 0 {
			return &graphError{Status: http.StatusServiceUnavailable, Code: codeServiceUnavailable,
				Message: "The service is temporarily unavailable. Please retry later.", RetryAfter: 1}
		}
		return throttledError(1 + rand.IntN(2))
	}
	return nil
}

func throttledError(retryAfter int) *graphError {
	return &graphError{Status: http.StatusTooManyRequests, Code: codeTooManyRequests,
		Message: "Too many requests are being made to this application. Retry after the interval in the Retry-After header.", RetryAfter: retryAfter}
}

func faultError(status int) *graphError {
	switch status {
	case http.StatusTooManyRequests:
		return throttledError(1)
	case http.StatusServiceUnavailable:
		return &graphError{Status: status, Code: codeServiceUnavailable, Message: "The service is temporarily unavailable. Please retry later.", RetryAfter: 1}
	case http.StatusGatewayTimeout:
		return &graphError{Status: status, Code: "GatewayTimeout", Message: "The gateway did not receive a response within the specified time."}
	case http.StatusNotFound:
		return &graphError{Status: status, Code: codeResourceNotFound, Message: "The requested resource does not exist."}
	case http.StatusForbidden:
		return &graphError{Status: status, Code: codeAccessDenied, Message: msgPolicyAccessDenied}
	case http.StatusBadRequest:
		return &graphError{Status: status, Code: codeBadRequest, Message: "The server could not process the request because it is malformed or incorrect."}
	default:
		return &graphError{Status: status, Code: "UnknownError", Message: "An internal server error occurred."}
	}
}

// Stats counts requests; see Server.Stats.
type Stats struct {
	Total        int64            // HTTP requests received (a $batch counts once here).
	ByRoute      map[string]int64 // "METHOD /v1.0/path/{id}" including each $batch item; "POST /exo InvokeCommand Get-X" per cmdlet.
	Throttled    int64            // 429 responses sent, $batch items included.
	TokensIssued int64            // Access tokens issued by the token endpoint.
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (c *statsCounter) add(f func(*Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.ByRoute == nil {
		c.s.ByRoute = map[string]int64{}
	}
	f(&c.s)
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByRoute = make(map[string]int64, len(c.s.ByRoute))
	for k, v := range c.s.ByRoute {
		out.ByRoute[k] = v
	}
	return out
}

// routeWords are the path segments kept verbatim in Stats keys; everything else becomes {id}.
var routeWords = map[string]bool{
	"v1.0": true, "identity": true, "conditionalAccess": true, "policies": true, "namedLocations": true,
	"identitySecurityDefaultsEnforcementPolicy": true, "authenticationStrengthPolicies": true,
	"users": true, "groups": true, "members": true, "directoryRoles": true, "roleManagement": true,
	"directory": true, "roleAssignments": true, "organization": true, "subscribedSkus": true,
	"$batch": true, "$count": true, "oauth2": true, "v2.0": true, "token": true, "discovery": true,
	"keys": true, "instance": true, ".well-known": true, "openid-configuration": true, "common": true,
	"exo": true, "ipps": true, "spo": true, "admin": true, "sharepoint": true, "settings": true,
	"authorizationPolicy": true, "authenticationMethodsPolicy": true, "authenticationMethodConfigurations": true,
	"_api": true, "SPO.Tenant": true, "_vti_bin": true, "client.svc": true, "ProcessQuery": true,
	"adminapi": true, "beta": true, "EXOModuleFile": true, "InvokeCommand": true, "nam01": true,
	"reports": true, "authenticationMethods": true, "userRegistrationDetails": true, "roleEligibilitySchedules": true,
	"roleAssignmentSchedules": true, "identityGovernance": true, "accessReviews": true, "definitions": true,
	"deviceManagement": true, "deviceCompliancePolicies": true, "deviceAppManagement": true, "managedAppPolicies": true,
	"servicePrincipals": true, "appRoleAssignedTo": true, "security": true, "secureScores": true,
}

func routeKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if !routeWords[s] {
			segs[i] = "{id}"
		}
	}
	return method + " /" + strings.Join(segs, "/")
}
