// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"maps"
	"net/http"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// /policies/authenticationMethodsPolicy and its per-method configurations (v1.0). PATCH answers
// 204; a configuration PATCH must name its derived type in @odata.type.

var (
	permAuthMethodRead  = [][]string{{"Policy.Read.AuthenticationMethod"}, {"Policy.Read.All"}, {"Policy.ReadWrite.AuthenticationMethod"}}
	permAuthMethodWrite = [][]string{{"Policy.ReadWrite.AuthenticationMethod"}}

	enumMethodState   = &enumDef{"authenticationMethodState", []string{"enabled", "disabled"}}
	enumTargetType    = &enumDef{"authenticationMethodTargetType", []string{"user", "group", "unknownFutureValue"}}
	enumFeatureState  = &enumDef{"advancedConfigState", []string{"default", "enabled", "disabled", "unknownFutureValue"}}
	enumFeatureTarget = &enumDef{"featureTargetType", []string{"group", "administrativeUnit", "role", "unknownFutureValue"}}
	enumAuthMode      = &enumDef{"microsoftAuthenticatorAuthenticationMode", []string{"deviceBasedPush", "push", "any"}}
	enumMigration     = &enumDef{"authenticationMethodsPolicyMigrationState", []string{"preMigration", "migrationInProgress", "migrationComplete", "unknownFutureValue"}}
	enumEmailOtp      = &enumDef{"externalEmailOtpState", []string{"default", "enabled", "disabled", "unknownFutureValue"}}
	enumFidoEnforce   = &enumDef{"fido2RestrictionEnforcementType", []string{"allow", "block", "unknownFutureValue"}}
)

var excludeTargetDef = &objDef{name: "excludeTarget", props: []prop{{name: "id", kind: kString}, {name: "targetType", kind: kEnum, enum: enumTargetType}}}

func targetDef(name string, extra ...prop) *objDef {
	return &objDef{name: name, props: append([]prop{{name: "id", kind: kString}, {name: "targetType", kind: kEnum, enum: enumTargetType},
		{name: "isRegistrationRequired", kind: kBool}}, extra...)}
}

var featureTargetDef = &objDef{name: "featureTarget", props: []prop{{name: "id", kind: kString}, {name: "targetType", kind: kEnum, enum: enumFeatureTarget}}}

var featureConfigDef = &objDef{name: "authenticationMethodFeatureConfiguration", props: []prop{
	{name: "state", kind: kEnum, enum: enumFeatureState}, {name: "includeTarget", kind: kObject, obj: featureTargetDef},
	{name: "excludeTarget", kind: kObject, obj: featureTargetDef}}}

// methodType describes one configuration: its id, derived type and the properties it adds.
type methodType struct {
	ID, typ string
	target  *objDef
	props   []prop
	// navigation: includeTargets is a contained navigation property (served with its own context).
	navigation bool
	defaults   func() map[string]any
}

