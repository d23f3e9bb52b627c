// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"errors"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// Exchange Online Protection and Defender for Office 365 settings of the email block: external
// auto-forwarding, the attachment filter, Safe Links, Safe Attachments and the partner TLS
// connector.

// defaultBlockedAttachmentTypes is the checklist's list of executable and script types.
var defaultBlockedAttachmentTypes = []string{
	"ace", "ani", "apk", "app", "appx", "bat", "cab", "cmd", "com", "cpl", "dll", "exe", "hta", "iso", "jar", "js", "jse",
	"lnk", "msi", "pif", "ps1", "reg", "scr", "vbe", "vbs", "wsf",
}

// microsoftDefaultFileTypes is the common attachments filter Microsoft ships, restored on destroy
// with restore_on_destroy.
var microsoftDefaultFileTypes = []string{
	"ace", "ani", "apk", "app", "appx", "arj", "bat", "cab", "cmd", "com", "deb", "dex", "dll", "docm", "elf", "exe", "hta", "img",
	"iso", "jar", "jnlp", "kext", "lha", "lib", "library", "lnk", "lzh", "macho", "msc", "msi", "msix", "msp", "mst", "pif", "ppa",
	"ppam", "reg", "rev", "scf", "scr", "sct", "sys", "uif", "vb", "vbe", "vbs", "vxd", "wsc", "wsf", "wsh", "xll", "xz", "z",
}

// The tenant-wide default objects the email block changes.
const defaultIdentity = exchange.DefaultIdentity

// forwardingAllowed reads the effective auto-forwarding setting: blocked only when the outbound
// spam policy says Off and the default remote domain refuses it too. "Automatic" is Microsoft's
// default, whose meaning Microsoft has changed over time, so it does not count as blocked.
func forwardingAllowed(spam exchange.HostedOutboundSpamFilterPolicy, remote exchange.RemoteDomain) bool {
	return !strings.EqualFold(spam.AutoForwardingMode, "Off") || remote.AutoForwardEnabled
}

// forwardingParams are the two Set- calls that make auto-forwarding allowed or not; a call whose
// object already matches is left out.
func forwardingParams(spam exchange.HostedOutboundSpamFilterPolicy, remote exchange.RemoteDomain, allowed bool) (spamParams, remoteParams map[string]any) {
	mode := "Off"
	if allowed {
		mode = "On"
		if !strings.EqualFold(spam.AutoForwardingMode, "Off") {
			mode = "" // Automatic or On already allow it.
		}
	}
	if mode != "" && !strings.EqualFold(spam.AutoForwardingMode, mode) {
		spamParams = map[string]any{"Identity": defaultIdentity, "AutoForwardingMode": mode}
	}
	if remote.AutoForwardEnabled != allowed {
		remoteParams = map[string]any{"Identity": defaultIdentity, "AutoForwardEnabled": allowed}
	}
	return spamParams, remoteParams
}

// blockedTypes reads the attachment types the default malware policy blocks: none while the
// filter is off.
func blockedTypes(malware exchange.MalwareFilterPolicy) []string {
	if !malware.EnableFileFilter {
		return []string{}
	}
	return malware.FileTypes
}

// malwareParams are the Set-MalwareFilterPolicy parameters that block types (none when it
// already does). An empty list turns the filter off and keeps the list.
func malwareParams(malware exchange.MalwareFilterPolicy, types []string) map[string]any {
	p := map[string]any{}
	if len(types) == 0 {
		if malware.EnableFileFilter {
			p["EnableFileFilter"] = false
		}
	} else {
		if !malware.EnableFileFilter {
			p["EnableFileFilter"] = true
		}
		if !cmdlets.SameStrings(malware.FileTypes, types) {
			p["FileTypes"] = append([]string(nil), types...)
		}
		if !strings.EqualFold(malware.FileTypeAction, "Reject") {
			p["FileTypeAction"] = "Reject"
		}
	}
	if len(p) == 0 {
		return nil
	}
	p["Identity"] = defaultIdentity
	return p
}

// protection describes a Defender for Office 365 policy and the rule that scopes it: Safe Links
// or Safe Attachments.
type protection struct {
	Kind     exchange.Protection
	Label    string         // As admins know it: Safe Links or Safe Attachments.
	Name     string         // Of both the policy and the rule.
	Settings map[string]any // The policy settings of the checklist.
}

