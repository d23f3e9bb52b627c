// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// Rules and policies as Get-SafeLinksRule, Get-MalwareFilterRule, Get-ATPProtectionPolicyRule
// and Get-EOPProtectionPolicyRule return them: empty conditions are null.
func slRule(name, policy string, priority int, state string, scope obj) obj {
	o := obj{"Name": name, "Identity": name, "SafeLinksPolicy": policy, "Priority": priority, "State": state,
		"SentTo": nil, "SentToMemberOf": nil, "RecipientDomainIs": nil, "ExceptIfSentTo": nil, "ExceptIfSentToMemberOf": nil, "ExceptIfRecipientDomainIs": nil}
	for k, v := range scope {
		o[k] = v
	}
	return o
}

func slPolicy(name string, email bool) obj {
	return obj{"Name": name, "Identity": name, "EnableSafeLinksForEmail": email, "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom"}
}

func presetSLPolicy(level string) obj {
	return obj{"Name": level + " Preset Security Policy1622650008534", "EnableSafeLinksForEmail": true, "IsBuiltInProtection": false, "RecommendedPolicyType": level}
}

func presetRule(level, policyField, policy, state string, scope obj) obj {
	o := obj{"Name": level + " Preset Security Policy", "Identity": level + " Preset Security Policy", "State": state,
		"Priority": map[string]int{"Strict": 0, "Standard": 1}[level], policyField: policy,
		"SentTo": nil, "SentToMemberOf": nil, "RecipientDomainIs": nil, "ExceptIfSentTo": nil, "ExceptIfSentToMemberOf": nil, "ExceptIfRecipientDomainIs": nil}
	for k, v := range scope {
		o[k] = v
	}
	return o
}

func malwareRule(name, policy string, priority int, scope obj) obj {
	o := obj{"Name": name, "MalwareFilterPolicy": policy, "Priority": priority, "State": "Enabled",
		"SentTo": nil, "SentToMemberOf": nil, "RecipientDomainIs": nil, "ExceptIfSentTo": nil, "ExceptIfSentToMemberOf": nil, "ExceptIfRecipientDomainIs": nil}
	for k, v := range scope {
		o[k] = v
	}
	return o
}

func malwarePolicy(name string, filter bool, types arr) obj {
	return obj{"Name": name, "Identity": name, "IsDefault": false, "EnableFileFilter": filter, "FileTypes": types, "RecommendedPolicyType": "Custom"}
}

const (
	initialDomain = "clinic.onmicrosoft.com"
	vanityDomain  = "clinic.example"
)

// withSafeLinks is the compliant tenant with these Safe Links policies (after the HIPAA one and
// the Built-in protection one) and exactly these rules.
func withSafeLinks(policies []obj, rules ...obj) sources {
	s := compliant()
	pols := s[snapshot.ExchangeSafeLinksPolicies].(arr)
	for _, p := range policies {
		pols = append(pols, p)
	}
	s[snapshot.ExchangeSafeLinksPolicies] = pols
	rs := arr{}
	for _, r := range rules {
		rs = append(rs, r)
	}
	s[snapshot.ExchangeSafeLinksRules] = rs
	return s
}

func hipaaSLRule(priority int) obj {
	return slRule("HIPAA - Safe Links", "HIPAA - Safe Links", priority, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}})
}

