// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

// UserDefaultProps are the properties GET /users returns without $select.
var UserDefaultProps = []string{"businessPhones", "displayName", "givenName", "jobTitle", "mail",
	"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"}

// roleDescriptions are the descriptions Graph serves for the built-in roles devtenant knows;
// their template ids and names come from the provider's one catalog, internal/m365/directory.
var roleDescriptions = map[string]string{
	directory.GlobalAdministrator:                   "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
	directory.SecurityAdministrator:                 "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
	directory.ConditionalAccessAdministrator:        "Can manage Conditional Access capabilities.",
	directory.ExchangeAdministrator:                 "Can manage all aspects of the Exchange product.",
	directory.SharePointAdministrator:               "Can manage all aspects of the SharePoint service.",
	directory.UserAdministrator:                     "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
	directory.BillingAdministrator:                  "Can perform common billing related tasks like updating payment information.",
	directory.GlobalReader:                          "Can read everything that a Global Administrator can, but not update anything.",
	directory.PrivilegedRoleAdministrator:           "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
	directory.HelpdeskAdministrator:                 "Can reset passwords for non-administrators and Helpdesk Administrators.",
	directory.AuthenticationAdministrator:           "Can access to view, set and reset authentication method information for any non-admin user.",
	directory.PrivilegedAuthenticationAdministrator: "Can access to view, set and reset authentication method information for any user (admin or non-admin).",
	directory.ApplicationAdministrator:              "Can create and manage all aspects of app registrations and enterprise apps.",
	directory.CloudApplicationAdministrator:         "Can create and manage all aspects of app registrations and enterprise apps except App Proxy.",
	directory.HybridIdentityAdministrator:           "Can manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, Pass-through Authentication (PTA), Password hash synchronization (PHS), Seamless Single sign-on (Seamless SSO), and federation settings.",
}

// NewDirectoryRole is the activated directoryRole of a built-in role template.
func NewDirectoryRole(template string) *store.DirectoryRole {
	return &store.DirectoryRole{ID: store.NewGUID(), DisplayName: directory.Name(template), Description: roleDescriptions[template], RoleTemplateID: template}
}