var MethodTypes = []methodType{
	{ID: "Sms", typ: "smsAuthenticationMethodConfiguration", target: targetDef("smsAuthenticationMethodTarget", prop{name: "isUsableForSignIn", kind: kBool}), navigation: true,
		defaults: func() map[string]any { return map[string]any{} }},
	{ID: "Voice", typ: "voiceAuthenticationMethodConfiguration", target: targetDef("authenticationMethodTarget"),
		props: []prop{{name: "isOfficePhoneAllowed", kind: kBool}}, defaults: func() map[string]any { return map[string]any{"isOfficePhoneAllowed": false} }},
	{ID: "Fido2", typ: "fido2AuthenticationMethodConfiguration", target: targetDef("passkeyAuthenticationMethodTarget"), navigation: true,
		props: []prop{{name: "isAttestationEnforced", kind: kBool}, {name: "isSelfServiceRegistrationAllowed", kind: kBool},
			{name: "keyRestrictions", kind: kObject, obj: &objDef{name: "fido2KeyRestrictions", props: []prop{{name: "aaGuids", kind: kStrList},
				{name: "enforcementType", kind: kEnum, enum: enumFidoEnforce}, {name: "isEnforced", kind: kBool}}}}},
		defaults: func() map[string]any {
			return map[string]any{"isAttestationEnforced": false, "isSelfServiceRegistrationAllowed": true,
				"keyRestrictions": map[string]any{"isEnforced": false, "enforcementType": "block", "aaGuids": []any{}}}
		}},
	{ID: "MicrosoftAuthenticator", typ: "microsoftAuthenticatorAuthenticationMethodConfiguration", navigation: true,
		target: targetDef("microsoftAuthenticatorAuthenticationMethodTarget", prop{name: "authenticationMode", kind: kEnum, enum: enumAuthMode}),
		props: []prop{{name: "isSoftwareOathEnabled", kind: kBool}, {name: "featureSettings", kind: kObject, obj: &objDef{name: "microsoftAuthenticatorFeatureSettings",
			props: []prop{{name: "displayAppInformationRequiredState", kind: kObject, obj: featureConfigDef}, {name: "displayLocationInformationRequiredState", kind: kObject, obj: featureConfigDef}}}}},
		defaults: func() map[string]any {
			return map[string]any{"isSoftwareOathEnabled": false, "featureSettings": map[string]any{
				"displayAppInformationRequiredState": FeatureSetting("default"), "displayLocationInformationRequiredState": FeatureSetting("default")}}
		}},
	{ID: "TemporaryAccessPass", typ: "temporaryAccessPassAuthenticationMethodConfiguration", target: targetDef("authenticationMethodTarget"),
		props: []prop{{name: "defaultLength", kind: kInt}, {name: "defaultLifetimeInMinutes", kind: kInt}, {name: "isUsableOnce", kind: kBool},
			{name: "maximumLifetimeInMinutes", kind: kInt}, {name: "minimumLifetimeInMinutes", kind: kInt}},
		defaults: func() map[string]any {
			return map[string]any{"defaultLength": int64(8), "defaultLifetimeInMinutes": int64(60), "isUsableOnce": false,
				"maximumLifetimeInMinutes": int64(480), "minimumLifetimeInMinutes": int64(60)}
		}},
	{ID: "Email", typ: "emailAuthenticationMethodConfiguration", target: targetDef("authenticationMethodTarget"),
		props:    []prop{{name: "allowExternalIdToUseEmailOtp", kind: kEnum, enum: enumEmailOtp}},
		defaults: func() map[string]any { return map[string]any{"allowExternalIdToUseEmailOtp": "default"} }},
	{ID: "SoftwareOath", typ: "softwareOathAuthenticationMethodConfiguration", target: targetDef("authenticationMethodTarget"),
		defaults: func() map[string]any { return map[string]any{} }},
	{ID: "X509Certificate", typ: "x509CertificateAuthenticationMethodConfiguration", target: targetDef("authenticationMethodTarget"),
		props: []prop{{name: "authenticationModeConfiguration", kind: kAny}, {name: "certificateUserBindings", kind: kAny},
			{name: "certificateAuthorityScopes", kind: kAny}, {name: "crlValidationConfiguration", kind: kAny}, {name: "issuerHintsConfiguration", kind: kAny}},
		defaults: func() map[string]any {
			return map[string]any{
				"authenticationModeConfiguration": map[string]any{"x509CertificateAuthenticationDefaultMode": "x509CertificateSingleFactor",
					"x509CertificateDefaultRequiredAffinityLevel": "low", "rules": []any{}},
				"certificateUserBindings": []any{
					map[string]any{"x509CertificateField": "PrincipalName", "userProperty": "onPremisesUserPrincipalName", "priority": int64(1), "trustAffinityLevel": "low"},
					map[string]any{"x509CertificateField": "RFC822Name", "userProperty": "userPrincipalName", "priority": int64(2), "trustAffinityLevel": "low"},
					map[string]any{"x509CertificateField": "SubjectKeyIdentifier", "userProperty": "certificateUserIds", "priority": int64(3), "trustAffinityLevel": "high"}},
				"certificateAuthorityScopes": []any{},
				"crlValidationConfiguration": map[string]any{"state": "disabled", "exemptedCertificateAuthoritiesSubjectKeyIdentifiers": []any{}},
				"issuerHintsConfiguration":   map[string]any{"state": "disabled"},
			}
		}},
}

