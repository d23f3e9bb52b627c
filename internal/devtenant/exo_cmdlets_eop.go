// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// The inbound anti-spam and anti-phishing policies of Exchange Online Protection, and the preset
// security policies that bundle them with anti-malware, Safe Links and Safe Attachments. Every
// tenant has a default policy of each (IsDefault); the Standard and Strict presets create their
// own individual policies, named "<level> Preset Security Policy<13 digits>" with
// RecommendedPolicyType <level>, when they are first turned on. Values: "Recommended email and
// collaboration threat policy settings for cloud organizations" (Default, Standard and Strict
// columns) on learn.microsoft.com/defender-office-365.

var (
	enumSpamAction = enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.SpamFilteringAction",
		"MoveToJmf", "AddXHeader", "ModifySubject", "Redirect", "Delete", "Quarantine", "NoAction")
	enumSpoofAction = enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.SpoofAuthenticationFailAction", "MoveToJmf", "Quarantine")
)

var nounHostedContentFilter = &nounDef{noun: "HostedContentFilterPolicy", svc: svcEXO, verbs: crud,
	params: []cmdParam{pe("SpamAction", enumSpamAction), pe("HighConfidenceSpamAction", enumSpamAction), pe("PhishSpamAction", enumSpamAction),
		pe("HighConfidencePhishAction", enumSpamAction), pe("BulkSpamAction", enumSpamAction), pi("BulkThreshold", 1, 9),
		pi("QuarantineRetentionPeriod", 1, 30), pb("InlineSafetyTipsEnabled"), pb("PhishZapEnabled"), pb("SpamZapEnabled"), ps("AdminDisplayName")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"SpamAction": "MoveToJmf", "HighConfidenceSpamAction": "MoveToJmf", "PhishSpamAction": "MoveToJmf", "HighConfidencePhishAction": "Quarantine",
			"BulkSpamAction": "MoveToJmf", "BulkThreshold": int64(7), "QuarantineRetentionPeriod": int64(15), "InlineSafetyTipsEnabled": true,
			"PhishZapEnabled": true, "SpamZapEnabled": true, "AdminDisplayName": "", "IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	beforeRemove: policyInUse(ruleRef{"EOPProtectionPolicyRule", "HostedContentFilterPolicy"}),
}

var nounAntiPhish = &nounDef{noun: "AntiPhishPolicy", svc: svcEXO, verbs: crud,
	params: []cmdParam{pb("Enabled"), pb("EnableSpoofIntelligence"), pb("HonorDmarcPolicy"), pe("AuthenticationFailAction", enumSpoofAction),
		pb("EnableFirstContactSafetyTips"), pb("EnableUnauthenticatedSender"), pb("EnableViaTag"), ps("AdminDisplayName")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enabled": true, "EnableSpoofIntelligence": true, "HonorDmarcPolicy": true, "DmarcQuarantineAction": "Quarantine", "DmarcRejectAction": "Reject",
			"AuthenticationFailAction": "MoveToJmf", "EnableFirstContactSafetyTips": false, "EnableUnauthenticatedSender": true, "EnableViaTag": true,
			"AdminDisplayName": "", "IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	beforeRemove: policyInUse(ruleRef{"EOPProtectionPolicyRule", "AntiPhishPolicy"}),
}

// defaultThreatPolicies are the default policies every tenant has, by noun.
var defaultThreatPolicies = []struct {
	n    *nounDef
	name string
}{{nounHostedContentFilter, "Default"}, {nounAntiPhish, "Office365 AntiPhish Default"}}

// ensureThreatDefaults adds the default anti-spam and anti-phishing policies and, with Defender
// for Office 365, the Built-in protection policies and their rule, where a tenant lacks them
// (a new tenant, or a tenant.json written before devtenant served them).
func ensureThreatDefaults(st *store.State, now timeLike) error {
	for _, d := range defaultThreatPolicies {
		if len(st.Admin.Cmdlets[d.n.noun]) == 0 {
			obj, err := newCmdletObject(st, d.n, map[string]any{"Name": d.name, "IsDefault": true}, now.t())
			if err != nil {
				return fmt.Errorf("seeding %s: %s", d.n.noun, err.human)
			}
			st.Admin.Cmdlets[d.n.noun] = []map[string]any{obj}
		}
	}
	if !hasServicePlan(st, planATP) {
		return nil
	}
	for _, n := range []*nounDef{nounSafeLinksPolicy, nounSafeAttachmentPolicy} {
		if !slices.ContainsFunc(st.Admin.Cmdlets[n.noun], func(o map[string]any) bool { return o["IsBuiltInProtection"] == true }) {
			st.Admin.Cmdlets[n.noun] = append(st.Admin.Cmdlets[n.noun], builtInProtection(st, n, now))
		}
	}
	if len(st.Admin.Cmdlets[nounBuiltInRule.noun]) == 0 {
		obj, err := newCmdletObject(st, nounBuiltInRule, map[string]any{"SafeAttachmentPolicy": builtInProtName, "SafeLinksPolicy": builtInProtName}, now.t())
		if err != nil {
			return fmt.Errorf("seeding %s: %s", nounBuiltInRule.noun, err.human)
		}
		st.Admin.Cmdlets[nounBuiltInRule.noun] = []map[string]any{obj}
	}
	return nil
}

// presetSettings are the settings of the individual policies of the Standard and Strict presets
// that the checks and the provider read (both levels agree on them).
var presetSettings = map[*nounDef]map[string]any{
	nounMalwareFilter: {"EnableFileFilter": true, "ZapEnabled": true},
	nounHostedContentFilter: {"HighConfidenceSpamAction": "Quarantine", "PhishSpamAction": "Quarantine", "HighConfidencePhishAction": "Quarantine",
		"QuarantineRetentionPeriod": int64(30)},
	nounAntiPhish: {"Enabled": true, "EnableSpoofIntelligence": true, "HonorDmarcPolicy": true, "EnableFirstContactSafetyTips": true},
	nounSafeLinksPolicy: {"EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true, "ScanUrls": true,
		"DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true, "AllowClickThrough": false, "DisableUrlRewrite": false},
	nounSafeAttachmentPolicy: {"Enable": true, "Action": "Block", "QuarantineTag": "AdminOnlyAccessPolicy"},
}

// turnOnPreset does what turning on the Standard or Strict preset in the Defender portal does:
// it creates the preset's individual policies and its EOP rule (and, with Defender for Office 365,
// its ATP rule) with the given recipient scope, in the given State.
func turnOnPreset(st *store.State, level string, scope map[string]any, state string, now timeLike) error {
	rule := level + " Preset Security Policy"
	stamp := fmt.Sprintf("%d", now.t().UnixMilli()) // The 13-digit suffix the portal appends.
	policies := map[string]string{}
	nouns := []*nounDef{nounMalwareFilter, nounHostedContentFilter, nounAntiPhish}
	if hasServicePlan(st, planATP) {
		nouns = append(nouns, nounSafeLinksPolicy, nounSafeAttachmentPolicy)
	}
	for _, n := range nouns {
		params := map[string]any{"Name": rule + stamp, "RecommendedPolicyType": level}
		maps.Copy(params, presetSettings[n])
		obj, err := newCmdletObject(st, n, params, now.t())
		if err != nil {
			return fmt.Errorf("seeding the %s preset's %s: %s", level, n.noun, err.human)
		}
		st.Admin.Cmdlets[n.noun] = append(st.Admin.Cmdlets[n.noun], obj)
		policies[n.noun] = rule + stamp
	}
	add := func(n *nounDef, policyNouns ...string) error {
		params := map[string]any{"Name": rule, "Enabled": state == "Enabled"}
		maps.Copy(params, scope)
		for _, p := range policyNouns {
			params[p] = policies[p]
		}
		obj, err := newCmdletObject(st, n, params, now.t())
		if err != nil {
			return fmt.Errorf("seeding the %s preset's %s: %s", level, n.noun, err.human)
		}
		st.Admin.Cmdlets[n.noun] = append(st.Admin.Cmdlets[n.noun], obj)
		return nil
	}
	if err := add(nounEOPProtectionRule, "AntiPhishPolicy", "HostedContentFilterPolicy", "MalwareFilterPolicy"); err != nil {
		return err
	}
	if hasServicePlan(st, planATP) {
		return add(nounATPProtectionRule, "SafeAttachmentPolicy", "SafeLinksPolicy")
	}
	return nil
}
