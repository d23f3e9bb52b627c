// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// The threat protections of Exchange Online Protection and Defender for Office 365: anti-malware
// (EXO.4), Safe Links (EXO.5) and Safe Attachments (EXO.6). Each is judged on the policy that
// really applies to each recipient (exoprecedence.go), not on whether some policy somewhere
// is configured well.

func init() {
	register("HIPAA.EXO.4v1", checkEXOAttachments)
	register("HIPAA.EXO.5v1", checkEXOSafeLinks)
	register("HIPAA.EXO.6v1", checkEXOSafeAttachments)
}

// blockedFileTypes are the executable and script types the checklist requires the common
// attachment filter to block.
var blockedFileTypes = []string{"exe", "js", "vbs", "ps1", "bat", "cmd", "scr", "msi"}

// policyRow holds what every threat policy says about its place in the order of precedence.
type policyRow struct {
	cmdletName
	IsDefault             flexBool `json:"IsDefault"`
	IsBuiltInProtection   flexBool `json:"IsBuiltInProtection"`
	RecommendedPolicyType string   `json:"RecommendedPolicyType"`
}

// policy is the row's verdict. An evaluation policy (RecommendedPolicyType Evaluation) never
// protects: in audit mode Defender for Office 365 detects threats and acts on none ("Try
// Microsoft Defender for Office 365", Audit mode vs. blocking mode).
func (r policyRow) policy(on bool, why string) protectionPolicy {
	if strings.EqualFold(r.RecommendedPolicyType, "Evaluation") {
		on, why = false, "is the Defender for Office 365 evaluation policy, which in audit mode detects threats but acts on none"
	}
	return protectionPolicy{Name: r.name(), On: on, Why: why, Recommended: r.RecommendedPolicyType,
		Fallback: r.IsBuiltInProtection.V || r.IsDefault.V}
}

// ruleSources are the rule sources of one protection; evaluation and builtIn are empty for
// anti-malware, which the Defender for Office 365 evaluation and Built-in protection do not cover.
type ruleSources struct {
	custom, presets, evaluation, builtIn snapshot.SourceID
}

// defenderRules are the rule sources of Safe Links or Safe Attachments (custom: their own rules).
func defenderRules(custom snapshot.SourceID) ruleSources {
	return ruleSources{custom: custom, presets: snapshot.ExchangeATPProtectionRules, evaluation: snapshot.ExchangeATPEvaluationRules,
		builtIn: snapshot.ExchangeATPBuiltInProtectionRule}
}

// readRules decodes the rule sources of a protection and the accepted domains.
func readRules(s *snapshot.Snapshot, p *precedence, src ruleSources) error {
	if err := decodeList(s, src.custom, &p.custom); err != nil {
		return err
	}
	if err := decodeList(s, src.presets, &p.presets); err != nil {
		return err
	}
	if src.evaluation != "" {
		if err := decodeList(s, src.evaluation, &p.evaluation); err != nil {
			return err
		}
	}
	if src.builtIn != "" {
		p.hasFallbackRule = true
		if err := decodeList(s, src.builtIn, &p.fallbackRules); err != nil {
			return err
		}
	}
	var domains []struct {
		cmdletName
		DomainName string `json:"DomainName"`
	}
	if err := decodeList(s, snapshot.ExchangeAcceptedDomains, &domains); err != nil {
		return err
	}
	for _, d := range domains {
		if d.DomainName == "" {
			d.DomainName = d.name()
		}
		p.accepted = append(p.accepted, d.DomainName)
	}
	return nil
}

