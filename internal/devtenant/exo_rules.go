// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// The rules that scope threat policies to recipients, as Exchange Online keeps them:
//   - custom rules (Safe Links, Safe Attachments, malware filter): one policy each, a Priority
//     that stays 0..n-1 (a rule given an existing priority goes before it), Enable-/Disable-
//     for State, at least one recipient condition;
//   - preset security policy rules (EOPProtectionPolicyRule, ATPProtectionPolicyRule): named
//     "Strict Preset Security Policy" (priority 0) and "Standard Preset Security Policy"
//     (priority 1), no condition meaning every recipient;
//   - the ATP Built-In Protection Rule: the only rule of the Built-in protection preset, always
//     enabled, exceptions only, never removed;
//   - the "Evaluation Rule" of a Defender for Office 365 evaluation in audit mode
//     (ATPEvaluationRule), created when an evaluation starts ("Try Microsoft Defender for Office
//     365", Get-/Set-/Enable-/Disable-ATPEvaluationRule).
// Sources: the New-/Set-/Get-*Rule cmdlet references and "Preset security policies"
// (learn.microsoft.com/defender-office-365/preset-security-policies), section "Preset security
// policies in Exchange Online PowerShell".

const (
	builtInRuleName  = "ATP Built-In Protection Rule"
	strictPresetName = "Strict Preset Security Policy"
	standardPreset   = "Standard Preset Security Policy"
	rulesPredicates  = "Microsoft.Exchange.MessagingPolicies.Rules.Tasks."
)

var (
	ruleVerbs      = []string{"Get", "New", "Set", "Remove", "Enable", "Disable"}
	enumRuleState  = enumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleState", "Enabled", "Disabled")
	ruleConditions = []cmdParam{pl("SentTo"), pl("SentToMemberOf"), pl("RecipientDomainIs")}
	ruleExceptions = []cmdParam{pl("ExceptIfSentTo"), pl("ExceptIfSentToMemberOf"), pl("ExceptIfRecipientDomainIs")}
	// rulePredicate names the predicate class Get- lists in Conditions and Exceptions.
	rulePredicate = map[string]string{"SentTo": "SentToPredicate", "SentToMemberOf": "SentToMemberOfPredicate", "RecipientDomainIs": "RecipientDomainIsPredicate"}
	// policyWords is how a rule's Description names the action on each policy kind.
	policyWords = map[string]string{"SafeLinksPolicy": "safe links", "SafeAttachmentPolicy": "safe attachment", "MalwareFilterPolicy": "malware filter",
		"HostedContentFilterPolicy": "hosted content filter", "AntiPhishPolicy": "anti-phish"}
)

func scopeParams(withConditions bool) []cmdParam {
	out := slices.Clone(ruleExceptions)
	if withConditions {
		out = append(out, ruleConditions...)
	}
	return append(out, ps("Comments"))
}

// ruleKind says how a rule noun validates.
type ruleKind int

const (
	customRule ruleKind = iota
	presetRule
	builtInRule
)

// customRuleNoun is a Safe Links, Safe Attachments or malware filter rule.
func customRuleNoun(noun, license, policyNoun string) *nounDef {
	return &nounDef{noun: noun, svc: svcEXO, license: license, verbs: ruleVerbs, prioritized: true, renamable: true,
		required:  []string{policyNoun},
		params:    append(scopeParams(true), pi("Priority", 0, 1<<30), ps(policyNoun)),
		newParams: []cmdParam{pb("Enabled")},
		getParams: []cmdParam{pe("State", enumRuleState)},
		build: func(st *store.State, _ string) map[string]any {
			return ruleObject(int64(len(st.Admin.Cmdlets[noun])))
		},
		validate: func(st *store.State, obj map[string]any, others []map[string]any) *exoError {
			return validateRule(st, obj, others, customRule, policyNoun)
		},
	}
}

// presetRuleNoun is the EOP or Defender for Office 365 rule of the Standard and Strict presets.
func presetRuleNoun(noun, license string, policyNouns ...string) *nounDef {
	newParams := []cmdParam{pb("Enabled")}
	for _, p := range policyNouns {
		newParams = append(newParams, ps(p))
	}
	return &nounDef{noun: noun, svc: svcEXO, license: license, verbs: ruleVerbs, renamable: true, required: policyNouns,
		params: append(scopeParams(true), pi("Priority", 0, 1)), newParams: newParams, getParams: []cmdParam{pe("State", enumRuleState)},
		build: func(_ *store.State, name string) map[string]any {
			// "The default value for the rule that's associated with the Strict preset security
			// policy is 0, and the default value for ... the Standard preset security policy is 1."
			return ruleObject(map[bool]int64{true: 0, false: 1}[strings.EqualFold(name, strictPresetName)])
		},
		validate: func(st *store.State, obj map[string]any, others []map[string]any) *exoError {
			return validateRule(st, obj, others, presetRule, policyNouns...)
		},
	}
}

