// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

// userDefaultProps are the properties GET /users returns without $select.
var userDefaultProps = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail",
	"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}

// Built-in role template ids (the same in every tenant).
const (
	roleGlobalAdmin         = "62e90394-69f5-4237-9190-012177145e10"
	roleSecurityAdmin       = "194ae4cb-b126-40b2-bd5b-6091b380977d"
	roleCAAdmin             = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
	roleExchangeAdmin       = "29232cdf-9323-42fd-ade2-1d097af3e4de"
	roleSharePointAdmin     = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
	roleUserAdmin           = "fe930be7-5e62-47db-91af-98c3a49a38b1"
	roleBillingAdmin        = "b0f54661-2d74-4c50-afa3-1ec803f12efe"
	rolePrivilegedRoleAdmin = "e8611ab8-c189-46e8-94e1-60213ab1f814"
	roleHelpdeskAdmin       = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
	rolePasswordAdmin       = "966707d0-3269-4727-9be2-8c3a10f19b9d"
	roleAuthAdmin           = "c4e39bd9-1100-46d3-8c65-fb160da0071f"
	rolePrivAuthAdmin       = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
	roleAppAdmin            = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
	roleCloudAppAdmin       = "158c047a-c907-4556-b7ef-446551a6b5f7"
	roleGlobalReader        = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
	roleHybridIdentityAdmin = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"
)

var roleTemplates = map[string][2]string{
	roleGlobalAdmin:         {"Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."},
	roleSecurityAdmin:       {"Security Administrator", "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365."},
	roleCAAdmin:             {"Conditional Access Administrator", "Can manage Conditional Access capabilities."},
	roleExchangeAdmin:       {"Exchange Administrator", "Can manage all aspects of the Exchange product."},
	roleSharePointAdmin:     {"SharePoint Administrator", "Can manage all aspects of the SharePoint service."},
	roleUserAdmin:           {"User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins."},
	roleBillingAdmin:        {"Billing Administrator", "Can perform common billing related tasks like updating payment information."},
	roleGlobalReader:        {"Global Reader", "Can read everything that a Global Administrator can, but not update anything."},
	rolePrivilegedRoleAdmin: {"Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."},
	roleHelpdeskAdmin:       {"Helpdesk Administrator", "Can reset passwords for non-administrators and Helpdesk Administrators."},
	roleAuthAdmin:           {"Authentication Administrator", "Can access to view, set and reset authentication method information for any non-admin user."},
	rolePrivAuthAdmin:       {"Privileged Authentication Administrator", "Can access to view, set and reset authentication method information for any user (admin or non-admin)."},
	roleAppAdmin:            {"Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps."},
	roleCloudAppAdmin:       {"Cloud Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps except App Proxy."},
	roleHybridIdentityAdmin: {"Hybrid Identity Administrator", "Can manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, Pass-through Authentication (PTA), Password hash synchronization (PHS), Seamless Single sign-on (Seamless SSO), and federation settings."},
}
