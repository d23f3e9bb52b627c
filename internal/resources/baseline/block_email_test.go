// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// stringsToAny is a list as cmdlet output holds it.
func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// decoded is cmdlet output o as the exchange package hands it over.
func decoded[T any](decode func(cmdlets.Object) T, o map[string]any) *T {
	v := decode(o)
	return &v
}

func TestEmailSchemaDefaults(t *testing.T) {
	ctx := context.Background()
	s := emailBlock{}.Schema()
	for name, want := range map[string]string{
		"message_encryption": "true", "phi_encryption_rule": "true", "external_auto_forwarding": "false",
		"safe_links": "true", "safe_attachments": "true", "tls_partner_domains": "[]",
		"ome_one_time_passcode": "true", "ome_social_id_sign_in": "false",
	} {
		if got := exoDefaultOf(ctx, t, s.Attributes[name]); got != want {
			t.Errorf("%s default = %s, want %s", name, got, want)
		}
	}
	sits := exoDefaultOf(ctx, t, s.Attributes["phi_sensitive_info_types"])
	for _, n := range []string{"U.S. Social Security Number (SSN)", "International Classification of Diseases (ICD-10-CM)", "Drug Enforcement Agency (DEA) Number"} {
		if !strings.Contains(sits, n) {
			t.Errorf("phi_sensitive_info_types default lacks %q: %s", n, sits)
		}
	}
	if len(defaultBlockedAttachmentTypes) != 26 || !slices.Contains(defaultBlockedAttachmentTypes, "ps1") || slices.Contains(defaultBlockedAttachmentTypes, "docm") {
		t.Errorf("blocked attachment types differ from the checklist: %v", defaultBlockedAttachmentTypes)
	}
}

