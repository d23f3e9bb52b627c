// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

const caContext = "identity/conditionalAccess/policies"

func caNotFound(id string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusNotFound, httpx.CodeResourceNotFound, "The conditional access policy with id '%s' was not found.", id)
}

// caBadRequest is the shape the Conditional Access service uses for semantic validation errors.
func caBadRequest(format string, args ...any) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, format, args...)
}

// renderCA returns the policy as Graph serves it: authenticationStrength is expanded from the
// stored id into the full policy object, with its own @odata.context.
func (s *Service) renderCA(p map[string]any) map[string]any {
	out := maps.Clone(p)
	gc, ok := p["grantControls"].(map[string]any)
	if !ok || gc == nil {
		return out
	}
	gc = maps.Clone(gc)
	if ref, ok := gc["authenticationStrength"].(map[string]any); ok && ref != nil {
		id, _ := ref["id"].(string)
		if strength := authStrengthByID(id); strength != nil {
			gc["authenticationStrength"] = strength
			gc["authenticationStrength@odata.context"] = fmt.Sprintf("%s/v1.0/$metadata#identity/conditionalAccess/policies('%s')/grantControls/authenticationStrength/$entity", s.URL(), p["id"])
		}
	}
	out["grantControls"] = gc
	return out
}

// caPolicies is the Conditional Access policies collection.
var caPolicies = caCollection{context: caContext, typeName: "conditionalAccessPolicy",
	records:  func(st *store.State) *[]*store.Record { return &st.CAPolicies },
	notFound: caNotFound, build: BuildCAPolicy, render: (*Service).renderCA, templated: true}

func (s *Service) caList(g *gctx) *httpx.GraphError {
	return s.listRecords(g, caPolicies)
}

func (s *Service) caGet(g *gctx) *httpx.GraphError {
	return s.getRecord(g, caPolicies)
}

// caReadOnly refuses the server-managed properties in a POST or PATCH body (policies and named
// locations, one service) with the Conditional Access service's own errors: 1001 for id and the
// timestamps (as observed from Graph, see issue 8) and, on PATCH, 1118 for templateId (observed
// even for templateId: null).
func caReadOnly(in map[string]any, patch bool) *httpx.GraphError {
	if err := rejectReadOnly(in, []string{"id", "createdDateTime", "modifiedDateTime"}, func(n string) *httpx.GraphError {
		return caBadRequest("1001: '%s' is a readonly field and cannot be updated.", n)
	}); err != nil {
		return err
	}
	if _, ok := in["templateId"]; ok && patch {
		return caBadRequest("1118: TemplateId is a read-only field and cannot be updated.")
	}
	return nil
}

func (s *Service) caCreate(g *gctx) *httpx.GraphError {
	p, err := s.createRecord(g, caPolicies, s.securityDefaultsBlock)
	if err != nil {
		return err
	}
	g.w.Header().Set("Location", fmt.Sprintf("%s/v1.0/identity/conditionalAccess/policies('%s')", s.URL(), p["id"]))
	return g.writeCreated(caPolicies, p)
}

func (s *Service) caUpdate(g *gctx) *httpx.GraphError {
	return s.updateRecord(g, caPolicies, func(cur, in map[string]any) (map[string]any, *httpx.GraphError) {
		// Graph's documented example PATCHes conditions.signInRiskLevels alone: complex values merge,
		// collections and primitives are replaced, null clears.
		merged := mergePatch(caPolicy, cur, in)
		for _, ro := range []string{"id", "createdDateTime", "modifiedDateTime", "@odata.type", "@odata.context"} {
			delete(merged, ro)
		}
		// Stored values are already normalized; round-trip them through the same validation.
		p, err := BuildCAPolicy(merged)
		if err != nil {
			return nil, err
		}
		if err := s.securityDefaultsBlock(p); err != nil {
			return nil, err
		}
		return p, nil
	})
}

func (s *Service) caDelete(g *gctx) *httpx.GraphError {
	return s.deleteRecord(g, caPolicies, nil)
}

// BuildCAPolicy validates a request body (or a merged PATCH result) and returns the stored form.
func BuildCAPolicy(in map[string]any) (map[string]any, *httpx.GraphError) {
	// Graph's own validation: clientAppTypes [] is rejected, absent means ["all"].
	if cond, ok := in["conditions"].(map[string]any); ok {
		if cat, present := cond["clientAppTypes"]; present {
			if arr, ok := cat.([]any); ok && len(arr) == 0 {
				return nil, caBadRequest("1064: 'clientAppTypes' condition does not support []. If you want to target all client apps, use ['All']. If you want to target modern authentication clients, use ['browser', 'mobileAppsAndDesktopClients'].")
			}
		}
	}
	p, err := normalize(caPolicy, in, "")
	if err != nil {
		return nil, err
	}
	if cond, ok := p["conditions"].(map[string]any); ok {
		if arr, _ := cond["clientAppTypes"].([]any); len(arr) == 0 {
			cond["clientAppTypes"] = []any{"all"}
		}
	}
	if err := validateCAPolicy(p); err != nil {
		return nil, err
	}
	return p, nil
}

func obj(m map[string]any, key string) map[string]any {
	if m == nil {
		return nil
	}
	o, _ := m[key].(map[string]any)
	return o
}

