// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

func TestGraphSharePointSettings(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asWriter)
	const path = "/v1.0/admin/sharepoint/settings"
	r := tt.do("PATCH", path, tok, map[string]any{"sharingCapability": "existingExternalUserSharingOnly", "isResharingByExternalUsersEnabled": false,
		"idleSessionSignOut": map[string]any{"isEnabled": true, "warnAfterInSeconds": 600, "signOutAfterInSeconds": 900}})
	if r.status != 200 || r.body["sharingCapability"] != "existingExternalUserSharingOnly" || r.body["tenantDefaultTimezone"] == nil ||
		!strings.HasSuffix(r.body["@odata.context"].(string), "$metadata#admin/sharepoint/settings/$entity") {
		t.Fatalf("PATCH: %d %s", r.status, r.raw)
	}
	if idle := r.body["idleSessionSignOut"].(map[string]any); idle["signOutAfterInSeconds"] != float64(900) || idle["isEnabled"] != true {
		t.Errorf("idle: %v", idle)
	}
	if r := tt.do("PATCH", path, tok, map[string]any{"sharingCapability": "anyone"}); r.status != 400 || !strings.Contains(r.errMessage(), "sharingCapabilities") {
		t.Errorf("bad enum: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", path, tok, map[string]any{"idleSessionSignOut": map[string]any{"warnAfterInSeconds": 1000}}); r.status != 400 {
		t.Errorf("warn after sign-out: %d %s", r.status, r.raw)
	}
	// The SharePoint admin view follows the Graph write.
	spo := tt.Env()["HIPAA_SHAREPOINT_ADMIN_ENDPOINT"]
	if s := tt.do("GET", spo+"/_api/SPO.Tenant", certToken(t, tt, spo), nil, "Accept", "application/json;odata=nometadata"); s.body["SharingCapability"] != float64(3) || s.body["PreventExternalUsersFromResharing"] != true {
		t.Errorf("SPO mirror: %s", s.raw)
	}
	reader := tt.token(true)
	if r := tt.do("GET", path, reader, nil); r.status != 200 {
		t.Errorf("reader GET: %d", r.status)
	}
	if r := tt.do("PATCH", path, reader, map[string]any{"isLoopEnabled": false}); r.status != 403 {
		t.Errorf("reader PATCH: %d", r.status)
	}
	tt.Faults().FailNext("GET", "/admin/sharepoint", 503, 1)
	if r := tt.do("GET", path, tok, nil); r.status != 503 {
		t.Errorf("FailNext: %d", r.status)
	}
}

func TestGraphAuthorizationPolicy(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant, ReplicationDelay: 0}, asWriter)
	const path = "/v1.0/policies/authorizationPolicy"
	r := tt.do("GET", path, tok, nil)
	if r.status != 200 || r.body["allowInvitesFrom"] != "everyone" || r.body["guestUserRoleId"] != directory.User || r.body["id"] != "authorizationPolicy" {
		t.Fatalf("GET: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", path, tok, map[string]any{"allowInvitesFrom": "adminsAndGuestInviters", "guestUserRoleId": directory.RestrictedGuestUser}); r.status != 204 {
		t.Fatalf("PATCH: %d %s", r.status, r.raw)
	}
	r = tt.do("GET", path, tok, nil)
	if r.body["allowInvitesFrom"] != "adminsAndGuestInviters" || r.body["guestUserRoleId"] != directory.RestrictedGuestUser {
		t.Errorf("after PATCH: %s", r.raw)
	}
	if perms := r.body["defaultUserRolePermissions"].(map[string]any); perms["allowedToReadOtherUsers"] != true {
		t.Errorf("defaultUserRolePermissions: %v", perms)
	}
	if r := tt.do("PATCH", path, tok, map[string]any{"guestUserRoleId": store.NewGUID()}); r.status != 400 {
		t.Errorf("bad role: %d", r.status)
	}
	if r := tt.do("PATCH", path, tt.token(true), map[string]any{"allowInvitesFrom": "none"}); r.status != 403 || r.errCode() != httpx.CodeAuthorizationDenied {
		t.Errorf("reader PATCH: %d %s", r.status, r.raw)
	}
}

