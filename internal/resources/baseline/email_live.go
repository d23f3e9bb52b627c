// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// What the email block reads from the tenant (through internal/m365/exchange) and how it maps to
// the block's state: the flatten half of the block; apply in block_email.go is the expand half.

// emailLive is what the tenant has.
type emailLive struct {
	IRM             exchange.IRMConfiguration
	OME             *exchange.OMEConfiguration         // Nil when the block does not manage it.
	Rules           map[string]*exchange.TransportRule // The baseline's rules by name.
	OutboundSpam    exchange.HostedOutboundSpamFilterPolicy
	RemoteDomain    exchange.RemoteDomain
	Malware         exchange.MalwareFilterPolicy
	MDO             bool
	Domains         []string // Accepted domains, known when MDO is.
	SafeLinks       protectionLive
	SafeAttachments protectionLive
	Connector       *exchange.OutboundConnector
}

// readEmailLive reads the tenant's email settings; the OME configuration only when withOME.
func readEmailLive(ctx context.Context, e *env, ruleIDs map[string]string, withOME bool) (emailLive, error) {
	l := emailLive{Rules: map[string]*exchange.TransportRule{}}
	c := e.tenant
	irm, err := exchange.GetIRMConfiguration(ctx, c)
	if err != nil {
		return l, err
	}
	l.IRM = *irm
	if withOME {
		if l.OME, err = exchange.GetOMEConfiguration(ctx, c, exchange.OMEIdentity); err != nil {
			return l, err
		}
	}
	rules, err := exchange.ListTransportRules(ctx, c)
	if err != nil {
		return l, err
	}
	for _, name := range []string{ruleNamePHIEncryption, ruleNamePHIKeywords} {
		if r := exchange.FindIn(rules, ruleIDs[name], name); r != nil {
			l.Rules[name] = r
		}
	}
	spam, err := exchange.GetHostedOutboundSpamFilterPolicy(ctx, c, defaultIdentity)
	if err != nil {
		return l, err
	}
	l.OutboundSpam = *spam
	remote, err := exchange.GetRemoteDomain(ctx, c, defaultIdentity)
	if err != nil {
		return l, err
	}
	l.RemoteDomain = *remote
	malware, err := exchange.GetMalwareFilterPolicy(ctx, c, defaultIdentity)
	if err != nil {
		return l, err
	}
	l.Malware = *malware
	if l.Connector, err = cmdlets.NilIfNotFound(exchange.FindOutboundConnector(ctx, c, connectorNamePartnerTLS)); err != nil {
		return l, err
	}
	if l.MDO, err = e.licensed(ctx, licenceMDOP1); err != nil || !l.MDO {
		return l, err
	}
	if l.Domains, err = acceptedDomains(ctx, c); err != nil {
		return l, err
	}
	if l.SafeLinks, err = readProtection(ctx, c, safeLinksProtection); err != nil {
		return l, err
	}
	l.SafeAttachments, err = readProtection(ctx, c, safeAttachmentsProtection)
	return l, err
}

// adoptable reports, on import, whether the tenant has anything of the baseline's email settings.
func (l emailLive) adoptable() bool {
	return len(l.Rules) > 0 || l.SafeLinks.any() || l.SafeAttachments.any() || l.Connector != nil ||
		(l.IRM.AzureRMSLicensingEnabled && !forwardingAllowed(l.OutboundSpam, l.RemoteDomain) && l.Malware.EnableFileFilter)
}

// flattenEmail is the block state of what the tenant has. ref (the prior state on refresh, the
// plan during apply, the defaults on import) says what the block manages and supplies the values
// the tenant cannot tell: the licence-gated settings of an unlicensed tenant and the rule lists
// of a missing rule.
func flattenEmail(l emailLive, ref emailModel) emailModel {
	m := ref
	m.MessageEncryption = types.BoolValue(l.IRM.AzureRMSLicensingEnabled && l.IRM.SimplifiedClientAccessEnabled)
	flattenOME(&m, l.OME, ref)
	m.ExternalAutoForwarding = types.BoolValue(forwardingAllowed(l.OutboundSpam, l.RemoteDomain))
	m.BlockedAttachmentTypes = setValue(blockedTypes(l.Malware))
	inSync := true

	// Rules: phi_encryption_rule reads true when every rule the configuration asks for exists (or,
	// when it is off, when any of them is left), and the lists read from the rules that exist.
	sits, words := setStrings(ref.PHISensitiveInfoTypes), setStrings(ref.PHIKeywords)
	if r, ok := l.Rules[ruleNamePHIEncryption]; ok {
		sits = classificationNames(r.DataClassifications)
		m.PHISensitiveInfoTypes = setValue(sits)
	}
	if r, ok := l.Rules[ruleNamePHIKeywords]; ok {
		words = r.SubjectOrBodyContainsWords
		m.PHIKeywords = setValue(words)
	}
	ids := map[string]string{}
	for name, r := range l.Rules {
		ids[name] = r.ID
	}
	m.TransportRuleIDs = idMap(ids)
	if boolDefault(ref.PHIEncryptionRule, true) {
		want := desiredRules(true, setStrings(ref.PHISensitiveInfoTypes), setStrings(ref.PHIKeywords))
		all := true
		for _, spec := range want {
			r, ok := l.Rules[spec.Name]
			if !ok {
				all = false
				continue
			}
			live := spec
			if spec.SITs != nil {
				live.SITs = sits
			} else {
				live.Keywords = words
			}
			inSync = inSync && ruleInSync(*r, live)
		}
		m.PHIEncryptionRule = types.BoolValue(all)
	} else {
		m.PHIEncryptionRule = types.BoolValue(len(l.Rules) > 0)
	}

	// Partner TLS connector.
	m.TLSPartnerDomains = setValue(nil)
	if l.Connector != nil {
		domains := l.Connector.RecipientDomains
		m.TLSPartnerDomains = setValue(domains)
		inSync = inSync && connectorInSync(l.Connector, domains)
	}

	// Safe Links and Safe Attachments: reported only where licensed.
	m.SafeLinksStatus, m.SafeAttachmentsStatus = types.StringValue(statusNotLicensed), types.StringValue(statusNotLicensed)
	if l.MDO {
		m.SafeLinksStatus, m.SafeAttachmentsStatus = types.StringValue(statusApplied), types.StringValue(statusApplied)
		for _, x := range []struct {
			p    protection
			live protectionLive
			attr *types.Bool
		}{{safeLinksProtection, l.SafeLinks, &m.SafeLinks}, {safeAttachmentsProtection, l.SafeAttachments, &m.SafeAttachments}} {
			if boolDefault(*x.attr, true) {
				*x.attr = types.BoolValue(x.live.exists())
				inSync = inSync && (!x.live.exists() || x.p.inSync(x.live, l.Domains))
			} else {
				*x.attr = types.BoolValue(x.live.any())
			}
		}
	}
	m.InSync = types.BoolValue(inSync)
	return m
}
