// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package checks holds one evaluator per automated control, keyed by control id. An evaluator
// is a pure function of a snapshot and the thresholds: no network, no clock, no globals, so
// every control is testable with a JSON fixture and a saved snapshot re-evaluates to the same
// findings. Control metadata (title, citations, remediation) lives in the catalog, not here.
package checks

import (
	"errors"
	"maps"
	"slices"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// Status is a finding's verdict.
type Status string

// The statuses a finding can have. Checks return the first five; the engine adds the manual ones.
const (
	StatusPass           Status = "pass"
	StatusFail           Status = "fail"
	StatusNotLicensed    Status = "not_licensed"
	StatusError          Status = "error"
	StatusNotApplicable  Status = "not_applicable"
	StatusManualAttested Status = "manual_attested"
	StatusManualMissing  Status = "manual_missing"
)

// Params are the assessment's thresholds and tenant facts the checks compare against. Zero
// values mean the checklist defaults (see Defaults).
type Params struct {
	AuditRetentionDays      int      // Default 2190 (6 years, 164.316(b)(2)).
	SignInFrequencyHours    int      // Default 8.
	IdleSignOutMinutes      int      // Default 15.
	MFARegistrationPercent  float64  // Default 100.
	EmergencyAccessUserIDs  []string // Break-glass users; the Conditional Access checks need them (UsesEmergencyAccess).
	EmergencyAccessGroupIDs []string
	BAACoveredAppIDs        []string // Apps whose vendor has signed a BAA.
}

// EmergencyAccessKnown reports whether the inputs name any emergency-access user or group.
func (p Params) EmergencyAccessKnown() bool { return emergencyOf(p).known() }

// Defaults fills zero thresholds with the checklist values.
func (p Params) Defaults() Params {
	if p.AuditRetentionDays == 0 {
		p.AuditRetentionDays = 2190
	}
	if p.SignInFrequencyHours == 0 {
		p.SignInFrequencyHours = 8
	}
	if p.IdleSignOutMinutes == 0 {
		p.IdleSignOutMinutes = 15
	}
	if p.MFARegistrationPercent == 0 {
		p.MFARegistrationPercent = 100
	}
	return p
}

// Outcome is what a check found. Expected and Actual are short, human sentences; Objects names
// the offending objects (policy names, user principal names, app names) so a finding says what
// to fix.
type Outcome struct {
	Status   Status   `json:"status"`
	Expected string   `json:"expected"`
	Actual   string   `json:"actual"`
	Detail   string   `json:"detail,omitempty"`
	Objects  []string `json:"objects,omitempty"`
}

// Check evaluates one control.
type Check func(s *snapshot.Snapshot, p Params) Outcome

var (
	registry        = map[string]Check{}
	emergencyAccess = map[string]bool{}
)

// register adds the check of a control id; each area's file calls it from init.
func register(id string, c Check) {
	if _, dup := registry[id]; dup {
		panic("checks: duplicate control id " + id)
	}
	registry[id] = c
}

// registerUsingEmergencyAccess adds a check whose verdict rests on knowing the emergency-access
// ids: without them it cannot pass on exclusions, and the assessment cannot be compliant.
func registerUsingEmergencyAccess(id string, c Check) {
	register(id, c)
	emergencyAccess[id] = true
}

// UsesEmergencyAccess reports whether a control's check needs the emergency-access ids.
func UsesEmergencyAccess(id string) bool { return emergencyAccess[id] }

// Lookup returns the check of a control id.
func Lookup(id string) (Check, bool) {
	c, ok := registry[id]
	return c, ok
}

// IDs lists the control ids that have a check, sorted.
func IDs() []string { return slices.Sorted(maps.Keys(registry)) }

// errorOutcome reports a source that could not be read: never a pass.
func errorOutcome(expected string, err error) Outcome {
	var missing *snapshot.ErrMissing
	detail := err.Error()
	if errors.As(err, &missing) {
		detail = "could not read " + string(missing.ID) + ": " + missing.Reason
	}
	return Outcome{Status: StatusError, Expected: expected, Actual: "unknown", Detail: detail}
}