func TestPrecedenceSafeLinks(t *testing.T) {
	offPolicy := []obj{slPolicy("Links off", false)}
	cases := []struct {
		name    string
		src     sources
		want    Status
		actual  string   // Substring of Actual.
		objects []string // Objects the finding must name.
	}{
		{"custom higher-priority policy off over Built-in protection on fails",
			withSafeLinks(offPolicy, slRule("No rewriting", "Links off", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain, vanityDomain}}), hipaaSLRule(1)),
			StatusFail, `rule "No rewriting" applies policy "Links off", which does not scan links in email`, []string{"No rewriting", "Links off"}},
		{"the same rule disabled is ignored",
			withSafeLinks(offPolicy, slRule("No rewriting", "Links off", 0, "Disabled", obj{"RecipientDomainIs": arr{initialDomain, vanityDomain}}), hipaaSLRule(1)),
			StatusPass, "Built-in protection policy", nil},
		{"a rule in an unknown state may apply",
			withSafeLinks(offPolicy, slRule("No rewriting", "Links off", 0, "", obj{"RecipientDomainIs": arr{vanityDomain}}), hipaaSLRule(1)),
			StatusFail, `rule "No rewriting"`, []string{"No rewriting"}},
		{"policy off below a higher-priority rule for the same domain is shadowed",
			withSafeLinks(offPolicy, hipaaSLRule(0), slRule("Old", "Links off", 1, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}})),
			StatusPass, `"HIPAA - Safe Links"`, nil},
		{"policy off for another domain than the higher rule's is not shadowed",
			withSafeLinks(offPolicy, hipaaSLRule(0), slRule("Old", "Links off", 1, "Enabled", obj{"RecipientDomainIs": arr{vanityDomain}})),
			StatusFail, `recipients in "clinic.example"`, []string{"Old", "Links off"}},
		{"policy off for a group below a domain rule fails: membership is unknown",
			withSafeLinks(offPolicy, hipaaSLRule(0), slRule("Front desk", "Links off", 1, "Enabled", obj{"SentToMemberOf": arr{"Front Desk"}})),
			StatusFail, `members of "Front Desk"`, []string{"Front desk"}},
		{"policy off for a group below a rule for the same group is shadowed",
			withSafeLinks(offPolicy, slRule("Front desk on", "HIPAA - Safe Links", 0, "Enabled", obj{"SentToMemberOf": arr{"front desk"}}),
				slRule("Front desk", "Links off", 1, "Enabled", obj{"SentToMemberOf": arr{"Front Desk"}})),
			StatusPass, "", nil},
		{"a user exception of the higher rule keeps the lower one reachable",
			withSafeLinks(offPolicy, slRule("HIPAA - Safe Links", "HIPAA - Safe Links", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}, "ExceptIfSentTo": arr{"scanner"}}),
				slRule("Old", "Links off", 1, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}})),
			StatusFail, `rule "Old"`, []string{"Old"}},
		{"an unrelated domain exception of the higher rule still shadows",
			withSafeLinks(offPolicy, slRule("HIPAA - Safe Links", "HIPAA - Safe Links", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}, "ExceptIfRecipientDomainIs": arr{vanityDomain}}),
				slRule("Old", "Links off", 1, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}})),
			StatusPass, "", nil},
		{"a subdomain exception of the higher rule keeps the lower one reachable",
			withSafeLinks(offPolicy, slRule("HIPAA - Safe Links", "HIPAA - Safe Links", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}, "ExceptIfRecipientDomainIs": arr{"lab." + initialDomain}}),
				slRule("Old", "Links off", 1, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}})),
			StatusFail, `rule "Old"`, []string{"Old"}},
		{"a rule naming a policy that was not read is not trusted",
			withSafeLinks(nil, slRule("Ghost", "Nowhere", 0, "Enabled", obj{"SentTo": arr{"ceo@clinic.example"}}), hipaaSLRule(1)),
			StatusFail, "not among the Safe Links policies read", []string{"Ghost", "Nowhere"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkOutcome(t, "HIPAA.EXO.5v1", c.src, c.want, c.actual, c.objects) })
	}
}

