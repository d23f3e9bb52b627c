// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
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
const defaultIdentity = "Default"

// forwardingAllowed reads the effective auto-forwarding setting: blocked only when the outbound
// spam policy says Off and the default remote domain refuses it too. "Automatic" is Microsoft's
// default, whose meaning Microsoft has changed over time, so it does not count as blocked.
func forwardingAllowed(spam, remote map[string]any) bool {
	return !strings.EqualFold(str(spam, "AutoForwardingMode"), "Off") || boolOf(remote, "AutoForwardEnabled")
}

// forwardingParams are the two Set- calls that make auto-forwarding allowed or not; a call whose
// object already matches is left out.
func forwardingParams(spam, remote map[string]any, allowed bool) (spamParams, remoteParams map[string]any) {
	mode := "Off"
	if allowed {
		mode = "On"
		if !strings.EqualFold(str(spam, "AutoForwardingMode"), "Off") {
			mode = "" // Automatic or On already allow it.
		}
	}
	if mode != "" && !strings.EqualFold(str(spam, "AutoForwardingMode"), mode) {
		spamParams = map[string]any{"Identity": defaultIdentity, "AutoForwardingMode": mode}
	}
	if boolOf(remote, "AutoForwardEnabled") != allowed {
		remoteParams = map[string]any{"Identity": defaultIdentity, "AutoForwardEnabled": allowed}
	}
	return spamParams, remoteParams
}

// blockedTypes reads the attachment types the default malware policy blocks: none while the
// filter is off.
func blockedTypes(malware map[string]any) []string {
	if !boolOf(malware, "EnableFileFilter") {
		return []string{}
	}
	return strList(malware, "FileTypes")
}

