// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"fmt"
	"strings"
)

// The enum slices below are the single source of truth for both the plan-time validators and the
// attribute descriptions, so the documentation can never list a value the validator rejects.
// Values are spelled exactly as Graph v1.0 spells them; "unknownFutureValue" is left out on purpose
// because Graph rejects it on write.
var (
	// stateValues are the Terraform spellings of conditionalAccessPolicyState.
	stateValues = []string{stateEnabled, stateDisabled, stateReportOnly}

	clientAppTypeValues = []string{"all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other"}
	platformValues      = []string{"all", "android", "iOS", "windows", "windowsPhone", "macOS", "linux"}
	// riskLevelValues omits "hidden": Graph only reports it, it cannot be targeted.
	riskLevelValues        = []string{"low", "medium", "high", "none"}
	insiderRiskLevelValues = []string{"minor", "moderate", "elevated"}
	transferMethodValues   = []string{"deviceCodeFlow", "authenticationTransfer"}
	guestTypeValues        = []string{"internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember", "b2bDirectConnectUser", "otherExternalUser", "serviceProvider"}
	membershipKindValues   = []string{membershipKindAll, membershipKindEnumerated}
	filterModeValues       = []string{"include", "exclude"}
	userActionValues       = []string{"urn:user:registersecurityinfo", "urn:user:registerdevice"}

	grantOperatorValues  = []string{"AND", "OR"}
	builtInControlValues = []string{controlBlock, controlMFA, "compliantDevice", "domainJoinedDevice", "approvedApplication", "compliantApplication", "passwordChange"}

	cloudAppSecurityValues        = []string{"mcasConfigured", "monitorOnly", "blockDownloads"}
	signInFrequencyTypeValues     = []string{"hours", "days"}
	signInFrequencyIntervalValues = []string{intervalTimeBased, intervalEveryTime}
	signInFrequencyAuthTypeValues = []string{authTypePrimaryAndSecondary, "secondaryAuthentication"}
	persistentBrowserValues       = []string{"always", "never"}
)

// Keywords that Graph accepts in place of object ids. The first spelling is the one Graph returns;
// the provider sends that spelling whatever the casing in the configuration.
var (
	includeUserKeywords        = []string{"All", "None", "GuestsOrExternalUsers"}
	excludeUserKeywords        = []string{"GuestsOrExternalUsers"}
	includeApplicationKeywords = []string{"All", "None", "Office365", "MicrosoftAdminPortals"}
	excludeApplicationKeywords = []string{"Office365", "MicrosoftAdminPortals"}
	includeLocationKeywords    = []string{"All", "AllTrusted"}
	excludeLocationKeywords    = []string{"AllTrusted"}
	includeSPKeywords          = []string{"ServicePrincipalsInMyTenant"}
)

const (
	stateEnabled    = "enabled"
	stateDisabled   = "disabled"
	stateReportOnly = "report_only"
	// graphStateReportOnly is Graph's name for report-only mode.
	graphStateReportOnly = "enabledForReportingButNotEnforced"

	membershipKindAll        = "all"
	membershipKindEnumerated = "enumerated"

	controlBlock = "block"
	controlMFA   = "mfa"

	operatorDefault = "OR"

	intervalTimeBased           = "timeBased"
	intervalEveryTime           = "everyTime"
	authTypePrimaryAndSecondary = "primaryAndSecondaryAuthentication"

	keywordAll = "All"
)

// stateToGraph maps the Terraform state spelling to Graph's conditionalAccessPolicyState.
func stateToGraph(s string) string {
	if s == stateReportOnly {
		return graphStateReportOnly
	}
	return s
}

// stateFromGraph maps Graph's conditionalAccessPolicyState to the Terraform spelling.
func stateFromGraph(s string) string {
	if s == graphStateReportOnly {
		return stateReportOnly
	}
	return s
}

// oneOfMarkdown renders an enum slice for a MarkdownDescription.
func oneOfMarkdown(values []string) string {
	return fmt.Sprintf("Valid values: `%s`.", strings.Join(values, "`, `"))
}

// canonicalKeyword returns Graph's spelling of s when s is one of keywords in any casing, and s
// unchanged otherwise (object ids are sent as written).
func canonicalKeyword(s string, keywords []string) string {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return k
		}
	}
	return s
}

// isKeyword reports whether s is one of keywords in any casing.
func isKeyword(s string, keywords []string) bool {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}
