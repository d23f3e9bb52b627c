// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.DLP.1v1", checkDLPPHI)
}

// phiSensitiveTypes are the sensitive information types of Microsoft's "U.S. Health Insurance
// Act (HIPAA)" DLP template: the identifiers that make a record PHI.
var phiSensitiveTypes = []string{
	"U.S. Social Security Number (SSN)",
	"International Classification of Diseases (ICD-9-CM)",
	"International Classification of Diseases (ICD-10-CM)",
	"Drug Enforcement Agency (DEA) Number",
}

// dlpLocations are the workloads where PHI lives in Microsoft 365, with the policy field each
// is configured by.
var dlpLocations = []struct{ name, field string }{
	{"Exchange", "ExchangeLocation"}, {"SharePoint", "SharePointLocation"}, {"OneDrive", "OneDriveLocation"}, {"Teams", "TeamsLocation"},
}

// locationList reads a DLP location, which the cmdlet returns as strings ("All") or as objects
// with a Name (or DisplayName).
type locationList []string

func (l *locationList) UnmarshalJSON(data []byte) error {
	var raw []json.RawMessage
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] != '[' {
		data = append(append([]byte{'['}, data...), ']')
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			if s != "" {
				*l = append(*l, s)
			}
			continue
		}
		var o struct{ Name, DisplayName string }
		if json.Unmarshal(r, &o) == nil {
			if o.Name != "" {
				*l = append(*l, o.Name)
			} else if o.DisplayName != "" {
				*l = append(*l, o.DisplayName)
			}
		}
	}
	return nil
}

type dlpPolicy struct {
	Name    string    `json:"Name"`
	Mode    string    `json:"Mode"`
	Enabled *flexBool `json:"Enabled"`
}

type dlpRule struct {
	Name                                string          `json:"Name"`
	ParentPolicyName                    string          `json:"ParentPolicyName"`
	Policy                              string          `json:"Policy"`
	Disabled                            flexBool        `json:"Disabled"`
	Mode                                string          `json:"Mode"`
	Priority                            flexInt         `json:"Priority"`
	StopPolicyProcessing                flexBool        `json:"StopPolicyProcessing"`
	ContentContainsSensitiveInformation json.RawMessage `json:"ContentContainsSensitiveInformation"`
	AdvancedRule                        string          `json:"AdvancedRule"`
	raw                                 map[string]json.RawMessage
}

// dlpValueSet reports whether a cmdlet property is set: Get-DlpComplianceRule returns every
// ExceptIf* property, null, empty or $false when unset.
func dlpValueSet(v json.RawMessage) bool {
	t := string(bytes.TrimSpace(v))
	switch strings.ToLower(t) {
	case "", "null", "[]", "{}", `""`, "false", `"false"`:
		return false
	}
	return true
}

// dlpOtherLocations prefix the policy properties of locations HIPAA.DLP.1 does not require
// (endpoint, on-premises scanner, Power BI, third-party apps): their exceptions narrow only them.
var dlpOtherLocations = []string{"Endpoint", "OnPremisesScanner", "PowerBI", "ThirdPartyApp"}

