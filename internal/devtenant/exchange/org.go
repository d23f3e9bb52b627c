// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Organization-wide Exchange settings: OrganizationConfig, AdminAuditLogConfig,
// IRMConfiguration, OMEConfiguration and AcceptedDomain.

var OrgConfig = &adminapi.Noun{Name: "OrganizationConfig", Svc: adminapi.EXO, Singleton: true, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Bool("AuditDisabled"), adminapi.Bool("OAuth2ClientProfileEnabled"), adminapi.Bool("SendFromAliasEnabled"),
		adminapi.Bool("MailTipsAllTipsEnabled"), adminapi.Bool("MailTipsExternalRecipientsTipsEnabled"), adminapi.Bool("MailTipsGroupMetricsEnabled"),
		adminapi.Int("MailTipsLargeAudienceThreshold", 0, 1000), adminapi.Bool("CustomerLockboxEnabled"), adminapi.Bool("ConnectorsEnabled"),
		adminapi.Bool("ActivityBasedAuthenticationTimeoutEnabled"), adminapi.Bool("SmtpActionableMessagesEnabled"), adminapi.Bool("BookingsEnabled"),
		adminapi.Bool("LinkPreviewEnabled"), adminapi.Bool("FocusedInboxOn"), adminapi.Bool("DirectReportsGroupAutoCreationEnabled"), adminapi.Bool("AutoExpandingArchive"),
		adminapi.Enum("PublicFoldersEnabled", adminapi.EnumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.PublicFoldersDeployment", "None", "Local", "Remote"))},
	Build: func(st *store.State, _ string) map[string]any {
		return map[string]any{
			"DisplayName": st.DisplayName, "AuditDisabled": false, "AutoExpandingArchiveEnabled": false, "OAuth2ClientProfileEnabled": true,
			"SendFromAliasEnabled": false, "MailTipsAllTipsEnabled": true, "MailTipsExternalRecipientsTipsEnabled": false,
			"MailTipsGroupMetricsEnabled": true, "MailTipsLargeAudienceThreshold": int64(25), "CustomerLockboxEnabled": false,
			"ConnectorsEnabled": true, "ActivityBasedAuthenticationTimeoutEnabled": true, "ActivityBasedAuthenticationTimeoutInterval": "06:00:00",
			"SmtpActionableMessagesEnabled": true, "BookingsEnabled": true, "LinkPreviewEnabled": true, "FocusedInboxOn": nil,
			"DirectReportsGroupAutoCreationEnabled": false, "PublicFoldersEnabled": "Local", "IsDehydrated": false,
			"ElcProcessingDisabled": false, "EwsEnabled": nil, "DefaultAuthenticationPolicy": nil, "MaxConcurrentMigrations": "300",
			"MicrosoftExchangeRecipientEmailAddresses": []any{"SMTP:MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@" + st.Domain},
		}
	},
}

var AdminAuditLog = &adminapi.Noun{Name: "AdminAuditLogConfig", Svc: adminapi.EXO, Singleton: true, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Bool("UnifiedAuditLogIngestionEnabled"), adminapi.Bool("AdminAuditLogEnabled"), adminapi.StrList("AdminAuditLogCmdlets"),
		adminapi.StrList("AdminAuditLogParameters"), adminapi.StrList("AdminAuditLogExcludedCmdlets"), adminapi.Str("AdminAuditLogAgeLimit"),
		adminapi.Enum("LogLevel", adminapi.EnumOf("Microsoft.Exchange.Management.SystemConfigurationTasks.AuditLogLevel", "None", "Verbose"))},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"AdminAuditLogEnabled": true, "UnifiedAuditLogIngestionEnabled": true, "UnifiedAuditLogFirstOptInDate": nil,
			"AdminAuditLogCmdlets": []any{"*"}, "AdminAuditLogParameters": []any{"*"}, "AdminAuditLogExcludedCmdlets": []any{},
			"AdminAuditLogAgeLimit": "90.00:00:00", "LogLevel": "None", "TestCmdletLoggingEnabled": false, "LoadBalancerCount": int64(3),
		}
	},
}

