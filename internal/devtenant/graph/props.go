// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import "strings"

// The structural properties (not navigations) of each Graph v1.0 type devtenant serves, with
// entity's and every base type's, as msgraph-sdk-go v1.89 models them (GetFieldDeserializers).
// $select accepts each of them, and a selected property devtenant does not store reads as Graph
// writes an unset one: [] for a collection, null otherwise. TestGraphPropsMatchSDKModels keeps
// the lists equal to the models.
var graphTypeProps = map[string]typeProps{
	"user": {
		scalars:     "id,deletedDateTime,aboutMe,accountEnabled,ageGroup,authorizationInfo,birthday,city,companyName,consentProvidedForMinor,country,createdDateTime,creationType,customSecurityAttributes,department,deviceEnrollmentLimit,displayName,employeeHireDate,employeeId,employeeLeaveDateTime,employeeOrgData,employeeType,externalUserState,externalUserStateChangeDateTime,faxNumber,givenName,hireDate,isManagementRestricted,isResourceAccount,jobTitle,lastPasswordChangeDateTime,legalAgeGroupClassification,mail,mailboxSettings,mailNickname,mobilePhone,mySite,officeLocation,onPremisesDistinguishedName,onPremisesDomainName,onPremisesExtensionAttributes,onPremisesImmutableId,onPremisesLastSyncDateTime,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesSyncEnabled,onPremisesUserPrincipalName,passwordPolicies,passwordProfile,postalCode,preferredDataLocation,preferredLanguage,preferredName,print,securityIdentifier,showInAddressList,signInActivity,signInSessionsValidFromDateTime,state,streetAddress,surname,usageLocation,userPrincipalName,userType",
		collections: "assignedLicenses,assignedPlans,businessPhones,identities,imAddresses,interests,licenseAssignmentStates,onPremisesProvisioningErrors,otherMails,pastProjects,provisionedPlans,proxyAddresses,responsibilities,schools,serviceProvisioningErrors,skills",
	},
	"group": {
		scalars:     "id,deletedDateTime,allowExternalSenders,autoSubscribeNewMembers,classification,createdDateTime,description,displayName,expirationDateTime,hasMembersWithLicenseErrors,hideFromAddressLists,hideFromOutlookClients,isArchived,isAssignableToRole,isManagementRestricted,isSubscribedByMail,licenseProcessingState,mail,mailEnabled,mailNickname,membershipRule,membershipRuleProcessingState,onPremisesDomainName,onPremisesLastSyncDateTime,onPremisesNetBiosName,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesSyncEnabled,preferredDataLocation,preferredLanguage,renewedDateTime,securityEnabled,securityIdentifier,theme,uniqueName,unseenCount,visibility",
		collections: "assignedLabels,assignedLicenses,groupTypes,onPremisesProvisioningErrors,proxyAddresses,serviceProvisioningErrors",
	},
	"directoryRole": {
		scalars:     "id,deletedDateTime,description,displayName,roleTemplateId",
		collections: "",
	},
	"unifiedRoleAssignment": {
		scalars:     "id,appScopeId,condition,directoryScopeId,principalId,roleDefinitionId",
		collections: "",
	},
	"organization": {
		scalars:     "id,deletedDateTime,city,country,countryLetterCode,createdDateTime,defaultUsageLocation,displayName,mobileDeviceManagementAuthority,onPremisesLastSyncDateTime,onPremisesSyncEnabled,partnerTenantType,postalCode,preferredLanguage,privacyProfile,state,street,tenantType",
		collections: "assignedPlans,businessPhones,marketingNotificationEmails,provisionedPlans,securityComplianceNotificationMails,securityComplianceNotificationPhones,technicalNotificationMails,verifiedDomains",
	},
	"subscribedSku": {
		scalars:     "id,accountId,accountName,appliesTo,capabilityStatus,consumedUnits,prepaidUnits,skuId,skuPartNumber",
		collections: "servicePlans,subscriptionIds",
	},
	"servicePrincipal": {
		scalars:     "id,deletedDateTime,accountEnabled,appDescription,appDisplayName,appId,applicationTemplateId,appOwnerOrganizationId,appRoleAssignmentRequired,customSecurityAttributes,description,disabledByMicrosoftStatus,displayName,homepage,info,loginUrl,logoutUrl,notes,preferredSingleSignOnMode,preferredTokenSigningKeyThumbprint,samlSingleSignOnSettings,servicePrincipalType,signInAudience,tokenEncryptionKeyId,verifiedPublisher",
		collections: "addIns,alternativeNames,appRoles,keyCredentials,notificationEmailAddresses,oauth2PermissionScopes,passwordCredentials,replyUrls,resourceSpecificApplicationPermissions,servicePrincipalNames,tags",
	},
	"conditionalAccessPolicy": {
		scalars:     "id,conditions,createdDateTime,description,displayName,grantControls,modifiedDateTime,sessionControls,state,templateId",
		collections: "",
	},
	"namedLocation": {
		scalars:     "id,createdDateTime,displayName,modifiedDateTime",
		collections: "",
	},
	"authenticationStrengthPolicy": {
		scalars:     "id,createdDateTime,description,displayName,modifiedDateTime,policyType,requirementsSatisfied",
		collections: "allowedCombinations",
	},
	"userRegistrationDetails": {
		scalars:     "id,isAdmin,isMfaCapable,isMfaRegistered,isPasswordlessCapable,isSsprCapable,isSsprEnabled,isSsprRegistered,isSystemPreferredAuthenticationMethodEnabled,lastUpdatedDateTime,userDisplayName,userPreferredMethodForSecondaryAuthentication,userPrincipalName,userType",
		collections: "methodsRegistered,systemPreferredAuthenticationMethods",
	},
	"unifiedRoleEligibilitySchedule": {
		scalars:     "id,appScopeId,createdDateTime,createdUsing,directoryScopeId,modifiedDateTime,principalId,roleDefinitionId,status,memberType,scheduleInfo",
		collections: "",
	},
	"unifiedRoleAssignmentSchedule": {
		scalars:     "id,appScopeId,createdDateTime,createdUsing,directoryScopeId,modifiedDateTime,principalId,roleDefinitionId,status,assignmentType,memberType,scheduleInfo",
		collections: "",
	},
	"accessReviewScheduleDefinition": {
		scalars:     "id,createdBy,createdDateTime,descriptionForAdmins,descriptionForReviewers,displayName,instanceEnumerationScope,lastModifiedDateTime,scope,settings,status",
		collections: "additionalNotificationRecipients,fallbackReviewers,reviewers,stageSettings",
	},
	"deviceCompliancePolicy": {
		scalars:     "id,createdDateTime,description,displayName,lastModifiedDateTime,version",
		collections: "",
	},
	"managedAppPolicy": {
		scalars:     "id,createdDateTime,description,displayName,lastModifiedDateTime,version",
		collections: "",
	},
	"appRoleAssignment": {
		scalars:     "id,deletedDateTime,appRoleId,createdDateTime,principalDisplayName,principalId,principalType,resourceDisplayName,resourceId",
		collections: "",
	},
	"secureScore": {
		scalars:     "id,activeUserCount,azureTenantId,createdDateTime,currentScore,licensedUserCount,maxScore,vendorInformation",
		collections: "averageComparativeScores,controlScores,enabledServices",
	},
	"authenticationMethodConfiguration": {
		scalars:     "id,state",
		collections: "excludeTargets",
	},
}

// typeProps lists a type's properties, comma-separated.
type typeProps struct{ scalars, collections string }

// lookup returns the property's Graph spelling (names match case-insensitively, as in $select)
// and whether it is a collection; ok is false for a property the type does not have.
func (t typeProps) lookup(name string) (canon string, collection, ok bool) {
	for _, p := range strings.Split(t.scalars, ",") {
		if p != "" && strings.EqualFold(p, name) {
			return p, false, true
		}
	}
	for _, p := range strings.Split(t.collections, ",") {
		if p != "" && strings.EqualFold(p, name) {
			return p, true, true
		}
	}
	return "", false, false
}