func TestNewRuleParams(t *testing.T) {
	specs := desiredRules(true, defaultPHISensitiveInfoTypes, defaultPHIKeywords)
	if got := ruleNames(specs); !slices.Equal(got, []string{ruleNamePHIEncryption, ruleNamePHIKeywords}) {
		t.Fatalf("rules = %v", got)
	}
	p := newRuleParams(specs[0])
	if p["Mode"] != "Enforce" || p["SentToScope"] != "NotInOrganization" || p["ApplyRightsProtectionTemplate"] != "Encrypt" {
		t.Errorf("rule parameters = %v", p)
	}
	raw, _ := json.Marshal(p["MessageContainsDataClassifications"])
	for _, want := range []string{`"@odata.type":"#Exchange.GenericHashTable"`, `"minCount":"1"`, `"Name":"U.S. Social Security Number (SSN)"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("classifications %s lack %s", raw, want)
		}
	}
	if _, ok := p["SubjectOrBodyContainsWords"]; ok {
		t.Error("the sensitive information type rule must not match on words")
	}
	kw := newRuleParams(specs[1])
	if words, _ := kw["SubjectOrBodyContainsWords"].([]string); !slices.Contains(words, "medical record") {
		t.Errorf("keyword rule words = %v", kw["SubjectOrBodyContainsWords"])
	}
	if got := desiredRules(true, defaultPHISensitiveInfoTypes, nil); len(got) != 1 || got[0].Name != ruleNamePHIEncryption {
		t.Errorf("no keywords must drop the keyword rule: %v", got)
	}
	if got := desiredRules(false, defaultPHISensitiveInfoTypes, defaultPHIKeywords); len(got) != 0 {
		t.Errorf("phi_encryption_rule = false wants rules %v", got)
	}
}

// liveRule is a transport rule as Get-TransportRule outputs it.
func liveRule(spec ruleSpec) map[string]any {
	p := newRuleParams(spec)
	r := map[string]any{"Guid": "7f0d3b1e-5c44-4a55-9d1e-5b0e7a9c1d20", "Name": spec.Name, "State": "Enabled", "Mode": "Enforce",
		"SentToScope": "NotInOrganization", "ApplyRightsProtectionTemplate": "Encrypt"}
	if cs, ok := p["MessageContainsDataClassifications"].([]any); ok {
		list := []any{}
		for _, c := range cs {
			list = append(list, map[string]any{"Name": c.(map[string]any)["Name"], "minCount": "1"})
		}
		r["MessageContainsDataClassifications"] = list
	}
	if ws, ok := p["SubjectOrBodyContainsWords"].([]string); ok {
		r["SubjectOrBodyContainsWords"] = stringsToAny(ws)
	}
	return r
}

func TestRuleUpdate(t *testing.T) {
	spec := desiredRules(true, defaultPHISensitiveInfoTypes, nil)[0]
	rule := liveRule(spec)
	ruleUpdate := func(rule map[string]any, spec ruleSpec) (map[string]any, bool) {
		return ruleUpdate(exchange.DecodeTransportRule(rule), spec)
	}
	ruleInSync := func(rule map[string]any, spec ruleSpec) bool {
		return ruleInSync(exchange.DecodeTransportRule(rule), spec)
	}
	if !ruleInSync(rule, spec) {
		t.Fatalf("a rule as created is out of sync: %v", rule)
	}
	rule["SentToScope"] = "InOrganization"
	rule["MessageContainsDataClassifications"] = []any{map[string]any{"Name": "U.S. Social Security Number (SSN)", "minCount": "5"}}
	p, replace := ruleUpdate(rule, spec)
	if replace || p["SentToScope"] != "NotInOrganization" || p["MessageContainsDataClassifications"] == nil {
		t.Errorf("update = %v (replace %v)", p, replace)
	}
	if _, ok := p["Mode"]; ok {
		t.Error("unchanged Mode must not be sent")
	}
	rule = cmdlets.Merged(rule, p) // What exchange.SetTransportRule records after the update.
	if !ruleInSync(rule, spec) {
		t.Errorf("rule still out of sync after the update: %v", rule)
	}
	rule["State"] = "Disabled"
	if _, replace := ruleUpdate(rule, spec); !replace {
		t.Error("a disabled rule must be replaced: Set-TransportRule cannot enable it")
	}
}

func TestForwarding(t *testing.T) {
	forwardingAllowed := func(spam, remote map[string]any) bool {
		return forwardingAllowed(exchange.DecodeHostedOutboundSpamFilterPolicy(spam), exchange.DecodeRemoteDomain(remote))
	}
	forwardingParams := func(spam, remote map[string]any, allowed bool) (map[string]any, map[string]any) {
		return forwardingParams(exchange.DecodeHostedOutboundSpamFilterPolicy(spam), exchange.DecodeRemoteDomain(remote), allowed)
	}
	spam := map[string]any{"AutoForwardingMode": "Automatic"}
	remote := map[string]any{"AutoForwardEnabled": true}
	if !forwardingAllowed(spam, remote) {
		t.Error("Automatic with remote forwarding on must read as allowed")
	}
	s, r := forwardingParams(spam, remote, false)
	if s["AutoForwardingMode"] != "Off" || s["Identity"] != "Default" || r["AutoForwardEnabled"] != false {
		t.Errorf("block forwarding = %v / %v", s, r)
	}
	if forwardingAllowed(map[string]any{"AutoForwardingMode": "Off"}, map[string]any{"AutoForwardEnabled": false}) {
		t.Error("Off + remote off must read as blocked")
	}
	s, r = forwardingParams(map[string]any{"AutoForwardingMode": "Off"}, map[string]any{"AutoForwardEnabled": false}, false)
	if s != nil || r != nil {
		t.Errorf("nothing to change, got %v / %v", s, r)
	}
	s, r = forwardingParams(map[string]any{"AutoForwardingMode": "Off"}, map[string]any{"AutoForwardEnabled": false}, true)
	if s["AutoForwardingMode"] != "On" || r["AutoForwardEnabled"] != true {
		t.Errorf("allow forwarding = %v / %v", s, r)
	}
}

func TestMalwareParams(t *testing.T) {
	blockedTypes := func(o map[string]any) []string { return blockedTypes(exchange.DecodeMalwareFilterPolicy(o)) }
	malwareParams := func(o map[string]any, types []string) map[string]any {
		return malwareParams(exchange.DecodeMalwareFilterPolicy(o), types)
	}
	live := map[string]any{"EnableFileFilter": false, "FileTypes": stringsToAny(microsoftDefaultFileTypes), "FileTypeAction": "Quarantine"}
	if got := blockedTypes(live); len(got) != 0 {
		t.Errorf("a disabled filter blocks %v", got)
	}
	p := malwareParams(live, defaultBlockedAttachmentTypes)
	if p["EnableFileFilter"] != true || p["FileTypeAction"] != "Reject" || p["Identity"] != "Default" {
		t.Errorf("update = %v", p)
	}
	if ft, _ := p["FileTypes"].([]string); !slices.Equal(ft, defaultBlockedAttachmentTypes) {
		t.Errorf("FileTypes = %v", p["FileTypes"])
	}
	inSync := map[string]any{"EnableFileFilter": true, "FileTypes": stringsToAny([]string{"EXE", "bat"}), "FileTypeAction": "Reject"}
	if p := malwareParams(inSync, []string{"bat", "exe"}); p != nil {
		t.Errorf("file types compare case-insensitively, got update %v", p)
	}
	if p := malwareParams(inSync, nil); p["EnableFileFilter"] != false {
		t.Errorf("an empty list must turn the filter off: %v", p)
	}
}

func TestProtectionUpdates(t *testing.T) {
	domains := []string{"contoso.com", "contoso.onmicrosoft.com"}
	p := safeLinksProtection
	pol := func(o map[string]any) exchange.ProtectionPolicy { return exchange.DecodeProtectionPolicy(o) }
	rul := func(o map[string]any) exchange.ProtectionRule {
		return exchange.DecodeProtectionRule(exchange.SafeLinks, o)
	}
	policy := map[string]any{"Name": safeLinksName, "EnableSafeLinksForEmail": true, "EnableSafeLinksForTeams": true, "EnableSafeLinksForOffice": true,
		"ScanUrls": true, "DeliverMessageAfterScan": true, "EnableForInternalSenders": true, "TrackClicks": true, "AllowClickThrough": true}
	if upd := p.policyUpdate(pol(policy)); len(upd) != 1 || upd["AllowClickThrough"] != false {
		t.Errorf("policy update = %v", upd)
	}
	rule := map[string]any{"Name": safeLinksName, "SafeLinksPolicy": safeLinksName, "State": "Enabled", "RecipientDomainIs": []any{"other.example"}, "Priority": float64(3)}
	upd, enable, replace := p.ruleUpdate(rul(rule), domains)
	if replace || enable || upd["Priority"] != 0 || !slices.Equal(upd["RecipientDomainIs"].([]string), domains) {
		t.Errorf("rule update = %v (enable %v replace %v)", upd, enable, replace)
	}
	// Scoped to the initial domain only: users whose primary address is on the vanity domain are
	// outside the rule, so the scope must grow to every accepted domain.
	rule["RecipientDomainIs"], rule["Priority"] = []any{"contoso.onmicrosoft.com"}, float64(0)
	if upd, _, _ := p.ruleUpdate(rul(rule), domains); !slices.Equal(upd["RecipientDomainIs"].([]string), domains) {
		t.Errorf("rule on the initial domain only: update = %v", upd)
	}
	rule["RecipientDomainIs"] = []any{"CONTOSO.com", "contoso.onmicrosoft.com"}
	if upd, enable, replace := p.ruleUpdate(rul(rule), domains); len(upd) != 0 || enable || replace {
		t.Errorf("rule on every accepted domain: update = %v (enable %v replace %v)", upd, enable, replace)
	}
	// Disabled: enabled in place (same identity), not replaced.
	rule["State"] = "Disabled"
	if upd, enable, replace := p.ruleUpdate(rul(rule), domains); len(upd) != 0 || !enable || replace {
		t.Errorf("disabled rule: update = %v (enable %v replace %v)", upd, enable, replace)
	}
	policy["AllowClickThrough"] = false
	if p.inSync(protectionLive{Policy: decoded(exchange.DecodeProtectionPolicy, policy), Rule: decoded(func(o cmdlets.Object) exchange.ProtectionRule { return rul(o) }, rule)}, domains) {
		t.Error("a disabled rule must not read in sync")
	}
	rule["SafeLinksPolicy"] = "Another policy"
	if _, _, replace := p.ruleUpdate(rul(rule), domains); !replace {
		t.Error("a rule bound to another policy must be replaced")
	}
	att := safeAttachmentsProtection.policyUpdate(pol(map[string]any{"Enable": true, "Action": "Allow"}))
	if len(att) != 1 || att["Action"] != "Block" {
		t.Errorf("safe attachments update = %v", att)
	}
}

func TestConnectorParams(t *testing.T) {
	domains := []string{"partner.example"}
	p := connectorParams(nil, domains)
	if p["Name"] != connectorNamePartnerTLS || p["TlsSettings"] != "CertificateValidation" || p["ConnectorType"] != "Partner" || p["UseMXRecord"] != true {
		t.Errorf("New-OutboundConnector parameters = %v", p)
	}
	live := map[string]any{"Name": connectorNamePartnerTLS, "ConnectorType": "Partner", "TlsSettings": "EncryptionOnly", "UseMXRecord": true,
		"Enabled": true, "RecipientDomains": []any{"partner.example"}}
	if connectorInSync(decoded(exchange.DecodeOutboundConnector, live), domains) {
		t.Error("EncryptionOnly must be out of sync")
	}
	if upd := connectorParams(decoded(exchange.DecodeOutboundConnector, live), []string{"partner.example", "lab.example"}); upd["TlsSettings"] != "CertificateValidation" || upd["RecipientDomains"] == nil {
		t.Errorf("connector update = %v", upd)
	}
}

func TestFlattenEmail(t *testing.T) {
	ref := defaultEmailModel()
	specs := desiredRules(true, defaultPHISensitiveInfoTypes, defaultPHIKeywords)
	live := emailLive{
		IRM:          exchange.DecodeIRMConfiguration(map[string]any{"AzureRMSLicensingEnabled": true, "SimplifiedClientAccessEnabled": true}),
		OutboundSpam: exchange.DecodeHostedOutboundSpamFilterPolicy(map[string]any{"AutoForwardingMode": "Off"}),
		RemoteDomain: exchange.DecodeRemoteDomain(map[string]any{"AutoForwardEnabled": false}),
		Malware:      exchange.DecodeMalwareFilterPolicy(map[string]any{"EnableFileFilter": true, "FileTypes": stringsToAny(defaultBlockedAttachmentTypes), "FileTypeAction": "Reject"}),
		Rules: map[string]*exchange.TransportRule{ruleNamePHIEncryption: decoded(exchange.DecodeTransportRule, liveRule(specs[0])),
			ruleNamePHIKeywords: decoded(exchange.DecodeTransportRule, liveRule(specs[1]))},
	}
	m := flattenEmail(live, ref)
	if !m.MessageEncryption.ValueBool() || !m.PHIEncryptionRule.ValueBool() || m.ExternalAutoForwarding.ValueBool() || !m.InSync.ValueBool() {
		t.Errorf("compliant tenant flattened to %+v", m)
	}
	if !m.PHISensitiveInfoTypes.Equal(ref.PHISensitiveInfoTypes) || !m.BlockedAttachmentTypes.Equal(ref.BlockedAttachmentTypes) {
		t.Errorf("lists = %v / %v", m.PHISensitiveInfoTypes, m.BlockedAttachmentTypes)
	}
	if m.SafeLinksStatus.ValueString() != statusNotLicensed || !m.SafeLinks.ValueBool() {
		t.Errorf("unlicensed Safe Links must keep the planned value: %v %v", m.SafeLinks, m.SafeLinksStatus)
	}
	if len(m.TransportRuleIDs.Elements()) != 2 {
		t.Errorf("rule ids = %v", m.TransportRuleIDs)
	}

	// One rule deleted out of band: phi_encryption_rule reads false and its id is gone.
	delete(live.Rules, ruleNamePHIKeywords)
	m = flattenEmail(live, ref)
	if m.PHIEncryptionRule.ValueBool() || len(m.TransportRuleIDs.Elements()) != 1 || !m.PHIKeywords.Equal(ref.PHIKeywords) {
		t.Errorf("missing rule flattened to %v %v %v", m.PHIEncryptionRule, m.TransportRuleIDs, m.PHIKeywords)
	}

	// Licensed, Safe Links policy without its rule: safe_links reads false.
	live.MDO, live.Domains = true, []string{"contoso.onmicrosoft.com"}
	live.SafeLinks = protectionLive{Policy: decoded(exchange.DecodeProtectionPolicy, map[string]any{"Name": safeLinksName})}
	m = flattenEmail(live, ref)
	if m.SafeLinks.ValueBool() || m.SafeLinksStatus.ValueString() != statusApplied {
		t.Errorf("half-present Safe Links flattened to %v %v", m.SafeLinks, m.SafeLinksStatus)
	}
}

func TestEmailRequirements(t *testing.T) {
	ctx := context.Background()
	b := emailBlock{}
	m := defaultEmailModel()
	m.SafeLinksStatus, m.SafeAttachmentsStatus, m.TransportRuleIDs, m.InSync = types.StringUnknown(), types.StringUnknown(), types.MapUnknown(types.StringType), types.BoolUnknown()
	obj, diags := encode(ctx, b, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if reqs := b.Requirements(ctx, obj); len(reqs) != 1 || reqs[0].Product != "Microsoft Defender for Office 365 (Plan 1)" {
		t.Errorf("requirements = %v", reqs)
	}
	m.SafeLinks, m.SafeAttachments = types.BoolValue(false), types.BoolValue(false)
	obj, _ = encode(ctx, b, m)
	if reqs := b.Requirements(ctx, obj); len(reqs) != 0 {
		t.Errorf("no Defender feature planned, requirements = %v", reqs)
	}
}