var (
	safeLinksProtection = protection{Kind: exchange.SafeLinks, Label: "Safe Links", Name: safeLinksName, Settings: map[string]any{
		"EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true, "ScanUrls": true,
		"DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true, "AllowClickThrough": false,
	}}
	safeAttachmentsProtection = protection{Kind: exchange.SafeAttachment, Label: "Safe Attachments", Name: safeAttachmentsName, Settings: map[string]any{
		"Enable": true, "Action": "Block",
	}}
)

func (p protection) policyNoun() string { return p.Kind.PolicyNoun() }
func (p protection) ruleNoun() string   { return p.Kind.RuleNoun() }

// protectionLive is what the tenant has of one protection.
type protectionLive struct {
	Policy *exchange.ProtectionPolicy // nil when missing.
	Rule   *exchange.ProtectionRule   // nil when missing.
}

func (l protectionLive) exists() bool { return l.Policy != nil && l.Rule != nil }
func (l protectionLive) any() bool    { return l.Policy != nil || l.Rule != nil }

func readProtection(ctx context.Context, c *m365.Client, p protection) (protectionLive, error) {
	var l protectionLive
	var err error
	if l.Policy, err = cmdlets.NilIfNotFound(exchange.FindProtectionPolicy(ctx, c, p.Kind, p.Name)); err != nil {
		return l, err
	}
	l.Rule, err = cmdlets.NilIfNotFound(exchange.FindProtectionRule(ctx, c, p.Kind, p.Name))
	return l, err
}

// acceptedDomains lists the tenant's accepted domains, sorted: the recipient scope of the Safe
// Links and Safe Attachments rules.
func acceptedDomains(ctx context.Context, c *m365.Client) ([]string, error) {
	out, err := exchange.ListAcceptedDomainNames(ctx, c)
	if err == nil && len(out) == 0 {
		return nil, errors.New("Get-AcceptedDomain listed no accepted domain; the Safe Links and Safe Attachments rules need one to scope to")
	}
	return out, err
}

// policyUpdate are the policy settings that differ from the checklist.
func (p protection) policyUpdate(policy exchange.ProtectionPolicy) map[string]any {
	out := map[string]any{}
	for k, want := range p.Settings {
		switch w := want.(type) {
		case bool:
			if cmdlets.Bool(policy.Raw(), k) != w {
				out[k] = w
			}
		case string:
			if !strings.EqualFold(cmdlets.String(policy.Raw(), k), w) {
				out[k] = w
			}
		}
	}
	return out
}

// ruleUpdate returns the Set- parameters that differ, whether the rule must first be enabled
// (Enable-<rule>, which keeps its identity: Set- has no parameter for the state), and whether it
// must be replaced because it is bound to another policy (Set- cannot rebind it).
//
// The rule is scoped with RecipientDomainIs to every accepted domain: the condition matches a
// recipient's primary address domain, so a rule on the initial onmicrosoft.com domain alone
// leaves every user whose primary address is on a vanity domain without the policy.
func (p protection) ruleUpdate(rule exchange.ProtectionRule, domains []string) (upd map[string]any, enable, replace bool) {
	if !strings.EqualFold(rule.Policy, p.Name) {
		return nil, false, true
	}
	if s := rule.State; s != "" && !strings.EqualFold(s, "Enabled") {
		enable = true
	}
	upd = map[string]any{}
	if !cmdlets.SameStrings(rule.RecipientDomainIs, domains) {
		upd["RecipientDomainIs"] = append([]string(nil), domains...)
	}
	if !rule.HasPriority || rule.Priority != 0 {
		upd["Priority"] = 0
	}
	return upd, enable, false
}

func (p protection) inSync(l protectionLive, domains []string) bool {
	if !l.exists() {
		return false
	}
	ru, enable, replace := p.ruleUpdate(*l.Rule, domains)
	return len(p.policyUpdate(*l.Policy)) == 0 && !enable && !replace && len(ru) == 0
}