// dlpPolicyNarrowing lists the policy properties that leave someone or somewhere of the four
// workloads outside the policy: every *Exception list (ExchangeSenderException,
// SharePointLocationException, OneDriveLocationException, TeamsLocationException, adaptive
// scope exceptions...), the ExceptIfOneDriveSharedBy* exclusions, and the inclusion lists that
// scope a workload to some senders, sharers or adaptive scopes instead of everyone. A property
// of this shape the check does not know is counted too: it cannot be shown not to narrow.
func dlpPolicyNarrowing(props map[string]json.RawMessage) []string {
	var out []string
	for k, v := range props {
		if !dlpValueSet(v) || slices.ContainsFunc(dlpOtherLocations, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		if strings.Contains(strings.ToLower(k), "exception") || strings.HasPrefix(k, "ExceptIf") ||
			strings.HasSuffix(k, "AdaptiveScopes") || dlpScopingProps[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// dlpScopingProps restrict a workload to the listed senders or sharers (New-DlpCompliancePolicy).
var dlpScopingProps = map[string]bool{"ExchangeSender": true, "ExchangeSenderMemberOf": true, "OneDriveSharedBy": true,
	"OneDriveSharedByMemberOf": true}

// advancedNot finds a "Not" operator in an advanced rule: that is how an advanced rule writes an
// exception. The rule text is JSON, or JSON-like with single quotes, so it is matched as text.
var advancedNot = regexp.MustCompile(`(?i)['"]operator['"]\s*:\s*['"]not['"]`)

// exceptions lists the rule's exceptions: the ExceptIf* properties it sets, and a Not in its
// advanced rule. Each spares some content that would otherwise match.
func (r dlpRule) exceptions() []string {
	var out []string
	for k, v := range r.raw {
		if strings.HasPrefix(k, "ExceptIf") && dlpValueSet(v) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	if advancedNot.MatchString(r.AdvancedRule) {
		out = append(out, "AdvancedRule Not condition")
	}
	return out
}

// dlpPeopleConditions are rule conditions (New-DlpComplianceRule) that limit a rule to some
// senders, recipients, sharers or authors: PHI from or to anyone else is not detected by it.
var dlpPeopleConditions = []string{"From", "FromMemberOf", "FromAddressContainsWords", "FromAddressMatchesPatterns", "SenderDomainIs",
	"SentTo", "SentToMemberOf", "RecipientDomainIs", "AnyOfRecipientAddressContainsWords",
	"AnyOfRecipientAddressMatchesPatterns", "DocumentCreatedBy", "DocumentCreatedByMemberOf"}

// peopleConditions lists the dlpPeopleConditions the rule sets.
func (r dlpRule) peopleConditions() []string {
	var out []string
	for _, k := range dlpPeopleConditions {
		if dlpValueSet(r.raw[k]) {
			out = append(out, k)
		}
	}
	return out
}

// phiTypes is the subset of phiSensitiveTypes the rule detects, lower-cased.
func (r dlpRule) phiTypes() map[string]bool {
	found := map[string]bool{}
	for _, t := range r.sensitiveTypes() {
		if slices.ContainsFunc(phiSensitiveTypes, func(p string) bool { return strings.EqualFold(p, t) }) {
			found[strings.ToLower(t)] = true
		}
	}
	return found
}

// sensitiveTypes returns every sensitive information type name a rule matches, from the simple
// condition (a list of hashtables, possibly grouped) and from an advanced rule's JSON text.
func (r dlpRule) sensitiveTypes() []string {
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				walk(x)
			}
		case map[string]any:
			for k, x := range t {
				if s, ok := x.(string); ok && strings.EqualFold(k, "name") {
					names = append(names, s)
					continue
				}
				walk(x)
			}
		}
	}
	var v any
	if json.Unmarshal(r.ContentContainsSensitiveInformation, &v) == nil {
		walk(v)
	}
	if r.AdvancedRule != "" {
		var adv any
		if json.Unmarshal([]byte(r.AdvancedRule), &adv) == nil {
			walk(adv)
		}
		for _, t := range phiSensitiveTypes {
			if strings.Contains(strings.ToLower(r.AdvancedRule), strings.ToLower(t)) {
				names = append(names, t)
			}
		}
	}
	return names
}

func (r dlpRule) parent() string {
	if r.ParentPolicyName != "" {
		return r.ParentPolicyName
	}
	return r.Policy
}

// policyRules evaluates the rules of one policy the way DLP runs them: in Priority order (0
// first) within the policy, a matching rule with StopPolicyProcessing ends the run, so a rule
// after an enabled one that stops processing may never see the content; what that rule matches
// is not judged. A disabled rule, a rule not in Enforce mode, one with exceptions, or one limited
// to some senders, recipients or authors does not count. covered holds the PHI types the counted rules detect; problems names each rule that
// would detect PHI but does not count, and why.
func policyRules(rules []dlpRule) (covered map[string]bool, problems []string) {
	covered = map[string]bool{}
	for _, r := range rules {
		phi := r.phiTypes()
		if len(phi) == 0 {
			continue
		}
		if r.Disabled.V {
			problems = append(problems, fmt.Sprintf("rule %q is disabled", r.Name))
			continue
		}
		if r.Mode != "" && !strings.EqualFold(r.Mode, "Enforce") {
			problems = append(problems, fmt.Sprintf("rule %q is in %s mode, not Enforce", r.Name, r.Mode))
			continue
		}
		if exc := r.exceptions(); len(exc) > 0 {
			problems = append(problems, fmt.Sprintf("rule %q has exceptions (%s)", r.Name, strings.Join(exc, ", ")))
			continue
		}
		if cond := r.peopleConditions(); len(cond) > 0 {
			problems = append(problems, fmt.Sprintf("rule %q applies only to some senders, recipients or authors (%s)", r.Name, strings.Join(cond, ", ")))
			continue
		}
		if stop := stopsBefore(rules, r); stop != "" {
			problems = append(problems, fmt.Sprintf("rule %q %s", r.Name, stop))
			continue
		}
		for t := range phi {
			covered[t] = true
		}
	}
	return covered, problems
}

// stopsBefore says which enabled rule of the same policy stops policy processing before r, or
// that the order cannot be told because a priority is missing.
func stopsBefore(rules []dlpRule, r dlpRule) string {
	for _, s := range rules {
		if s.Name == r.Name || s.Disabled.V || !s.StopPolicyProcessing.V {
			continue
		}
		if !s.Priority.Set || !r.Priority.Set {
			return fmt.Sprintf("cannot be ordered against rule %q, which stops policy processing: a priority is missing", s.Name)
		}
		if s.Priority.V <= r.Priority.V {
			return fmt.Sprintf("comes after rule %q (priority %d), which stops policy processing", s.Name, s.Priority.V)
		}
	}
	return ""
}

// checkDLPPHI: a policy passes only when it is enforced (Mode Enable), covers all of the four
// workloads with no exception or narrower scope, and its counted rules detect every PHI type.
func checkDLPPHI(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "An enforced DLP policy detects PHI (SSN, ICD-9-CM, ICD-10-CM and DEA numbers) in Exchange, SharePoint, OneDrive and Teams, with no location or rule exceptions."
	var raws, ruleRaws []json.RawMessage
	if err := decodeList(s, snapshot.ComplianceDlpPolicies, &raws); err != nil {
		return errorOutcome(expected, err)
	}
	if err := decodeList(s, snapshot.ComplianceDlpRules, &ruleRaws); err != nil {
		return errorOutcome(expected, err)
	}
	rules := make([]dlpRule, len(ruleRaws))
	for i, raw := range ruleRaws {
		if json.Unmarshal(raw, &rules[i]) != nil || json.Unmarshal(raw, &rules[i].raw) != nil {
			return errorOutcome(expected, fmt.Errorf("decoding source %s: not a list of rules", snapshot.ComplianceDlpRules))
		}
	}
	var near, reasons []string
	for _, raw := range raws {
		var pol dlpPolicy
		var locs map[string]json.RawMessage
		if json.Unmarshal(raw, &pol) != nil || json.Unmarshal(raw, &locs) != nil {
			return errorOutcome(expected, fmt.Errorf("decoding source %s: not a list of policies", snapshot.ComplianceDlpPolicies))
		}
		var own []dlpRule
		for _, r := range rules {
			if strings.EqualFold(r.parent(), pol.Name) {
				own = append(own, r)
			}
		}
		covered, problems := policyRules(own)
		if len(covered) == 0 && len(problems) == 0 {
			continue // Not a PHI policy at all.
		}
		var missingTypes []string
		for _, t := range phiSensitiveTypes {
			if !covered[strings.ToLower(t)] {
				missingTypes = append(missingTypes, t)
			}
		}
		if len(missingTypes) > 0 {
			problems = append([]string{"does not detect " + strings.Join(missingTypes, ", ")}, problems...)
		}
		var missingLocs []string
		for _, l := range dlpLocations {
			var list locationList
			if v, ok := locs[l.field]; ok {
				_ = json.Unmarshal(v, &list)
			}
			if !containsFold(list, "All") {
				missingLocs = append(missingLocs, l.name)
			}
		}
		if len(missingLocs) > 0 {
			problems = append(problems, "does not cover all of "+strings.Join(missingLocs, ", "))
		}
		if narrow := dlpPolicyNarrowing(locs); len(narrow) > 0 {
			problems = append(problems, "excludes or narrows who or where it protects ("+strings.Join(narrow, ", ")+")")
		}
		if !strings.EqualFold(pol.Mode, "Enable") {
			problems = append(problems, "is in "+orUnknown(pol.Mode)+" mode, not enforced")
		} else if pol.Enabled != nil && pol.Enabled.Set && !pol.Enabled.V {
			problems = append(problems, "is disabled")
		}
		if len(problems) == 0 {
			return pass(expected, fmt.Sprintf("DLP policy %q enforces PHI detection in Exchange, SharePoint, OneDrive and Teams.", pol.Name))
		}
		near = append(near, pol.Name)
		reasons = append(reasons, fmt.Sprintf("%q %s", pol.Name, strings.Join(problems, "; ")))
	}
	if len(near) > 0 {
		return fail(expected, "No DLP policy fully protects PHI: "+strings.Join(reasons, "; ")+".", near...)
	}
	return fail(expected, "No DLP policy detects PHI sensitive information types.")
}
