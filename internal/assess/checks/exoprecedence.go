// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"sort"
	"strings"
)

// Who really gets an email protection (anti-malware, Safe Links, Safe Attachments). Exchange
// Online applies to each recipient only the FIRST policy of a kind whose rule matches them, in
// this order (Microsoft Learn, "Order and precedence of email protection" and "Preset security
// policies", appendix "Order of precedence for preset security policies and other threat
// policies"):
//
//  1. the Strict preset security policy (EOPProtectionPolicyRule / ATPProtectionPolicyRule),
//  2. the Standard preset security policy,
//  3. the Defender for Office 365 evaluation (ATPEvaluationRule; audit mode: detects, never acts),
//  4. custom policies, by their rule's Priority (a lower number first),
//  5. for everyone left: the Built-in protection preset policy (Safe Links, Safe Attachments;
//     less the exceptions of the ATP Built-In Protection Rule) or the default policy
//     (anti-malware, anti-spam, anti-phishing).
//
// Only rules whose State is Enabled apply. A rule matches a recipient when every kind of
// condition it has matches (SentTo, SentToMemberOf, RecipientDomainIs: AND between kinds, OR
// between values) and no exception does (ExceptIf*: OR). A rule without conditions (only a
// preset can have none) matches everyone.
//
// The snapshot holds neither the recipients nor the group memberships, so the evaluation is
// symbolic, and whatever it cannot prove counts against the tenant:
//   - an enabled (or unknown-state) rule whose policy gives no protection is an exposure unless
//     every recipient it could match is provably taken by an earlier enabled rule;
//   - the recipients the fallback leaves unprotected (all of them when the fallback policy is off
//     or missing, its exceptions otherwise) must be provably taken by an enabled rule;
//   - "provably taken" means: the same user, the same group or the same domain named in a
//     condition of a rule with no user or group exception; a domain exception only spares a
//     domain that is neither it nor its parent or subdomain. A user is never assumed to be in a
//     group or a domain, since membership and primary addresses are not in the snapshot.
// The control passes only when no exposure remains.

// ruleScope is a rule's recipient conditions and exceptions, with the cmdlets' property names.
type ruleScope struct {
	SentTo                    flexStrings `json:"SentTo"`
	SentToMemberOf            flexStrings `json:"SentToMemberOf"`
	RecipientDomainIs         flexStrings `json:"RecipientDomainIs"`
	ExceptIfSentTo            flexStrings `json:"ExceptIfSentTo"`
	ExceptIfSentToMemberOf    flexStrings `json:"ExceptIfSentToMemberOf"`
	ExceptIfRecipientDomainIs flexStrings `json:"ExceptIfRecipientDomainIs"`
}

// protectionRule is one object of Get-SafeLinksRule, Get-SafeAttachmentRule,
// Get-MalwareFilterRule, Get-ATPProtectionPolicyRule, Get-EOPProtectionPolicyRule or
// Get-ATPBuiltInProtectionRule.
type protectionRule struct {
	cmdletName
	ruleScope
	State                string  `json:"State"`
	Priority             flexInt `json:"Priority"`
	SafeLinksPolicy      string  `json:"SafeLinksPolicy"`
	SafeAttachmentPolicy string  `json:"SafeAttachmentPolicy"`
	MalwareFilterPolicy  string  `json:"MalwareFilterPolicy"`
}

// protectionPolicy is one policy and whether it gives the protection the control asks for.
type protectionPolicy struct {
	Name string
	On   bool
	Why  string // What is missing, when !On.
	// Recommended is RecommendedPolicyType: Standard or Strict for the policies of a preset.
	Recommended string
	Fallback    bool // The Built-in protection or default policy.
}

