// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	ContentContainsSensitiveInformation json.RawMessage `json:"ContentContainsSensitiveInformation"`
	AdvancedRule                        string          `json:"AdvancedRule"`
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

func checkDLPPHI(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "An enforced DLP policy detects PHI (SSN, ICD-9-CM, ICD-10-CM and DEA numbers) in Exchange, SharePoint, OneDrive and Teams."
	var raws []json.RawMessage
	if err := decodeList(s, snapshot.ComplianceDlpPolicies, &raws); err != nil {
		return errorOutcome(expected, err)
	}
	var rules []dlpRule
	if err := decodeList(s, snapshot.ComplianceDlpRules, &rules); err != nil {
		return errorOutcome(expected, err)
	}
	var near, reasons []string
	for _, raw := range raws {
		var pol dlpPolicy
		var locs map[string]json.RawMessage
		if json.Unmarshal(raw, &pol) != nil || json.Unmarshal(raw, &locs) != nil {
			return errorOutcome(expected, fmt.Errorf("decoding source %s: not a list of policies", snapshot.ComplianceDlpPolicies))
		}
		covered := map[string]bool{}
		for _, r := range rules {
			if !strings.EqualFold(r.parent(), pol.Name) || r.Disabled.V {
				continue
			}
			for _, t := range r.sensitiveTypes() {
				covered[strings.ToLower(t)] = true
			}
		}
		var missingTypes []string
		for _, t := range phiSensitiveTypes {
			if !covered[strings.ToLower(t)] {
				missingTypes = append(missingTypes, t)
			}
		}
		if len(missingTypes) == len(phiSensitiveTypes) {
			continue // Not a PHI policy at all.
		}
		var problems []string
		if len(missingTypes) > 0 {
			problems = append(problems, "does not detect "+strings.Join(missingTypes, ", "))
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
