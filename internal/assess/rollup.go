// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assess

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/checks"
	"github.com/hipaa365/terraform-provider-hipaa/internal/controls"
)

// NotAssessed is the detail of a safeguard no selected control cites.
const NotAssessed = "not assessed by this tool"

// rollup computes each safeguard's status from the findings of the controls citing it directly
// (a standard does not inherit its specifications' controls: each row answers for itself).
// First match wins:
//
//  1. no selected control cites it: not_applicable ("not assessed by this tool");
//  2. any control error: error;
//  3. any (non-advisory) control fail, or any manual_missing when the safeguard is required: fail;
//  4. any manual_missing (the safeguard is addressable): manual_missing;
//  5. any pass or manual_attested: pass;
//  6. any not_licensed (all the rest are not_licensed or not_applicable): not_licensed;
//  7. otherwise (every control excepted or not applicable): not_applicable.
//
// Advisory controls are reported but never decide a safeguard (rule 3 skips their fail).
func rollup(cat *controls.Catalog, byID map[string]*Finding) []SafeguardResult {
	out := make([]SafeguardResult, 0, len(cat.Safeguards))
	for _, s := range cat.Safeguards {
		sr := SafeguardResult{Citation: s.Citation, Title: s.Name, Category: s.Category, Kind: s.Kind,
			Requirement: s.Requirement, ControlIDs: []string{}}
		var findings []*Finding
		for _, ctl := range cat.ControlsFor(s.Citation) {
			if f, ok := byID[ctl.ID]; ok {
				findings = append(findings, f)
				sr.ControlIDs = append(sr.ControlIDs, f.ControlID)
			}
		}
		sr.Status, sr.Detail = rollupStatus(s.Requirement, findings)
		out = append(out, sr)
	}
	return out
}

func rollupStatus(req controls.Requirement, findings []*Finding) (checks.Status, string) {
	if len(findings) == 0 {
		return checks.StatusNotApplicable, NotAssessed
	}
	has := map[checks.Status][]string{}
	for _, f := range findings {
		st := f.Status
		if f.Advisory && st == checks.StatusFail {
			st = "advisory_fail"
		}
		has[st] = append(has[st], f.ControlID)
	}
	list := func(ids []string) string { return strings.Join(ids, ", ") }
	switch {
	case len(has[checks.StatusError]) > 0:
		return checks.StatusError, "could not be assessed: " + list(has[checks.StatusError])
	case len(has[checks.StatusFail]) > 0 || (req == controls.Required && len(has[checks.StatusManualMissing]) > 0):
		ids := append(append([]string(nil), has[checks.StatusFail]...), has[checks.StatusManualMissing]...)
		return checks.StatusFail, "failing: " + list(ids)
	case len(has[checks.StatusManualMissing]) > 0:
		return checks.StatusManualMissing, "attestation missing (addressable): " + list(has[checks.StatusManualMissing])
	case len(has[checks.StatusPass]) > 0 || len(has[checks.StatusManualAttested]) > 0:
		return checks.StatusPass, ""
	case len(has[checks.StatusNotLicensed]) > 0:
		return checks.StatusNotLicensed, "the tenant lacks the license: " + list(has[checks.StatusNotLicensed])
	default:
		return checks.StatusNotApplicable, "every control is excepted, not applicable or advisory"
	}
}

// score is the share of decided controls that pass: (pass + manual_attested) / (pass +
// manual_attested + fail) × 100, rounded down so that a failing tenant never shows 100. Errors,
// missing attestations, not_licensed and not_applicable are not in it (compliant covers them).
func score(findings []Finding) int {
	var passed, failed int
	for _, f := range findings {
		switch f.Status {
		case checks.StatusPass, checks.StatusManualAttested:
			passed++
		case checks.StatusFail:
			failed++
		}
	}
	if passed+failed == 0 {
		return 0
	}
	return passed * 100 / (passed + failed)
}

