// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
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
	enumSpamAction = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.SpamFilteringAction",
		"MoveToJmf", "AddXHeader", "ModifySubject", "Redirect", "Delete", "Quarantine", "NoAction")
	enumSpoofAction = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.SpoofAuthenticationFailAction", "MoveToJmf", "Quarantine")
)

var nounHostedContentFilter = &adminapi.Noun{Name: "HostedContentFilterPolicy", Svc: adminapi.EXO, Verbs: adminapi.CRUD,
	Params: []adminapi.Param{adminapi.Enum("SpamAction", enumSpamAction), adminapi.Enum("HighConfidenceSpamAction", enumSpamAction), adminapi.Enum("PhishSpamAction", enumSpamAction),
		adminapi.Enum("HighConfidencePhishAction", enumSpamAction), adminapi.Enum("BulkSpamAction", enumSpamAction), adminapi.Int("BulkThreshold", 1, 9),
		adminapi.Int("QuarantineRetentionPeriod", 1, 30), adminapi.Bool("InlineSafetyTipsEnabled"), adminapi.Bool("PhishZapEnabled"), adminapi.Bool("SpamZapEnabled"), adminapi.Str("AdminDisplayName")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"SpamAction": "MoveToJmf", "HighConfidenceSpamAction": "MoveToJmf", "PhishSpamAction": "MoveToJmf", "HighConfidencePhishAction": "Quarantine",
			"BulkSpamAction": "MoveToJmf", "BulkThreshold": int64(7), "QuarantineRetentionPeriod": int64(15), "InlineSafetyTipsEnabled": true,
			"PhishZapEnabled": true, "SpamZapEnabled": true, "AdminDisplayName": "", "IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	BeforeRemove: policyInUse(ruleRef{"EOPProtectionPolicyRule", "HostedContentFilterPolicy"}),
}

var nounAntiPhish = &adminapi.Noun{Name: "AntiPhishPolicy", Svc: adminapi.EXO, Verbs: adminapi.CRUD,
	Params: []adminapi.Param{adminapi.Bool("Enabled"), adminapi.Bool("EnableSpoofIntelligence"), adminapi.Bool("HonorDmarcPolicy"), adminapi.Enum("AuthenticationFailAction", enumSpoofAction),
		adminapi.Bool("EnableFirstContactSafetyTips"), adminapi.Bool("EnableUnauthenticatedSender"), adminapi.Bool("EnableViaTag"), adminapi.Str("AdminDisplayName")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enabled": true, "EnableSpoofIntelligence": true, "HonorDmarcPolicy": true, "DmarcQuarantineAction": "Quarantine", "DmarcRejectAction": "Reject",
			"AuthenticationFailAction": "MoveToJmf", "EnableFirstContactSafetyTips": false, "EnableUnauthenticatedSender": true, "EnableViaTag": true,
			"AdminDisplayName": "", "IsDefault": false, "RecommendedPolicyType": "Custom",
		}
	},
	BeforeRemove: policyInUse(ruleRef{"EOPProtectionPolicyRule", "AntiPhishPolicy"}),
}

// defaultThreatPolicies are the default policies every tenant has, by noun.
var defaultThreatPolicies = []struct {
	n    *adminapi.Noun
	name string
}{{nounHostedContentFilter, "Default"}, {nounAntiPhish, "Office365 AntiPhish Default"}}

