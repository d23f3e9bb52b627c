// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The two mail flow (transport) rules that encrypt external mail carrying PHI: one on Microsoft's
// sensitive information types, one on medical keywords. Both apply the "Encrypt" rights
// protection template (Microsoft Purview Message Encryption).

const rmsTemplateEncrypt = "Encrypt"

// Checklist defaults.
var (
	defaultPHISensitiveInfoTypes = []string{
		"U.S. Social Security Number (SSN)",
		"International Classification of Diseases (ICD-9-CM)",
		"International Classification of Diseases (ICD-10-CM)",
		"Drug Enforcement Agency (DEA) Number",
	}
	defaultPHIKeywords = []string{"diagnosis", "patient", "medical record", "PHI", "treatment plan", "prescription"}
)

// ruleSpec is a transport rule the baseline wants.
type ruleSpec struct {
	Name     string
	SITs     []string // MessageContainsDataClassifications names, when the rule matches on them.
	Keywords []string // SubjectOrBodyContainsWords, when the rule matches on them.
}

// desiredRules are the rules for the configuration: none when phi_encryption_rule is false, and
// no rule for an empty list.
func desiredRules(enabled bool, sits, keywords []string) []ruleSpec {
	if !enabled {
		return nil
	}
	var out []ruleSpec
	if len(sits) > 0 {
		out = append(out, ruleSpec{Name: ruleNamePHIEncryption, SITs: sits})
	}
	if len(keywords) > 0 {
		out = append(out, ruleSpec{Name: ruleNamePHIKeywords, Keywords: keywords})
	}
	return out
}

func ruleNames(specs []ruleSpec) []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// classificationsParam is MessageContainsDataClassifications: hashtables, one per type.
func classificationsParam(names []string) []any {
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	out := make([]any, len(sorted))
	for i, n := range sorted {
		out[i] = m365.GenericHashTable(map[string]any{"Name": n, "minCount": "1"})
	}
	return out
}

// newRuleParams are the parameters of New-TransportRule for spec.
func newRuleParams(spec ruleSpec) map[string]any {
	p := map[string]any{
		"Name": spec.Name, "Mode": "Enforce", "SentToScope": "NotInOrganization",
		"ApplyRightsProtectionTemplate": rmsTemplateEncrypt,
	}
	if spec.SITs != nil {
		p["MessageContainsDataClassifications"] = classificationsParam(spec.SITs)
	}
	if spec.Keywords != nil {
		p["SubjectOrBodyContainsWords"] = append([]string(nil), spec.Keywords...)
	}
	return p
}

// classification is one entry of a rule's MessageContainsDataClassifications output.
type classification struct {
	Name     string
	MinCount string
}

// ruleClassifications reads MessageContainsDataClassifications, which comes as hashtables or,
// from some hosts, as their JSON or "Name:...,minCount:..." text.
func ruleClassifications(rule map[string]any) []classification {
	raw, _ := rule["MessageContainsDataClassifications"].([]any)
	out := make([]classification, 0, len(raw))
	for _, item := range raw {
		var h map[string]any
		switch v := item.(type) {
		case map[string]any:
			h = v
		case string:
			if err := json.Unmarshal([]byte(v), &h); err != nil {
				h = parseKeyValues(v)
			}
		}
		c := classification{}
		for k, v := range h {
			switch strings.ToLower(k) {
			case "name":
				c.Name = str(map[string]any{"v": v}, "v")
			case "mincount":
				c.MinCount = str(map[string]any{"v": v}, "v")
			}
		}
		if c.Name != "" {
			out = append(out, c)
		}
	}
	return out
}

// parseKeyValues reads "Name:U.S. Social Security Number (SSN), minCount:1".
func parseKeyValues(s string) map[string]any {
	out := map[string]any{}
	s = strings.Trim(s, "{}")
	for _, part := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(part, ":"); ok {
			out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return out
}

func classificationNames(cs []classification) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// ruleUpdate returns the Set-TransportRule parameters that bring rule to spec (none when it
// matches) and whether the rule must be replaced instead: a disabled rule, because Set- cannot
// enable it.
func ruleUpdate(rule map[string]any, spec ruleSpec) (map[string]any, bool) {
	if s := str(rule, "State"); s != "" && !strings.EqualFold(s, "Enabled") {
		return nil, true
	}
	p := map[string]any{}
	if !strings.EqualFold(str(rule, "Mode"), "Enforce") {
		p["Mode"] = "Enforce"
	}
	if !strings.EqualFold(str(rule, "SentToScope"), "NotInOrganization") {
		p["SentToScope"] = "NotInOrganization"
	}
	if !strings.EqualFold(str(rule, "ApplyRightsProtectionTemplate"), rmsTemplateEncrypt) {
		p["ApplyRightsProtectionTemplate"] = rmsTemplateEncrypt
	}
	cs := ruleClassifications(rule)
	minOK := true
	for _, c := range cs {
		if c.MinCount != "" && c.MinCount != "1" {
			minOK = false
		}
	}
	if !sameStrings(classificationNames(cs), spec.SITs) || !minOK {
		if spec.SITs == nil {
			p["MessageContainsDataClassifications"] = nil
		} else {
			p["MessageContainsDataClassifications"] = classificationsParam(spec.SITs)
		}
	}
	if !sameStrings(strList(rule, "SubjectOrBodyContainsWords"), spec.Keywords) {
		if spec.Keywords == nil {
			p["SubjectOrBodyContainsWords"] = nil
		} else {
			p["SubjectOrBodyContainsWords"] = append([]string(nil), spec.Keywords...)
		}
	}
	return p, false
}

// applyRuleUpdate records a successful Set-TransportRule in the rule's output.
func applyRuleUpdate(rule, params map[string]any) {
	for k, v := range params {
		if k == "Identity" {
			continue
		}
		if k == "MessageContainsDataClassifications" && v != nil {
			list := []any{}
			for _, h := range v.([]any) {
				list = append(list, map[string]any{"Name": h.(map[string]any)["Name"], "minCount": "1"})
			}
			v = list
		}
		if ss, ok := v.([]string); ok {
			list := make([]any, len(ss))
			for i, s := range ss {
				list[i] = s
			}
			v = list
		}
		rule[k] = v
	}
}

// syncRule creates, repairs or replaces the rule for spec and returns it as it now is.
func syncRule(ctx context.Context, exo *m365.CommandClient, rule map[string]any, spec ruleSpec) (map[string]any, error) {
	if rule != nil {
		params, replace := ruleUpdate(rule, spec)
		if !replace {
			if len(params) == 0 {
				return rule, nil
			}
			params["Identity"] = objectID(rule)
			if _, err := exo.Invoke(ctx, "Set-TransportRule", params); err != nil {
				return rule, err
			}
			applyRuleUpdate(rule, params)
			return rule, nil
		}
		if err := removeIgnoringNotFound(ctx, exo, "Remove-TransportRule", objectID(rule)); err != nil {
			return rule, err
		}
	}
	params := newRuleParams(spec)
	created, err := exo.Invoke(ctx, "New-TransportRule", params)
	if err != nil {
		return nil, err
	}
	if len(created) == 1 {
		return created[0], nil
	}
	return readBackByName(ctx, exo, "Get-TransportRule", spec.Name, params)
}

// ruleInSync reports whether an existing rule matches spec.
func ruleInSync(rule map[string]any, spec ruleSpec) bool {
	p, replace := ruleUpdate(rule, spec)
	return !replace && len(p) == 0
}