var (
	nounSafeLinksRule      = customRuleNoun("SafeLinksRule", planATP, "SafeLinksPolicy")
	nounSafeAttachmentRule = customRuleNoun("SafeAttachmentRule", planATP, "SafeAttachmentPolicy")
	nounMalwareFilterRule  = customRuleNoun("MalwareFilterRule", "", "MalwareFilterPolicy")
	nounEOPProtectionRule  = presetRuleNoun("EOPProtectionPolicyRule", "", "AntiPhishPolicy", "HostedContentFilterPolicy", "MalwareFilterPolicy")
	nounATPProtectionRule  = presetRuleNoun("ATPProtectionPolicyRule", planATP, "SafeAttachmentPolicy", "SafeLinksPolicy")
	nounATPEvaluationRule  = func() *nounDef {
		n := presetRuleNoun("ATPEvaluationRule", planATP, "SafeAttachmentPolicy", "SafeLinksPolicy")
		n.verbs, n.params, n.renamable = []string{"Get", "Set", "Enable", "Disable"}, scopeParams(true), false
		n.build = func(*store.State, string) map[string]any {
			o := ruleObject(0)
			delete(o, "Priority")
			return o
		}
		return n
	}()
	// The ATP Built-In Protection Rule has no Remove-, Enable- or Disable- cmdlet.
	nounBuiltInRule = &nounDef{noun: "ATPBuiltInProtectionRule", svc: svcEXO, license: planATP, verbs: []string{"Get", "New", "Set"},
		defaultName: builtInRuleName, required: []string{"SafeAttachmentPolicy", "SafeLinksPolicy"},
		params: scopeParams(false), newParams: []cmdParam{ps("SafeAttachmentPolicy"), ps("SafeLinksPolicy")},
		getParams: []cmdParam{pe("State", enumRuleState)},
		build: func(*store.State, string) map[string]any {
			o := ruleObject(0)
			delete(o, "Priority")
			return o
		},
		validate: func(st *store.State, obj map[string]any, others []map[string]any) *exoError {
			if len(others) > 0 {
				return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
					human: "A rule for the Built-in protection preset security policy already exists. You can't create another one."}
			}
			return validateRule(st, obj, others, builtInRule, "SafeAttachmentPolicy", "SafeLinksPolicy")
		},
	}
)

// ruleObject is what every rule holds before its parameters apply: empty conditions are null.
func ruleObject(priority int64) map[string]any {
	o := map[string]any{"Priority": priority, "State": "Enabled", "Comments": nil, "Conditions": nil, "Exceptions": nil, "Description": ""}
	for _, p := range append(slices.Clone(ruleConditions), ruleExceptions...) {
		o[p.name] = nil
	}
	return o
}

