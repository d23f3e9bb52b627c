// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
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
	enumRuleState  = adminapi.EnumOf("Microsoft.Exchange.MessagingPolicies.Rules.RuleState", "Enabled", "Disabled")
	ruleConditions = []adminapi.Param{adminapi.StrList("SentTo"), adminapi.StrList("SentToMemberOf"), adminapi.StrList("RecipientDomainIs")}
	ruleExceptions = []adminapi.Param{adminapi.StrList("ExceptIfSentTo"), adminapi.StrList("ExceptIfSentToMemberOf"), adminapi.StrList("ExceptIfRecipientDomainIs")}
	// rulePredicate names the predicate class Get- lists in Conditions and Exceptions.
	rulePredicate = map[string]string{"SentTo": "SentToPredicate", "SentToMemberOf": "SentToMemberOfPredicate", "RecipientDomainIs": "RecipientDomainIsPredicate"}
	// policyWords is how a rule's Description names the action on each policy kind.
	policyWords = map[string]string{"SafeLinksPolicy": "safe links", "SafeAttachmentPolicy": "safe attachment", "MalwareFilterPolicy": "malware filter",
		"HostedContentFilterPolicy": "hosted content filter", "AntiPhishPolicy": "anti-phish"}
)

func scopeParams(withConditions bool) []adminapi.Param {
	out := slices.Clone(ruleExceptions)
	if withConditions {
		out = append(out, ruleConditions...)
	}
	return append(out, adminapi.Str("Comments"))
}

// ruleKind says how a rule noun validates.
type ruleKind int

const (
	customRule ruleKind = iota
	presetRule
	builtInRule
)

// customRuleNoun is a Safe Links, Safe Attachments or malware filter rule.
func customRuleNoun(noun, license, policyNoun string) *adminapi.Noun {
	return &adminapi.Noun{Name: noun, Svc: adminapi.EXO, License: license, Verbs: ruleVerbs, Prioritized: true, Renamable: true,
		Required:  []string{policyNoun},
		Params:    append(scopeParams(true), adminapi.Int("Priority", 0, 1<<30), adminapi.Str(policyNoun)),
		NewParams: []adminapi.Param{adminapi.Bool("Enabled")},
		GetParams: []adminapi.Param{adminapi.Enum("State", enumRuleState)},
		Build: func(st *store.State, _ string) map[string]any {
			return ruleObject(int64(len(st.Admin.Cmdlets[noun])))
		},
		Validate: func(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
			return validateRule(st, obj, others, customRule, policyNoun)
		},
	}
}

// presetRuleNoun is the EOP or Defender for Office 365 rule of the Standard and Strict presets.
func presetRuleNoun(noun, license string, policyNouns ...string) *adminapi.Noun {
	newParams := []adminapi.Param{adminapi.Bool("Enabled")}
	for _, p := range policyNouns {
		newParams = append(newParams, adminapi.Str(p))
	}
	return &adminapi.Noun{Name: noun, Svc: adminapi.EXO, License: license, Verbs: ruleVerbs, Renamable: true, Required: policyNouns,
		Params: append(scopeParams(true), adminapi.Int("Priority", 0, 1)), NewParams: newParams, GetParams: []adminapi.Param{adminapi.Enum("State", enumRuleState)},
		Build: func(_ *store.State, name string) map[string]any {
			// "The default value for the rule that's associated with the Strict preset security
			// policy is 0, and the default value for ... the Standard preset security policy is 1."
			return ruleObject(map[bool]int64{true: 0, false: 1}[strings.EqualFold(name, strictPresetName)])
		},
		Validate: func(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
			return validateRule(st, obj, others, presetRule, policyNouns...)
		},
	}
}

var (
	SafeLinksRule         = customRuleNoun("SafeLinksRule", planATP, "SafeLinksPolicy")
	SafeAttachmentRule    = customRuleNoun("SafeAttachmentRule", planATP, "SafeAttachmentPolicy")
	MalwareFilterRule     = customRuleNoun("MalwareFilterRule", "", "MalwareFilterPolicy")
	nounEOPProtectionRule = presetRuleNoun("EOPProtectionPolicyRule", "", "AntiPhishPolicy", "HostedContentFilterPolicy", "MalwareFilterPolicy")
	nounATPProtectionRule = presetRuleNoun("ATPProtectionPolicyRule", planATP, "SafeAttachmentPolicy", "SafeLinksPolicy")
	nounATPEvaluationRule = func() *adminapi.Noun {
		n := presetRuleNoun("ATPEvaluationRule", planATP, "SafeAttachmentPolicy", "SafeLinksPolicy")
		n.Verbs, n.Params, n.Renamable = []string{"Get", "Set", "Enable", "Disable"}, scopeParams(true), false
		n.Build = func(*store.State, string) map[string]any {
			o := ruleObject(0)
			delete(o, "Priority")
			return o
		}
		return n
	}()
	// The ATP Built-In Protection Rule has no Remove-, Enable- or Disable- cmdlet.
	nounBuiltInRule = &adminapi.Noun{Name: "ATPBuiltInProtectionRule", Svc: adminapi.EXO, License: planATP, Verbs: []string{"Get", "New", "Set"},
		DefaultName: builtInRuleName, Required: []string{"SafeAttachmentPolicy", "SafeLinksPolicy"},
		Params: scopeParams(false), NewParams: []adminapi.Param{adminapi.Str("SafeAttachmentPolicy"), adminapi.Str("SafeLinksPolicy")},
		GetParams: []adminapi.Param{adminapi.Enum("State", enumRuleState)},
		Build: func(*store.State, string) map[string]any {
			o := ruleObject(0)
			delete(o, "Priority")
			return o
		},
		Validate: func(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
			if len(others) > 0 {
				return taskError("A rule for the Built-in protection preset security policy already exists. You can't create another one.")
			}
			return validateRule(st, obj, others, builtInRule, "SafeAttachmentPolicy", "SafeLinksPolicy")
		},
	}
)