// The Built-in protection policy takes only the recipients no rule takes, less its own
// exceptions (ATP Built-In Protection Rule).
func TestPrecedenceBuiltInProtectionTakesTheRest(t *testing.T) {
	builtInRule := func(s sources, except obj) {
		r := s[snapshot.ExchangeATPBuiltInProtectionRule].(arr)[0].(obj)
		for k, v := range except {
			r[k] = v
		}
	}
	domainOnly := func() sources { return withSafeLinks(nil, hipaaSLRule(0)) }

	t.Run("one domain scoped, the rest to Built-in protection on: pass", func(t *testing.T) {
		checkOutcome(t, "HIPAA.EXO.5v1", domainOnly(), StatusPass, `Built-in protection policy "Built-In Protection Policy" for everyone else`, nil)
	})
	t.Run("Built-in protection excludes the other domain: fail", func(t *testing.T) {
		s := domainOnly()
		builtInRule(s, obj{"ExceptIfRecipientDomainIs": arr{vanityDomain}})
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusFail, `recipients in "clinic.example" get no Safe Links: the Built-in protection policy excludes them`, []string{builtInProtection})
	})
	t.Run("Built-in protection excludes the domain a rule covers: pass", func(t *testing.T) {
		s := domainOnly()
		builtInRule(s, obj{"ExceptIfRecipientDomainIs": arr{initialDomain}})
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusPass, "", nil)
	})
	t.Run("Built-in protection excludes a group: membership unknown, fail", func(t *testing.T) {
		s := domainOnly()
		builtInRule(s, obj{"ExceptIfSentToMemberOf": arr{"Unlicensed"}})
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusFail, `members of "Unlicensed"`, nil)
	})
	t.Run("no Built-in protection policy: the other domain is unprotected", func(t *testing.T) {
		s := domainOnly()
		s[snapshot.ExchangeSafeLinksPolicies] = s[snapshot.ExchangeSafeLinksPolicies].(arr)[:1]
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusFail, "the tenant has no Built-in protection policy", nil)
	})
	t.Run("no Built-in protection policy but every accepted domain covered: pass", func(t *testing.T) {
		s := withSafeLinks(nil, slRule("HIPAA - Safe Links", "HIPAA - Safe Links", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain, vanityDomain}}))
		s[snapshot.ExchangeSafeLinksPolicies] = s[snapshot.ExchangeSafeLinksPolicies].(arr)[:1]
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusPass, "", nil)
	})
	t.Run("the Built-in protection rule not returned: its exceptions are unknown", func(t *testing.T) {
		s := domainOnly()
		s[snapshot.ExchangeATPBuiltInProtectionRule] = arr{}
		checkOutcome(t, "HIPAA.EXO.5v1", s, StatusFail, "ATP Built-In Protection Rule was not returned", nil)
	})
}

// Strict and Standard preset security policies come before every custom policy.
func TestPrecedencePresetsComeFirst(t *testing.T) {
	withPresets := func(presets []obj, rules ...obj) sources {
		s := withSafeLinks([]obj{slPolicy("Links off", false), presetSLPolicy("Strict"), presetSLPolicy("Standard")}, rules...)
		ps := arr{}
		for _, p := range presets {
			ps = append(ps, p)
		}
		s[snapshot.ExchangeATPProtectionRules] = ps
		return s
	}
	offForAll := slRule("Links off for all", "Links off", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain, vanityDomain}})
	strictAll := presetRule("Strict", "SafeLinksPolicy", "Strict Preset Security Policy1622650008534", "Enabled", nil)

	t.Run("Strict for all recipients overrides a custom policy that is off", func(t *testing.T) {
		checkOutcome(t, "HIPAA.EXO.5v1", withPresets([]obj{strictAll}, offForAll), StatusPass, "(Strict preset, policy", nil)
	})
	t.Run("Strict turned off overrides nothing", func(t *testing.T) {
		off := presetRule("Strict", "SafeLinksPolicy", "Strict Preset Security Policy1622650008534", "Disabled", nil)
		checkOutcome(t, "HIPAA.EXO.5v1", withPresets([]obj{off}, offForAll), StatusFail, `rule "Links off for all"`, []string{"Links off for all"})
	})
	t.Run("Standard for a group shadows a custom policy off for that group only", func(t *testing.T) {
		std := presetRule("Standard", "SafeLinksPolicy", "Standard Preset Security Policy1622650008534", "Enabled", obj{"SentToMemberOf": arr{"Clinicians"}})
		offClinicians := slRule("Clinicians off", "Links off", 0, "Enabled", obj{"SentToMemberOf": arr{"Clinicians"}})
		checkOutcome(t, "HIPAA.EXO.5v1", withPresets([]obj{std}, offClinicians, hipaaSLRule(1)), StatusPass, "(Standard preset, policy", nil)
	})
	t.Run("a preset rule whose level cannot be told is an error", func(t *testing.T) {
		odd := presetRule("Strict", "SafeLinksPolicy", "", "Enabled", nil)
		odd["Name"], odd["Identity"] = "Renamed preset", "Renamed preset"
		checkOutcome(t, "HIPAA.EXO.5v1", withPresets([]obj{odd}, hipaaSLRule(0)), StatusError, "unknown", nil)
	})
	t.Run("a preset rule without a policy name finds its policy by level", func(t *testing.T) {
		scuba := presetRule("Strict", "SafeLinksPolicy", "", "Enabled", nil) // ScubaGear's test inputs omit the policy.
		delete(scuba, "SafeLinksPolicy")
		checkOutcome(t, "HIPAA.EXO.5v1", withPresets([]obj{scuba}, offForAll), StatusPass, "Strict preset", nil)
	})
}