func FeatureSetting(state string) map[string]any {
	return map[string]any{"state": state, "includeTarget": map[string]any{"targetType": "group", "id": "all_users"},
		"excludeTarget": map[string]any{"targetType": "group", "id": "00000000-0000-0000-0000-000000000000"}}
}

func methodByID(id string) *methodType {
	for i := range MethodTypes {
		if strings.EqualFold(MethodTypes[i].ID, id) {
			return &MethodTypes[i]
		}
	}
	return nil
}

func (m *methodType) def() *objDef {
	props := []prop{{name: "id", readOnly: true}, {name: "state", kind: kEnum, enum: enumMethodState},
		{name: "excludeTargets", kind: kAny}, {name: "includeTargets", kind: kAny}}
	return &objDef{name: m.typ, props: append(props, m.props...)}
}

// NewMethodConfig is a configuration as a fresh tenant has it, in state.
func NewMethodConfig(m *methodType, state string) map[string]any {
	c := m.defaults()
	c["@odata.type"] = "#microsoft.graph." + m.typ
	c["id"], c["state"], c["excludeTargets"] = m.ID, state, []any{}
	t := map[string]any{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}
	switch m.ID {
	case "Sms":
		t["isUsableForSignIn"] = true
	case "MicrosoftAuthenticator":
		t["authenticationMode"] = "any"
	}
	c["includeTargets"] = []any{t}
	return c
}

func DefaultAuthMethodsPolicy(now string) map[string]any {
	return map[string]any{
		"id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy",
		"description":          "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
		"lastModifiedDateTime": now, "policyVersion": "1.5", "reconfirmationInDays": int64(0), "policyMigrationState": "preMigration",
		"registrationEnforcement": map[string]any{"authenticationMethodsRegistrationCampaign": map[string]any{
			"snoozeDurationInDays": int64(1), "state": "default", "excludeTargets": []any{},
			"includeTargets": []any{map[string]any{"id": "all_users", "targetType": "group", "targetedAuthenticationMethod": "microsoftAuthenticator"}}}},
	}
}

// renderMethodConfig adds what Graph writes around a configuration: the includeTargets context
// of the types where it is a navigation property.
func (s *Service) renderMethodConfig(c map[string]any) map[string]any {
	out := maps.Clone(c)
	if m := methodByID(store.String(c, "id")); m != nil && m.navigation {
		out["includeTargets@odata.context"] = s.URL() + "/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('" + m.ID + "')/microsoft.graph." + m.typ + "/includeTargets"
	}
	return out
}

func (s *Service) visibleConfigs(g *gctx) []map[string]any {
	delay := s.Faults().ReplicationDelay()
	var out []map[string]any
	for _, r := range s.Store.State.Admin.AuthMethodConfigs {
		if v := r.Visible(g.now, delay); v != nil {
			out = append(out, s.renderMethodConfig(v))
		}
	}
	return out
}

func (s *Service) authMethodsGet(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	v := maps.Clone(s.Store.State.Admin.AuthMethodsPolicy.Visible(g.now, s.Faults().ReplicationDelay()))
	configs := s.visibleConfigs(g)
	s.Store.Mu.RUnlock()
	list := make([]any, len(configs))
	for i, c := range configs {
		list[i] = c
	}
	v["authenticationMethodConfigurations@odata.context"] = g.contextURL("policies/authenticationMethodsPolicy/authenticationMethodConfigurations")
	v["authenticationMethodConfigurations"] = list
	return g.writeSingleton(authMethodsPolicy, v)
}

var authMethodsPolicyDef = &objDef{name: "authenticationMethodsPolicy", props: []prop{
	{name: "id", readOnly: true}, {name: "lastModifiedDateTime", readOnly: true}, {name: "policyVersion", readOnly: true},
	{name: "displayName", kind: kString}, {name: "description", kind: kString}, {name: "reconfirmationInDays", kind: kInt},
	{name: "policyMigrationState", kind: kEnum, enum: enumMigration}, {name: "registrationEnforcement", kind: kAny},
	{name: "authenticationMethodConfigurations", readOnly: true},
}}

