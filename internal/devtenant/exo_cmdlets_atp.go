// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"
	"strings"
)

// Microsoft Defender for Office 365 (plan 1): Safe Links, Safe Attachments and the ATP policy for
// SharePoint, OneDrive and Teams. The cmdlets exist only when a subscription has ATP_ENTERPRISE.

const (
	planATP         = "ATP_ENTERPRISE"
	builtInProtName = "Built-In Protection Policy"
)

var (
	enumSafeAttAction   = enumOf("Microsoft.Exchange.Data.Directory.Management.SafeAttachmentAction", "Block", "Replace", "Allow", "DynamicDelivery")
	ruleRecipientParams = []cmdParam{pl("RecipientDomainIs"), pl("SentTo"), pl("SentToMemberOf"), pl("ExceptIfRecipientDomainIs"),
		pl("ExceptIfSentTo"), pl("ExceptIfSentToMemberOf"), pi("Priority", 0, 1<<30), ps("Comments")}
)

func builtInGuard(kind string) func(*state, map[string]any, []map[string]any) *exoError {
	return func(_ *state, obj map[string]any, _ []map[string]any) *exoError {
		if obj["IsBuiltInProtection"] == true {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
				human: fmt.Sprintf("The %s '%s' is a built-in protection policy and can't be modified.", kind, obj["Name"])}
		}
		return nil
	}
}

// policyInUse refuses to remove a policy a rule still points to, as Exchange does.
func policyInUse(ruleNoun, ruleField string) func(*state, map[string]any) *exoError {
	return func(st *state, obj map[string]any) *exoError {
		if obj["IsBuiltInProtection"] == true {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "The built-in protection policy can't be removed."}
		}
		for _, r := range st.Admin.Cmdlets[ruleNoun] {
			if strings.EqualFold(fmt.Sprint(r[ruleField]), fmt.Sprint(obj["Name"])) {
				return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
					human: fmt.Sprintf("The policy '%s' is associated with the rule '%s'. Remove the rule first.", obj["Name"], r["Name"])}
			}
		}
		return nil
	}
}

