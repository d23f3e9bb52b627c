// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// names lists the Name of each object, in the order Get- returned them, with its Priority.
func names(r apiResult) string {
	var out []string
	for _, v := range r.values() {
		out = append(out, fmt.Sprintf("%s=%v", v["Name"], v["Priority"]))
	}
	return strings.Join(out, ",")
}

// Rule priorities stay 0..n-1: a rule given an existing priority goes before it and the others
// move down (New-/Set-SafeLinksRule, parameter Priority); Remove- closes the gap; Get- lists the
// rules in priority order.
func TestExoRulePrioritiesStayContiguous(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Compliant})
	domain := tt.Env()["HIPAA_DEVTENANT_INITIAL_DOMAIN"]
	for _, n := range []string{"A", "B"} {
		if r := tt.invoke(exo, tok, "New-SafeLinksPolicy", map[string]any{"Name": n}); r.status != 200 {
			t.Fatalf("new policy %s: %d %s", n, r.status, r.raw)
		}
	}
	// The compliant seed's rule "HIPAA - Safe Links" has priority 0.
	if r := tt.invoke(exo, tok, "New-SafeLinksRule", map[string]any{"Name": "A", "SafeLinksPolicy": "A", "SentTo": "a@x", "Priority": 0}); r.status != 200 {
		t.Fatalf("new rule A: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-SafeLinksRule", map[string]any{"Name": "B", "SafeLinksPolicy": "B", "RecipientDomainIs": domain}); r.status != 200 {
		t.Fatalf("new rule B: %d %s", r.status, r.raw)
	}
	if got := names(tt.invoke(exo, tok, "Get-SafeLinksRule", nil)); got != "A=0,HIPAA - Safe Links=1,B=2" {
		t.Errorf("after New: %s", got)
	}
	if r := tt.invoke(exo, tok, "Set-SafeLinksRule", map[string]any{"Identity": "B", "Priority": 1}); r.status != 200 {
		t.Fatalf("set priority: %d %s", r.status, r.raw)
	}
	if got := names(tt.invoke(exo, tok, "Get-SafeLinksRule", nil)); got != "A=0,B=1,HIPAA - Safe Links=2" {
		t.Errorf("after Set: %s", got)
	}
	if r := tt.invoke(exo, tok, "Set-SafeLinksRule", map[string]any{"Identity": "B", "Priority": 3}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "between 0 and 2") {
		t.Errorf("priority out of range: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Remove-SafeLinksRule", map[string]any{"Identity": "A", "Confirm": false}); r.status != 204 {
		t.Fatalf("remove: %d %s", r.status, r.raw)
	}
	if got := names(tt.invoke(exo, tok, "Get-SafeLinksRule", nil)); got != "B=0,HIPAA - Safe Links=1" {
		t.Errorf("after Remove: %s", got)
	}
}

// Enable-/Disable-SafeLinksRule set State; Get- filters by State; conditions that are not set
// are null, and Conditions/Exceptions name the predicates in use.
func TestExoRuleStateAndShape(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Compliant})
	if r := tt.invoke(exo, tok, "Disable-SafeAttachmentRule", map[string]any{"Identity": "HIPAA - Safe Attachments"}); r.status != 200 {
		t.Fatalf("disable: %d %s", r.status, r.raw)
	}
	r := tt.invoke(exo, tok, "Get-SafeAttachmentRule", map[string]any{"State": "Enabled"})
	if r.status != 200 || len(r.values()) != 0 {
		t.Errorf("State filter: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Get-SafeAttachmentRule", map[string]any{"Identity": "HIPAA - Safe Attachments"})
	rule := r.values()[0]
	if rule["State"] != "Disabled" || rule["SentTo"] != nil || rule["ExceptIfSentToMemberOf"] != nil || rule["Exceptions"] != nil {
		t.Errorf("disabled rule: %v", rule)
	}
	if c, _ := rule["Conditions"].([]any); len(c) != 1 || c[0] != "Microsoft.Exchange.MessagingPolicies.Rules.Tasks.RecipientDomainIsPredicate" {
		t.Errorf("conditions: %v", rule["Conditions"])
	}
	if r := tt.invoke(exo, tok, "Enable-SafeAttachmentRule", map[string]any{"Identity": "HIPAA - Safe Attachments"}); r.status != 200 {
		t.Fatalf("enable: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Set-SafeAttachmentRule", map[string]any{"Identity": "HIPAA - Safe Attachments", "ExceptIfSentToMemberOf": []any{"Billing"}}); r.status != 200 {
		t.Fatalf("set exception: %d %s", r.status, r.raw)
	}
	rule = tt.invoke(exo, tok, "Get-SafeAttachmentRule", nil).values()[0]
	if e, _ := rule["Exceptions"].([]any); rule["State"] != "Enabled" || len(e) != 1 || e[0] != "Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SentToMemberOfPredicate" {
		t.Errorf("enabled rule with exception: %v", rule)
	}
	// Set- has no Enabled parameter: only Enable-/Disable- change State.
	if r := tt.invoke(exo, tok, "Set-SafeAttachmentRule", map[string]any{"Identity": "HIPAA - Safe Attachments", "Enabled": false}); r.status != 400 || r.exoDetail()[1] != adminapi.ExParameterBinding {
		t.Errorf("Set -Enabled: %d %s", r.status, r.raw)
	}
}

// Anti-malware: custom policies apply through MalwareFilterRule; the default policy takes
// everyone else and cannot be named in a rule or removed.
func TestExoMalwareFilterRules(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Noncompliant})
	if p := tt.invoke(exo, tok, "Get-MalwareFilterPolicy", nil).values(); len(p) != 1 || p[0]["IsDefault"] != true || p[0]["Name"] != "Default" {
		t.Fatalf("default policy: %v", p)
	}
	if r := tt.invoke(exo, tok, "New-MalwareFilterRule", map[string]any{"Name": "x", "MalwareFilterPolicy": "Default", "SentTo": "a@b"}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "default policy") {
		t.Errorf("rule on the default policy: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-MalwareFilterPolicy", map[string]any{"Name": "Scanner", "EnableFileFilter": false}); r.status != 200 || r.values()[0]["IsDefault"] != false {
		t.Fatalf("new policy: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-MalwareFilterRule", map[string]any{"Name": "Scanner", "MalwareFilterPolicy": "Scanner"}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "at least one recipient condition") {
		t.Errorf("rule without condition: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-MalwareFilterRule", map[string]any{"Name": "Scanner", "MalwareFilterPolicy": "Scanner", "SentToMemberOf": "Front Desk", "Enabled": false}); r.status != 200 || r.values()[0]["State"] != "Disabled" {
		t.Fatalf("new rule: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Remove-MalwareFilterPolicy", map[string]any{"Identity": "Scanner"}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "Remove the rule first") {
		t.Errorf("remove policy in use: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Remove-MalwareFilterPolicy", map[string]any{"Identity": "Default"}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "default policy") {
		t.Errorf("remove default: %d %s", r.status, r.raw)
	}
	// Preset rules exist in every tenant's Exchange; Defender's only with Defender for Office 365.
	if r := tt.invoke(exo, tok, "Get-EOPProtectionPolicyRule", nil); r.status != 200 || len(r.values()) != 0 {
		t.Errorf("EOP preset rules of a tenant that never turned a preset on: %d %s", r.status, r.raw)
	}
	for _, c := range []string{"Get-ATPProtectionPolicyRule", "Get-ATPBuiltInProtectionRule", "Get-ATPEvaluationRule"} {
		if r := tt.invoke(exo, tok, c, nil); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
			t.Errorf("%s without Defender for Office 365: %d %s", c, r.status, r.raw)
		}
	}
}

// The Built-in protection preset has exactly one rule, always enabled, with exceptions only.
func TestExoBuiltInProtectionRule(t *testing.T) {
	dir := t.TempDir()
	tt, exo, tok := startExchange(t, Options{Seed: seed.Compliant, DataDir: dir})
	r := tt.invoke(exo, tok, "Get-ATPBuiltInProtectionRule", nil)
	if v := r.values(); r.status != 200 || len(v) != 1 || v[0]["Name"] != "ATP Built-In Protection Rule" || v[0]["State"] != "Enabled" ||
		v[0]["SafeLinksPolicy"] != "Built-In Protection Policy" || v[0]["SafeAttachmentPolicy"] != "Built-In Protection Policy" {
		t.Fatalf("rule: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-ATPBuiltInProtectionRule", map[string]any{"SafeAttachmentPolicy": "Built-In Protection Policy", "SafeLinksPolicy": "Built-In Protection Policy"}); r.status != 400 || !strings.Contains(r.exoDetail()[2], "already exists") {
		t.Errorf("second rule: %d %s", r.status, r.raw)
	}
	for _, c := range []string{"Remove-ATPBuiltInProtectionRule", "Disable-ATPBuiltInProtectionRule"} {
		if r := tt.invoke(exo, tok, c, map[string]any{"Identity": "ATP Built-In Protection Rule"}); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
			t.Errorf("%s: %d %s", c, r.status, r.raw)
		}
	}
	if r := tt.invoke(exo, tok, "Set-ATPBuiltInProtectionRule", map[string]any{"Identity": "ATP Built-In Protection Rule", "RecipientDomainIs": "x.com"}); r.status != 400 || r.exoDetail()[1] != adminapi.ExParameterBinding {
		t.Errorf("condition on the Built-in rule: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Set-ATPBuiltInProtectionRule", map[string]any{"Identity": "ATP Built-In Protection Rule", "ExceptIfSentToMemberOf": "Billing"}); r.status != 200 {
		t.Fatalf("exception: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Remove-SafeLinksPolicy", map[string]any{"Identity": "Built-In Protection Policy"}); r.status != 400 {
		t.Errorf("remove the built-in policy: %d %s", r.status, r.raw)
	}
	// No evaluation was started: its rule does not exist, and only the portal creates it.
	if r := tt.invoke(exo, tok, "Get-ATPEvaluationRule", nil); r.status != 200 || len(r.values()) != 0 {
		t.Errorf("evaluation rules: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-ATPEvaluationRule", map[string]any{"Name": "Evaluation Rule"}); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
		t.Errorf("New-ATPEvaluationRule: %d %s", r.status, r.raw)
	}

	// A tenant.json written before devtenant served the rule gets it on load.
	if err := tt.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, store.StateFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	delete(st["admin"].(map[string]any)["cmdletObjects"].(map[string]any), "ATPBuiltInProtectionRule")
	raw, _ = json.Marshal(st)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	tt2 := startTenant(t, Options{DataDir: dir})
	exo2 := tt2.Env()["HIPAA_EXCHANGE_ENDPOINT"]
	if v := tt2.invoke(exo2, tt2.adminToken(false, exo2), "Get-ATPBuiltInProtectionRule", nil).values(); len(v) != 1 || v[0]["ExceptIfSentToMemberOf"] != nil {
		t.Errorf("after upgrade: %v", v)
	}
}

// The "shadowed" seed: compliant policies, shadowed by custom policies of higher priority that
// turn protection off, and a Standard preset that was turned on once and is now off.
func TestExoShadowedSeed(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Shadowed})
	if got := names(tt.invoke(exo, tok, "Get-SafeLinksRule", nil)); got != "Legacy - Safe Links off=0,HIPAA - Safe Links=1" {
		t.Errorf("Safe Links rules: %s", got)
	}
	if got := names(tt.invoke(exo, tok, "Get-SafeAttachmentRule", nil)); got != "Front Desk - no detonation=0,HIPAA - Safe Attachments=1" {
		t.Errorf("Safe Attachments rules: %s", got)
	}
	if got := names(tt.invoke(exo, tok, "Get-MalwareFilterRule", nil)); got != "Scanner exemption=0" {
		t.Errorf("malware rules: %s", got)
	}
	for _, c := range []string{"Get-EOPProtectionPolicyRule", "Get-ATPProtectionPolicyRule"} {
		v := tt.invoke(exo, tok, c, nil).values()
		if len(v) != 1 || v[0]["Name"] != "Standard Preset Security Policy" || v[0]["State"] != "Disabled" || v[0]["Priority"] != float64(1) {
			t.Errorf("%s: %v", c, v)
		}
	}
	var standard []string
	for _, p := range tt.invoke(exo, tok, "Get-SafeLinksPolicy", nil).values() {
		if p["RecommendedPolicyType"] == "Standard" {
			standard = append(standard, p["Name"].(string))
		}
	}
	atp := tt.invoke(exo, tok, "Get-ATPProtectionPolicyRule", nil).values()
	if len(standard) != 1 || !strings.HasPrefix(standard[0], "Standard Preset Security Policy") || len(atp) != 1 || atp[0]["SafeLinksPolicy"] != standard[0] {
		t.Errorf("Standard preset Safe Links policy %v, rule %v", standard, atp)
	}
	// Turning the preset on again is Enable- on both of its rules.
	for _, c := range []string{"Enable-EOPProtectionPolicyRule", "Enable-ATPProtectionPolicyRule"} {
		if r := tt.invoke(exo, tok, c, map[string]any{"Identity": "Standard Preset Security Policy"}); r.status != 200 {
			t.Errorf("%s: %d %s", c, r.status, r.raw)
		}
	}
	if v := tt.invoke(exo, tok, "Get-EOPProtectionPolicyRule", map[string]any{"State": "Enabled"}).values(); len(v) != 1 {
		t.Errorf("enabled preset rules: %v", v)
	}
	cmdlets := tt.admin.CmdletNames(adminapi.EXO)
	for _, c := range []string{"Get-MalwareFilterRule", "Enable-SafeLinksRule", "Disable-MalwareFilterRule", "Set-ATPBuiltInProtectionRule", "Get-HostedContentFilterPolicy", "Get-AntiPhishPolicy"} {
		if !slices.Contains(cmdlets, c) {
			t.Errorf("EXOModuleFile lacks %s", c)
		}
	}
}