// A Defender for Office 365 evaluation (audit mode) comes before custom policies and acts on
// nothing, so whoever it covers is unprotected; turned off, it applies to no one.
func TestPrecedenceEvaluationAuditMode(t *testing.T) {
	withEvaluation := func(state string) sources {
		s := withSafeLinks([]obj{{"Name": "Evaluation Policy", "EnableSafeLinksForEmail": true, "DisableUrlRewrite": true, "AllowClickThrough": true,
			"IsBuiltInProtection": false, "RecommendedPolicyType": "Evaluation"}}, hipaaSLRule(0))
		s[snapshot.ExchangeATPEvaluationRules] = arr{obj{"Name": "Evaluation Rule", "Identity": "Evaluation Rule", "State": state,
			"SentTo": nil, "SentToMemberOf": nil, "RecipientDomainIs": nil}}
		return s
	}
	checkOutcome(t, "HIPAA.EXO.5v1", withEvaluation("Enabled"), StatusFail, "in audit mode detects threats but acts on none", []string{"Evaluation Rule", "Evaluation Policy"})
	checkOutcome(t, "HIPAA.EXO.5v1", withEvaluation("Disabled"), StatusPass, "", nil)
}

// The order of custom rules must be known: no Priority, or two rules with one priority, is an error.
func TestPrecedenceUnknownOrderIsAnError(t *testing.T) {
	noPriority := hipaaSLRule(0)
	delete(noPriority, "Priority")
	checkOutcome(t, "HIPAA.EXO.5v1", withSafeLinks(nil, noPriority), StatusError, "unknown", nil)
	dup := withSafeLinks([]obj{slPolicy("Links off", false)}, hipaaSLRule(0), slRule("Twin", "Links off", 0, "Enabled", obj{"RecipientDomainIs": arr{initialDomain}}))
	o := run(t, "HIPAA.EXO.5v1", build(t, dup), compliantParams)
	if o.Status != StatusError || !strings.Contains(o.Detail, "both have priority 0") {
		t.Errorf("duplicate priority: %+v", o)
	}
}