var nounSafeLinksPolicy = &nounDef{noun: "SafeLinksPolicy", svc: svcEXO, license: planATP, verbs: crud,
	params: []cmdParam{pb("EnableSafeLinksForEmail"), pb("EnableSafeLinksForTeams"), pb("EnableSafeLinksForOffice"), pb("ScanUrls"),
		pb("DeliverMessageAfterScan"), pb("EnableForInternalSenders"), pb("TrackClicks"), pb("AllowClickThrough"), pb("DisableUrlRewrite"),
		pl("DoNotRewriteUrls"), pb("EnableOrganizationBranding"), ps("CustomNotificationText"), pb("UseTranslatedNotificationText"), ps("AdminDisplayName")},
	build: func(*state, string) map[string]any {
		return map[string]any{
			"EnableSafeLinksForEmail": false, "EnableSafeLinksForTeams": false, "EnableSafeLinksForOffice": true, "ScanUrls": false,
			"DeliverMessageAfterScan": false, "EnableForInternalSenders": false, "TrackClicks": true, "AllowClickThrough": false,
			"DisableUrlRewrite": false, "DoNotRewriteUrls": []any{}, "EnableOrganizationBranding": false, "CustomNotificationText": "",
			"UseTranslatedNotificationText": false, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	validate:     builtInGuard("Safe Links policy"),
	beforeRemove: policyInUse("SafeLinksRule", "SafeLinksPolicy"),
}

var nounSafeAttachmentPolicy = &nounDef{noun: "SafeAttachmentPolicy", svc: svcEXO, license: planATP, verbs: crud,
	params: []cmdParam{pb("Enable"), pe("Action", enumSafeAttAction), ps("QuarantineTag"), pb("Redirect"), ps("RedirectAddress"), ps("AdminDisplayName")},
	build: func(*state, string) map[string]any {
		return map[string]any{
			"Enable": false, "Action": "Block", "QuarantineTag": "AdminOnlyAccessPolicy", "Redirect": false, "RedirectAddress": nil,
			"ActionOnError": true, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	validate: func(st *state, obj map[string]any, others []map[string]any) *exoError {
		if err := builtInGuard("Safe Attachments policy")(st, obj, others); err != nil {
			return err
		}
		if obj["Redirect"] == true && (obj["RedirectAddress"] == nil || obj["RedirectAddress"] == "") {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "RedirectAddress must be specified when Redirect is set to $true."}
		}
		return nil
	},
	beforeRemove: policyInUse("SafeAttachmentRule", "SafeAttachmentPolicy"),
}

// ruleNoun builds the Safe Links / Safe Attachments rule noun bound to policyNoun.
func ruleNoun(noun, policyNoun string) *nounDef {
	return &nounDef{noun: noun, svc: svcEXO, license: planATP, verbs: crud, required: []string{policyNoun},
		params:    ruleRecipientParams,
		newParams: []cmdParam{ps(policyNoun), pb("Enabled")},
		build: func(st *state, _ string) map[string]any {
			o := map[string]any{"Priority": int64(len(st.Admin.Cmdlets[noun])), "State": "Enabled", "Comments": "", "Conditions": nil, "Exceptions": nil}
			for _, p := range ruleRecipientParams {
				if p.typ == tStrList {
					o[p.name] = nil
				}
			}
			return o
		},
		validate: func(st *state, obj map[string]any, others []map[string]any) *exoError {
			return validateProtectionRule(st, obj, others, policyNoun)
		},
	}
}

func validateProtectionRule(st *state, obj map[string]any, others []map[string]any, policyNoun string) *exoError {
	if e, ok := obj["Enabled"].(bool); ok {
		obj["State"] = map[bool]string{true: "Enabled", false: "Disabled"}[e]
		delete(obj, "Enabled")
	}
	policy := fmt.Sprint(obj[policyNoun])
	found := false
	for _, p := range st.Admin.Cmdlets[policyNoun] {
		if matchIdentity(p, policy) {
			found, obj[policyNoun] = true, p["Name"]
			if p["IsBuiltInProtection"] == true {
				return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "A rule can't be bound to the built-in protection policy."}
			}
		}
	}
	if !found {
		return exoNotFound(policy)
	}
	for _, o := range others {
		if strings.EqualFold(fmt.Sprint(o[policyNoun]), fmt.Sprint(obj[policyNoun])) {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
				human: fmt.Sprintf("The policy '%s' is already used by the rule '%s'. A policy can be used by only one rule.", obj[policyNoun], o["Name"])}
		}
	}
	if len(toStrings(obj["RecipientDomainIs"]))+len(toStrings(obj["SentTo"]))+len(toStrings(obj["SentToMemberOf"])) == 0 {
		return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
			human: "The rule must have at least one recipient condition: RecipientDomainIs, SentTo or SentToMemberOf."}
	}
	for _, d := range append(toStrings(obj["RecipientDomainIs"]), toStrings(obj["ExceptIfRecipientDomainIs"])...) {
		if !isAcceptedDomain(st, d) {
			return &exoError{status: http.StatusBadRequest, exception: exDataValidation, human: "The domain '" + d + "' isn't an accepted domain for your organization."}
		}
	}
	if p, _ := obj["Priority"].(int64); p > int64(len(others)) {
		return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: fmt.Sprintf("The value of parameter Priority must be between 0 and %d.", len(others))}
	}
	obj["Conditions"] = []any{"Microsoft.Exchange.MessagingPolicies.Rules.Tasks.RecipientDomainIsPredicate"}
	return nil
}

var (
	nounSafeLinksRule      = ruleNoun("SafeLinksRule", "SafeLinksPolicy")
	nounSafeAttachmentRule = ruleNoun("SafeAttachmentRule", "SafeAttachmentPolicy")
)

var nounAtpPolicy = &nounDef{noun: "AtpPolicyForO365", svc: svcEXO, license: planATP, singleton: true, verbs: getSet,
	params: []cmdParam{pb("EnableATPForSPOTeamsODB"), pb("EnableSafeDocs"), pb("AllowSafeDocsOpen")},
	build: func(*state, string) map[string]any {
		return map[string]any{"EnableATPForSPOTeamsODB": false, "EnableSafeDocs": false, "AllowSafeDocsOpen": false}
	},
}

// builtInProtection returns the preset policy every Defender for Office 365 tenant has.
func builtInProtection(st *state, n *nounDef, now timeLike) map[string]any {
	o := baseObject(st, n, builtInProtName, now.t())
	for k, v := range n.build(st, builtInProtName) {
		o[k] = v
	}
	o["IsBuiltInProtection"], o["RecommendedPolicyType"] = true, "BuiltInProtection"
	switch n {
	case nounSafeLinksPolicy:
		for _, k := range []string{"EnableSafeLinksForEmail", "EnableSafeLinksForTeams", "EnableSafeLinksForOffice", "ScanUrls", "TrackClicks"} {
			o[k] = true
		}
	case nounSafeAttachmentPolicy:
		o["Enable"] = true
	}
	return o
}
