// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package seed

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/graph"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

func newOrganization(st *store.State) map[string]any {
	vanity := strings.Replace(st.Domain, ".onmicrosoft.com", ".com", 1)
	return map[string]any{
		"id": st.TenantID, "deletedDateTime": nil, "businessPhones": []any{"+1 555 010 2000"},
		"city": "Springfield", "country": nil, "countryLetterCode": "US", "createdDateTime": st.CreatedDateTime,
		"defaultUsageLocation": "US", "displayName": st.DisplayName, "isMultipleDataLocationsForServicesEnabled": nil,
		"marketingNotificationEmails": []any{}, "onPremisesLastSyncDateTime": nil, "onPremisesSyncEnabled": nil,
		"partnerTenantType": nil, "postalCode": "62701", "preferredLanguage": "en", "privacyProfile": nil,
		"securityComplianceNotificationMails": []any{}, "securityComplianceNotificationPhones": []any{},
		"state": "IL", "street": "100 Main Street", "technicalNotificationMails": []any{"it@" + vanity},
		"tenantType": "AAD", "directorySizeQuota": map[string]any{"used": len(st.Users) + len(st.Groups), "total": 300000},
		"assignedPlans": []any{}, "provisionedPlans": []any{},
		"verifiedDomains": []any{
			map[string]any{"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": false, "isInitial": true, "name": st.Domain, "type": "Managed"},
			map[string]any{"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true, "isInitial": false, "name": vanity, "type": "Managed"},
		},
	}
}

type servicePlan struct{ id, name string }

var e3Plans = []servicePlan{
	{"efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE"},
	{"5dbe027f-2339-4123-9542-606e4d348a72", "SHAREPOINTENTERPRISE"},
	{"e95bec33-7c88-4a70-8e19-b10bd9d0c014", "SHAREPOINTWAC"},
	{"43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION"},
	{"0feaeb32-d00e-4d66-bd5a-43b5b83db82c", "MCOSTANDARD"},
	{"57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1"},
	{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM"},
	{"8a256a2b-b617-496d-b51b-e76466e88db0", "MFA_PREMIUM"},
	{"c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "INTUNE_A"},
	{"bea4c11e-220a-4e6d-8eb8-8ea15d019f90", "RMS_S_ENTERPRISE"},
	{"6c57d4b6-3b23-47a5-9bc9-69f17b4947b3", "RMS_S_PREMIUM"},
	{"2789c901-c14e-48ab-a76a-be334d9d793a", "FORMS_PLAN_E3"},
	{"5136a095-5cf0-4aff-bec3-e84448b38ea5", "MIP_S_CLP1"},
}

var p1Plans = []servicePlan{
	{"41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM"},
	{"8a256a2b-b617-496d-b51b-e76466e88db0", "MFA_PREMIUM"},
	{"932ad362-64a8-4783-9106-97849a1a30b9", "ADALLOM_S_DISCOVERY"},
}

func newSku(st *store.State, skuID, part string, units, consumed int, plans []servicePlan) map[string]any {
	sp := make([]any, len(plans))
	for i, p := range plans {
		sp[i] = map[string]any{"servicePlanId": p.id, "servicePlanName": p.name, "provisioningStatus": "Success", "appliesTo": "User"}
	}
	return map[string]any{
		"accountName": "ContosoFamilyClinic", "accountId": st.TenantID, "appliesTo": "User", "capabilityStatus": "Enabled",
		"consumedUnits": consumed, "id": st.TenantID + "_" + skuID, "skuId": skuID, "skuPartNumber": part,
		"subscriptionIds": []any{store.NewGUID()},
		"prepaidUnits":    map[string]any{"enabled": units, "suspended": 0, "warning": 0, "lockedOut": 0},
		"servicePlans":    sp,
	}
}

// e5Plans are Microsoft 365 E5's plans: E3's plus Entra ID P2, Defender for Office 365,
// Audit (Premium) and the other E5 security and compliance plans.
var e5Plans = append(slices.Clone(e3Plans),
	servicePlan{"eec0eb4f-6444-4f95-aba0-50c24d67f998", "AAD_PREMIUM_P2"},
	servicePlan{"f20fedf3-f3c3-43c3-8267-2bfdd51c0939", "ATP_ENTERPRISE"},
	servicePlan{"8e0c0a52-6a6c-4d40-8370-dd62790dcd70", "THREAT_INTELLIGENCE"},
	servicePlan{"2f442157-a11c-46b9-ae5b-6e39ff4e5849", "M365_ADVANCED_AUDITING"},
	servicePlan{"efb0351d-3b08-4503-993d-383af8de41e3", "MIP_S_CLP2"},
	servicePlan{"9f431833-0334-42de-a7dc-70aa40db46db", "LOCKBOX_ENTERPRISE"},
	servicePlan{"b1188c4c-1b36-4018-b48b-ee07604f6feb", "PAM_ENTERPRISE"},
	servicePlan{"4828c8ec-dc2e-4779-b502-87ac9ce28ab7", "MCOEV"},
)

// newSubscribedSkus gives the compliant seed Microsoft 365 E5, the others Microsoft 365 E3 and
// Entra ID P1 (which Conditional Access needs).
func newSubscribedSkus(st *store.State, seed string, licensed int) []map[string]any {
	if seed == Compliant {
		return []map[string]any{newSku(st, skuE5, "SPE_E5", 25, licensed, e5Plans)}
	}
	return []map[string]any{
		newSku(st, skuE3, "SPE_E3", 25, licensed, e3Plans),
		newSku(st, skuP1, "AAD_PREMIUM", 25, licensed, p1Plans),
	}
}

// adminRoles are the 14 roles of Microsoft's template "Require phishing-resistant multifactor
// authentication for administrators", which the compliant seed's administrator policy targets.
var adminRoles = []any{directory.GlobalAdministrator, directory.ApplicationAdministrator, directory.AuthenticationAdministrator, directory.BillingAdministrator, directory.CloudApplicationAdministrator, directory.ConditionalAccessAdministrator,
	directory.ExchangeAdministrator, directory.HelpdeskAdministrator, directory.PasswordAdministrator, directory.PrivilegedAuthenticationAdministrator, directory.PrivilegedRoleAdministrator, directory.SecurityAdministrator,
	directory.SharePointAdministrator, directory.UserAdministrator}

// seedPolicies returns the seed's Conditional Access policies, built through the same validation
// as POST so they have exactly the shape Graph serves.
func seedPolicies(st *store.State, seed string, byNick map[string]*store.User) ([]map[string]any, error) {
	var inputs []map[string]any
	allExceptBG := func() map[string]any {
		return map[string]any{"includeUsers": []any{"All"}, "excludeUsers": []any{st.BreakGlassUserID}}
	}
	allApps := map[string]any{"includeApplications": []any{"All"}}
	switch seed {
	case Noncompliant:
		inputs = append(inputs, map[string]any{
			"displayName": "Test - MFA for IT (old)", "state": "disabled",
			"conditions": map[string]any{"users": map[string]any{"includeUsers": []any{byNick["kevin.walsh"].ID}},
				"applications": allApps, "clientAppTypes": []any{"browser", "mobileAppsAndDesktopClients"}},
			"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"mfa"}},
		})
	case Compliant:
		office := map[string]any{"includeApplications": []any{"Office365"}}
		inputs = append(inputs,
			map[string]any{
				"displayName": "HIPAA - Require MFA for all users", "state": "enabled",
				"conditions":    map[string]any{"users": allExceptBG(), "applications": allApps, "clientAppTypes": []any{"all"}},
				"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"mfa"}},
			},
			map[string]any{
				"displayName": "HIPAA - Block legacy authentication", "state": "enabled",
				"conditions":    map[string]any{"users": allExceptBG(), "applications": allApps, "clientAppTypes": []any{"exchangeActiveSync", "other"}},
				"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"block"}},
			},
			map[string]any{
				"displayName": "HIPAA - Phishing-resistant MFA for administrators", "state": "enabled",
				"conditions": map[string]any{"users": map[string]any{"includeRoles": adminRoles, "excludeUsers": []any{st.BreakGlassUserID}},
					"applications": allApps, "clientAppTypes": []any{"all"}},
				"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{}, "authenticationStrength": map[string]any{"id": graph.AuthStrengthPhishResistant}},
			},
			map[string]any{
				"displayName": "HIPAA - Require compliant or hybrid joined device", "state": "enabled",
				"conditions":    map[string]any{"users": allExceptBG(), "applications": office, "clientAppTypes": []any{"all"}},
				"grantControls": map[string]any{"operator": "OR", "builtInControls": []any{"compliantDevice", "domainJoinedDevice"}},
			},
			map[string]any{
				"displayName": "HIPAA - Session lifetime", "state": "enabled",
				"conditions": map[string]any{"users": allExceptBG(), "applications": allApps, "clientAppTypes": []any{"all"}},
				"sessionControls": map[string]any{
					"signInFrequency":   map[string]any{"isEnabled": true, "type": "hours", "value": int64(8), "frequencyInterval": "timeBased", "authenticationType": "primaryAndSecondaryAuthentication"},
					"persistentBrowser": map[string]any{"isEnabled": true, "mode": "never"},
				},
			},
			map[string]any{
				"displayName": "HIPAA - App-enforced restrictions for unmanaged devices", "state": "enabled",
				"conditions":      map[string]any{"users": allExceptBG(), "applications": office, "clientAppTypes": []any{"all"}},
				"sessionControls": map[string]any{"applicationEnforcedRestrictions": map[string]any{"isEnabled": true}},
			},
		)
	}
	created := time.Now().AddDate(0, -1, 0)
	out := make([]map[string]any, 0, len(inputs))
	for i, in := range inputs {
		p, gerr := graph.BuildCAPolicy(in)
		if gerr != nil {
			return nil, fmt.Errorf("seed policy %q: %s", in["displayName"], gerr.Message)
		}
		p["id"] = store.NewGUID()
		p["createdDateTime"] = store.GraphTime(created.Add(time.Duration(i) * time.Hour))
		p["modifiedDateTime"] = nil
		out = append(out, p)
	}
	return out, nil
}