// validateRule checks a rule after its parameters apply and fills the properties Exchange
// derives from them (State, the policy's name, Conditions, Exceptions, Description).
func validateRule(st *store.State, obj map[string]any, others []map[string]any, kind ruleKind, policyNouns ...string) *exoError {
	if e, ok := obj["Enabled"].(bool); ok {
		obj["State"] = map[bool]string{true: "Enabled", false: "Disabled"}[e]
		delete(obj, "Enabled")
	}
	for _, k := range []string{"SentTo", "SentToMemberOf", "RecipientDomainIs", "ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"} {
		if l, ok := obj[k].([]any); ok && len(l) == 0 {
			obj[k] = nil // $null and @() clear a condition; Get- shows it as null.
		}
	}
	for _, pn := range policyNouns {
		id := fmt.Sprint(obj[pn])
		var policy map[string]any
		for _, p := range st.Admin.Cmdlets[pn] {
			if matchIdentity(p, id) {
				policy = p
			}
		}
		if policy == nil {
			return exoNotFound(id)
		}
		obj[pn] = policy["Name"]
		switch {
		case kind == builtInRule && policy["IsBuiltInProtection"] != true:
			return taskError("The Built-in protection rule can only use the Built-in protection policy, not '%s'.", policy["Name"])
		case kind != builtInRule && policy["IsBuiltInProtection"] == true:
			return taskError("A rule can't be bound to the built-in protection policy.")
		case kind == customRule && policy["IsDefault"] == true:
			return taskError("You can't specify the default policy '%s'. The default policy applies to every recipient no other policy applies to.", policy["Name"])
		}
		for _, o := range others {
			if strings.EqualFold(fmt.Sprint(o[pn]), fmt.Sprint(policy["Name"])) {
				return taskError("The policy '%s' is already used by the rule '%s'. A policy can be used by only one rule.", policy["Name"], o["Name"])
			}
		}
	}
	if kind == customRule && len(toStrings(obj["RecipientDomainIs"]))+len(toStrings(obj["SentTo"]))+len(toStrings(obj["SentToMemberOf"])) == 0 {
		return taskError("The rule must have at least one recipient condition: RecipientDomainIs, SentTo or SentToMemberOf.")
	}
	for _, d := range append(toStrings(obj["RecipientDomainIs"]), toStrings(obj["ExceptIfRecipientDomainIs"])...) {
		if !isAcceptedDomain(st, d) {
			return &exoError{status: http.StatusBadRequest, exception: exDataValidation, human: "The domain '" + d + "' isn't an accepted domain for your organization."}
		}
	}
	if p, _ := obj["Priority"].(int64); kind == customRule && p > int64(len(others)) {
		return taskError("The value of parameter Priority must be between 0 and %d.", len(others))
	}
	obj["Conditions"], obj["Exceptions"] = predicates(obj, ""), predicates(obj, "ExceptIf")
	obj["Description"] = describeRule(obj, policyNouns)
	return nil
}

func taskError(format string, args ...any) *exoError {
	return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: fmt.Sprintf(format, args...)}
}

// predicates lists the predicate classes of the conditions (prefix "") or exceptions
// ("ExceptIf") a rule has; null when it has none.
func predicates(obj map[string]any, prefix string) any {
	var out []any
	for _, c := range ruleConditions {
		if len(toStrings(obj[prefix+c.name])) > 0 {
			out = append(out, rulesPredicates+rulePredicate[c.name])
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// describeRule renders the If/Take the following actions text Get- shows.
func describeRule(obj map[string]any, policyNouns []string) string {
	var b strings.Builder
	clause := func(prefix string) {
		if v := toStrings(obj[prefix+"SentTo"]); len(v) > 0 {
			fmt.Fprintf(&b, "\tIs sent to '%s'\r\n", strings.Join(v, "' or '"))
		}
		if v := toStrings(obj[prefix+"SentToMemberOf"]); len(v) > 0 {
			fmt.Fprintf(&b, "\tIs sent to a member of group '%s'\r\n", strings.Join(v, "' or '"))
		}
		if v := toStrings(obj[prefix+"RecipientDomainIs"]); len(v) > 0 {
			fmt.Fprintf(&b, "\tIs sent to a recipient in domain '%s'\r\n", strings.Join(v, "' or '"))
		}
	}
	if predicates(obj, "") != nil {
		b.WriteString("If the message:\r\n")
		clause("")
	}
	b.WriteString("Take the following actions:\r\n")
	for _, pn := range policyNouns {
		fmt.Fprintf(&b, "\tApply %s policy \"%s\".\r\n", policyWords[pn], obj[pn])
	}
	if predicates(obj, "ExceptIf") != nil {
		b.WriteString("Except if the message:\r\n")
		clause("ExceptIf")
	}
	return b.String()
}

// ruleRef is a rule noun and the property by which its rules name a policy.
type ruleRef struct{ noun, field string }

// policyInUse refuses to remove a default or built-in policy, or a policy a rule still uses.
func policyInUse(refs ...ruleRef) func(*store.State, map[string]any) *exoError {
	return func(st *store.State, obj map[string]any) *exoError {
		if obj["IsBuiltInProtection"] == true || obj["IsDefault"] == true {
			return taskError("The policy '%s' is a default policy and can't be removed.", obj["Name"])
		}
		for _, ref := range refs {
			for _, r := range st.Admin.Cmdlets[ref.noun] {
				if strings.EqualFold(fmt.Sprint(r[ref.field]), fmt.Sprint(obj["Name"])) {
					return taskError("The policy '%s' is associated with the rule '%s'. Remove the rule first.", obj["Name"], r["Name"])
				}
			}
		}
		return nil
	}
}
