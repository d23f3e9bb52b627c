// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

func TestExoGetSetRoundTripAndPersistence(t *testing.T) {
	dir := t.TempDir()
	tt, exo, tok := startExchange(t, Options{Seed: seed.Noncompliant, DataDir: dir})
	r := tt.invoke(exo, tok, "Get-OrganizationConfig", nil)
	if r.status != 200 || len(r.values()) != 1 || r.values()[0]["AuditDisabled"] != true {
		t.Fatalf("get: %d %s", r.status, r.raw)
	}
	org := r.values()[0]
	if org["MicrosoftExchangeRecipientEmailAddresses@odata.type"] != "#Collection(String)" || org["Identity"] == nil || org["Guid"] == nil || org["WhenChanged"] == nil {
		t.Errorf("object shape: %v", org)
	}
	if r.body["adminapi.warnings@odata.type"] != "#Collection(String)" || !strings.HasSuffix(r.body["@odata.context"].(string), "$metadata#Collection(Exchange.GenericHashTable)") {
		t.Errorf("envelope: %s", r.raw)
	}
	// Parameter names are case-insensitive, as in PowerShell.
	if r := tt.invoke(exo, tok, "set-organizationconfig", map[string]any{"auditdisabled": false}); r.status != 200 {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Get-OrganizationConfig", nil); r.values()[0]["AuditDisabled"] != false {
		t.Fatalf("after set: %s", r.raw)
	}
	// Identity matches by name, case-insensitively.
	if r := tt.invoke(exo, tok, "Set-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "default", "AutoForwardingMode": "off"}); r.status != 200 {
		t.Fatalf("set spam: %d %s", r.status, r.raw)
	}
	// Setting the same value again changes nothing and says so.
	r = tt.invoke(exo, tok, "Set-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default", "AutoForwardingMode": "Off"})
	if w, _ := r.body["@adminapi.warnings"].([]any); len(w) != 1 {
		t.Errorf("no-op warning: %s", r.raw)
	}
	if err := tt.Close(); err != nil {
		t.Fatal(err)
	}
	tt2 := startTenant(t, Options{DataDir: dir})
	exo2 := tt2.Env()["HIPAA_EXCHANGE_ENDPOINT"]
	tok2 := tt2.adminToken(false, exo2)
	r = tt2.invoke(exo2, tok2, "Get-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default"})
	if r.status != 200 || r.values()[0]["AutoForwardingMode"] != "Off" {
		t.Fatalf("after restart: %d %s", r.status, r.raw)
	}
	if r := tt2.invoke(exo2, tok2, "Set-OrganizationConfig", map[string]any{"MailTipsLargeAudienceThreshold": 30}); r.status != 200 {
		t.Fatalf("int after restart: %d %s", r.status, r.raw)
	}
}

