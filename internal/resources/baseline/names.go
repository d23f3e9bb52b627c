// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

// The display names of the objects the baseline creates. Import and adopt_existing adopt objects
// by these names (adopt.go), and devtenant's compliant seed uses them, so they are part of the
// contract: never rename one without a state upgrade.
const (
	policyNameMFA            = "HIPAA - Require MFA for all users"
	policyNameLegacyAuth     = "HIPAA - Block legacy authentication"
	policyNameAdmins         = "HIPAA - Phishing-resistant MFA for administrators"
	policyNameDevices        = "HIPAA - Require compliant or hybrid joined device"
	policyNameSession        = "HIPAA - Session lifetime"
	policyNameUnmanaged      = "HIPAA - App-enforced restrictions for unmanaged devices"
	ruleNamePHIEncryption    = "HIPAA - Encrypt external mail containing PHI"
	ruleNamePHIKeywords      = "HIPAA - Encrypt external mail with medical keywords"
	safeLinksName            = "HIPAA - Safe Links"
	safeAttachmentsName      = "HIPAA - Safe Attachments"
	connectorNamePartnerTLS  = "HIPAA - Enforce TLS to partners"
	auditRetentionPolicyName = "HIPAA - Audit log retention"
	alertNameMassDownload    = "HIPAA - Mass file download"
	alertNameForwardingRule  = "HIPAA - Mail forwarding rule created"
	alertNameFailedSignIns   = "HIPAA - Repeated failed sign-ins"
	alertNameAdminRole       = "HIPAA - Admin role assigned"
)
