// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package snapshot

// Source kinds: how a source is fetched.
const (
	KindGraph      = "graph"      // Graph v1.0 GET of Path (lists follow @odata.nextLink).
	KindExchange   = "exchange"   // Exchange Online InvokeCommand of Cmdlet.
	KindCompliance = "compliance" // Security & Compliance InvokeCommand of Cmdlet.
	KindSharePoint = "sharepoint" // SharePoint admin GET _api/SPO.Tenant.
)

// Spec says how to fetch a source and which permission it needs.
type Spec struct {
	ID         SourceID
	Kind       string
	Path       string // Graph: path and query under /v1.0.
	Cmdlet     string // Exchange / Compliance.
	List       bool   // Graph: a collection to page through.
	Permission string // Least-privileged read permission or role, for error messages and docs.
}

// The sources the controls read. Ids are stable: they are keys of saved snapshots.
const (
	GraphConditionalAccessPolicies SourceID = "graph.conditionalAccessPolicies"
	GraphSecurityDefaults          SourceID = "graph.securityDefaults"
	GraphAuthenticationMethods     SourceID = "graph.authenticationMethodsPolicy"
	GraphAuthorizationPolicy       SourceID = "graph.authorizationPolicy"
	GraphSharePointSettings        SourceID = "graph.sharepointSettings"
	GraphSubscribedSkus            SourceID = "graph.subscribedSkus"
	GraphOrganization              SourceID = "graph.organization"
	GraphUserRegistrationDetails   SourceID = "graph.userRegistrationDetails"
	GraphRoleAssignments           SourceID = "graph.roleAssignments"
	GraphRoleEligibilitySchedules  SourceID = "graph.roleEligibilitySchedules"
	GraphAccessReviews             SourceID = "graph.accessReviewDefinitions"
	GraphDeviceCompliancePolicies  SourceID = "graph.deviceCompliancePolicies"
	GraphManagedAppPolicies        SourceID = "graph.managedAppPolicies"
	GraphGraphServicePrincipal     SourceID = "graph.microsoftGraphServicePrincipal"
	GraphGraphAppRoleAssignedTo    SourceID = "graph.microsoftGraphAppRoleAssignedTo"
	GraphServicePrincipals         SourceID = "graph.servicePrincipals"
	GraphSecureScores              SourceID = "graph.secureScores"

	ExchangeOrganizationConfig       SourceID = "exchange.Get-OrganizationConfig"
	ExchangeAdminAuditLogConfig      SourceID = "exchange.Get-AdminAuditLogConfig"
	ExchangeIRMConfiguration         SourceID = "exchange.Get-IRMConfiguration"
	ExchangeOMEConfiguration         SourceID = "exchange.Get-OMEConfiguration"
	ExchangeTransportRules           SourceID = "exchange.Get-TransportRule"
	ExchangeOutboundSpamPolicies     SourceID = "exchange.Get-HostedOutboundSpamFilterPolicy"
	ExchangeRemoteDomains            SourceID = "exchange.Get-RemoteDomain"
	ExchangeMalwareFilterPolicies    SourceID = "exchange.Get-MalwareFilterPolicy"
	ExchangeMalwareFilterRules       SourceID = "exchange.Get-MalwareFilterRule"
	ExchangeEOPProtectionRules       SourceID = "exchange.Get-EOPProtectionPolicyRule"
	ExchangeATPProtectionRules       SourceID = "exchange.Get-ATPProtectionPolicyRule"
	ExchangeATPBuiltInProtectionRule SourceID = "exchange.Get-ATPBuiltInProtectionRule"
	ExchangeATPEvaluationRules       SourceID = "exchange.Get-ATPEvaluationRule"
	ExchangeAcceptedDomains          SourceID = "exchange.Get-AcceptedDomain"
	ExchangeSafeLinksPolicies        SourceID = "exchange.Get-SafeLinksPolicy"
	ExchangeSafeLinksRules           SourceID = "exchange.Get-SafeLinksRule"
	ExchangeSafeAttachmentPolicies   SourceID = "exchange.Get-SafeAttachmentPolicy"
	ExchangeSafeAttachmentRules      SourceID = "exchange.Get-SafeAttachmentRule"
	ComplianceAuditRetentionPolicies SourceID = "compliance.Get-UnifiedAuditLogRetentionPolicy"
	ComplianceProtectionAlerts       SourceID = "compliance.Get-ProtectionAlert"
	ComplianceDlpPolicies            SourceID = "compliance.Get-DlpCompliancePolicy"
	ComplianceDlpRules               SourceID = "compliance.Get-DlpComplianceRule"
	SharePointTenant                 SourceID = "sharepoint.SPO.Tenant"
)

