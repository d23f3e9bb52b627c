// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange_test

import (
	"context"
	"slices"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// Moved from the baseline's email tests with the decoding.
func TestRuleClassificationsFormats(t *testing.T) {
	rule := map[string]any{"MessageContainsDataClassifications": []any{
		map[string]any{"name": "A", "MinCount": float64(1)},
		`{"Name":"B","minCount":"2"}`,
		"Name:C, minCount:1",
	}}
	got := exchange.DecodeTransportRule(rule).DataClassifications
	if len(got) != 3 || got[0] != (exchange.Classification{Name: "A", MinCount: "1"}) || got[1] != (exchange.Classification{Name: "B", MinCount: "2"}) ||
		got[2] != (exchange.Classification{Name: "C", MinCount: "1"}) {
		t.Errorf("classifications = %v", got)
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"OME options the output lacks are Microsoft's defaults",
			exchange.DecodeOMEConfiguration(cmdlets.Object{}).OTPEnabled, true},
		{"OME options as PowerShell spells them",
			exchange.DecodeOMEConfiguration(cmdlets.Object{"SocialIdSignIn": "False"}).SocialIDSignIn, false},
		{"IRM booleans as strings",
			exchange.DecodeIRMConfiguration(cmdlets.Object{"AzureRMSLicensingEnabled": "True"}).AzureRMSLicensingEnabled, true},
		{"a rule's id is its Guid",
			exchange.DecodeTransportRule(cmdlets.Object{"Guid": "g", "Identity": "Rule", "Name": "Rule"}).ID, "g"},
		{"a protection rule names its policy in the property of the policy noun",
			exchange.DecodeProtectionRule(exchange.SafeAttachment, cmdlets.Object{"SafeAttachmentPolicy": "P", "SafeLinksPolicy": "L"}).Policy, "P"},
		{"a protection rule without a numeric priority says so",
			exchange.DecodeProtectionRule(exchange.SafeLinks, cmdlets.Object{"Priority": "high"}).HasPriority, false},
		{"a scalar list of one",
			slices.Equal(exchange.DecodeOutboundConnector(cmdlets.Object{"RecipientDomains": "partner.example"}).RecipientDomains, []string{"partner.example"}), true},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestClassificationsParamSortsHashtables(t *testing.T) {
	got := exchange.ClassificationsParam([]exchange.Classification{{Name: "B", MinCount: "1"}, {Name: "A", MinCount: "2"}})
	if len(got) != 2 {
		t.Fatalf("%v", got)
	}
	first := got[0].(map[string]any)
	if first["Name"] != "A" || first["minCount"] != "2" || first["@odata.type"] != "#Exchange.GenericHashTable" {
		t.Errorf("first hashtable = %v", first)
	}
}

// Mail flow objects against devtenant: find -> not found, new, find by id or name, set updates
// the object handed in, remove twice.
func TestMailFlowLifecycle(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	ctx := context.Background()
	c := tn.Portal

	if _, err := exchange.FindOutboundConnector(ctx, c, "hipaa test connector"); !m365.IsNotFound(err) {
		t.Fatalf("a missing connector: %v, want not found", err)
	}
	conn, err := exchange.NewOutboundConnector(ctx, c, map[string]any{"Name": "hipaa test connector", "ConnectorType": "Partner",
		"TlsSettings": "EncryptionOnly", "UseMXRecord": true, "Enabled": true, "RecipientDomains": []string{"partner.example"}})
	if err != nil || conn.Name != "hipaa test connector" || conn.TlsSettings != "EncryptionOnly" || !slices.Equal(conn.RecipientDomains, []string{"partner.example"}) {
		t.Fatalf("NewOutboundConnector = %+v, %v", conn, err)
	}
	if err := exchange.SetOutboundConnector(ctx, c, conn, map[string]any{"Identity": conn.Name, "TlsSettings": "CertificateValidation",
		"RecipientDomains": []string{"a.example", "b.example"}}); err != nil {
		t.Fatal(err)
	}
	if conn.TlsSettings != "CertificateValidation" || len(conn.RecipientDomains) != 2 || conn.Name != "hipaa test connector" {
		t.Errorf("the connector after Set = %+v", conn)
	}
	again, err := exchange.FindOutboundConnector(ctx, c, conn.Name)
	if err != nil || again.TlsSettings != conn.TlsSettings || !cmdlets.SameStrings(again.RecipientDomains, conn.RecipientDomains) {
		t.Errorf("read back = %+v, %v; want what Set recorded, %+v", again, err, conn)
	}
	for range 2 {
		if err := exchange.RemoveOutboundConnector(ctx, c, conn.Name); err != nil {
			t.Fatal(err)
		}
	}

	rule, err := exchange.NewTransportRule(ctx, c, map[string]any{"Name": "hipaa test rule", "Mode": "Audit",
		"SubjectOrBodyContainsWords": []string{"x"}})
	if err != nil || rule.ID == "" || rule.Mode != "Audit" {
		t.Fatalf("NewTransportRule = %+v, %v", rule, err)
	}
	rules, err := exchange.ListTransportRules(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if r := exchange.FindIn(rules, rule.ID, "renamed"); r == nil || r.Name != rule.Name {
		t.Errorf("FindIn by id = %+v", r)
	}
	if r := exchange.FindIn(rules, "gone", "HIPAA TEST RULE"); r == nil || r.ID != rule.ID {
		t.Errorf("FindIn by name = %+v", r)
	}
	if err := exchange.SetTransportRule(ctx, c, rule, map[string]any{"Identity": rule.ID, "Mode": "Enforce"}); err != nil || rule.Mode != "Enforce" {
		t.Errorf("SetTransportRule: %v, mode %q", err, rule.Mode)
	}
	for range 2 {
		if err := exchange.RemoveTransportRule(ctx, c, rule.ID); err != nil {
			t.Fatal(err)
		}
	}

	domains, err := exchange.ListAcceptedDomainNames(ctx, c)
	if err != nil || len(domains) == 0 || !slices.IsSorted(domains) {
		t.Errorf("accepted domains = %v, %v", domains, err)
	}
	remote, err := exchange.GetRemoteDomain(ctx, c, exchange.DefaultIdentity)
	if err != nil {
		t.Fatal(err)
	}
	want := !remote.AutoForwardEnabled
	if err := exchange.SetRemoteDomain(ctx, c, remote, map[string]any{"Identity": exchange.DefaultIdentity, "AutoForwardEnabled": want}); err != nil ||
		remote.AutoForwardEnabled != want {
		t.Errorf("SetRemoteDomain: %v, %v", err, remote.AutoForwardEnabled)
	}
	if again, err := exchange.GetRemoteDomain(ctx, c, exchange.DefaultIdentity); err != nil || again.AutoForwardEnabled != want {
		t.Errorf("the tenant after SetRemoteDomain: %+v, %v", again, err)
	}
}

// Encryption and protection settings against devtenant's compliant clinic, which holds the
// baseline's objects and Defender for Office 365.
func TestEncryptionAndProtection(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	ctx := context.Background()
	c := tn.Portal

	irm, err := exchange.GetIRMConfiguration(ctx, c)
	if err != nil || !irm.AzureRMSLicensingEnabled {
		t.Fatalf("IRM = %+v, %v", irm, err)
	}
	ome, err := exchange.GetOMEConfiguration(ctx, c, exchange.OMEIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if err := exchange.SetOMEConfiguration(ctx, c, ome, map[string]any{"Identity": exchange.OMEIdentity, exchange.OMESocialIDSignIn: true}); err != nil ||
		!ome.SocialIDSignIn {
		t.Errorf("SetOMEConfiguration: %v, %+v", err, ome)
	}
	spam, err := exchange.GetHostedOutboundSpamFilterPolicy(ctx, c, exchange.DefaultIdentity)
	if err != nil || spam.AutoForwardingMode != "Off" {
		t.Errorf("outbound spam policy = %+v, %v", spam, err)
	}
	malware, err := exchange.GetMalwareFilterPolicy(ctx, c, exchange.DefaultIdentity)
	if err != nil || !malware.EnableFileFilter || !slices.Contains(malware.FileTypes, "exe") {
		t.Errorf("default malware policy = %+v, %v", malware, err)
	}
	if policies, err := exchange.ListMalwareFilterPolicies(ctx, c); err != nil || exchange.FindIn(policies, "", exchange.DefaultIdentity) == nil {
		t.Errorf("malware policies = %+v, %v", policies, err)
	}
	if _, err := exchange.ListMalwareFilterRules(ctx, c); err != nil {
		t.Error(err)
	}

	const name = "hipaa test protection"
	if _, err := exchange.FindProtectionRule(ctx, c, exchange.SafeLinks, name); !m365.IsNotFound(err) {
		t.Fatalf("a missing rule: %v, want not found", err)
	}
	pol, err := exchange.NewProtectionPolicy(ctx, c, exchange.SafeLinks, map[string]any{"Name": name, "TrackClicks": false})
	if err != nil || pol.Name != name {
		t.Fatalf("NewProtectionPolicy = %+v, %v", pol, err)
	}
	if err := exchange.SetProtectionPolicy(ctx, c, exchange.SafeLinks, pol, map[string]any{"Identity": name, "TrackClicks": true}); err != nil ||
		!cmdlets.Bool(pol.Raw(), "TrackClicks") {
		t.Errorf("SetProtectionPolicy: %v, %v", err, pol.Raw())
	}
	domains, _ := exchange.ListAcceptedDomainNames(ctx, c)
	rule, err := exchange.NewProtectionRule(ctx, c, exchange.SafeLinks,
		map[string]any{"Name": name, "SafeLinksPolicy": name, "RecipientDomainIs": domains, "Priority": 1}, nil)
	if err != nil || rule.Policy != name || !rule.HasPriority || rule.Priority != 1 {
		t.Fatalf("NewProtectionRule = %+v, %v", rule, err)
	}
	if _, err := c.Exchange().Invoke(ctx, "Disable-SafeLinksRule", map[string]any{"Identity": name}); err != nil {
		t.Fatal(err)
	}
	if rule, err = exchange.FindProtectionRule(ctx, c, exchange.SafeLinks, name); err != nil || rule.State != "Disabled" {
		t.Fatalf("the disabled rule = %+v, %v", rule, err)
	}
	if err := exchange.EnableProtectionRule(ctx, c, exchange.SafeLinks, rule, name); err != nil || rule.State != "Enabled" {
		t.Errorf("EnableProtectionRule: %v, %q", err, rule.State)
	}
	if err := exchange.SetProtectionRule(ctx, c, exchange.SafeLinks, rule, map[string]any{"Identity": name, "Priority": 0}); err != nil ||
		!rule.HasPriority || rule.Priority != 0 {
		t.Errorf("SetProtectionRule: %v, %+v", err, rule)
	}
	for range 2 {
		if err := exchange.RemoveProtectionRule(ctx, c, exchange.SafeLinks, name); err != nil {
			t.Fatal(err)
		}
		if err := exchange.RemoveProtectionPolicy(ctx, c, exchange.SafeLinks, name); err != nil {
			t.Fatal(err)
		}
	}
}
