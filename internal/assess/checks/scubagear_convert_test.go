// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

// Converters from ScubaGear's test inputs (PowerShell objects: PascalCase Graph SDK properties,
// cmdlet output, arrays for singletons) to our snapshot (Graph v1.0 camelCase bodies, cmdlet
// arrays). Where a ScubaGear policy is silent about something our control also requires, the
// converter fills in the compliant value, so that the verdict turns on what the case tests.
// Every such normalisation is listed in the conformance guide.

type scubaCase struct {
	PolicyID     string         `json:"policy_id"`
	TestName     string         `json:"test_name"`
	RawInput     any            `json:"input"` // An object, or [] for cases without input.
	Input        map[string]any `json:"-"`
	ExpectedPass bool           `json:"expected_pass"`
}

// converter builds the snapshot sources and inputs for one case.
type converter func(c scubaCase) (sources, Params)

func m(v any) map[string]any {
	if o, ok := v.(map[string]any); ok {
		return o
	}
	return map[string]any{}
}

func a(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

func strs(v any) []string {
	var out []string
	for _, x := range a(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// first returns the first object of a ScubaGear singleton array, and whether there was one.
func first(v any) (map[string]any, bool) {
	l := a(v)
	if len(l) == 0 {
		return nil, false
	}
	return m(l[0]), true
}

// fullLicences is Microsoft 365 E5, for controls whose licence the case does not test.
func fullLicences() obj { return e5Skus() }

// capExclusions reads scuba_config's CapExclusions for a policy into our emergency-access ids.
func capExclusions(c scubaCase) Params {
	cfg := m(m(m(c.Input["scuba_config"])["Aad"])[c.PolicyID])
	ex := m(cfg["CapExclusions"])
	return Params{EmergencyAccessUserIDs: strs(ex["Users"]), EmergencyAccessGroupIDs: strs(ex["Groups"])}
}

// caOptions are the per-control normalisations of ScubaGear's CA fixtures, whose policies all
// carry the same risk levels and legacy client types whatever the policy tests.
type caOptions struct {
	keepClients bool // Legacy authentication: client app types are what the case tests.
	roles       bool // Privileged roles: the case's role list stands for our privileged roles.
	// Managed devices: every MS.AAD.3.7v1 fixture carries the same phishing-resistant
	// authentication strength next to its device controls, which ScubaGear's rule does not
	// read; with OR it would be an alternative to the device, so it is dropped.
	dropStrength bool
}

func convertCA(o caOptions) converter {
	return func(c scubaCase) (sources, Params) {
		// ScubaGear's privileged_roles: RoleTemplateId -> DisplayName.
		caseRoles := map[string]string{}
		for _, r := range a(c.Input["privileged_roles"]) {
			caseRoles[str(m(r)["RoleTemplateId"])] = str(m(r)["DisplayName"])
		}
		var policies []any
		for _, raw := range a(c.Input["conditional_access_policies"]) {
			p := m(raw)
			cond := m(p["Conditions"])
			u := m(cond["Users"])
			apps := m(cond["Applications"])
			users := obj{
				"includeUsers": list0(u["IncludeUsers"]), "excludeUsers": list0(u["ExcludeUsers"]),
				"includeGroups": list0(u["IncludeGroups"]), "excludeGroups": list0(u["ExcludeGroups"]),
				"includeRoles": list0(u["IncludeRoles"]), "excludeRoles": list0(u["ExcludeRoles"]),
				"excludeGuestsOrExternalUsers": u["ExcludeGuestsOrExternalUsers"],
			}
			if o.roles && len(strs(u["IncludeRoles"])) > 0 {
				users["includeUsers"] = arr{}
				users["includeRoles"] = mapRoles(strs(u["IncludeRoles"]), caseRoles)
			}
			clients := list0(cond["ClientAppTypes"])
			if !o.keepClients {
				clients = arr{"all"}
			}
			pol := obj{
				"displayName": p["DisplayName"], "state": p["State"],
				"conditions": obj{"users": users,
					"applications":   obj{"includeApplications": list0(apps["IncludeApplications"]), "excludeApplications": list0(apps["ExcludeApplications"])},
					"clientAppTypes": clients},
			}
			if g, ok := p["GrantControls"].(map[string]any); ok {
				gc := obj{"operator": g["Operator"], "builtInControls": list0(g["BuiltInControls"])}
				if s, ok := g["AuthenticationStrength"].(map[string]any); ok && !o.dropStrength {
					gc["authenticationStrength"] = obj{"allowedCombinations": list0(s["AllowedCombinations"])}
				}
				pol["grantControls"] = gc
			}
			policies = append(policies, pol)
		}
		return sources{
			snapshot.GraphConditionalAccessPolicies: list(policies...),
			snapshot.GraphSubscribedSkus:            fullLicences(),
		}, capExclusions(c)
	}
}

// mapRoles turns the case's role ids into ours: a policy that covers every role the case calls
// privileged covers our privileged roles; otherwise each role maps by display name.
func mapRoles(ids []string, caseRoles map[string]string) arr {
	all := len(caseRoles) > 0
	for id := range caseRoles {
		if !containsFold(ids, id) {
			all = false
		}
	}
	if all {
		return roleIDs()
	}
	out := arr{}
	for _, id := range ids {
		mapped := id
		if tmpl, ok := directory.ByName(caseRoles[id]); ok {
			mapped = tmpl
		}
		out = append(out, mapped)
	}
	return out
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// list0 turns null into an empty list, as Graph does.
func list0(v any) arr {
	if l, ok := v.([]any); ok {
		return l
	}
	if s, ok := v.(string); ok {
		return arr{s}
	}
	return arr{}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// camel converts a PowerShell object tree's keys to Graph's camelCase.
func camel(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := obj{}
		for k, x := range t {
			if strings.HasPrefix(k, "@") || strings.Contains(k, "@odata") {
				out[k] = x
				continue
			}
			out[lowerFirst(k)] = camel(x)
		}
		return out
	case []any:
		out := arr{}
		for _, x := range t {
			out = append(out, camel(x))
		}
		return out
	}
	return v
}

// convertAuthMethods: FIDO2 is added enabled when the case has no FIDO2 configuration
// (ScubaGear's authenticator and weak-method policies do not look at it).
func convertAuthMethods(c scubaCase) (sources, Params) {
	am, ok := first(c.Input["authentication_method"])
	if !ok {
		return sources{}, Params{}
	}
	configs := arr{}
	hasFido := false
	for _, x := range a(am["authentication_method_feature_settings"]) {
		cfg := camel(x).(obj)
		if strings.EqualFold(str(cfg["id"]), "Fido2") {
			hasFido = true
		}
		configs = append(configs, cfg)
	}
	if !hasFido {
		configs = append(configs, obj{"id": "Fido2", "state": "enabled"})
	}
	return sources{snapshot.GraphAuthenticationMethods: obj{"authenticationMethodConfigurations": configs}}, Params{}
}

// convertPrivilegedUsers: each user holding Global Administrator becomes an active assignment.
func convertPrivilegedUsers(c scubaCase) (sources, Params) {
	var items []any
	for id, u := range m(c.Input["privileged_users"]) {
		if containsFold(strs(m(u)["roles"]), "Global Administrator") {
			items = append(items, obj{"principalId": id, "roleDefinitionId": roleGlobalAdminTmpl, "directoryScopeId": "/",
				"principal": obj{"@odata.type": "#microsoft.graph.user", "displayName": m(u)["DisplayName"]}})
		}
	}
	return sources{snapshot.GraphRoleAssignments: list(items...)}, Params{}
}

func convertAuthorizationPolicy(c scubaCase) (sources, Params) {
	p, ok := first(c.Input["authorization_policies"])
	if !ok {
		return sources{}, Params{}
	}
	return sources{snapshot.GraphAuthorizationPolicy: obj{"allowInvitesFrom": p["AllowInvitesFrom"], "guestUserRoleId": p["GuestUserRoleId"]}}, Params{}
}

// convertSPO derives both SharePoint sources from SPO.Tenant (Graph's settings use names for
// SPO's integer enums).
func convertSPO(c scubaCase) (sources, Params) {
	out := sources{}
	tenants, present := c.Input["SPO_tenant"]
	if !present {
		return out, Params{}
	}
	t, ok := first(tenants)
	if !ok {
		out[snapshot.SharePointTenant] = arr{}
		return out, Params{}
	}
	out[snapshot.SharePointTenant] = t
	g := obj{"sharingAllowedDomainList": arr{}, "sharingBlockedDomainList": arr{}}
	if v, ok := t["SharingCapability"].(float64); ok {
		g["sharingCapability"] = []string{"disabled", "externalUserSharingOnly", "externalUserAndGuestSharing", "existingExternalUserSharingOnly"}[int(v)]
	}
	if v, ok := t["SharingDomainRestrictionMode"].(float64); ok {
		g["sharingDomainRestrictionMode"] = []string{"none", "allowList", "blockList"}[int(v)]
	}
	out[snapshot.GraphSharePointSettings] = g
	return out, Params{}
}

// convertRemoteDomains: the outbound spam policy, which ScubaGear's policy does not read, is Off.
func convertRemoteDomains(c scubaCase) (sources, Params) {
	return sources{
		snapshot.ExchangeRemoteDomains:        list0(c.Input["remote_domains"]),
		snapshot.ExchangeOutboundSpamPolicies: arr{obj{"Name": "Default", "AutoForwardingMode": "Off"}},
	}, Params{}
}

func convertCmdlet(key string, id snapshot.SourceID) converter {
	return func(c scubaCase) (sources, Params) {
		v, ok := c.Input[key]
		if !ok {
			return sources{}, Params{}
		}
		return sources{id: v}, Params{}
	}
}

func convertAuditRetention(c scubaCase) (sources, Params) {
	plans := arr{}
	for _, p := range a(c.Input["service_plans"]) {
		plans = append(plans, obj{"servicePlanName": m(p)["ServicePlanName"], "servicePlanId": m(p)["ServicePlanId"], "provisioningStatus": m(p)["ProvisioningStatus"]})
	}
	return sources{
		snapshot.GraphSubscribedSkus:              list(obj{"skuPartNumber": "CASE", "capabilityStatus": "Enabled", "servicePlans": plans}),
		snapshot.ComplianceAuditRetentionPolicies: list0(c.Input["unified_audit_log_retention_policies"]),
	}, Params{}
}

// scubaToPHI substitutes HIPAA's PHI identifiers for the federal PII types ScubaGear requires,
// one for one, so that "every required type is detected" means the same in both.
var scubaToPHI = strings.NewReplacer(
	"U.S. Individual Taxpayer Identification Number (ITIN)", "International Classification of Diseases (ICD-9-CM)",
	"Credit Card Number", "International Classification of Diseases (ICD-10-CM)', 'Drug Enforcement Agency (DEA) Number",
)

func convertDLP(c scubaCase) (sources, Params) {
	if lic, ok := c.Input["defender_dlp_license"].(bool); ok && !lic {
		// Without the licence the cmdlets fail: the collector records an error.
		return sources{snapshot.ComplianceDlpPolicies: nil, snapshot.ComplianceDlpRules: nil}, Params{}
	}
	var rules arr
	for _, r := range a(c.Input["dlp_compliance_rules"]) {
		rule := obj{}
		for k, v := range m(r) {
			rule[k] = v
		}
		var types arr
		for _, t := range a(rule["ContentContainsSensitiveInformation"]) {
			name := str(m(t)["name"])
			for _, n := range strings.Split(scubaToPHI.Replace(name), "', '") {
				types = append(types, obj{"name": n})
			}
		}
		rule["ContentContainsSensitiveInformation"] = types
		if adv := str(rule["AdvancedRule"]); adv != "" {
			rule["AdvancedRule"] = scubaToPHI.Replace(adv)
		}
		rules = append(rules, rule)
	}
	return sources{
		snapshot.ComplianceDlpPolicies: list0(c.Input["dlp_compliance_policies"]),
		snapshot.ComplianceDlpRules:    append(arr{}, rules...),
	}, Params{}
}
