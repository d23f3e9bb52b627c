// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package providerdata holds what the provider hands to its resources and data sources. It is a leaf
// package so that resources can depend on it without importing the provider package.
package providerdata

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// ProviderData is the configured provider: the tenant client and tenant-wide safety settings.
type ProviderData struct {
	Tenant *m365.Client
	// EmergencyAccess lists the break-glass accounts every blocking or MFA policy must exclude.
	EmergencyAccess EmergencyAccess
	// Version is the provider's version, recorded in snapshots and reports.
	Version string
}

// EmergencyAccess are the object ids of the emergency-access ("break-glass") users and groups.
type EmergencyAccess struct {
	UserIDs  []string
	GroupIDs []string
}

// FromConfigure converts the value a resource's Configure receives. A nil value is normal: Terraform
// calls Configure before the provider is configured during validation.
func FromConfigure(v any) (*ProviderData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return nil, diags
	}
	pd, ok := v.(*ProviderData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerdata.ProviderData, got %T. This is always a bug in the provider code and should be reported to the provider developers.", v))
		return nil, diags
	}
	return pd, diags
}
