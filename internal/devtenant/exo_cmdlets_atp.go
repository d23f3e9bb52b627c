// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Microsoft Defender for Office 365 (plan 1): Safe Links, Safe Attachments and the ATP policy for
// SharePoint, OneDrive and Teams. The cmdlets exist only when a subscription has ATP_ENTERPRISE.

const (
	planATP         = "ATP_ENTERPRISE"
	builtInProtName = "Built-In Protection Policy"
)

var (
	enumSafeAttAction = enumOf("Microsoft.Exchange.Data.Directory.Management.SafeAttachmentAction", "Block", "Replace", "Allow", "DynamicDelivery")
)

func builtInGuard(kind string) func(*store.State, map[string]any, []map[string]any) *exoError {
	return func(_ *store.State, obj map[string]any, _ []map[string]any) *exoError {
		if obj["IsBuiltInProtection"] == true {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation,
				human: fmt.Sprintf("The %s '%s' is a built-in protection policy and can't be modified.", kind, obj["Name"])}
		}
		return nil
	}
}

var nounSafeLinksPolicy = &nounDef{noun: "SafeLinksPolicy", svc: svcEXO, license: planATP, verbs: crud,
	params: []cmdParam{pb("EnableSafeLinksForEmail"), pb("EnableSafeLinksForTeams"), pb("EnableSafeLinksForOffice"), pb("ScanUrls"),
		pb("DeliverMessageAfterScan"), pb("EnableForInternalSenders"), pb("TrackClicks"), pb("AllowClickThrough"), pb("DisableUrlRewrite"),
		pl("DoNotRewriteUrls"), pb("EnableOrganizationBranding"), ps("CustomNotificationText"), pb("UseTranslatedNotificationText"), ps("AdminDisplayName")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"EnableSafeLinksForEmail": false, "EnableSafeLinksForTeams": false, "EnableSafeLinksForOffice": true, "ScanUrls": false,
			"DeliverMessageAfterScan": false, "EnableForInternalSenders": false, "TrackClicks": true, "AllowClickThrough": false,
			"DisableUrlRewrite": false, "DoNotRewriteUrls": []any{}, "EnableOrganizationBranding": false, "CustomNotificationText": "",
			"UseTranslatedNotificationText": false, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	validate: builtInGuard("Safe Links policy"),
	beforeRemove: policyInUse(ruleRef{"SafeLinksRule", "SafeLinksPolicy"}, ruleRef{"ATPProtectionPolicyRule", "SafeLinksPolicy"},
		ruleRef{"ATPBuiltInProtectionRule", "SafeLinksPolicy"}),
}

var nounSafeAttachmentPolicy = &nounDef{noun: "SafeAttachmentPolicy", svc: svcEXO, license: planATP, verbs: crud,
	params: []cmdParam{pb("Enable"), pe("Action", enumSafeAttAction), ps("QuarantineTag"), pb("Redirect"), ps("RedirectAddress"), ps("AdminDisplayName")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enable": false, "Action": "Block", "QuarantineTag": "AdminOnlyAccessPolicy", "Redirect": false, "RedirectAddress": nil,
			"ActionOnError": true, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	validate: func(st *store.State, obj map[string]any, others []map[string]any) *exoError {
		if err := builtInGuard("Safe Attachments policy")(st, obj, others); err != nil {
			return err
		}
		if obj["Redirect"] == true && (obj["RedirectAddress"] == nil || obj["RedirectAddress"] == "") {
			return &exoError{status: http.StatusBadRequest, exception: exTaskValidation, human: "RedirectAddress must be specified when Redirect is set to $true."}
		}
		return nil
	},
	beforeRemove: policyInUse(ruleRef{"SafeAttachmentRule", "SafeAttachmentPolicy"}, ruleRef{"ATPProtectionPolicyRule", "SafeAttachmentPolicy"},
		ruleRef{"ATPBuiltInProtectionRule", "SafeAttachmentPolicy"}),
}

var nounAtpPolicy = &nounDef{noun: "AtpPolicyForO365", svc: svcEXO, license: planATP, singleton: true, verbs: getSet,
	params: []cmdParam{pb("EnableATPForSPOTeamsODB"), pb("EnableSafeDocs"), pb("AllowSafeDocsOpen")},
	build: func(*store.State, string) map[string]any {
		return map[string]any{"EnableATPForSPOTeamsODB": false, "EnableSafeDocs": false, "AllowSafeDocsOpen": false}
	},
}

// builtInProtection returns the preset policy every Defender for Office 365 tenant has.
func builtInProtection(st *store.State, n *nounDef, now timeLike) map[string]any {
	o := baseObject(st, n, builtInProtName, now.t())
	for k, v := range n.build(st, builtInProtName) {
		o[k] = v
	}
	o["IsBuiltInProtection"], o["RecommendedPolicyType"] = true, "BuiltInProtection"
	// The Built-in protection settings ("Preset security policies", appendix: the differences in
	// Safe Links settings between Built-in protection and Standard/Strict).
	switch n {
	case nounSafeLinksPolicy:
		for _, k := range []string{"EnableSafeLinksForEmail", "EnableSafeLinksForTeams", "EnableSafeLinksForOffice", "ScanUrls", "TrackClicks",
			"AllowClickThrough", "DisableUrlRewrite"} {
			o[k] = true
		}
		o["EnableForInternalSenders"] = false
	case nounSafeAttachmentPolicy:
		o["Enable"] = true
	}
	return o
}