func checkEXOAttachments(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Every recipient's effective anti-malware policy (the first that applies in Microsoft's order of precedence) blocks executable and script attachments (exe, js, vbs, ps1, bat, cmd, scr, msi)."
	var rows []struct {
		policyRow
		EnableFileFilter flexBool    `json:"EnableFileFilter"`
		FileTypes        flexStrings `json:"FileTypes"`
	}
	if err := decodeList(s, snapshot.ExchangeMalwareFilterPolicies, &rows); err != nil {
		return errorOutcome(expected, err)
	}
	if len(rows) == 0 {
		return errorOutcome(expected, &snapshot.ErrMissing{ID: snapshot.ExchangeMalwareFilterPolicies, Reason: "no anti-malware policy (every tenant has Default)"})
	}
	p := precedence{kind: "anti-malware", fallbackName: "the default anti-malware policy", policyOf: func(r protectionRule) string { return r.MalwareFilterPolicy }}
	for _, r := range rows {
		if strings.EqualFold(r.name(), "Default") {
			r.IsDefault = flexBool{Set: true, V: true}
		}
		if !r.EnableFileFilter.V {
			p.policies = append(p.policies, r.policy(false, "has the common attachments filter off"))
			continue
		}
		var missing []string
		for _, t := range blockedFileTypes {
			if !containsFold(r.FileTypes, t) {
				missing = append(missing, t)
			}
		}
		p.policies = append(p.policies, r.policy(len(missing) == 0, "does not block "+strings.Join(missing, ", ")))
	}
	if err := readRules(s, &p, ruleSources{custom: snapshot.ExchangeMalwareFilterRules, presets: snapshot.ExchangeEOPProtectionRules}); err != nil {
		return errorOutcome(expected, err)
	}
	return precedenceOutcome(expected, p)
}

type safeLinksRow struct {
	policyRow
	EnableSafeLinksForEmail flexBool `json:"EnableSafeLinksForEmail"`
}

func checkEXOSafeLinks(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Every recipient's effective Safe Links policy (the first that applies in Microsoft's order of precedence) scans links in email."
	return defenderCheck(s, expected, "Safe Links", snapshot.ExchangeSafeLinksPolicies, snapshot.ExchangeSafeLinksRules,
		func(r protectionRule) string { return r.SafeLinksPolicy },
		func(r safeLinksRow) protectionPolicy {
			return r.policy(r.EnableSafeLinksForEmail.V, "does not scan links in email (EnableSafeLinksForEmail is "+flexWord(r.EnableSafeLinksForEmail)+")")
		})
}

type safeAttachmentsRow struct {
	policyRow
	Enable flexBool `json:"Enable"`
	Action string   `json:"Action"`
}

func checkEXOSafeAttachments(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Every recipient's effective Safe Attachments policy (the first that applies in Microsoft's order of precedence) is on with action Block."
	return defenderCheck(s, expected, "Safe Attachments", snapshot.ExchangeSafeAttachmentPolicies, snapshot.ExchangeSafeAttachmentRules,
		func(r protectionRule) string { return r.SafeAttachmentPolicy },
		func(r safeAttachmentsRow) protectionPolicy {
			switch {
			case !r.Enable.V:
				return r.policy(false, "is off (Enable is "+flexWord(r.Enable)+")")
			case !strings.EqualFold(r.Action, "Block"):
				return r.policy(false, fmt.Sprintf("has action %s, not Block", orUnknown(r.Action)))
			}
			return r.policy(true, "")
		})
}

// defenderCheck is the skeleton of the Defender for Office 365 checks: the licence, every
// policy of source policies judged by judge, then the policy that applies to each recipient
// under the rules of source rules (policyOf names a rule's policy).
func defenderCheck[Row any](s *snapshot.Snapshot, expected, kind string, policies, rules snapshot.SourceID,
	policyOf func(protectionRule) string, judge func(Row) protectionPolicy) Outcome {
	if o := licenceGate(s, expected, "Microsoft Defender for Office 365", planATP); o != nil {
		return *o
	}
	var rows []Row
	if err := decodeList(s, policies, &rows); err != nil {
		return errorOutcome(expected, err)
	}
	p := precedence{kind: kind, fallbackName: "the Built-in protection policy", policyOf: policyOf}
	for _, r := range rows {
		p.policies = append(p.policies, judge(r))
	}
	if err := readRules(s, &p, defenderRules(rules)); err != nil {
		return errorOutcome(expected, err)
	}
	return precedenceOutcome(expected, p)
}

// flexWord renders a cmdlet boolean for a sentence: true, false or unknown.
func flexWord(b flexBool) string {
	switch {
	case !b.Set:
		return "unknown"
	case b.V:
		return "true"
	}
	return "false"
}