// precedence is one protection kind of a tenant, ready to evaluate.
type precedence struct {
	kind     string // "Safe Links", for sentences.
	policies []protectionPolicy
	presets  []protectionRule // Rules of Get-ATPProtectionPolicyRule or Get-EOPProtectionPolicyRule.
	// evaluation are the rules of Get-ATPEvaluationRule (Safe Links and Safe Attachments only).
	evaluation []protectionRule
	custom     []protectionRule
	policyOf   func(protectionRule) string // The rule's policy property for this kind.
	// fallbackName names the fallback for sentences ("the Built-in protection policy").
	fallbackName string
	// fallbackRules are the ATP Built-In Protection Rule(s), whose exceptions the fallback
	// skips; nil when the fallback has no rule (the default anti-malware policy).
	fallbackRules   []protectionRule
	hasFallbackRule bool
	accepted        []string // Accepted domains: every recipient's primary address is in one.
}

// exposure is a set of recipients who may get no protection, and why.
type exposure struct {
	Rule   string // The rule whose policy they get; "" when they fall through to the fallback.
	Policy string
	Why    string
	Who    string
}

type precedenceResult struct {
	exposures  []exposure
	protecting []string // Enabled rules whose policy protects, in precedence order.
	fallback   string   // The fallback that takes everyone left, when it protects.
}

type atomKind int

const (
	atomAll atomKind = iota
	atomUser
	atomGroup
	atomDomain
)

// atom is a set of recipients named by one value of a condition or exception.
type atom struct {
	kind atomKind
	v    string
}

func (s ruleScope) hasConditions() bool {
	return len(s.SentTo)+len(s.SentToMemberOf)+len(s.RecipientDomainIs) > 0
}

func (s ruleScope) hasExceptions() bool {
	return len(s.ExceptIfSentTo)+len(s.ExceptIfSentToMemberOf)+len(s.ExceptIfRecipientDomainIs) > 0
}

