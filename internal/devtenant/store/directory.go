// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package store

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// User holds the microsoft.graph.user properties devtenant serves. Pointers are properties Graph
// returns as null when unset.
type User struct {
	ID                    string            `json:"id"`
	BusinessPhones        []string          `json:"businessPhones"`
	DisplayName           string            `json:"displayName"`
	GivenName             *string           `json:"givenName"`
	JobTitle              *string           `json:"jobTitle"`
	Mail                  *string           `json:"mail"`
	MobilePhone           *string           `json:"mobilePhone"`
	OfficeLocation        *string           `json:"officeLocation"`
	PreferredLanguage     *string           `json:"preferredLanguage"`
	Surname               *string           `json:"surname"`
	UserPrincipalName     string            `json:"userPrincipalName"`
	AccountEnabled        bool              `json:"accountEnabled"`
	AssignedLicenses      []AssignedLicense `json:"assignedLicenses"`
	CompanyName           *string           `json:"companyName"`
	CreatedDateTime       string            `json:"createdDateTime"`
	CreationType          *string           `json:"creationType"`
	Department            *string           `json:"department"`
	EmployeeID            *string           `json:"employeeId"`
	ExternalUserState     *string           `json:"externalUserState"`
	MailNickname          string            `json:"mailNickname"`
	OnPremisesSyncEnabled *bool             `json:"onPremisesSyncEnabled"`
	UsageLocation         *string           `json:"usageLocation"`
	UserType              string            `json:"userType"`
}

type AssignedLicense struct {
	DisabledPlans []string `json:"disabledPlans"`
	SkuID         string   `json:"skuId"`
}

// Group holds the microsoft.graph.group properties devtenant serves.
type Group struct {
	ID                            string   `json:"id"`
	DeletedDateTime               *string  `json:"deletedDateTime"`
	Classification                *string  `json:"classification"`
	CreatedDateTime               string   `json:"createdDateTime"`
	CreationOptions               []string `json:"creationOptions"`
	Description                   *string  `json:"description"`
	DisplayName                   string   `json:"displayName"`
	ExpirationDateTime            *string  `json:"expirationDateTime"`
	GroupTypes                    []string `json:"groupTypes"`
	IsAssignableToRole            *bool    `json:"isAssignableToRole"`
	Mail                          *string  `json:"mail"`
	MailEnabled                   bool     `json:"mailEnabled"`
	MailNickname                  string   `json:"mailNickname"`
	MembershipRule                *string  `json:"membershipRule"`
	MembershipRuleProcessingState *string  `json:"membershipRuleProcessingState"`
	OnPremisesSyncEnabled         *bool    `json:"onPremisesSyncEnabled"`
	PreferredDataLocation         *string  `json:"preferredDataLocation"`
	PreferredLanguage             *string  `json:"preferredLanguage"`
	ProxyAddresses                []string `json:"proxyAddresses"`
	RenewedDateTime               string   `json:"renewedDateTime"`
	ResourceBehaviorOptions       []string `json:"resourceBehaviorOptions"`
	ResourceProvisioningOptions   []string `json:"resourceProvisioningOptions"`
	SecurityEnabled               bool     `json:"securityEnabled"`
	SecurityIdentifier            string   `json:"securityIdentifier"`
	Theme                         *string  `json:"theme"`
	Visibility                    *string  `json:"visibility"`
}

// DirectoryRole is an activated directory role.
type DirectoryRole struct {
	ID              string  `json:"id"`
	DeletedDateTime *string `json:"deletedDateTime"`
	Description     string  `json:"description"`
	DisplayName     string  `json:"displayName"`
	RoleTemplateID  string  `json:"roleTemplateId"`
}

// RoleAssignment is a unifiedRoleAssignment at directory scope.
type RoleAssignment struct {
	ID               string  `json:"id"`
	AppScopeID       *string `json:"appScopeId"`
	Condition        *string `json:"condition"`
	DirectoryScopeID string  `json:"directoryScopeId"`
	PrincipalID      string  `json:"principalId"`
	RoleDefinitionID string  `json:"roleDefinitionId"`
}

// RoleAssignmentID builds an id shaped like Graph's: the role and principal GUIDs in base64url
// followed by "-1".
func RoleAssignmentID(roleDefinitionID, principalID string) string {
	return GUIDBase64(roleDefinitionID) + GUIDBase64(principalID) + "-1"
}

func GUIDBase64(g string) string {
	b, err := hex.DecodeString(strings.ReplaceAll(g, "-", ""))
	if err != nil {
		return g
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