// Specs lists every source with how to fetch it. The collector engineer completes Path/Cmdlet
// details; checks and the catalog refer to sources only by id.
var Specs = map[SourceID]Spec{
	GraphConditionalAccessPolicies: {Kind: KindGraph, Path: "/identity/conditionalAccess/policies", List: true, Permission: "Policy.Read.All"},
	GraphSecurityDefaults:          {Kind: KindGraph, Path: "/policies/identitySecurityDefaultsEnforcementPolicy", Permission: "Policy.Read.All"},
	GraphAuthenticationMethods:     {Kind: KindGraph, Path: "/policies/authenticationMethodsPolicy", Permission: "Policy.Read.AuthenticationMethod"},
	GraphAuthorizationPolicy:       {Kind: KindGraph, Path: "/policies/authorizationPolicy", Permission: "Policy.Read.All"},
	GraphSharePointSettings:        {Kind: KindGraph, Path: "/admin/sharepoint/settings", Permission: "SharePointTenantSettings.Read.All"},
	GraphSubscribedSkus:            {Kind: KindGraph, Path: "/subscribedSkus", List: true, Permission: "Organization.Read.All"},
	GraphOrganization:              {Kind: KindGraph, Path: "/organization", List: true, Permission: "Organization.Read.All"},
	GraphUserRegistrationDetails:   {Kind: KindGraph, Path: "/reports/authenticationMethods/userRegistrationDetails?$select=id,userPrincipalName,userType,isAdmin,isMfaRegistered&$top=999", List: true, Permission: "AuditLog.Read.All"},
	GraphRoleAssignments:           {Kind: KindGraph, Path: "/roleManagement/directory/roleAssignments?$expand=principal", List: true, Permission: "RoleManagement.Read.Directory"},
	GraphRoleEligibilitySchedules:  {Kind: KindGraph, Path: "/roleManagement/directory/roleEligibilitySchedules", List: true, Permission: "RoleEligibilitySchedule.Read.Directory"},
	GraphAccessReviews:             {Kind: KindGraph, Path: "/identityGovernance/accessReviews/definitions", List: true, Permission: "AccessReview.Read.All"},
	GraphDeviceCompliancePolicies:  {Kind: KindGraph, Path: "/deviceManagement/deviceCompliancePolicies?$expand=assignments", List: true, Permission: "DeviceManagementConfiguration.Read.All"},
	GraphManagedAppPolicies:        {Kind: KindGraph, Path: "/deviceAppManagement/managedAppPolicies", List: true, Permission: "DeviceManagementApps.Read.All"},
	GraphGraphServicePrincipal:     {Kind: KindGraph, Path: "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appId,appRoles", Permission: "Application.Read.All"},
	GraphGraphAppRoleAssignedTo:    {Kind: KindGraph, Path: "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo", List: true, Permission: "Application.Read.All"},
	GraphServicePrincipals:         {Kind: KindGraph, Path: "/servicePrincipals?$select=id,appId,displayName,appOwnerOrganizationId,publisherName,verifiedPublisher", List: true, Permission: "Application.Read.All"},
	GraphSecureScores:              {Kind: KindGraph, Path: "/security/secureScores?$top=1", List: true, Permission: "SecurityEvents.Read.All"},

	ExchangeOrganizationConfig:       {Kind: KindExchange, Cmdlet: "Get-OrganizationConfig", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeAdminAuditLogConfig:      {Kind: KindExchange, Cmdlet: "Get-AdminAuditLogConfig", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeIRMConfiguration:         {Kind: KindExchange, Cmdlet: "Get-IRMConfiguration", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeOMEConfiguration:         {Kind: KindExchange, Cmdlet: "Get-OMEConfiguration", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeTransportRules:           {Kind: KindExchange, Cmdlet: "Get-TransportRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeOutboundSpamPolicies:     {Kind: KindExchange, Cmdlet: "Get-HostedOutboundSpamFilterPolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeRemoteDomains:            {Kind: KindExchange, Cmdlet: "Get-RemoteDomain", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeMalwareFilterPolicies:    {Kind: KindExchange, Cmdlet: "Get-MalwareFilterPolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeMalwareFilterRules:       {Kind: KindExchange, Cmdlet: "Get-MalwareFilterRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeEOPProtectionRules:       {Kind: KindExchange, Cmdlet: "Get-EOPProtectionPolicyRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeATPProtectionRules:       {Kind: KindExchange, Cmdlet: "Get-ATPProtectionPolicyRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeATPBuiltInProtectionRule: {Kind: KindExchange, Cmdlet: "Get-ATPBuiltInProtectionRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeATPEvaluationRules:       {Kind: KindExchange, Cmdlet: "Get-ATPEvaluationRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeAcceptedDomains:          {Kind: KindExchange, Cmdlet: "Get-AcceptedDomain", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeSafeLinksPolicies:        {Kind: KindExchange, Cmdlet: "Get-SafeLinksPolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeSafeLinksRules:           {Kind: KindExchange, Cmdlet: "Get-SafeLinksRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeSafeAttachmentPolicies:   {Kind: KindExchange, Cmdlet: "Get-SafeAttachmentPolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ExchangeSafeAttachmentRules:      {Kind: KindExchange, Cmdlet: "Get-SafeAttachmentRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	ComplianceAuditRetentionPolicies: {Kind: KindCompliance, Cmdlet: "Get-UnifiedAuditLogRetentionPolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ComplianceProtectionAlerts:       {Kind: KindCompliance, Cmdlet: "Get-ProtectionAlert", Permission: "Exchange.ManageAsApp + Global Reader"},
	ComplianceDlpPolicies:            {Kind: KindCompliance, Cmdlet: "Get-DlpCompliancePolicy", Permission: "Exchange.ManageAsApp + Global Reader"},
	ComplianceDlpRules:               {Kind: KindCompliance, Cmdlet: "Get-DlpComplianceRule", Permission: "Exchange.ManageAsApp + Global Reader"},
	SharePointTenant:                 {Kind: KindSharePoint, Permission: "Sites.FullControl.All (certificate)"},
}
