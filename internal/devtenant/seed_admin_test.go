// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"slices"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

// seedView reads every checklist value of a seeded tenant through the public protocols.
func seedView(t *testing.T, seed string) map[string]any {
	t.Helper()
	tt := startTenant(t, Options{Seed: seed})
	env := tt.Env()
	g := tt.token(false)
	out := map[string]any{}
	exo := env["HIPAA_EXCHANGE_ENDPOINT"]
	et := tt.adminToken(false, exo)
	get := func(cmdlet string) []map[string]any {
		r := tt.invoke(exo, et, cmdlet, nil)
		if r.status != 200 {
			return nil
		}
		return r.values()
	}
	out["AuditDisabled"] = get("Get-OrganizationConfig")[0]["AuditDisabled"]
	out["Ingestion"] = get("Get-AdminAuditLogConfig")[0]["UnifiedAuditLogIngestionEnabled"]
	out["RMS"] = get("Get-IRMConfiguration")[0]["AzureRMSLicensingEnabled"]
	ome := get("Get-OMEConfiguration")
	out["OMEs"] = len(ome)
	out["OTPEnabled"], out["SocialIdSignIn"] = ome[0]["OTPEnabled"], ome[0]["SocialIdSignIn"]
	out["AutoForwardingMode"] = get("Get-HostedOutboundSpamFilterPolicy")[0]["AutoForwardingMode"]
	out["AutoForwardEnabled"] = get("Get-RemoteDomain")[0]["AutoForwardEnabled"]
	out["EnableFileFilter"] = get("Get-MalwareFilterPolicy")[0]["EnableFileFilter"]
	var rules []string
	for _, r := range get("Get-TransportRule") {
		rules = append(rules, r["Name"].(string))
	}
	out["TransportRules"] = strings.Join(rules, ";")
	var links []string
	for _, r := range get("Get-SafeLinksRule") {
		links = append(links, r["Name"].(string)+"->"+r["SafeLinksPolicy"].(string)+"@"+r["RecipientDomainIs"].([]any)[0].(string))
	}
	out["SafeLinksRules"] = strings.Join(links, ";")
	ipps := env["HIPAA_COMPLIANCE_ENDPOINT"]
	it := tt.adminToken(false, ipps)
	r := tt.invoke(ipps+"/nam01", it, "Get-ProtectionAlert", nil)
	var alerts []string
	for _, a := range r.values() {
		if strings.HasPrefix(a["Name"].(string), "HIPAA - ") {
			alerts = append(alerts, a["Name"].(string))
		}
	}
	out["Alerts"] = len(alerts)
	out["Retention"] = tt.invoke(ipps+"/nam01", it, "Get-UnifiedAuditLogRetentionPolicy", nil).status
	sp := tt.do("GET", "/v1.0/admin/sharepoint/settings", g, nil)
	out["sharingCapability"] = sp.body["sharingCapability"]
	out["idle"] = sp.body["idleSessionSignOut"].(map[string]any)["isEnabled"]
	spo := env["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]
	st := tt.do("GET", spo+"/_api/SPO.Tenant", certToken(t, tt, spo), nil, "Accept", "application/json;odata=nometadata")
	out["ConditionalAccessPolicy"] = st.body["ConditionalAccessPolicy"]
	out["RequireAnonymousLinksExpireInDays"] = st.body["RequireAnonymousLinksExpireInDays"]
	out["guestUserRoleId"] = tt.do("GET", "/v1.0/policies/authorizationPolicy", g, nil).body["guestUserRoleId"]
	for _, m := range []string{"Sms", "Voice", "Fido2"} {
		out[m] = tt.do("GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"+m, g, nil).body["state"]
	}
	ma := tt.do("GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator", g, nil)
	out["displayLocation"] = ma.body["featureSettings"].(map[string]any)["displayLocationInformationRequiredState"].(map[string]any)["state"]
	var skus []string
	for _, s := range tt.do("GET", "/v1.0/subscribedSkus", g, nil).body["value"].([]any) {
		skus = append(skus, s.(map[string]any)["skuPartNumber"].(string))
	}
	out["skus"] = strings.Join(skus, ",")
	var ca []string
	for _, p := range tt.do("GET", caPath, g, nil).body["value"].([]any) {
		pm := p.(map[string]any)
		excl := pm["conditions"].(map[string]any)["users"].(map[string]any)["excludeUsers"].([]any)
		if pm["state"] == "enabled" && slices.Contains(excl, any(env["HIPAA_DEVTENANT_BREAK_GLASS_USER_ID"])) {
			ca = append(ca, pm["displayName"].(string))
		}
	}
	out["ca"] = strings.Join(ca, ";")
	out["initialDomain"] = env["HIPAA_DEVTENANT_INITIAL_DOMAIN"]
	return out
}

func TestSeedsFollowTheChecklist(t *testing.T) {
	c := seedView(t, seed.Compliant)
	n := seedView(t, seed.Noncompliant)
	want := map[string][2]any{
		"AuditDisabled":                     {false, true},
		"Ingestion":                         {true, false},
		"RMS":                               {true, false},
		"OMEs":                              {1, 1},
		"OTPEnabled":                        {true, true},
		"SocialIdSignIn":                    {false, true},
		"AutoForwardingMode":                {"Off", "Automatic"},
		"AutoForwardEnabled":                {false, true},
		"EnableFileFilter":                  {true, false},
		"TransportRules":                    {"HIPAA - Encrypt external mail containing PHI;HIPAA - Encrypt external mail with medical keywords", ""},
		"SafeLinksRules":                    {"HIPAA - Safe Links->HIPAA - Safe Links@contosoclinic.onmicrosoft.com", ""},
		"Alerts":                            {4, 0},
		"Retention":                         {200, 400},
		"sharingCapability":                 {"existingExternalUserSharingOnly", "externalUserAndGuestSharing"},
		"idle":                              {true, false},
		"ConditionalAccessPolicy":           {float64(2), float64(0)},
		"RequireAnonymousLinksExpireInDays": {float64(30), float64(-1)},
		"guestUserRoleId":                   {directory.RestrictedGuestUser, directory.User},
		"Sms":                               {"disabled", "enabled"},
		"Voice":                             {"disabled", "enabled"},
		"Fido2":                             {"enabled", "disabled"},
		"displayLocation":                   {"enabled", "default"},
		"skus":                              {"SPE_E5", "SPE_E3,AAD_PREMIUM"},
		"ca": {"HIPAA - Require MFA for all users;HIPAA - Block legacy authentication;HIPAA - Phishing-resistant MFA for administrators;" +
			"HIPAA - Require compliant or hybrid joined device;HIPAA - Session lifetime;HIPAA - App-enforced restrictions for unmanaged devices", ""},
		"initialDomain": {"contosoclinic.onmicrosoft.com", "contosoclinic.onmicrosoft.com"},
	}
	for k, w := range want {
		if c[k] != w[0] {
			t.Errorf("compliant %s = %v, want %v", k, c[k], w[0])
		}
		if n[k] != w[1] {
			t.Errorf("noncompliant %s = %v, want %v", k, n[k], w[1])
		}
	}
}
