// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package directoryroles names Microsoft Entra's built-in directory roles by their template ids,
// which are the same in every tenant. The baseline's administrator policy and the assessment's
// checks use the same list, so it lives here once.
package directoryroles

// Template ids of built-in roles.
const (
	GlobalAdministrator                   = "62e90394-69f5-4237-9190-012177145e10"
	PrivilegedRoleAdministrator           = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	SecurityAdministrator                 = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	ExchangeAdministrator                 = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	SharePointAdministrator               = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
	ConditionalAccessAdministrator        = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	UserAdministrator                     = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	PrivilegedAuthenticationAdministrator = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
	ApplicationAdministrator              = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	CloudApplicationAdministrator         = "158c047a-c907-4556-b7ef-446551a6b5f7"
	HybridIdentityAdministrator           = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"
	ComplianceAdministrator               = "17315797-102d-40b4-93e0-432062caca18"
	GlobalReader                          = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
)

// Privileged are the roles the HIPAA checklist treats as privileged: each can change a
// safeguard, so each must sign in with phishing-resistant MFA.
func Privileged() []string {
	return []string{
		GlobalAdministrator, PrivilegedRoleAdministrator, SecurityAdministrator, ExchangeAdministrator,
		SharePointAdministrator, ConditionalAccessAdministrator, UserAdministrator,
		PrivilegedAuthenticationAdministrator, ApplicationAdministrator, CloudApplicationAdministrator,
		HybridIdentityAdministrator, ComplianceAdministrator,
	}
}