func TestPrecedenceAntiMalware(t *testing.T) {
	weak := arr{"exe", "bat"}
	withMalware := func(policies []obj, rules []obj, presets []obj) sources {
		s := compliant()
		pols := s[snapshot.ExchangeMalwareFilterPolicies].(arr)
		for _, p := range policies {
			pols = append(pols, p)
		}
		s[snapshot.ExchangeMalwareFilterPolicies] = pols
		rs, ps := arr{}, arr{}
		for _, r := range rules {
			rs = append(rs, r)
		}
		for _, p := range presets {
			ps = append(ps, p)
		}
		s[snapshot.ExchangeMalwareFilterRules], s[snapshot.ExchangeEOPProtectionRules] = rs, ps
		return s
	}
	t.Run("a custom policy with the filter off for a group overrides the default", func(t *testing.T) {
		s := withMalware([]obj{malwarePolicy("Scanner", false, nil)}, []obj{malwareRule("Scanner mailbox", "Scanner", 0, obj{"SentTo": arr{"scanner@clinic.example"}})}, nil)
		checkOutcome(t, "HIPAA.EXO.4v1", s, StatusFail, `rule "Scanner mailbox" applies policy "Scanner", which has the common attachments filter off, to recipients "scanner@clinic.example"`,
			[]string{"Scanner mailbox", "Scanner"})
	})
	t.Run("a weak custom policy no rule applies does not count", func(t *testing.T) {
		checkOutcome(t, "HIPAA.EXO.4v1", withMalware([]obj{malwarePolicy("Unused", true, weak)}, nil, nil), StatusPass, `default anti-malware policy "Default"`, nil)
	})
	t.Run("the Standard preset's list applies to its recipients first", func(t *testing.T) {
		std := malwarePolicy("Standard Preset Security Policy1622650008019", true, weak)
		std["RecommendedPolicyType"] = "Standard"
		s := withMalware([]obj{std}, nil, []obj{presetRule("Standard", "MalwareFilterPolicy", std["Name"].(string), "Enabled", obj{"SentToMemberOf": arr{"Clinicians"}})})
		checkOutcome(t, "HIPAA.EXO.4v1", s, StatusFail, "does not block js, vbs, ps1", []string{"Standard Preset Security Policy"})
	})
	t.Run("default off but every accepted domain has a strong custom policy", func(t *testing.T) {
		s := withMalware([]obj{malwarePolicy("HIPAA", true, checklistFileTypes)},
			[]obj{malwareRule("HIPAA", "HIPAA", 0, obj{"RecipientDomainIs": arr{initialDomain, vanityDomain}})}, nil)
		s[snapshot.ExchangeMalwareFilterPolicies].(arr)[0].(obj)["EnableFileFilter"] = false
		checkOutcome(t, "HIPAA.EXO.4v1", s, StatusPass, `rule "HIPAA" (custom, priority 0, policy "HIPAA")`, nil)
	})
	t.Run("default off and only one domain covered", func(t *testing.T) {
		s := withMalware([]obj{malwarePolicy("HIPAA", true, checklistFileTypes)},
			[]obj{malwareRule("HIPAA", "HIPAA", 0, obj{"RecipientDomainIs": arr{initialDomain}})}, nil)
		s[snapshot.ExchangeMalwareFilterPolicies].(arr)[0].(obj)["EnableFileFilter"] = false
		checkOutcome(t, "HIPAA.EXO.4v1", s, StatusFail, `recipients no rule covers get the default anti-malware policy "Default", which has the common attachments filter off`, []string{"Default"})
	})
}

// Safe Attachments goes through the same evaluation.
func TestPrecedenceSafeAttachments(t *testing.T) {
	s := compliant()
	s[snapshot.ExchangeSafeAttachmentPolicies] = append(s[snapshot.ExchangeSafeAttachmentPolicies].(arr),
		obj{"Name": "Monitor only", "Enable": true, "Action": "Allow", "IsBuiltInProtection": false})
	s[snapshot.ExchangeSafeAttachmentRules] = append(s[snapshot.ExchangeSafeAttachmentRules].(arr),
		obj{"Name": "Executives", "SafeAttachmentPolicy": "Monitor only", "State": "Enabled", "Priority": 1, "SentToMemberOf": arr{"Executives"}})
	checkOutcome(t, "HIPAA.EXO.6v1", s, StatusFail, `applies policy "Monitor only", which has action Allow, not Block, to members of "Executives"`, []string{"Executives", "Monitor only"})
}

func checkOutcome(t *testing.T, id string, src sources, want Status, actual string, objects []string) {
	t.Helper()
	o := run(t, id, build(t, src), compliantParams)
	if o.Status != want {
		t.Fatalf("status %s, want %s: %s (%s)", o.Status, want, o.Actual, o.Detail)
	}
	if !strings.Contains(strings.ToLower(o.Actual), strings.ToLower(actual)) {
		t.Errorf("actual %q does not contain %q", o.Actual, actual)
	}
	for _, n := range objects {
		if !slices.Contains(o.Objects, n) {
			t.Errorf("objects %q do not name %q", o.Objects, n)
		}
		if want == StatusFail && !strings.Contains(o.Detail, n) {
			t.Errorf("detail %q does not name %q", o.Detail, n)
		}
	}
}
