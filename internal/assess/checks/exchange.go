// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.EXO.1v1", checkEXOForwarding)
	register("HIPAA.EXO.2v1", flagCheck{source: snapshot.ExchangeIRMConfiguration, field: "AzureRMSLicensingEnabled", want: true,
		expected: "Message encryption (Azure RMS licensing for Exchange) is on, so users and rules can encrypt mail.", wrong: "Azure RMS licensing is off: Exchange cannot encrypt messages.", right: "Azure RMS licensing is on."}.check)
	register("HIPAA.EXO.3v1", checkEXOPHIRule)
}

// cmdletName names a cmdlet object in findings: Name, else Identity.
type cmdletName struct {
	Name     string `json:"Name"`
	Identity string `json:"Identity"`
}

func (c cmdletName) name() string {
	if c.Name != "" {
		return c.Name
	}
	return c.Identity
}

// checkEXOForwarding: both layers must refuse external auto-forwarding. The outbound spam
// policy stops forwarding by users' rules; remote domains stop it per destination. The
// checklist sets both, and a remote domain that allows forwarding is a deliberate hole.
func checkEXOForwarding(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Automatic forwarding to external addresses is off: every outbound spam policy has AutoForwardingMode Off and no remote domain allows auto-forwarding."
	var spam []struct {
		cmdletName
		AutoForwardingMode string `json:"AutoForwardingMode"`
	}
	if err := decodeList(s, snapshot.ExchangeOutboundSpamPolicies, &spam); err != nil {
		return errorOutcome(expected, err)
	}
	var domains []struct {
		cmdletName
		DomainName         string   `json:"DomainName"`
		AutoForwardEnabled flexBool `json:"AutoForwardEnabled"`
	}
	if err := decodeList(s, snapshot.ExchangeRemoteDomains, &domains); err != nil {
		return errorOutcome(expected, err)
	}
	if len(spam) == 0 {
		return errorOutcome(expected, &snapshot.ErrMissing{ID: snapshot.ExchangeOutboundSpamPolicies, Reason: "no outbound spam policy (every tenant has Default)"})
	}
	var bad, problems []string
	for _, p := range spam {
		if !strings.EqualFold(p.AutoForwardingMode, "Off") {
			bad = append(bad, "outbound spam policy "+p.name())
			problems = append(problems, fmt.Sprintf("outbound spam policy %q has AutoForwardingMode %s", p.name(), orUnknown(p.AutoForwardingMode)))
		}
	}
	for _, d := range domains {
		if !d.AutoForwardEnabled.Set || d.AutoForwardEnabled.V {
			n := d.DomainName
			if n == "" {
				n = d.name()
			}
			bad = append(bad, "remote domain "+n)
			problems = append(problems, fmt.Sprintf("remote domain %q allows auto-forwarding", n))
		}
	}
	if len(bad) > 0 {
		return fail(expected, strings.ToUpper(problems[0][:1])+strings.Join(problems, "; ")[1:]+".", bad...)
	}
	return pass(expected, fmt.Sprintf("%s and %s block external auto-forwarding.", plural(len(spam), "outbound spam policy", "outbound spam policies"), plural(len(domains), "remote domain", "remote domains")))
}

type transportRule struct {
	cmdletName
	State                              string          `json:"State"`
	Mode                               string          `json:"Mode"`
	Priority                           flexInt         `json:"Priority"`
	StopRuleProcessing                 flexBool        `json:"StopRuleProcessing"`
	SentToScope                        string          `json:"SentToScope"`
	From                               flexStrings     `json:"From"`
	SentTo                             flexStrings     `json:"SentTo"`
	MessageContainsDataClassifications json.RawMessage `json:"MessageContainsDataClassifications"`
	SubjectOrBodyContainsWords         flexStrings     `json:"SubjectOrBodyContainsWords"`
	AttachmentContainsWords            flexStrings     `json:"AttachmentContainsWords"`
	ApplyRightsProtectionTemplate      flexString      `json:"ApplyRightsProtectionTemplate"`
	ApplyOME                           flexBool        `json:"ApplyOME"`
}