// stampAuthMethodsPolicy merges a PATCH into the policy and stamps its lastModifiedDateTime.
func stampAuthMethodsPolicy(g *gctx, cur, sent, norm map[string]any) (map[string]any, *httpx.GraphError) {
	next := mergeSent(cur, sent, norm)
	next["lastModifiedDateTime"] = store.GraphTime(g.now)
	return next, nil
}

func configNotFound(id string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusNotFound, httpx.CodeResourceNotFound, "The authentication method configuration '%s' was not found.", id)
}

func (s *Service) authMethodConfigList(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	configs := s.visibleConfigs(g)
	s.Store.Mu.RUnlock()
	return g.writeList("policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
		lister{n: len(configs), item: func(i int) map[string]any { return configs[i] }, typeName: "authenticationMethodConfiguration"})
}

func (s *Service) authMethodConfigGet(g *gctx) *httpx.GraphError {
	m := methodByID(g.params[0])
	if m == nil {
		return configNotFound(g.params[0])
	}
	s.Store.Mu.RLock()
	var v map[string]any
	if r := store.FindRecord(s.Store.State.Admin.AuthMethodConfigs, m.ID); r != nil {
		v = r.Visible(g.now, s.Faults().ReplicationDelay())
	}
	s.Store.Mu.RUnlock()
	if v == nil {
		return configNotFound(g.params[0])
	}
	out := s.renderMethodConfig(v)
	out["@odata.context"] = g.contextURL("policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity")
	return g.writeJSON(http.StatusOK, out)
}

func (s *Service) authMethodConfigUpdate(g *gctx) *httpx.GraphError {
	m := methodByID(g.params[0])
	if m == nil {
		return configNotFound(g.params[0])
	}
	in, err := decodeJSONObject(g.body)
	if err != nil {
		return err
	}
	if t := typeName(in); t != m.typ {
		if t == "" {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The '@odata.type' property is required and must be '#microsoft.graph.%s' for the '%s' configuration.", m.typ, m.ID)
		}
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The '@odata.type' '%v' does not match the type of the '%s' configuration ('#microsoft.graph.%s').", in["@odata.type"], m.ID, m.typ)
	}
	n, err := normalize(m.def(), in, "")
	if err != nil {
		return err
	}
	if targets, ok := in["includeTargets"]; ok {
		list, gerr := normalizeTargets(targets, m.target, "includeTargets")
		if gerr != nil {
			return gerr
		}
		n["includeTargets"] = list
	}
	if targets, ok := in["excludeTargets"]; ok {
		list, gerr := normalizeTargets(targets, excludeTargetDef, "excludeTargets")
		if gerr != nil {
			return gerr
		}
		n["excludeTargets"] = list
	}
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	rec := store.FindRecord(s.Store.State.Admin.AuthMethodConfigs, m.ID)
	if rec == nil || rec.Cur == nil {
		return configNotFound(g.params[0])
	}
	// Complex values (featureSettings, keyRestrictions, ...) merge; target lists are replaced.
	cur := mergeSent(rec.Cur, in, n)
	rec.Write(g.now, s.Faults().ReplicationDelay(), cur)
	s.Store.State.Admin.AuthMethodsPolicy.Cur["lastModifiedDateTime"] = store.GraphTime(g.now)
	return s.savedNoContent(g)
}

func normalizeTargets(v any, d *objDef, path string) ([]any, *httpx.GraphError) {
	arr, ok := v.([]any)
	if !ok {
		return nil, badKind(path, "collection")
	}
	out := make([]any, 0, len(arr))
	for _, item := range arr {
		t, err := normalize(d, item, path)
		if err != nil {
			return nil, err
		}
		if t["id"] == nil || t["targetType"] == nil {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Every entry of '%s' needs 'id' and 'targetType'.", path)
		}
		if _, has := t["isRegistrationRequired"]; has && t["isRegistrationRequired"] == nil {
			t["isRegistrationRequired"] = false
		}
		out = append(out, t)
	}
	return out, nil
}
