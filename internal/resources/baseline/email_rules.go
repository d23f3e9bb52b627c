// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
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

// phiClassifications are the classifications of a rule on sits: one instance of any is enough.
func phiClassifications(sits []string) []exchange.Classification {
	out := make([]exchange.Classification, len(sits))
	for i, n := range sits {
		out[i] = exchange.Classification{Name: n, MinCount: "1"}
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
		p["MessageContainsDataClassifications"] = exchange.ClassificationsParam(phiClassifications(spec.SITs))
	}
	if spec.Keywords != nil {
		p["SubjectOrBodyContainsWords"] = append([]string(nil), spec.Keywords...)
	}
	return p
}

func classificationNames(cs []exchange.Classification) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}

// ruleUpdate returns the Set-TransportRule parameters that bring rule to spec (none when it
// matches) and whether the rule must be replaced instead: a disabled rule, because Set- cannot
// enable it.
func ruleUpdate(rule exchange.TransportRule, spec ruleSpec) (map[string]any, bool) {
	if s := rule.State; s != "" && !strings.EqualFold(s, "Enabled") {
		return nil, true
	}
	p := map[string]any{}
	if !strings.EqualFold(rule.Mode, "Enforce") {
		p["Mode"] = "Enforce"
	}
	if !strings.EqualFold(rule.SentToScope, "NotInOrganization") {
		p["SentToScope"] = "NotInOrganization"
	}
	if !strings.EqualFold(rule.ApplyRightsProtectionTemplate, rmsTemplateEncrypt) {
		p["ApplyRightsProtectionTemplate"] = rmsTemplateEncrypt
	}
	minOK := true
	for _, c := range rule.DataClassifications {
		if c.MinCount != "" && c.MinCount != "1" {
			minOK = false
		}
	}
	if !cmdlets.SameStrings(classificationNames(rule.DataClassifications), spec.SITs) || !minOK {
		if spec.SITs == nil {
			p["MessageContainsDataClassifications"] = nil
		} else {
			p["MessageContainsDataClassifications"] = exchange.ClassificationsParam(phiClassifications(spec.SITs))
		}
	}
	if !cmdlets.SameStrings(rule.SubjectOrBodyContainsWords, spec.Keywords) {
		if spec.Keywords == nil {
			p["SubjectOrBodyContainsWords"] = nil
		} else {
			p["SubjectOrBodyContainsWords"] = append([]string(nil), spec.Keywords...)
		}
	}
	return p, false
}

// syncRule creates, repairs or replaces the rule for spec and returns it as it now is (nil when
// it no longer exists).
func syncRule(ctx context.Context, c *m365.Client, rule *exchange.TransportRule, spec ruleSpec) (*exchange.TransportRule, error) {
	if rule != nil {
		params, replace := ruleUpdate(*rule, spec)
		if !replace {
			if len(params) == 0 {
				return rule, nil
			}
			params["Identity"] = rule.ID
			return rule, exchange.SetTransportRule(ctx, c, rule, params)
		}
		if err := exchange.RemoveTransportRule(ctx, c, rule.ID); err != nil {
			return rule, err
		}
	}
	return exchange.NewTransportRule(ctx, c, newRuleParams(spec))
}

// ruleInSync reports whether an existing rule matches spec.
func ruleInSync(rule exchange.TransportRule, spec ruleSpec) bool {
	p, replace := ruleUpdate(rule, spec)
	return !replace && len(p) == 0
}
