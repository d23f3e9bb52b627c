// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package directory

import "strings"

// Template ids of built-in roles, as "Microsoft Entra built-in roles" lists them
// (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
const (
	GlobalAdministrator                   = "62e90394-69f5-4237-9190-012177145e10"
	ApplicationAdministrator              = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	AuthenticationAdministrator           = "c4e39bd9-1100-46d3-8c65-fb160da0071f"
	BillingAdministrator                  = "b0f54661-2d74-4c50-afa3-1ec803f12efe"
	CloudApplicationAdministrator         = "158c047a-c907-4556-b7ef-446551a6b5f7"
	ConditionalAccessAdministrator        = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	ExchangeAdministrator                 = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	HelpdeskAdministrator                 = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
	PasswordAdministrator                 = "966707d0-3269-4727-9be2-8c3a10f19b9d"
	PrivilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
	PrivilegedRoleAdministrator           = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	SecurityAdministrator                 = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	SharePointAdministrator               = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
	UserAdministrator                     = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	HybridIdentityAdministrator           = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"
	ComplianceAdministrator               = "17315797-102d-40b4-93e0-432062caca18"
	GlobalReader                          = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
)

// Template ids of the roles the authorization policy's guestUserRoleId takes: what guests may
// see of the directory (https://learn.microsoft.com/graph/api/resources/authorizationpolicy).
const (
	User                = "a0b1b346-4d3e-4e8b-98f8-753987be4970" // Guests see what members see.
	GuestUser           = "10dae51f-b6af-4016-8d66-8c2a99b929b3" // Limited directory access (Microsoft's default).
	RestrictedGuestUser = "2af84b1e-32c8-42b7-82bc-daa82404023b" // Their own objects only.
)

// Privileged are the 14 roles of Microsoft's Conditional Access template "Require
// phishing-resistant multifactor authentication for administrators", in its order
// (https://learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa):
// a tenant that deploys Microsoft's template covers exactly these, and each of them can change
// a safeguard or reset the credentials of someone who can.
func Privileged() []string {
	return []string{
		GlobalAdministrator, ApplicationAdministrator, AuthenticationAdministrator, BillingAdministrator,
		CloudApplicationAdministrator, ConditionalAccessAdministrator, ExchangeAdministrator, HelpdeskAdministrator,
		PasswordAdministrator, PrivilegedAuthenticationAdministrator, PrivilegedRoleAdministrator, SecurityAdministrator,
		SharePointAdministrator, UserAdministrator,
	}
}

// Name is the display name of a built-in role's template id (any case), or the id itself when
// it is not a built-in role.
func Name(id string) string {
	if n, ok := catalog[strings.ToLower(id)]; ok {
		return n
	}
	return id
}

// ByName is the template id of a built-in role, by display name (any case).
func ByName(name string) (string, bool) {
	for id, n := range catalog {
		if strings.EqualFold(n, name) {
			return id, true
		}
	}
	return "", false
}