func (r transportRule) detectsPHI() bool {
	d := bytes.TrimSpace(r.MessageContainsDataClassifications)
	hasClass := len(d) > 0 && !bytes.Equal(d, []byte("null")) && !bytes.Equal(d, []byte("[]")) && !bytes.Equal(d, []byte(`""`))
	return hasClass || len(r.SubjectOrBodyContainsWords) > 0 || len(r.AttachmentContainsWords) > 0
}

func (r transportRule) encrypts() bool {
	return (r.ApplyRightsProtectionTemplate.Set && r.ApplyRightsProtectionTemplate.V != "") || r.ApplyOME.V
}

func appendNew(list []string, v string) []string {
	if containsFold(list, v) {
		return list
	}
	return append(list, v)
}

// exceptions lists the ExceptIf* properties a rule sets: each spares some messages.
func exceptions(raw map[string]json.RawMessage) []string {
	var out []string
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		if strings.HasPrefix(k, "ExceptIf") && !strings.Contains(k, "@") && len(v) > 0 &&
			!bytes.Equal(v, []byte("null")) && !bytes.Equal(v, []byte("[]")) && !bytes.Equal(v, []byte(`""`)) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// checkEXOPHIRule: Exchange runs mail flow rules in Priority order (0 first), and a matching rule
// with StopRuleProcessing ends the run ("an action that stops processing more rules",
// New-TransportRule), so the encryption rule must come before every rule that may stop
// processing; what such a rule matches is not judged, any enabled or test-mode one counts. The
// encryption rule's exceptions and sender or recipient conditions would spare some PHI mail, so
// a rule with them does not count.
func checkEXOPHIRule(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "An enabled, enforced mail flow rule encrypts mail sent outside the organisation that contains PHI (sensitive information types or keywords), and no rule before it can stop rule processing."
	var rules []transportRule
	if err := decodeList(s, snapshot.ExchangeTransportRules, &rules); err != nil {
		return errorOutcome(expected, err)
	}
	var raws []map[string]json.RawMessage
	if err := decodeList(s, snapshot.ExchangeTransportRules, &raws); err != nil {
		return errorOutcome(expected, err)
	}
	var near, reasons, blockers []string
	for i, r := range rules {
		if !r.encrypts() || !r.detectsPHI() {
			continue
		}
		var problems []string
		if ex := exceptions(raws[i]); len(ex) > 0 {
			problems = append(problems, "has exceptions ("+strings.Join(ex, ", ")+")")
		}
		if len(r.From) > 0 || len(r.SentTo) > 0 {
			problems = append(problems, "applies only to some senders or recipients (From, SentTo)")
		}
		for _, o := range rules {
			switch {
			case !o.StopRuleProcessing.V || strings.EqualFold(o.State, "Disabled") || o.name() == r.name():
			case !o.Priority.Set || !r.Priority.Set:
				problems = append(problems, fmt.Sprintf("may come after rule %q, which stops rule processing (priorities unknown)", o.name()))
				blockers = appendNew(blockers, o.name())
			case o.Priority.V < r.Priority.V:
				problems = append(problems, fmt.Sprintf("comes after rule %q (priority %d), which stops rule processing", o.name(), o.Priority.V))
				blockers = appendNew(blockers, o.name())
			}
		}
		if !strings.EqualFold(r.State, "Enabled") {
			problems = append(problems, "is "+orUnknown(strings.ToLower(r.State)))
		}
		if !strings.EqualFold(r.Mode, "Enforce") {
			problems = append(problems, "is in "+orUnknown(r.Mode)+" mode, not Enforce")
		}
		if !strings.EqualFold(r.SentToScope, "NotInOrganization") {
			problems = append(problems, "does not target recipients outside the organisation")
		}
		if len(problems) == 0 {
			return pass(expected, fmt.Sprintf("Mail flow rule %q encrypts external mail containing PHI.", r.name()))
		}
		near = append(near, r.name())
		reasons = append(reasons, fmt.Sprintf("%q %s", r.name(), strings.Join(problems, " and ")))
	}
	if len(near) > 0 {
		return fail(expected, "No encryption rule is in force: "+strings.Join(reasons, "; ")+".", append(near, blockers...)...)
	}
	return fail(expected, "No mail flow rule encrypts external mail containing PHI.")
}