// malwareParams are the Set-MalwareFilterPolicy parameters that block types (none when it
// already does). An empty list turns the filter off and keeps the list.
func malwareParams(malware map[string]any, types []string) map[string]any {
	p := map[string]any{}
	if len(types) == 0 {
		if boolOf(malware, "EnableFileFilter") {
			p["EnableFileFilter"] = false
		}
	} else {
		if !boolOf(malware, "EnableFileFilter") {
			p["EnableFileFilter"] = true
		}
		if !sameStrings(strList(malware, "FileTypes"), types) {
			p["FileTypes"] = append([]string(nil), types...)
		}
		if !strings.EqualFold(str(malware, "FileTypeAction"), "Reject") {
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
	Noun     string         // SafeLinks or SafeAttachment.
	Label    string         // As admins know it: Safe Links or Safe Attachments.
	Name     string         // Of both the policy and the rule.
	Settings map[string]any // The policy settings of the checklist.
}

var (
	safeLinksProtection = protection{Noun: "SafeLinks", Label: "Safe Links", Name: safeLinksName, Settings: map[string]any{
		"EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true, "ScanUrls": true,
		"DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true, "AllowClickThrough": false,
	}}
	safeAttachmentsProtection = protection{Noun: "SafeAttachment", Label: "Safe Attachments", Name: safeAttachmentsName, Settings: map[string]any{
		"Enable": true, "Action": "Block",
	}}
)

func (p protection) policyNoun() string { return p.Noun + "Policy" }
func (p protection) ruleNoun() string   { return p.Noun + "Rule" }

// protectionLive is what the tenant has of one protection.
type protectionLive struct {
	Policy, Rule map[string]any // nil when missing.
}

func (l protectionLive) exists() bool { return l.Policy != nil && l.Rule != nil }
func (l protectionLive) any() bool    { return l.Policy != nil || l.Rule != nil }

func readProtection(ctx context.Context, exo *m365.CommandClient, p protection) (protectionLive, error) {
	var l protectionLive
	var err error
	if l.Policy, err = getOptional(ctx, exo, "Get-"+p.policyNoun(), p.Name); err != nil {
		return l, err
	}
	l.Rule, err = getOptional(ctx, exo, "Get-"+p.ruleNoun(), p.Name)
	return l, err
}

// acceptedDomains lists the tenant's accepted domains (Get-AcceptedDomain, DomainName), sorted:
// the recipient scope of the Safe Links and Safe Attachments rules.
func acceptedDomains(ctx context.Context, exo *m365.CommandClient) ([]string, error) {
	objs, err := exo.Invoke(ctx, "Get-AcceptedDomain", nil)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range objs {
		if d := str(o, "DomainName"); d != "" {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("Get-AcceptedDomain listed no accepted domain; the Safe Links and Safe Attachments rules need one to scope to")
	}
	sort.Strings(out)
	return out, nil
}

// policyUpdate are the policy settings that differ from the checklist.
func (p protection) policyUpdate(policy map[string]any) map[string]any {
	out := map[string]any{}
	for k, want := range p.Settings {
		switch w := want.(type) {
		case bool:
			if boolOf(policy, k) != w {
				out[k] = w
			}
		case string:
			if !strings.EqualFold(str(policy, k), w) {
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
func (p protection) ruleUpdate(rule map[string]any, domains []string) (upd map[string]any, enable, replace bool) {
	if !strings.EqualFold(str(rule, p.policyNoun()), p.Name) {
		return nil, false, true
	}
	if s := str(rule, "State"); s != "" && !strings.EqualFold(s, "Enabled") {
		enable = true
	}
	upd = map[string]any{}
	if !sameStrings(strList(rule, "RecipientDomainIs"), domains) {
		upd["RecipientDomainIs"] = append([]string(nil), domains...)
	}
	if n, ok := intOf(rule, "Priority"); !ok || n != 0 {
		upd["Priority"] = 0
	}
	return upd, enable, false
}

func (p protection) inSync(l protectionLive, domains []string) bool {
	if !l.exists() {
		return false
	}
	ru, enable, replace := p.ruleUpdate(l.Rule, domains)
	return len(p.policyUpdate(l.Policy)) == 0 && !enable && !replace && len(ru) == 0
}

// sync creates or repairs the policy and its rule, scoped to domains. It updates l as it goes, so
// that on failure l says what exists.
func (p protection) sync(ctx context.Context, exo *m365.CommandClient, l *protectionLive, domains []string) error {
	if l.Policy == nil {
		params := map[string]any{"Name": p.Name}
		for k, v := range p.Settings {
			params[k] = v
		}
		created, err := exo.Invoke(ctx, "New-"+p.policyNoun(), params)
		if err != nil {
			return err
		}
		l.Policy = params
		if len(created) == 1 {
			l.Policy = created[0]
		}
	} else if upd := p.policyUpdate(l.Policy); len(upd) > 0 {
		upd["Identity"] = p.Name
		if _, err := exo.Invoke(ctx, "Set-"+p.policyNoun(), upd); err != nil {
			return err
		}
		for k, v := range upd {
			l.Policy[k] = v
		}
	}
	if l.Rule != nil {
		upd, enable, replace := p.ruleUpdate(l.Rule, domains)
		if !replace {
			if enable {
				if _, err := exo.Invoke(ctx, "Enable-"+p.ruleNoun(), map[string]any{"Identity": p.Name}); err != nil {
					return err
				}
				l.Rule["State"] = "Enabled"
			}
			if len(upd) == 0 {
				return nil
			}
			upd["Identity"] = p.Name
			if _, err := exo.Invoke(ctx, "Set-"+p.ruleNoun(), upd); err != nil {
				return err
			}
			l.Rule["RecipientDomainIs"], l.Rule["Priority"] = stringsToAny(domains), float64(0)
			return nil
		}
		if err := removeIgnoringNotFound(ctx, exo, "Remove-"+p.ruleNoun(), p.Name); err != nil {
			return err
		}
		l.Rule = nil
	}
	params := map[string]any{"Name": p.Name, p.policyNoun(): p.Name, "RecipientDomainIs": append([]string(nil), domains...), "Priority": 0}
	created, err := exo.Invoke(ctx, "New-"+p.ruleNoun(), params)
	if err != nil {
		return err
	}
	l.Rule = map[string]any{"Name": p.Name, p.policyNoun(): p.Name, "RecipientDomainIs": stringsToAny(domains), "Priority": float64(0), "State": "Enabled"}
	if len(created) == 1 {
		l.Rule = created[0]
	}
	return nil
}

// remove deletes the rule, then the policy (Exchange refuses to delete a policy in use).
func (p protection) remove(ctx context.Context, exo *m365.CommandClient, l *protectionLive) error {
	if l.Rule != nil {
		if err := removeIgnoringNotFound(ctx, exo, "Remove-"+p.ruleNoun(), p.Name); err != nil {
			return err
		}
		l.Rule = nil
	}
	if l.Policy != nil {
		if err := removeIgnoringNotFound(ctx, exo, "Remove-"+p.policyNoun(), p.Name); err != nil {
			return err
		}
		l.Policy = nil
	}
	return nil
}

// connectorParams are the New-/Set-OutboundConnector parameters of the partner TLS connector
// for domains: all of them for a new connector, only those that differ otherwise.
func connectorParams(conn map[string]any, domains []string) map[string]any {
	want := map[string]any{
		"ConnectorType": "Partner", "TlsSettings": "CertificateValidation", "UseMXRecord": true, "Enabled": true,
	}
	if conn == nil {
		want["Name"] = connectorNamePartnerTLS
		want["RecipientDomains"] = append([]string(nil), domains...)
		return want
	}
	out := map[string]any{}
	for k, v := range want {
		switch w := v.(type) {
		case bool:
			if boolOf(conn, k) != w {
				out[k] = w
			}
		case string:
			if !strings.EqualFold(str(conn, k), w) {
				out[k] = w
			}
		}
	}
	if !sameStrings(strList(conn, "RecipientDomains"), domains) {
		out["RecipientDomains"] = append([]string(nil), domains...)
	}
	return out
}

// connectorInSync reports whether the connector's settings other than its domains match.
func connectorInSync(conn map[string]any, domains []string) bool {
	p := connectorParams(conn, domains)
	delete(p, "RecipientDomains")
	return len(p) == 0
}

// syncConnector creates, repairs or removes the partner TLS connector and returns it as it now is.
func syncConnector(ctx context.Context, exo *m365.CommandClient, conn map[string]any, domains []string) (map[string]any, error) {
	if len(domains) == 0 {
		if conn == nil {
			return nil, nil
		}
		if err := removeIgnoringNotFound(ctx, exo, "Remove-OutboundConnector", connectorNamePartnerTLS); err != nil {
			return conn, err
		}
		return nil, nil
	}
	params := connectorParams(conn, domains)
	if len(params) == 0 {
		return conn, nil
	}
	if conn == nil {
		created, err := exo.Invoke(ctx, "New-OutboundConnector", params)
		if err != nil {
			return nil, err
		}
		if len(created) == 1 {
			return created[0], nil
		}
		return readBackByName(ctx, exo, "Get-OutboundConnector", connectorNamePartnerTLS, params)
	}
	params["Identity"] = connectorNamePartnerTLS
	if _, err := exo.Invoke(ctx, "Set-OutboundConnector", params); err != nil {
		return conn, err
	}
	for k, v := range params {
		if ss, ok := v.([]string); ok {
			list := make([]any, len(ss))
			for i, s := range ss {
				list[i] = s
			}
			v = list
		}
		conn[k] = v
	}
	return conn, nil
}
