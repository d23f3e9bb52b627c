// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Organization-wide Exchange settings: OrganizationConfig, AdminAuditLogConfig,
// IRMConfiguration, OMEConfiguration and AcceptedDomain.

var getSet = []string{"Get", "Set"}

var nounOrgConfig = &nounDef{noun: "OrganizationConfig", svc: svcEXO, singleton: true, verbs: getSet,
	params: []cmdParam{pb("AuditDisabled"), pb("OAuth2ClientProfileEnabled"), pb("SendFromAliasEnabled"),
		pb("MailTipsAllTipsEnabled"), pb("MailTipsExternalRecipientsTipsEnabled"), pb("MailTipsGroupMetricsEnabled"),
		pi("MailTipsLargeAudienceThreshold", 0, 1000), pb("CustomerLockboxEnabled"), pb("ConnectorsEnabled"),
		pb("ActivityBasedAuthenticationTimeoutEnabled"), pb("SmtpActionableMessagesEnabled"), pb("BookingsEnabled"),
		pb("LinkPreviewEnabled"), pb("FocusedInboxOn"), pb("DirectReportsGroupAutoCreationEnabled"), pb("AutoExpandingArchive"),
		pe("PublicFoldersEnabled", enumOf("Microsoft.Exchange.Data.Directory.SystemConfiguration.PublicFoldersDeployment", "None", "Local", "Remote"))},
	build: func(st *store.State, _ string) map[string]any {
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

var nounAdminAuditLog = &nounDef{noun: "AdminAuditLogConfig", svc: svcEXO, singleton: true, verbs: getSet,
	params: []cmdParam{pb("UnifiedAuditLogIngestionEnabled"), pb("AdminAuditLogEnabled"), pl("AdminAuditLogCmdlets"),
		pl("AdminAuditLogParameters"), pl("AdminAuditLogExcludedCmdlets"), ps("AdminAuditLogAgeLimit"),
		pe("LogLevel", enumOf("Microsoft.Exchange.Management.SystemConfigurationTasks.AuditLogLevel", "None", "Verbose"))},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"AdminAuditLogEnabled": true, "UnifiedAuditLogIngestionEnabled": true, "UnifiedAuditLogFirstOptInDate": nil,
			"AdminAuditLogCmdlets": []any{"*"}, "AdminAuditLogParameters": []any{"*"}, "AdminAuditLogExcludedCmdlets": []any{},
			"AdminAuditLogAgeLimit": "90.00:00:00", "LogLevel": "None", "TestCmdletLoggingEnabled": false, "LoadBalancerCount": int64(3),
		}
	},
}

var nounIRM = &nounDef{noun: "IRMConfiguration", svc: svcEXO, singleton: true, verbs: getSet,
	params: []cmdParam{pb("AzureRMSLicensingEnabled"), pb("SimplifiedClientAccessEnabled"), pb("InternalLicensingEnabled"),
		pb("ExternalLicensingEnabled"), pb("JournalReportDecryptionEnabled"), pb("SimplifiedClientAccessEncryptOnlyDisabled"),
		pb("SimplifiedClientAccessDoNotForwardDisabled"), pb("DecryptAttachmentForEncryptOnly"), pb("EnablePdfEncryption"),
		pb("AutomaticServiceUpdateEnabled"), pb("RejectIfRecipientHasNoRights"), pb("EDiscoverySuperUserEnabled"), pb("SearchEnabled"),
		pb("ClientAccessServerEnabled"), pl("LicensingLocation"),
		pe("TransportDecryptionSetting", enumOf("Microsoft.Exchange.Data.TransportDecryptionSetting", "Disabled", "Optional", "Mandatory"))},
	build: func(*store.State, string) map[string]any {
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

var nounOME = &nounDef{noun: "OMEConfiguration", svc: svcEXO, verbs: getSet,
	params: []cmdParam{ps("BackgroundColor"), ps("DisclaimerText"), ps("EmailText"), ps("IntroductionText"), ps("PortalText"),
		ps("ReadButtonText"), ps("PrivacyStatementUrl"), pb("OTPEnabled"), pb("SocialIdSignIn"), pi("ExternalMailExpiryInDays", 0, 730)},
	build: func(*store.State, string) map[string]any {
		return map[string]any{
			"BackgroundColor": "", "DisclaimerText": "", "EmailText": "", "IntroductionText": "", "PortalText": "", "ReadButtonText": "",
			"PrivacyStatementUrl": "", "OTPEnabled": true, "SocialIdSignIn": true, "ExternalMailExpiryInDays": int64(0), "Image": nil, "IsDefault": true,
		}
	},
	validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *exoError {
		if c, _ := obj["BackgroundColor"].(string); c != "" && !validColor(c) {
			return &exoError{status: 400, exception: exDataValidation, human: "The value '" + c + "' isn't a valid color. Use an HTML color name or a hexadecimal code such as #ffffff."}
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

var nounAcceptedDomain = &nounDef{noun: "AcceptedDomain", svc: svcEXO, verbs: []string{"Get"}}

// acceptedDomains are the tenant's verified domains as Get-AcceptedDomain lists them.
func acceptedDomainObjects(st *store.State, now timeLike) []map[string]any {
	vanity := strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1)
	mk := func(name string, initial, def bool) map[string]any {
		o := baseObject(st, nounAcceptedDomain, name, now.t())
		o["DomainName"], o["DomainType"], o["Default"], o["InitialDomain"] = name, "Authoritative", def, initial
		o["MatchSubDomains"], o["AddressBookEnabled"], o["SendingFromDomainDisabled"] = false, true, false
		o["AuthenticationType"] = "Managed"
		return o
	}
	return []map[string]any{mk(st.Domain, true, false), mk(vanity, false, true)}
}

func isAcceptedDomain(st *store.State, d string) bool {
	for _, o := range st.Admin.Cmdlets[nounAcceptedDomain.noun] {
		if strings.EqualFold(o["DomainName"].(string), d) {
			return true
		}
	}
	return false
}