var IRM = &adminapi.Noun{Name: "IRMConfiguration", Svc: adminapi.EXO, Singleton: true, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Bool("AzureRMSLicensingEnabled"), adminapi.Bool("SimplifiedClientAccessEnabled"), adminapi.Bool("InternalLicensingEnabled"),
		adminapi.Bool("ExternalLicensingEnabled"), adminapi.Bool("JournalReportDecryptionEnabled"), adminapi.Bool("SimplifiedClientAccessEncryptOnlyDisabled"),
		adminapi.Bool("SimplifiedClientAccessDoNotForwardDisabled"), adminapi.Bool("DecryptAttachmentForEncryptOnly"), adminapi.Bool("EnablePdfEncryption"),
		adminapi.Bool("AutomaticServiceUpdateEnabled"), adminapi.Bool("RejectIfRecipientHasNoRights"), adminapi.Bool("EDiscoverySuperUserEnabled"), adminapi.Bool("SearchEnabled"),
		adminapi.Bool("ClientAccessServerEnabled"), adminapi.StrList("LicensingLocation"),
		adminapi.Enum("TransportDecryptionSetting", adminapi.EnumOf("Microsoft.Exchange.Data.TransportDecryptionSetting", "Disabled", "Optional", "Mandatory"))},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"AzureRMSLicensingEnabled": true, "SimplifiedClientAccessEnabled": false, "InternalLicensingEnabled": true,
			"ExternalLicensingEnabled": false, "JournalReportDecryptionEnabled": true, "SimplifiedClientAccessEncryptOnlyDisabled": false,
			"SimplifiedClientAccessDoNotForwardDisabled": false, "DecryptAttachmentForEncryptOnly": false, "EnablePdfEncryption": false,
			"TransportDecryptionSetting": "Mandatory", "AutomaticServiceUpdateEnabled": true, "RejectIfRecipientHasNoRights": false,
			"EDiscoverySuperUserEnabled": true, "SearchEnabled": true, "ClientAccessServerEnabled": true, "LicensingLocation": []any{},
			"ServiceLocation": nil, "PublishingLocation": nil, "RMSOnlineKeySharingLocation": nil,
		}
	},
}

var OME = &adminapi.Noun{Name: "OMEConfiguration", Svc: adminapi.EXO, Verbs: adminapi.GetSet,
	Params: []adminapi.Param{adminapi.Str("BackgroundColor"), adminapi.Str("DisclaimerText"), adminapi.Str("EmailText"), adminapi.Str("IntroductionText"), adminapi.Str("PortalText"),
		adminapi.Str("ReadButtonText"), adminapi.Str("PrivacyStatementUrl"), adminapi.Bool("OTPEnabled"), adminapi.Bool("SocialIdSignIn"), adminapi.Int("ExternalMailExpiryInDays", 0, 730)},
	Build: func(*store.State, string) map[string]any {
		return map[string]any{
			"BackgroundColor": "", "DisclaimerText": "", "EmailText": "", "IntroductionText": "", "PortalText": "", "ReadButtonText": "",
			"PrivacyStatementUrl": "", "OTPEnabled": true, "SocialIdSignIn": true, "ExternalMailExpiryInDays": int64(0), "Image": nil, "IsDefault": true,
		}
	},
	Validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
		if c, _ := obj["BackgroundColor"].(string); c != "" && !validColor(c) {
			return &adminapi.Error{Status: 400, Exception: adminapi.ExDataValidation, Human: "The value '" + c + "' isn't a valid color. Use an HTML color name or a hexadecimal code such as #ffffff."}
		}
		return nil
	},
}

func validColor(c string) bool {
	if strings.HasPrefix(c, "#") {
		if len(c) != 7 && len(c) != 4 {
			return false
		}
		for _, r := range c[1:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
		return true
	}
	for _, r := range c {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

var AcceptedDomain = &adminapi.Noun{Name: "AcceptedDomain", Svc: adminapi.EXO, Verbs: []string{"Get"}}

// acceptedDomains are the tenant's verified domains as Get-AcceptedDomain lists them.
func AcceptedDomainObjects(st *store.State, now adminapi.TimeLike) []map[string]any {
	vanity := strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1)
	mk := func(name string, initial, def bool) map[string]any {
		o := adminapi.BaseObject(st, AcceptedDomain, name, now.T())
		o["DomainName"], o["DomainType"], o["Default"], o["InitialDomain"] = name, "Authoritative", def, initial
		o["MatchSubDomains"], o["AddressBookEnabled"], o["SendingFromDomainDisabled"] = false, true, false
		o["AuthenticationType"] = "Managed"
		return o
	}
	return []map[string]any{mk(st.Domain, true, false), mk(vanity, false, true)}
}

func isAcceptedDomain(st *store.State, d string) bool {
	for _, o := range st.Admin.Cmdlets[AcceptedDomain.Name] {
		if strings.EqualFold(store.String(o, "DomainName"), d) {
			return true
		}
	}
	return false
}
