// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/graphjson"
)

func TestAuthMethods_defaultsAreTheChecklist(t *testing.T) {
	got := schemaDefaults(t, authMethodsBlock{})
	want := map[string]any{"sms_enabled": false, "voice_enabled": false, "fido2_enabled": true,
		"authenticator_enabled": true, "authenticator_additional_context": true}
	if len(got) != len(want) {
		t.Fatalf("defaults %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default of %s = %v, want %v", k, got[k], v)
		}
	}
}

// authMethodsConfigs builds the four configurations as Graph returns them, Authenticator on (as
// in both seeds).
func authMethodsConfigs(sms, voice, fido2 bool, appInfo, location string, target string) map[string]models.AuthenticationMethodConfigurationable {
	sc, vc, fc, ac := models.NewSmsAuthenticationMethodConfiguration(), models.NewVoiceAuthenticationMethodConfiguration(),
		models.NewFido2AuthenticationMethodConfiguration(), models.NewMicrosoftAuthenticatorAuthenticationMethodConfiguration()
	authMethodSetState(sc, sms)
	authMethodSetState(vc, voice)
	authMethodSetState(fc, fido2)
	authMethodSetState(ac, true)
	feature := func(state string) models.AuthenticationMethodFeatureConfigurationable {
		f := models.NewAuthenticationMethodFeatureConfiguration()
		v, _ := models.ParseAdvancedConfigState(state)
		f.SetState(v.(*models.AdvancedConfigState))
		tt := models.GROUP_FEATURETARGETTYPE
		ft := models.NewFeatureTarget()
		ft.SetTargetType(&tt)
		ft.SetId(&target)
		f.SetIncludeTarget(ft)
		return f
	}
	fs := models.NewMicrosoftAuthenticatorFeatureSettings()
	fs.SetDisplayAppInformationRequiredState(feature(appInfo))
	fs.SetDisplayLocationInformationRequiredState(feature(location))
	ac.SetFeatureSettings(fs)
	return map[string]models.AuthenticationMethodConfigurationable{
		authMethodSMS: sc, authMethodVoice: vc, authMethodFido2: fc, authMethodAuthenticator: ac,
	}
}

func TestAuthMethods_flatten(t *testing.T) {
	cases := []struct {
		name    string
		configs map[string]models.AuthenticationMethodConfigurationable
		want    authMethodsSettings
	}{
		{"compliant seed", authMethodsConfigs(false, false, true, "enabled", "enabled", "all_users"), authMethodsChecklist},
		{"noncompliant seed", authMethodsConfigs(true, true, false, "default", "default", "all_users"),
			authMethodsSettings{SMS: true, Voice: true, Fido2: false, Authenticator: true, AdditionalContext: false}},
		{"context for one feature only", authMethodsConfigs(false, false, true, "enabled", "disabled", "all_users"),
			authMethodsSettings{Fido2: true, Authenticator: true, AdditionalContext: false}},
		{"context for a group only", authMethodsConfigs(false, false, true, "enabled", "enabled", "7b1c5e0e-0000-0000-0000-000000000001"),
			authMethodsSettings{Fido2: true, Authenticator: true, AdditionalContext: false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := flattenAuthMethods(tc.configs)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("flattenAuthMethods = %+v, want %+v", got, tc.want)
			}
		})
	}

	// Graph answering the base type for the Authenticator means the SDK could not see its
	// @odata.type: the feature settings would be lost, so that is an error, not a silent false.
	configs := authMethodsConfigs(false, false, true, "enabled", "enabled", "all_users")
	configs[authMethodAuthenticator] = models.NewAuthenticationMethodConfiguration()
	if _, err := flattenAuthMethods(configs); err == nil {
		t.Error("a base-typed Authenticator configuration must be an error")
	}
}

func TestAuthMethods_expandPatches(t *testing.T) {
	noncompliant := authMethodsSettings{SMS: true, Voice: true, Fido2: false, Authenticator: true}
	patches := expandAuthMethodPatches(authMethodsChecklist, noncompliant)
	var ids []string
	bodies := map[string]map[string]any{}
	for _, p := range patches {
		ids = append(ids, p.ID)
		bodies[p.ID] = graphjson.Payload(t, p.Body)
	}
	// Strong methods first, then the weak ones off.
	if want := []string{"Fido2", "MicrosoftAuthenticator", "Sms", "Voice"}; len(ids) != len(want) || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] || ids[3] != want[3] {
		t.Fatalf("patched %v, want %v", ids, want)
	}
	wantTypes := map[string]string{
		"Fido2": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "Sms": "#microsoft.graph.smsAuthenticationMethodConfiguration",
		"Voice":                  "#microsoft.graph.voiceAuthenticationMethodConfiguration",
		"MicrosoftAuthenticator": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
	}
	wantStates := map[string]string{"Fido2": "enabled", "Sms": "disabled", "Voice": "disabled", "MicrosoftAuthenticator": "enabled"}
	for id, body := range bodies {
		if body["@odata.type"] != wantTypes[id] {
			t.Errorf("%s: @odata.type = %v, want %s", id, body["@odata.type"], wantTypes[id])
		}
		if body["state"] != wantStates[id] {
			t.Errorf("%s: state = %v, want %s", id, body["state"], wantStates[id])
		}
	}
	fs, _ := bodies["MicrosoftAuthenticator"]["featureSettings"].(map[string]any)
	for _, f := range []string{"displayAppInformationRequiredState", "displayLocationInformationRequiredState"} {
		feat, _ := fs[f].(map[string]any)
		inc, _ := feat["includeTarget"].(map[string]any)
		if feat["state"] != "enabled" || inc["id"] != "all_users" || inc["targetType"] != "group" {
			t.Errorf("%s = %v, want enabled for group all_users", f, feat)
		}
	}

	// The applied patches describe the target, and nothing is sent when nothing differs.
	got := noncompliant
	for _, p := range patches {
		p.Applied(&got)
	}
	if got != authMethodsChecklist {
		t.Errorf("after the patches: %+v, want %+v", got, authMethodsChecklist)
	}
	if p := expandAuthMethodPatches(authMethodsChecklist, authMethodsChecklist); len(p) != 0 {
		t.Errorf("no difference, yet %d patches", len(p))
	}

	// Only the Authenticator's context differs: its state is sent, and its context is handed
	// back to Microsoft when turned off.
	p := expandAuthMethodPatches(authMethodsSettings{Fido2: true, Authenticator: true}, authMethodsChecklist)
	if len(p) != 1 || p[0].ID != authMethodAuthenticator {
		t.Fatalf("patches %+v, want only the Authenticator", p)
	}
	body := graphjson.Payload(t, p[0].Body)
	fs, _ = body["featureSettings"].(map[string]any)
	if feat, _ := fs["displayAppInformationRequiredState"].(map[string]any); feat["state"] != "default" {
		t.Errorf("context off: %v, want state default", feat)
	}
}