// EmergencyAccessGap is the first gap of an assessment that selects a Conditional Access control
// but names no emergency-access account: one line saying what to set, because every exclusion
// is then unverifiable and the assessment cannot be compliant. The names are the provider's
// arguments and the drift --config keys (the same), and their environment variables.
const EmergencyAccessGap = "Emergency access [164.312(a)(2)(ii)]: no emergency-access ids were given, so no Conditional Access " +
	"exclusion can be verified and the tenant cannot be assessed compliant. Fix: set emergency_access_user_ids or " +
	"emergency_access_group_ids (provider arguments, or keys of the drift --config file), or the environment variables " +
	"HIPAA_EMERGENCY_ACCESS_USER_IDS or HIPAA_EMERGENCY_ACCESS_GROUP_IDS, to the object ids of the break-glass accounts"

// emergencyAccessMissing reports whether a selected control needs the emergency-access ids and
// the inputs name none. Whatever the findings say (a partial control can be attested, any
// control excepted), such an assessment is not compliant.
func emergencyAccessMissing(findings []Finding, p checks.Params) bool {
	if p.EmergencyAccessKnown() {
		return false
	}
	for _, f := range findings {
		if checks.UsesEmergencyAccess(f.ControlID) {
			return true
		}
	}
	return false
}

// compliant is true when no control fails (advisory ones aside), none is an error, no control
// citing a required safeguard lacks its attestation, and the emergency-access ids are known
// whenever a selected control needs them.
func compliant(cat *controls.Catalog, findings []Finding, p checks.Params) bool {
	if emergencyAccessMissing(findings, p) {
		return false
	}
	for _, f := range findings {
		switch {
		case f.Failing(), f.Status == checks.StatusError:
			return false
		case f.Status == checks.StatusManualMissing:
			for _, cit := range f.Citations {
				if s, ok := cat.Safeguard(cit); ok && s.Requirement == controls.Required {
					return false
				}
			}
		}
	}
	return true
}

// gaps is one line per control that fails, errs or lacks its attestation, after
// EmergencyAccessGap when it applies, ready for a Terraform check block's error_message:
//
//	HIPAA.CA.1v1 [164.312(d)] MFA for all users enforced: <actual>. Fix: <remediation>
func gaps(findings []Finding, p checks.Params) []string {
	out := []string{}
	if emergencyAccessMissing(findings, p) {
		out = append(out, EmergencyAccessGap)
	}
	for _, f := range findings {
		head := fmt.Sprintf("%s [%s] %s", f.ControlID, strings.Join(f.Citations, ", "), f.Title)
		if f.Advisory {
			head += " (advisory)"
		}
		switch f.Status {
		case checks.StatusFail:
			out = append(out, fmt.Sprintf("%s: %s. Fix: %s", head, sentence(f.Actual, f.Objects), f.Remediation))
		case checks.StatusError:
			out = append(out, fmt.Sprintf("%s: could not be assessed: %s. Fix: give the assessment read access (see the detail) and run it again",
				head, strings.TrimSuffix(firstNonEmpty(f.Detail, f.Actual), ".")))
		case checks.StatusManualMissing:
			out = append(out, fmt.Sprintf("%s: %s. Fix: record an attestation (by, date, evidence_url) once it is in place",
				head, strings.TrimSuffix(f.Actual, ".")))
		}
	}
	return out
}

// sentence is the actual value, naming the offending objects when the check listed some.
func sentence(actual string, objects []string) string {
	s := strings.TrimSuffix(firstNonEmpty(actual, "does not meet the expectation"), ".")
	if len(objects) > 0 && !strings.Contains(s, objects[0]) {
		const maxShown = 5
		shown := objects
		more := ""
		if len(shown) > maxShown {
			shown, more = shown[:maxShown], fmt.Sprintf(" and %d more", len(objects)-maxShown)
		}
		s += " (" + strings.Join(shown, ", ") + more + ")"
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func baaSummary(byID map[string]*Finding, covered []string) BAA {
	item := func(id string) BAAItem {
		it := BAAItem{ControlID: id}
		if f, ok := byID[id]; ok {
			it.Status, it.Expected, it.Actual, it.Detail = f.Status, f.Expected, f.Actual, f.Detail
			it.Objects = append([]string{}, f.Objects...)
		}
		return it
	}
	return BAA{Services: item(BAAServicesControl), Apps: item(BAAAppsControl), CoveredApps: append([]string{}, covered...)}
}