func TestExoTransportRuleCRUDPagingAndHashtables(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Empty})
	sit := map[string]any{"@odata.type": "#Exchange.GenericHashTable", "Name": "U.S. Social Security Number (SSN)", "minCount": "1"}
	r := tt.invoke(exo, tok, "New-TransportRule", map[string]any{"Name": "PHI", "SentToScope": "NotInOrganization",
		"MessageContainsDataClassifications": []any{sit}, "ApplyRightsProtectionTemplate": "Encrypt"})
	if r.status != 200 || len(r.values()) != 1 {
		t.Fatalf("new: %d %s", r.status, r.raw)
	}
	rule := r.values()[0]
	cls := rule["MessageContainsDataClassifications"].([]any)[0].(map[string]any)
	if _, has := cls["@odata.type"]; has || cls["Name"] != "U.S. Social Security Number (SSN)" || rule["State"] != "Enabled" || rule["Mode"] != "Enforce" {
		t.Errorf("stored rule: %v", rule)
	}
	// Without the GenericHashTable annotation the value does not bind to Hashtable[].
	r = tt.invoke(exo, tok, "Set-TransportRule", map[string]any{"Identity": "PHI", "MessageContainsDataClassifications": []any{map[string]any{"Name": "x"}}})
	if r.status != 400 || r.exoDetail()[1] != adminapi.ExArgTransform {
		t.Errorf("unannotated hashtable: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "New-TransportRule", map[string]any{"Name": "phi"}); r.status != 400 || r.exoDetail()[1] != adminapi.ExAlreadyExists {
		t.Errorf("duplicate: %d %s", r.status, r.raw)
	}
	for i := range 4 {
		if r := tt.invoke(exo, tok, "New-TransportRule", map[string]any{"Name": fmt.Sprintf("R%d", i), "SubjectOrBodyContainsWords": "x"}); r.status != 200 {
			t.Fatalf("new %d: %d %s", i, r.status, r.raw)
		}
	}
	// Paging: POST the same body to @odata.nextLink.
	var names []string
	r = tt.invoke(exo, tok, "Get-TransportRule", nil, "Prefer", "odata.maxpagesize=2")
	pages := 1
	for {
		if r.status != 200 {
			t.Fatalf("page: %d %s", r.status, r.raw)
		}
		for _, v := range r.values() {
			names = append(names, v["Name"].(string))
		}
		next, _ := r.body["@odata.nextLink"].(string)
		if next == "" {
			break
		}
		pages++
		r = tt.invoke(next, tok, "Get-TransportRule", nil, "Prefer", "odata.maxpagesize=2")
	}
	if pages != 3 || strings.Join(names, ",") != "PHI,R0,R1,R2,R3" {
		t.Errorf("paged %d pages: %v", pages, names)
	}
	if r := tt.invoke(exo, tok, "Remove-TransportRule", map[string]any{"Identity": "R0", "Confirm": false}); r.status != 204 {
		t.Errorf("remove: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Get-TransportRule", map[string]any{"Identity": "R0"})
	d := r.exoDetail()
	if r.status != 404 || r.errCode() != "NotFound" || len(d) != 3 || d[0] != "" || d[1] != adminapi.ExNotFound || !strings.Contains(d[2], "couldn't be found") {
		t.Errorf("not found: %d %s", r.status, r.raw)
	}
}

func TestExoParameterValidation(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Empty})
	r := tt.invoke(exo, tok, "Set-RemoteDomain", map[string]any{"Identity": "Default", "AutoForwardEnabledX": false})
	d := r.exoDetail()
	if r.status != 400 || d[1] != adminapi.ExParameterBinding || d[2] != "A parameter cannot be found that matches parameter name 'AutoForwardEnabledX'." {
		t.Errorf("unknown parameter: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Set-HostedOutboundSpamFilterPolicy", map[string]any{"Identity": "Default", "AutoForwardingMode": "Of"})
	d = r.exoDetail()
	if r.status != 400 || d[1] != adminapi.ExParameterBinding || !strings.Contains(d[2], "Automatic, Off, On") || !strings.Contains(d[2], "Cannot bind parameter 'AutoForwardingMode'") {
		t.Errorf("bad enum: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Set-OrganizationConfig", map[string]any{"AuditDisabled": "yes"})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "Boolean parameters accept only Boolean values") {
		t.Errorf("bad bool: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "New-OutboundConnector", map[string]any{})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "missing mandatory parameters: Name") {
		t.Errorf("missing mandatory: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "New-OutboundConnector", map[string]any{"Name": "TLS", "ConnectorType": "Partner", "RecipientDomains": []any{"partner.example"},
		"TlsSettings": "CertificateValidation", "UseMXRecord": true})
	if r.status != 200 || r.values()[0]["TlsSettings"] != "CertificateValidation" || r.values()[0]["RecipientDomains@odata.type"] != "#Collection(String)" {
		t.Errorf("connector: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Set-OutboundConnector", map[string]any{"Identity": "TLS", "UseMXRecord": false})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "SmartHosts") {
		t.Errorf("connector validation: %d %s", r.status, r.raw)
	}
}

func TestExoAuthRolesAnchorAndLicensing(t *testing.T) {
	tt := startTenant(t, Options{Seed: seed.Noncompliant})
	exo := tt.Env()["HIPAA_EXCHANGE_ENDPOINT"]
	writer := tt.adminToken(false, exo)
	reader := tt.adminToken(true, exo)
	if r := tt.invoke(exo, "", "Get-OrganizationConfig", nil); r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d", r.status)
	}
	if r := tt.invoke(exo, tt.token(false), "Get-OrganizationConfig", nil); r.status != 401 || !strings.Contains(r.header.Get("x-ms-diagnostics"), "invalid_resource") {
		t.Errorf("graph token: %d %v", r.status, r.header)
	}
	if r := tt.invoke(exo, tt.adminToken(false, tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"]), "Get-OrganizationConfig", nil); r.status != 401 {
		t.Errorf("ipps token on exo: %d", r.status)
	}
	if r := tt.invoke(exo, reader, "Get-RemoteDomain", nil); r.status != 200 || len(r.values()) != 1 {
		t.Errorf("reader get: %d %s", r.status, r.raw)
	}
	r := tt.invoke(exo, reader, "Set-RemoteDomain", map[string]any{"Identity": "Default", "AutoForwardEnabled": false})
	if r.status != 403 || r.errCode() != "Forbidden" || !strings.Contains(r.errMessage(), "not allowed to run this cmdlet") {
		t.Errorf("reader set: %d %s", r.status, r.raw)
	}
	// Set-AdminAuditLogConfig must be anchored on the audit system mailbox.
	r = tt.invoke(exo, writer, "Set-AdminAuditLogConfig", map[string]any{"UnifiedAuditLogIngestionEnabled": true})
	if d := r.exoDetail(); r.status != 400 || len(d) != 4 || d[1] != adminapi.ExTerminating || !strings.HasPrefix(d[3], "Cmdlet needs proxy") {
		t.Errorf("unanchored: %d %s", r.status, r.raw)
	}
	anchor := "APP:SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}@" + tt.Env()["ARM_TENANT_ID"]
	if r := tt.invoke(exo, writer, "Set-AdminAuditLogConfig", map[string]any{"UnifiedAuditLogIngestionEnabled": true}, "X-AnchorMailbox", anchor); r.status != 200 {
		t.Errorf("anchored: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, writer, "Get-AdminAuditLogConfig", nil); r.values()[0]["UnifiedAuditLogIngestionEnabled"] != true {
		t.Errorf("ingestion: %s", r.raw)
	}
	// Without Defender for Office 365 the Safe Links cmdlets do not exist.
	r = tt.invoke(exo, writer, "Get-SafeLinksPolicy", nil)
	if d := r.exoDetail(); r.status != 400 || d[1] != adminapi.ExCommandNotFound || !strings.Contains(d[2], "'Get-SafeLinksPolicy' is not recognized") {
		t.Errorf("unlicensed: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, writer, "Get-Nonsense", nil); r.status != 400 || r.exoDetail()[1] != adminapi.ExCommandNotFound {
		t.Errorf("unknown cmdlet: %d %s", r.status, r.raw)
	}
}

func TestExoFailCmdletAndStats(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Empty})
	tt.Faults().FailCmdlet("Set-OrganizationConfig", 429, 1)
	tt.Faults().FailCmdlet("Get-RemoteDomain", 400, 1)
	r := tt.invoke(exo, tok, "Set-OrganizationConfig", map[string]any{"AuditDisabled": false})
	if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(r.exoDetail()[2], "maximum number of concurrent requests") {
		t.Errorf("429: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Set-OrganizationConfig", map[string]any{"AuditDisabled": false}); r.status != 200 {
		t.Errorf("after fault: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Get-RemoteDomain", nil); r.status != 400 || !strings.Contains(r.exoDetail()[2], "maximum number of concurrent requests") {
		t.Errorf("400 concurrency: %d %s", r.status, r.raw)
	}
	tt.Faults().FailNext("POST", "/exo", 503, 1)
	if r := tt.invoke(exo, tok, "Get-RemoteDomain", nil); r.status != 503 {
		t.Errorf("FailNext /exo: %d", r.status)
	}
	st := tt.Stats()
	if st.ByRoute["POST /exo InvokeCommand Set-OrganizationConfig"] != 2 || st.ByRoute["POST /exo InvokeCommand Get-RemoteDomain"] != 2 || st.Throttled != 1 {
		t.Errorf("stats: %v throttled %d", st.ByRoute, st.Throttled)
	}
}

// The OME configuration of an empty tenant has Microsoft's defaults, needs -Identity on Set (it is
// not a singleton: branding templates are further OMEConfiguration objects) and keeps what Set wrote.
func TestExoOMEConfiguration(t *testing.T) {
	tt, exo, tok := startExchange(t, Options{Seed: seed.Empty})
	r := tt.invoke(exo, tok, "Get-OMEConfiguration", map[string]any{"Identity": "OME Configuration"})
	if r.status != 200 || len(r.values()) != 1 || r.values()[0]["OTPEnabled"] != true || r.values()[0]["SocialIdSignIn"] != true {
		t.Fatalf("default OME configuration: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Set-OMEConfiguration", map[string]any{"SocialIdSignIn": false})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "missing mandatory parameters: Identity") {
		t.Errorf("set without identity: %d %s", r.status, r.raw)
	}
	r = tt.invoke(exo, tok, "Set-OMEConfiguration", map[string]any{"Identity": "OME Configuration", "OTPEnabled": "no"})
	if r.status != 400 || !strings.Contains(r.exoDetail()[2], "Boolean parameters accept only Boolean values") {
		t.Errorf("bad bool: %d %s", r.status, r.raw)
	}
	if r := tt.invoke(exo, tok, "Set-OMEConfiguration", map[string]any{"Identity": "OME Configuration", "SocialIdSignIn": false}); r.status/100 != 2 {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	o := tt.invoke(exo, tok, "Get-OMEConfiguration", nil).values()
	if len(o) != 1 || o[0]["SocialIdSignIn"] != false || o[0]["OTPEnabled"] != true {
		t.Errorf("after set: %v", o)
	}
}