func TestGraphAuthenticationMethods(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Noncompliant}, asWriter)
	const base = "/v1.0/policies/authenticationMethodsPolicy"
	r := tt.do("GET", base, tok, nil)
	configs, _ := r.body["authenticationMethodConfigurations"].([]any)
	if r.status != 200 || len(configs) != 8 || r.body["policyMigrationState"] != "preMigration" {
		t.Fatalf("policy: %d %s", r.status, r.raw)
	}
	r = tt.do("GET", base+"/authenticationMethodConfigurations/Sms", tok, nil)
	if r.status != 200 || r.body["state"] != "enabled" || r.body["@odata.type"] != "#microsoft.graph.smsAuthenticationMethodConfiguration" || r.body["includeTargets@odata.context"] == nil {
		t.Fatalf("Sms: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/Sms", tok, map[string]any{"state": "disabled"}); r.status != 400 || !strings.Contains(r.errMessage(), "@odata.type") {
		t.Errorf("missing type: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/Sms", tok, map[string]any{"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", "state": "disabled"}); r.status != 400 {
		t.Errorf("wrong type: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/Sms", tok, map[string]any{"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "state": "disabled"}); r.status != 204 {
		t.Fatalf("PATCH Sms: %d %s", r.status, r.raw)
	}
	ma := map[string]any{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", "featureSettings": map[string]any{
		"displayAppInformationRequiredState": map[string]any{"state": "enabled", "includeTarget": map[string]any{"targetType": "group", "id": "all_users"}}}}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/MicrosoftAuthenticator", tok, ma); r.status != 204 {
		t.Fatalf("PATCH authenticator: %d %s", r.status, r.raw)
	}
	r = tt.do("GET", base+"/authenticationMethodConfigurations/MicrosoftAuthenticator", tok, nil)
	fs := r.body["featureSettings"].(map[string]any)
	if fs["displayAppInformationRequiredState"].(map[string]any)["state"] != "enabled" || fs["displayLocationInformationRequiredState"].(map[string]any)["state"] != "default" {
		t.Errorf("feature settings merge: %v", fs)
	}
	if r := tt.do("GET", base+"/authenticationMethodConfigurations/Sms", tok, nil); r.body["state"] != "disabled" {
		t.Errorf("Sms after PATCH: %s", r.raw)
	}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/Fido2", tok, map[string]any{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "state": "on"}); r.status != 400 {
		t.Errorf("bad state: %d", r.status)
	}
	reader := tt.token(true)
	if r := tt.do("GET", base+"/authenticationMethodConfigurations/Fido2", reader, nil); r.status != 200 {
		t.Errorf("reader GET: %d", r.status)
	}
	if r := tt.do("PATCH", base+"/authenticationMethodConfigurations/Fido2", reader, map[string]any{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "state": "enabled"}); r.status != 403 {
		t.Errorf("reader PATCH: %d", r.status)
	}
	if r := tt.do("GET", base+"/authenticationMethodConfigurations/HardwareOath", tok, nil); r.status != 404 {
		t.Errorf("unknown method: %d", r.status)
	}
}

func TestSecurityDefaultsBlockEnabledPolicies(t *testing.T) {
	tt, tok := startGraph(t, Options{Seed: seed.Empty}, asWriter)
	if r := tt.do("PATCH", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", tok, map[string]any{"isEnabled": true}); r.status != 204 {
		t.Fatal(r.status)
	}
	p := tt.mfaPolicy("x")
	p["state"] = "enabled"
	r := tt.do("POST", caPath, tok, p)
	if r.status != 400 || r.errCode() != httpx.CodeBadRequest || r.errMessage() != "Security Defaults is enabled in the tenant. Disable Security Defaults to enable Conditional Access policies." {
		t.Fatalf("enabled with security defaults: %d %s", r.status, r.raw)
	}
	r = tt.do("POST", caPath, tok, tt.mfaPolicy("report only"))
	if r.status != 201 {
		t.Fatalf("report-only: %d %s", r.status, r.raw)
	}
	id := r.body["id"].(string)
	if r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"state": "enabled"}); r.status != 400 {
		t.Errorf("PATCH to enabled: %d %s", r.status, r.raw)
	}
	if r := tt.do("PATCH", "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy", tok, map[string]any{"isEnabled": false}); r.status != 204 {
		t.Fatal(r.status)
	}
	if r := tt.do("PATCH", caPath+"/"+id, tok, map[string]any{"state": "enabled"}); r.status != 204 {
		t.Errorf("PATCH to enabled after turning defaults off: %d %s", r.status, r.raw)
	}
}
