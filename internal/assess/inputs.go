// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assess

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

// Inputs are what the user adds to the tenant's configuration: which controls to assess, the
// accepted risks (exceptions), the evidence for what software cannot see (attestations), the
// thresholds, and the apps whose vendor has signed a BAA.
type Inputs struct {
	Include        []string      `json:"include,omitempty"` // Empty: every control.
	Exclude        []string      `json:"exclude,omitempty"`
	Exceptions     []Exception   `json:"exceptions,omitempty"`
	Attestations   []Attestation `json:"attestations,omitempty"`
	Params         checks.Params `json:"-"`
	BAACoveredApps []string      `json:"baa_covered_apps,omitempty"` // App ids (or service principal ids) whose vendor signed a BAA.
}

// Exception accepts the risk of a failing control until a date.
type Exception struct {
	ControlID string `json:"control_id"`
	Reason    string `json:"reason"`
	Expires   string `json:"expires"` // YYYY-MM-DD; the exception holds through that day (UTC).
}

// Attestation is a person's statement, with evidence, that a manual (or the unseen part of a
// partial) control is met.
type Attestation struct {
	ControlID   string `json:"control_id"`
	By          string `json:"attested_by"`
	Date        string `json:"date"`              // YYYY-MM-DD the attestation was made.
	EvidenceURL string `json:"evidence_url"`      // Where an auditor finds the evidence.
	Expires     string `json:"expires,omitempty"` // YYYY-MM-DD; default one year after Date.
}

// DateLayout is the form of every date in the inputs.
const DateLayout = "2006-01-02"

// parseDate accepts YYYY-MM-DD or a full RFC 3339 time (Terraform's timestamp()).
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(DateLayout, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return t.UTC().Truncate(24 * time.Hour), nil
}

// through reports whether now is on or before the day d (dates are whole days, UTC).
func through(now time.Time, d time.Time) bool {
	return now.UTC().Before(d.AddDate(0, 0, 1))
}

// active reports whether the exception applies at now.
func (e Exception) active(now time.Time) (bool, error) {
	d, err := parseDate(e.Expires)
	if err != nil {
		return false, err
	}
	return through(now, d), nil
}

// expiry is the last day the attestation counts: Expires, or one year after Date.
func (a Attestation) expiry() (time.Time, error) {
	made, err := parseDate(a.Date)
	if err != nil {
		return time.Time{}, err
	}
	if a.Expires == "" {
		return made.AddDate(1, 0, 0), nil
	}
	return parseDate(a.Expires)
}

// valid reports whether the attestation counts at now: made no later than today and not
// expired.
func (a Attestation) valid(now time.Time) (bool, time.Time, error) {
	made, err := parseDate(a.Date)
	if err != nil {
		return false, time.Time{}, err
	}
	exp, err := a.expiry()
	if err != nil {
		return false, time.Time{}, err
	}
	return !made.After(now.UTC()) && through(now, exp), exp, nil
}

// Validate reports every problem of the inputs against a catalog, so that a caller (the data
// source, the CLI) can refuse them before evaluating. Evaluate itself never fails: it skips what
// it cannot use and says so in Result.Warnings.
func (in Inputs) Validate(cat *controls.Catalog) error {
	var errs []error
	known := func(what, id string) {
		if _, err := cat.Resolve(id); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
	}
	for _, id := range in.Include {
		known("include", id)
	}
	for _, id := range in.Exclude {
		known("exclude", id)
	}
	for i, e := range in.Exceptions {
		what := fmt.Sprintf("exceptions[%d]", i)
		known(what, e.ControlID)
		if strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: a reason is required", what))
		}
		if _, err := parseDate(e.Expires); err != nil {
			errs = append(errs, fmt.Errorf("%s: expires: %w", what, err))
		}
	}
	for i, a := range in.Attestations {
		what := fmt.Sprintf("attestations[%d]", i)
		known(what, a.ControlID)
		if id, err := cat.Resolve(a.ControlID); err == nil {
			if ctl, _ := cat.Control(id); ctl.Automation == controls.Automated {
				errs = append(errs, fmt.Errorf("%s: %s is automated; only manual and partial controls take attestations", what, id))
			}
		}
		if strings.TrimSpace(a.By) == "" {
			errs = append(errs, fmt.Errorf("%s: by (who attests) is required", what))
		}
		if u, err := url.Parse(a.EvidenceURL); a.EvidenceURL == "" || err != nil || u.Scheme == "" {
			errs = append(errs, fmt.Errorf("%s: evidence_url must be an absolute URL", what))
		}
		if _, err := parseDate(a.Date); err != nil {
			errs = append(errs, fmt.Errorf("%s: date: %w", what, err))
		}
		if a.Expires != "" {
			if _, err := parseDate(a.Expires); err != nil {
				errs = append(errs, fmt.Errorf("%s: expires: %w", what, err))
			}
		}
		if err := AttestationPeriod(a.Date, a.Expires); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
	}
	return errors.Join(errs...)
}

// AttestationPeriod refuses an attestation that expires before the day it was made: it would
// never be current, and a typo in a year must not pass as an attestation. Dates that do not
// parse are left to the date checks; an empty expires takes the one-year default.
func AttestationPeriod(date, expires string) error {
	d, errDate := parseDate(date)
	e, errExpires := parseDate(expires)
	if expires == "" || errDate != nil || errExpires != nil || !e.Before(d) {
		return nil //nolint:nilerr // A date that does not parse is the date checks' to report.
	}
	return fmt.Errorf("expires (%s) is before date (%s); an attestation cannot expire before it is made", expires, date)
}