// sync creates or repairs the policy and its rule, scoped to domains. It updates l as it goes, so
// that on failure l says what exists.
func (p protection) sync(ctx context.Context, c *m365.Client, l *protectionLive, domains []string) error {
	if l.Policy == nil {
		params := map[string]any{"Name": p.Name}
		for k, v := range p.Settings {
			params[k] = v
		}
		pol, err := exchange.NewProtectionPolicy(ctx, c, p.Kind, params)
		if err != nil {
			return err
		}
		l.Policy = pol
	} else if upd := p.policyUpdate(*l.Policy); len(upd) > 0 {
		upd["Identity"] = p.Name
		if err := exchange.SetProtectionPolicy(ctx, c, p.Kind, l.Policy, upd); err != nil {
			return err
		}
	}
	if l.Rule != nil {
		upd, enable, replace := p.ruleUpdate(*l.Rule, domains)
		if !replace {
			if enable {
				if err := exchange.EnableProtectionRule(ctx, c, p.Kind, l.Rule, p.Name); err != nil {
					return err
				}
			}
			if len(upd) == 0 {
				return nil
			}
			upd["Identity"] = p.Name
			return exchange.SetProtectionRule(ctx, c, p.Kind, l.Rule, upd)
		}
		if err := exchange.RemoveProtectionRule(ctx, c, p.Kind, p.Name); err != nil {
			return err
		}
		l.Rule = nil
	}
	params := map[string]any{"Name": p.Name, p.policyNoun(): p.Name, "RecipientDomainIs": append([]string(nil), domains...), "Priority": 0}
	assumed := map[string]any{"Name": p.Name, p.policyNoun(): p.Name, "RecipientDomainIs": append([]string(nil), domains...), "Priority": 0, "State": "Enabled"}
	rule, err := exchange.NewProtectionRule(ctx, c, p.Kind, params, assumed)
	if err != nil {
		return err
	}
	l.Rule = rule
	return nil
}

// remove deletes the rule, then the policy (Exchange refuses to delete a policy in use).
func (p protection) remove(ctx context.Context, c *m365.Client, l *protectionLive) error {
	if l.Rule != nil {
		if err := exchange.RemoveProtectionRule(ctx, c, p.Kind, p.Name); err != nil {
			return err
		}
		l.Rule = nil
	}
	if l.Policy != nil {
		if err := exchange.RemoveProtectionPolicy(ctx, c, p.Kind, p.Name); err != nil {
			return err
		}
		l.Policy = nil
	}
	return nil
}

// connectorParams are the New-/Set-OutboundConnector parameters of the partner TLS connector
// for domains: all of them for a new connector, only those that differ otherwise.
func connectorParams(conn *exchange.OutboundConnector, domains []string) map[string]any {
	if conn == nil {
		return map[string]any{
			"Name": connectorNamePartnerTLS, "ConnectorType": "Partner", "TlsSettings": "CertificateValidation", "UseMXRecord": true,
			"Enabled": true, "RecipientDomains": append([]string(nil), domains...),
		}
	}
	out := map[string]any{}
	if !strings.EqualFold(conn.ConnectorType, "Partner") {
		out["ConnectorType"] = "Partner"
	}
	if !strings.EqualFold(conn.TlsSettings, "CertificateValidation") {
		out["TlsSettings"] = "CertificateValidation"
	}
	if !conn.UseMXRecord {
		out["UseMXRecord"] = true
	}
	if !conn.Enabled {
		out["Enabled"] = true
	}
	if !cmdlets.SameStrings(conn.RecipientDomains, domains) {
		out["RecipientDomains"] = append([]string(nil), domains...)
	}
	return out
}

// connectorInSync reports whether the connector's settings other than its domains match.
func connectorInSync(conn *exchange.OutboundConnector, domains []string) bool {
	p := connectorParams(conn, domains)
	delete(p, "RecipientDomains")
	return len(p) == 0
}

// syncConnector creates, repairs or removes the partner TLS connector and returns it as it now is.
func syncConnector(ctx context.Context, c *m365.Client, conn *exchange.OutboundConnector, domains []string) (*exchange.OutboundConnector, error) {
	if len(domains) == 0 {
		if conn == nil {
			return nil, nil
		}
		if err := exchange.RemoveOutboundConnector(ctx, c, connectorNamePartnerTLS); err != nil {
			return conn, err
		}
		return nil, nil
	}
	params := connectorParams(conn, domains)
	if len(params) == 0 {
		return conn, nil
	}
	if conn == nil {
		return exchange.NewOutboundConnector(ctx, c, params)
	}
	params["Identity"] = connectorNamePartnerTLS
	return conn, exchange.SetOutboundConnector(ctx, c, conn, params)
}