// ruleObject is what every rule holds before its parameters apply: empty conditions are null.
func ruleObject(priority int64) map[string]any {
	o := map[string]any{"Priority": priority, "State": "Enabled", "Comments": nil, "Conditions": nil, "Exceptions": nil, "Description": ""}
	for _, p := range append(slices.Clone(ruleConditions), ruleExceptions...) {
		o[p.Name] = nil
	}
	return o
}

// validateRule checks a rule after its parameters apply and fills the properties Exchange
// derives from them (State, the policy's name, Conditions, Exceptions, Description).
func validateRule(st *store.State, obj map[string]any, others []map[string]any, kind ruleKind, policyNouns ...string) *adminapi.Error {
	stateFromEnabled(obj)
	for _, k := range []string{"SentTo", "SentToMemberOf", "RecipientDomainIs", "ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"} {
		if l, ok := obj[k].([]any); ok && len(l) == 0 {
			obj[k] = nil // $null and @() clear a condition; Get- shows it as null.
		}
	}
	for _, pn := range policyNouns {
		id := fmt.Sprint(obj[pn])
		var policy map[string]any
		for _, p := range st.Admin.Cmdlets[pn] {
			if adminapi.MatchIdentity(p, id) {
				policy = p
			}
		}
		if policy == nil {
			return adminapi.NotFound(id)
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
	if kind == customRule && len(adminapi.ToStrings(obj["RecipientDomainIs"]))+len(adminapi.ToStrings(obj["SentTo"]))+len(adminapi.ToStrings(obj["SentToMemberOf"])) == 0 {
		return taskError("The rule must have at least one recipient condition: RecipientDomainIs, SentTo or SentToMemberOf.")
	}
	for _, d := range append(adminapi.ToStrings(obj["RecipientDomainIs"]), adminapi.ToStrings(obj["ExceptIfRecipientDomainIs"])...) {
		if !isAcceptedDomain(st, d) {
			return adminapi.BadRequest(adminapi.ExDataValidation, "The domain '%s' isn't an accepted domain for your organization.", d)
		}
	}
	if kind == customRule {
		if err := priorityInRange(obj, others); err != nil {
			return err
		}
	}
	obj["Conditions"], obj["Exceptions"] = predicates(obj, ""), predicates(obj, "ExceptIf")
	obj["Description"] = describeRule(obj, policyNouns)
	return nil
}

// taskError is how a rule (or policy) cmdlet refuses an argument.
func taskError(format string, args ...any) *adminapi.Error {
	return adminapi.BadRequest(adminapi.ExTaskValidation, format, args...)
}

// stateFromEnabled turns New-'s Enabled into the State a rule keeps (Enabled or Disabled).
func stateFromEnabled(obj map[string]any) {
	if e, ok := obj["Enabled"].(bool); ok {
		obj["State"] = map[bool]string{true: "Enabled", false: "Disabled"}[e]
		delete(obj, "Enabled")
	}
}

// priorityInRange refuses a Priority past the rules already there: 0 to n-1 moves a rule
// before the one at that priority, n makes it the last.
func priorityInRange(obj map[string]any, others []map[string]any) *adminapi.Error {
	if p, _ := obj["Priority"].(int64); p > int64(len(others)) {
		return taskError("The value of parameter Priority must be between 0 and %d.", len(others))
	}
	return nil
}

// predicates lists the predicate classes of the conditions (prefix "") or exceptions
// ("ExceptIf") a rule has; null when it has none.
func predicates(obj map[string]any, prefix string) any {
	var out []any
	for _, c := range ruleConditions {
		if len(adminapi.ToStrings(obj[prefix+c.Name])) > 0 {
			out = append(out, rulesPredicates+rulePredicate[c.Name])
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
		if v := adminapi.ToStrings(obj[prefix+"SentTo"]); len(v) > 0 {
			fmt.Fprintf(&b, "\tIs sent to '%s'\r\n", strings.Join(v, "' or '"))
		}
		if v := adminapi.ToStrings(obj[prefix+"SentToMemberOf"]); len(v) > 0 {
			fmt.Fprintf(&b, "\tIs sent to a member of group '%s'\r\n", strings.Join(v, "' or '"))
		}
		if v := adminapi.ToStrings(obj[prefix+"RecipientDomainIs"]); len(v) > 0 {
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
func policyInUse(refs ...ruleRef) func(*store.State, map[string]any) *adminapi.Error {
	return func(st *store.State, obj map[string]any) *adminapi.Error {
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
