// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package exchange defines the Exchange Online cmdlet nouns devtenant serves at URL/exo:
// organization and audit settings, mail flow (transport rules, connectors, remote domains,
// anti-spam and anti-malware) and Defender for Office 365 (Safe Links, Safe Attachments, preset
// security policies and their rules). package adminapi runs them.
package exchange

import "github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"

// exchangeNouns are the Exchange Online cmdlet nouns devtenant serves, in the order
// EXOModuleFile lists them.
func Nouns() []*adminapi.Noun {
	return []*adminapi.Noun{OrgConfig, AdminAuditLog, IRM, OME, AcceptedDomain, TransportRule,
		OutboundSpam, RemoteDomain, MalwareFilter, MalwareFilterRule, nounHostedContentFilter, nounAntiPhish,
		nounEOPProtectionRule, nounOutboundConnector, SafeLinksPolicy, SafeLinksRule, SafeAttachmentPolicy,
		SafeAttachmentRule, nounATPProtectionRule, nounATPEvaluationRule, nounBuiltInRule, AtpPolicy}
}
