// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Microsoft Defender for Office 365 (plan 1): Safe Links, Safe Attachments and the ATP policy for
// SharePoint, OneDrive and Teams. The cmdlets exist only when a subscription has ATP_ENTERPRISE.

const (
	planATP         = "ATP_ENTERPRISE"
	builtInProtName = "Built-In Protection Policy"
)

var (
	enumSafeAttAction = adminapi.EnumOf("Microsoft.Exchange.Data.Directory.Management.SafeAttachmentAction", "Block", "Replace", "Allow", "DynamicDelivery")
)

func builtInGuard(kind string) func(*store.State, map[string]any, []map[string]any) *adminapi.Error {
	return func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
		if obj["IsBuiltInProtection"] == true {
			return taskError("The %s '%s' is a built-in protection policy and can't be modified.", kind, obj["Name"])
		}
		return nil
	}
}

var SafeLinksPolicy = &adminapi.Noun{Name: "SafeLinksPolicy", Svc: adminapi.EXO, License: planATP, Verbs: adminapi.CRUD,
	Params: []adminapi.Param{adminapi.Bool("EnableSafeLinksForEmail"), adminapi.Bool("EnableSafeLinksForTeams"), adminapi.Bool("EnableSafeLinksForOffice"), adminapi.Bool("ScanUrls"),
		adminapi.Bool("DeliverMessageAfterScan"), adminapi.Bool("EnableForInternalSenders"), adminapi.Bool("TrackClicks"), adminapi.Bool("AllowClickThrough"), adminapi.Bool("DisableUrlRewrite"),
		adminapi.StrList("DoNotRewriteUrls"), adminapi.Bool("EnableOrganizationBranding"), adminapi.Str("CustomNotificationText"), adminapi.Bool("UseTranslatedNotificationText"), adminapi.Str("AdminDisplayName")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"EnableSafeLinksForEmail": false, "EnableSafeLinksForTeams": false, "EnableSafeLinksForOffice": true, "ScanUrls": false,
			"DeliverMessageAfterScan": false, "EnableForInternalSenders": false, "TrackClicks": true, "AllowClickThrough": false,
			"DisableUrlRewrite": false, "DoNotRewriteUrls": []any{}, "EnableOrganizationBranding": false, "CustomNotificationText": "",
			"UseTranslatedNotificationText": false, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	Validate: builtInGuard("Safe Links policy"),
	BeforeRemove: policyInUse(ruleRef{"SafeLinksRule", "SafeLinksPolicy"}, ruleRef{"ATPProtectionPolicyRule", "SafeLinksPolicy"},
		ruleRef{"ATPBuiltInProtectionRule", "SafeLinksPolicy"}),
}

var SafeAttachmentPolicy = &adminapi.Noun{Name: "SafeAttachmentPolicy", Svc: adminapi.EXO, License: planATP, Verbs: adminapi.CRUD,
	Params: []adminapi.Param{adminapi.Bool("Enable"), adminapi.Enum("Action", enumSafeAttAction), adminapi.Str("QuarantineTag"), adminapi.Bool("Redirect"), adminapi.Str("RedirectAddress"), adminapi.Str("AdminDisplayName")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"Enable": false, "Action": "Block", "QuarantineTag": "AdminOnlyAccessPolicy", "Redirect": false, "RedirectAddress": nil,
			"ActionOnError": true, "AdminDisplayName": "", "IsBuiltInProtection": false, "RecommendedPolicyType": "Custom",
		}
	},
	Validate: func(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
		if err := builtInGuard("Safe Attachments policy")(st, obj, others); err != nil {
			return err
		}
		if obj["Redirect"] == true && (obj["RedirectAddress"] == nil || obj["RedirectAddress"] == "") {
			return taskError("RedirectAddress must be specified when Redirect is set to $true.")
		}
		return nil
	},
	BeforeRemove: policyInUse(ruleRef{"SafeAttachmentRule", "SafeAttachmentPolicy"}, ruleRef{"ATPProtectionPolicyRule", "SafeAttachmentPolicy"},
		ruleRef{"ATPBuiltInProtectionRule", "SafeAttachmentPolicy"}),
}

var AtpPolicy = &adminapi.Noun{Name: "AtpPolicyForO365", Svc: adminapi.EXO, License: planATP, Singleton: true, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Bool("EnableATPForSPOTeamsODB"), adminapi.Bool("EnableSafeDocs"), adminapi.Bool("AllowSafeDocsOpen")},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{"EnableATPForSPOTeamsODB": false, "EnableSafeDocs": false, "AllowSafeDocsOpen": false}
	},
}

// builtInProtection returns the preset policy every Defender for Office 365 tenant has.
func builtInProtection(st *store.State, n *adminapi.Noun, now adminapi.TimeLike) map[string]any {
	o := adminapi.BaseObject(st, n, builtInProtName, now.T())
	for k, v := range n.Build(st, builtInProtName) {
		o[k] = v
	}
	o["IsBuiltInProtection"], o["RecommendedPolicyType"] = true, "BuiltInProtection"
	// The Built-in protection settings ("Preset security policies", appendix: the differences in
	// Safe Links settings between Built-in protection and Standard/Strict).
	switch n {
	case SafeLinksPolicy:
		for _, k := range []string{"EnableSafeLinksForEmail", "EnableSafeLinksForTeams", "EnableSafeLinksForOffice", "ScanUrls", "TrackClicks",
			"AllowClickThrough", "DisableUrlRewrite"} {
			o[k] = true
		}
		o["EnableForInternalSenders"] = false
	case SafeAttachmentPolicy:
		o["Enable"] = true
	}
	return o
}