// conditionAtoms lists, per kind of condition, the atoms whose union holds every recipient the
// rule can match: the rule's scope lies inside each list (conditions are ANDed).
func (s ruleScope) conditionAtoms() [][]atom {
	var out [][]atom
	for _, c := range []struct {
		k    atomKind
		vals []string
	}{{atomUser, s.SentTo}, {atomGroup, s.SentToMemberOf}, {atomDomain, s.RecipientDomainIs}} {
		if len(c.vals) == 0 {
			continue
		}
		l := make([]atom, 0, len(c.vals))
		for _, v := range c.vals {
			l = append(l, atom{c.k, strings.TrimSpace(v)})
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		out = [][]atom{{{kind: atomAll}}}
	}
	return out
}

// exceptionAtoms lists the recipients the rule's exceptions name (exceptions are ORed).
func (s ruleScope) exceptionAtoms() []atom {
	var out []atom
	for _, v := range s.ExceptIfSentTo {
		out = append(out, atom{atomUser, strings.TrimSpace(v)})
	}
	for _, v := range s.ExceptIfSentToMemberOf {
		out = append(out, atom{atomGroup, strings.TrimSpace(v)})
	}
	for _, v := range s.ExceptIfRecipientDomainIs {
		out = append(out, atom{atomDomain, strings.TrimSpace(v)})
	}
	return out
}

// covers reports whether every recipient of a provably matches the scope.
func (s ruleScope) covers(a atom) bool {
	if a.kind == atomAll {
		return !s.hasConditions() && !s.hasExceptions()
	}
	// A user or group exception may be anyone: an alias of the user, a member of the group.
	if len(s.ExceptIfSentTo) > 0 || len(s.ExceptIfSentToMemberOf) > 0 {
		return false
	}
	for _, e := range s.ExceptIfRecipientDomainIs {
		if a.kind != atomDomain || domainsOverlap(a.v, e) {
			return false
		}
	}
	// Matching is by equality only: that is sound whether or not a domain condition also
	// matches subdomains (Microsoft documents that it does).
	if len(s.SentTo) > 0 && (a.kind != atomUser || !containsFold(s.SentTo, a.v)) {
		return false
	}
	if len(s.SentToMemberOf) > 0 && (a.kind != atomGroup || !containsFold(s.SentToMemberOf, a.v)) {
		return false
	}
	if len(s.RecipientDomainIs) > 0 && (a.kind != atomDomain || !containsFold(s.RecipientDomainIs, a.v)) {
		return false
	}
	return true
}

// domainsOverlap reports whether two domain values can name the same recipient: equal, or one a
// subdomain of the other.
func domainsOverlap(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	return a == b || strings.HasSuffix(a, "."+b) || strings.HasSuffix(b, "."+a)
}

// coveredBy reports whether every recipient of a provably matches one of the scopes. Everyone
// is covered when each accepted domain is.
func coveredBy(a atom, scopes []ruleScope, accepted []string) bool {
	for _, s := range scopes {
		if s.covers(a) {
			return true
		}
	}
	if a.kind != atomAll || len(accepted) == 0 {
		return false
	}
	for _, d := range accepted {
		if !coveredBy(atom{atomDomain, d}, scopes, nil) {
			return false
		}
	}
	return true
}

// shadowed reports whether every recipient the scope can match is provably taken by one of the
// earlier scopes.
func shadowed(s ruleScope, earlier []ruleScope, accepted []string) bool {
	for _, atoms := range s.conditionAtoms() {
		all := true
		for _, a := range atoms {
			if !coveredBy(a, earlier, accepted) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// describe says whom a scope can reach, for findings.
func (s ruleScope) describe() string {
	var parts []string
	if len(s.SentTo) > 0 {
		parts = append(parts, "recipients "+joinNames(quoteAll(s.SentTo)))
	}
	if len(s.SentToMemberOf) > 0 {
		parts = append(parts, "members of "+joinNames(quoteAll(s.SentToMemberOf)))
	}
	if len(s.RecipientDomainIs) > 0 {
		parts = append(parts, "recipients in "+joinNames(quoteAll(s.RecipientDomainIs)))
	}
	who := "all recipients"
	if len(parts) > 0 {
		who = strings.Join(parts, " who are also ")
	}
	if s.hasExceptions() {
		var ex []string
		ex = append(ex, s.ExceptIfSentTo...)
		ex = append(ex, s.ExceptIfSentToMemberOf...)
		ex = append(ex, s.ExceptIfRecipientDomainIs...)
		who += " except " + joinNames(quoteAll(ex))
	}
	return who
}

func describeAtom(a atom) string {
	switch a.kind {
	case atomUser:
		return fmt.Sprintf("recipient %q", a.v)
	case atomGroup:
		return fmt.Sprintf("members of %q", a.v)
	case atomDomain:
		return fmt.Sprintf("recipients in %q", a.v)
	}
	return "recipients no rule covers"
}

type ruleState int

const (
	stateUnknown ruleState = iota
	stateEnabled
	stateDisabled
)

func stateOf(r protectionRule) ruleState {
	switch {
	case strings.EqualFold(strings.TrimSpace(r.State), "Enabled"):
		return stateEnabled
	case strings.EqualFold(strings.TrimSpace(r.State), "Disabled"):
		return stateDisabled
	}
	return stateUnknown
}

func (p precedence) policy(name string) (protectionPolicy, bool) {
	for _, pol := range p.policies {
		if strings.EqualFold(pol.Name, name) {
			return pol, true
		}
	}
	return protectionPolicy{}, false
}

// presetLevel says whether a preset rule is Strict (0) or Standard (1): from its policy's
// RecommendedPolicyType, else from the rule's default name.
func (p precedence) presetLevel(r protectionRule) (int, bool) {
	level := ""
	if pol, ok := p.policy(p.policyOf(r)); ok {
		level = pol.Recommended
	}
	if level == "" {
		for _, l := range []string{"Strict", "Standard"} {
			if strings.HasPrefix(strings.ToLower(r.name()), strings.ToLower(l)+" preset security policy") {
				level = l
			}
		}
	}
	switch strings.ToLower(level) {
	case "strict":
		return 0, true
	case "standard":
		return 1, true
	}
	return 0, false
}

// presetPolicy finds a preset or evaluation rule's policy: the one it names, else the one whose
// RecommendedPolicyType is the rule's (Strict, Standard or Evaluation).
func (p precedence) presetPolicy(r protectionRule, want string) (protectionPolicy, bool) {
	if pol, ok := p.policy(p.policyOf(r)); ok || p.policyOf(r) != "" {
		return pol, ok
	}
	for _, pol := range p.policies {
		if strings.EqualFold(pol.Recommended, want) {
			return pol, true
		}
	}
	return protectionPolicy{}, false
}

type orderedRule struct {
	protectionRule
	label  string // "Strict preset", "custom, priority 3", for sentences.
	policy protectionPolicy
	found  bool
}

// ordered returns the rules in the order Exchange applies them, or an error when that order
// cannot be known.
func (p precedence) ordered() ([]orderedRule, error) {
	type preset struct {
		orderedRule
		level int
	}
	var presets []preset
	for _, r := range p.presets {
		level, ok := p.presetLevel(r)
		if !ok {
			return nil, fmt.Errorf("cannot tell whether preset security policy rule %q is Strict or Standard, so its place in the order of precedence is unknown", r.name())
		}
		name := []string{"Strict", "Standard"}[level]
		pol, found := p.presetPolicy(r, name)
		presets = append(presets, preset{orderedRule{r, name + " preset", pol, found}, level})
	}
	sort.SliceStable(presets, func(i, j int) bool { return presets[i].level < presets[j].level })
	out := make([]orderedRule, 0, len(presets)+len(p.evaluation)+len(p.custom))
	for _, pr := range presets {
		out = append(out, pr.orderedRule)
	}
	for _, r := range p.evaluation {
		pol, found := p.presetPolicy(r, "Evaluation")
		out = append(out, orderedRule{r, "Defender for Office 365 evaluation", pol, found})
	}
	custom := make([]protectionRule, 0, len(p.custom))
	for _, r := range p.custom {
		if !r.Priority.Set {
			return nil, fmt.Errorf("%s rule %q has no Priority, so its place in the order of precedence is unknown", p.kind, r.name())
		}
		custom = append(custom, r)
	}
	sort.SliceStable(custom, func(i, j int) bool { return custom[i].Priority.V < custom[j].Priority.V })
	for i, r := range custom {
		if i > 0 && custom[i-1].Priority.V == r.Priority.V {
			return nil, fmt.Errorf("%s rules %q and %q both have priority %d, so which applies first is unknown", p.kind, custom[i-1].name(), r.name(), r.Priority.V)
		}
		pol, found := p.policy(p.policyOf(r))
		out = append(out, orderedRule{r, fmt.Sprintf("custom, priority %d", r.Priority.V), pol, found})
	}
	return out, nil
}

// evaluate finds the recipients who may go unprotected.
func (p precedence) evaluate() (precedenceResult, error) {
	var res precedenceResult
	rules, err := p.ordered()
	if err != nil {
		return res, err
	}
	var earlier []ruleScope // Scopes of the rules that surely apply before the next one.
	for _, r := range rules {
		st := stateOf(r.protectionRule)
		if st == stateDisabled {
			continue // A disabled rule applies to no one.
		}
		switch {
		case !r.found:
			name := p.policyOf(r.protectionRule)
			if !shadowed(r.ruleScope, earlier, p.accepted) {
				res.exposures = append(res.exposures, exposure{Rule: r.name(), Policy: name,
					Why: fmt.Sprintf("applies %s policy %q, which is not among the %s policies read, so what it does is unknown", p.kind, name, p.kind), Who: r.describe()})
			}
		case !r.policy.On:
			if !shadowed(r.ruleScope, earlier, p.accepted) {
				res.exposures = append(res.exposures, exposure{Rule: r.name(), Policy: r.policy.Name,
					Why: fmt.Sprintf("applies policy %q, which %s", r.policy.Name, r.policy.Why), Who: r.describe()})
			}
		case st == stateEnabled:
			res.protecting = append(res.protecting, fmt.Sprintf("%q (%s, policy %q)", r.name(), r.label, r.policy.Name))
		}
		if st == stateEnabled {
			earlier = append(earlier, r.ruleScope)
		}
	}
	p.evaluateFallback(&res, earlier)
	return res, nil
}

// evaluateFallback checks the recipients no rule takes: they get the fallback policy, less the
// Built-in protection rule's exceptions.
func (p precedence) evaluateFallback(res *precedenceResult, rules []ruleScope) {
	var fb *protectionPolicy
	for i := range p.policies {
		if p.policies[i].Fallback {
			fb = &p.policies[i]
			break
		}
	}
	var left []atom // Recipients the fallback does not protect.
	var why, policy string
	switch {
	case fb == nil:
		left, why = []atom{{kind: atomAll}}, fmt.Sprintf("get no %s at all: the tenant has no %s", p.kind, strings.TrimPrefix(p.fallbackName, "the "))
	case !fb.On:
		left, why, policy = []atom{{kind: atomAll}}, fmt.Sprintf("get %s %q, which %s", p.fallbackName, fb.Name, fb.Why), fb.Name
	case p.hasFallbackRule && len(p.fallbackRules) == 0:
		left, policy = []atom{{kind: atomAll}}, fb.Name
		why = fmt.Sprintf("may get no %s: the ATP Built-In Protection Rule was not returned, so whom %s excludes is unknown", p.kind, p.fallbackName)
	default:
		for _, r := range p.fallbackRules {
			if stateOf(r) != stateEnabled {
				left = []atom{{kind: atomAll}}
				why = fmt.Sprintf("may get no %s: the rule %q of %s is %s", p.kind, r.name(), p.fallbackName, orUnknown(strings.ToLower(r.State)))
				break
			}
			left = append(left, r.exceptionAtoms()...)
		}
		policy = fb.Name
		if why == "" {
			why = fmt.Sprintf("get no %s: %s excludes them", p.kind, p.fallbackName)
		}
	}
	var missed []string
	for _, a := range left {
		if !coveredBy(a, rules, p.accepted) {
			missed = append(missed, describeAtom(a))
		}
	}
	if len(missed) > 0 {
		res.exposures = append(res.exposures, exposure{Policy: policy, Why: why, Who: strings.Join(missed, ", ")})
		return
	}
	if fb != nil && fb.On {
		res.fallback = fmt.Sprintf("%s %q", p.fallbackName, fb.Name)
	}
}

// precedenceOutcome turns an evaluation into a finding.
func precedenceOutcome(expected string, p precedence) Outcome {
	res, err := p.evaluate()
	if err != nil {
		return Outcome{Status: StatusError, Expected: expected, Actual: "unknown", Detail: err.Error()}
	}
	if len(res.exposures) > 0 {
		var sentences, detail, objects []string
		for _, e := range res.exposures {
			if e.Rule != "" {
				sentences = append(sentences, fmt.Sprintf("rule %q %s, to %s", e.Rule, e.Why, e.Who))
				detail = append(detail, fmt.Sprintf("rule %q -> policy %q: reaches %s", e.Rule, e.Policy, e.Who))
				objects = append(objects, e.Rule)
			} else {
				sentences = append(sentences, fmt.Sprintf("%s %s", e.Who, e.Why))
				detail = append(detail, fmt.Sprintf("no rule -> %s %q: %s", p.fallbackName, e.Policy, e.Who))
			}
			if e.Policy != "" && !containsFold(objects, e.Policy) {
				objects = append(objects, e.Policy)
			}
		}
		actual := strings.Join(sentences, "; ")
		o := fail(expected, strings.ToUpper(actual[:1])+actual[1:]+".", objects...)
		o.Detail = "Exchange applies to each recipient only the first matching " + p.kind + " policy: Strict preset, Standard preset, " +
			"Defender for Office 365 evaluation, custom rules by priority, then " + p.fallbackName + " for everyone left; whom a rule reaches is judged without group " +
			"memberships, so only what is provable counts as covered. Unprotected: " + strings.Join(detail, "; ") + "."
		return o
	}
	var parts []string
	if len(res.protecting) > 0 {
		parts = append(parts, map[bool]string{true: "rule ", false: "rules "}[len(res.protecting) == 1]+joinNames(res.protecting))
	}
	if res.fallback != "" {
		parts = append(parts, res.fallback+" for everyone else")
	}
	return pass(expected, fmt.Sprintf("Every recipient's first matching %s policy protects: %s.", p.kind, strings.Join(parts, "; ")))
}