// EnsureThreatDefaults adds the default anti-spam and anti-phishing policies and, with Defender
// for Office 365, the Built-in protection policies and their rule, where a tenant lacks them
// (a new tenant, or a tenant.json written before devtenant served them).
func EnsureThreatDefaults(st *store.State, now adminapi.TimeLike) error {
	for _, d := range defaultThreatPolicies {
		if len(st.Admin.Cmdlets[d.n.Name]) == 0 {
			obj, err := adminapi.NewObject(st, d.n, map[string]any{"Name": d.name, "IsDefault": true}, now.T())
			if err != nil {
				return fmt.Errorf("seeding %s: %s", d.n.Name, err.Human)
			}
			st.Admin.Cmdlets[d.n.Name] = []map[string]any{obj}
		}
	}
	if !adminapi.HasServicePlan(st, planATP) {
		return nil
	}
	for _, n := range []*adminapi.Noun{SafeLinksPolicy, SafeAttachmentPolicy} {
		if !slices.ContainsFunc(st.Admin.Cmdlets[n.Name], func(o map[string]any) bool { return o["IsBuiltInProtection"] == true }) {
			st.Admin.Cmdlets[n.Name] = append(st.Admin.Cmdlets[n.Name], builtInProtection(st, n, now))
		}
	}
	if len(st.Admin.Cmdlets[nounBuiltInRule.Name]) == 0 {
		obj, err := adminapi.NewObject(st, nounBuiltInRule, map[string]any{"SafeAttachmentPolicy": builtInProtName, "SafeLinksPolicy": builtInProtName}, now.T())
		if err != nil {
			return fmt.Errorf("seeding %s: %s", nounBuiltInRule.Name, err.Human)
		}
		st.Admin.Cmdlets[nounBuiltInRule.Name] = []map[string]any{obj}
	}
	return nil
}

// presetSettings are the settings of the individual policies of the Standard and Strict presets
// that the checks and the provider read (both levels agree on them).
var presetSettings = map[*adminapi.Noun]map[string]any{
	MalwareFilter: {"EnableFileFilter": true, "ZapEnabled": true},
	nounHostedContentFilter: {"HighConfidenceSpamAction": "Quarantine", "PhishSpamAction": "Quarantine", "HighConfidencePhishAction": "Quarantine",
		"QuarantineRetentionPeriod": int64(30)},
	nounAntiPhish: {"Enabled": true, "EnableSpoofIntelligence": true, "HonorDmarcPolicy": true, "EnableFirstContactSafetyTips": true},
	SafeLinksPolicy: {"EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true, "ScanUrls": true,
		"DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true, "AllowClickThrough": false, "DisableUrlRewrite": false},
	SafeAttachmentPolicy: {"Enable": true, "Action": "Block", "QuarantineTag": "AdminOnlyAccessPolicy"},
}

// TurnOnPreset does what turning on the Standard or Strict preset in the Defender portal does:
// it creates the preset's individual policies and its EOP rule (and, with Defender for Office 365,
// its ATP rule) with the given recipient scope, in the given State.
func TurnOnPreset(st *store.State, level string, scope map[string]any, state string, now adminapi.TimeLike) error {
	rule := level + " Preset Security Policy"
	stamp := fmt.Sprintf("%d", now.T().UnixMilli()) // The 13-digit suffix the portal appends.
	policies := map[string]string{}
	nouns := []*adminapi.Noun{MalwareFilter, nounHostedContentFilter, nounAntiPhish}
	if adminapi.HasServicePlan(st, planATP) {
		nouns = append(nouns, SafeLinksPolicy, SafeAttachmentPolicy)
	}
	for _, n := range nouns {
		params := map[string]any{"Name": rule + stamp, "RecommendedPolicyType": level}
		maps.Copy(params, presetSettings[n])
		obj, err := adminapi.NewObject(st, n, params, now.T())
		if err != nil {
			return fmt.Errorf("seeding the %s preset's %s: %s", level, n.Name, err.Human)
		}
		st.Admin.Cmdlets[n.Name] = append(st.Admin.Cmdlets[n.Name], obj)
		policies[n.Name] = rule + stamp
	}
	add := func(n *adminapi.Noun, policyNouns ...string) error {
		params := map[string]any{"Name": rule, "Enabled": state == "Enabled"}
		maps.Copy(params, scope)
		for _, p := range policyNouns {
			params[p] = policies[p]
		}
		obj, err := adminapi.NewObject(st, n, params, now.T())
		if err != nil {
			return fmt.Errorf("seeding the %s preset's %s: %s", level, n.Name, err.Human)
		}
		st.Admin.Cmdlets[n.Name] = append(st.Admin.Cmdlets[n.Name], obj)
		return nil
	}
	if err := add(nounEOPProtectionRule, "AntiPhishPolicy", "HostedContentFilterPolicy", "MalwareFilterPolicy"); err != nil {
		return err
	}
	if adminapi.HasServicePlan(st, planATP) {
		return add(nounATPProtectionRule, "SafeAttachmentPolicy", "SafeLinksPolicy")
	}
	return nil
}