// validateCAPolicy applies the Conditional Access service's semantic rules.
func validateCAPolicy(p map[string]any) *httpx.GraphError {
	if s, _ := p["displayName"].(string); s == "" {
		return caBadRequest("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. The property 'displayName' is required.")
	}
	if p["state"] == nil {
		return caBadRequest("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. The property 'state' is required.")
	}
	cond := obj(p, "conditions")
	if cond == nil {
		return caBadRequest("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. The property 'conditions' is required.")
	}
	users := obj(cond, "users")
	if users == nil {
		return caBadRequest("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. The property 'conditions.users' is required.")
	}
	if len(store.Strings(users, "includeUsers"))+len(store.Strings(users, "includeGroups"))+len(store.Strings(users, "includeRoles")) == 0 && obj(users, "includeGuestsOrExternalUsers") == nil {
		return caBadRequest("1012: Policy must include at least one user, group, role or guest type in conditions.users (use includeUsers ['None'] to target nobody).")
	}
	apps := obj(cond, "applications")
	if apps == nil {
		return caBadRequest("1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. The property 'conditions.applications' is required.")
	}
	if len(store.Strings(apps, "includeApplications"))+len(store.Strings(apps, "includeUserActions"))+len(store.Strings(apps, "includeAuthenticationContextClassReferences")) == 0 && obj(apps, "applicationFilter") == nil {
		return caBadRequest("1013: Policy must include at least one application, user action or authentication context in conditions.applications.")
	}
	for _, f := range []struct {
		parent map[string]any
		key    string
		path   string
	}{{obj(cond, "devices"), "deviceFilter", "conditions.devices.deviceFilter"}, {apps, "applicationFilter", "conditions.applications.applicationFilter"}, {obj(cond, "clientApplications"), "servicePrincipalFilter", "conditions.clientApplications.servicePrincipalFilter"}} {
		if flt := obj(f.parent, f.key); flt != nil {
			if flt["mode"] == nil || flt["rule"] == nil || flt["rule"] == "" {
				return caBadRequest("1045: '%s' requires both 'mode' and 'rule'.", f.path)
			}
		}
	}
	grant, session := obj(p, "grantControls"), obj(p, "sessionControls")
	if grant == nil && session == nil {
		return caBadRequest("1019: Policy must specify grantControls or sessionControls.")
	}
	if grant != nil {
		if err := validateGrant(grant); err != nil {
			return err
		}
	}
	if session != nil {
		if err := validateSession(session, apps); err != nil {
			return err
		}
	}
	return nil
}

func validateGrant(grant map[string]any) *httpx.GraphError {
	controls := store.Strings(grant, "builtInControls")
	strength := obj(grant, "authenticationStrength")
	n := len(controls) + len(store.Strings(grant, "termsOfUse")) + len(store.Strings(grant, "customAuthenticationFactors"))
	if strength != nil {
		n++
	}
	if n == 0 {
		return caBadRequest("1020: grantControls must contain at least one of builtInControls, authenticationStrength, termsOfUse or customAuthenticationFactors.")
	}
	if grant["operator"] == nil {
		if n > 1 {
			return caBadRequest("1021: grantControls.operator is required when more than one control is specified; use 'AND' or 'OR'.")
		}
		grant["operator"] = "OR"
	}
	if slices.Contains(controls, "block") && n > 1 {
		return caBadRequest("1022: The 'block' grant control cannot be combined with other controls.")
	}
	if strength != nil {
		id, _ := strength["id"].(string)
		if authStrengthByID(id) == nil {
			return caBadRequest("1101: The authentication strength policy '%s' referenced by grantControls.authenticationStrength does not exist.", id)
		}
		if slices.Contains(controls, "mfa") {
			return caBadRequest("1102: grantControls.authenticationStrength cannot be combined with the 'mfa' built-in control.")
		}
	}
	return nil
}

func validateSession(session, apps map[string]any) *httpx.GraphError {
	if f := obj(session, "signInFrequency"); f != nil && f["isEnabled"] == true {
		if f["frequencyInterval"] == "everyTime" {
			if f["type"] != nil || f["value"] != nil {
				return caBadRequest("1031: signInFrequency with frequencyInterval 'everyTime' must not set 'type' or 'value'.")
			}
		} else {
			if f["type"] == nil || f["value"] == nil {
				return caBadRequest("1031: signInFrequency requires 'type' (days or hours) and 'value' when frequencyInterval is 'timeBased'.")
			}
			v, _ := f["value"].(int64)
			if (f["type"] == "hours" && (v < 1 || v > 23)) || (f["type"] == "days" && (v < 1 || v > 365)) {
				return caBadRequest("1032: signInFrequency value %d is out of range for type '%s' (hours: 1-23, days: 1-365).", v, f["type"])
			}
			if f["frequencyInterval"] == nil {
				f["frequencyInterval"] = "timeBased"
			}
		}
	}
	if b := obj(session, "persistentBrowser"); b != nil && b["isEnabled"] == true {
		if b["mode"] == nil {
			return caBadRequest("1033: persistentBrowser requires 'mode' (always or never).")
		}
		if !slices.ContainsFunc(store.Strings(apps, "includeApplications"), func(s string) bool { return s == "All" || s == "all" }) {
			return caBadRequest("1034: The persistentBrowser session control is only supported when conditions.applications.includeApplications is ['All'].")
		}
	}
	if c := obj(session, "cloudAppSecurity"); c != nil && c["isEnabled"] == true && c["cloudAppSecurityType"] == nil {
		return caBadRequest("1035: cloudAppSecurity requires 'cloudAppSecurityType'.")
	}
	return nil
}

// securityDefaultsBlock refuses to enforce a policy while security defaults are on: the two are
// mutually exclusive (report-only and disabled policies are allowed). Callers hold s.store.mu.
func (s *Service) securityDefaultsBlock(p map[string]any) *httpx.GraphError {
	if p["state"] != "enabled" {
		return nil
	}
	if sd := s.Store.State.SecurityDefaults; sd != nil && sd.Cur != nil && sd.Cur["isEnabled"] == true {
		return caBadRequest("Security Defaults is enabled in the tenant. Disable Security Defaults to enable Conditional Access policies.")
	}
	return nil
}
