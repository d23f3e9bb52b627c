// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"context"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Microsoft Purview Message Encryption: the tenant's IRM configuration (Azure RMS, which provides
// the "Encrypt" template) and its Office Message Encryption (OME) configuration (how recipients
// outside the organization open encrypted mail).

// IRMConfiguration is the tenant's Get-IRMConfiguration.
type IRMConfiguration struct {
	Base
	AzureRMSLicensingEnabled      bool
	SimplifiedClientAccessEnabled bool
}

// DecodeIRMConfiguration reads Get-IRMConfiguration output.
func DecodeIRMConfiguration(o cmdlets.Object) IRMConfiguration {
	return IRMConfiguration{Base: baseOf(o), AzureRMSLicensingEnabled: cmdlets.Bool(o, "AzureRMSLicensingEnabled"),
		SimplifiedClientAccessEnabled: cmdlets.Bool(o, "SimplifiedClientAccessEnabled")}
}

// GetIRMConfiguration reads the tenant's IRM configuration.
func GetIRMConfiguration(ctx context.Context, c *m365.Client) (*IRMConfiguration, error) {
	return get(ctx, c, "Get-IRMConfiguration", "", DecodeIRMConfiguration)
}

// SetIRMConfiguration runs Set-IRMConfiguration and updates cfg (when not nil) on success.
func SetIRMConfiguration(ctx context.Context, c *m365.Client, cfg *IRMConfiguration, params map[string]any) error {
	return set(ctx, c, "Set-IRMConfiguration", params, cfg, DecodeIRMConfiguration)
}

// OMEIdentity is the tenant's default OME configuration, the one that applies to all encrypted
// mail that does not name a branding template.
const OMEIdentity = "OME Configuration"

// The Set-OMEConfiguration parameters (and Get-OMEConfiguration properties) of the sign-in options.
const (
	OMEOTPEnabled     = "OTPEnabled"
	OMESocialIDSignIn = "SocialIdSignIn"
)

// OMEDefaults are the sign-in options of a new tenant.
var OMEDefaults = map[string]bool{OMEOTPEnabled: true, OMESocialIDSignIn: true}

// OMEConfiguration is one Get-OMEConfiguration.
type OMEConfiguration struct {
	Base
	OTPEnabled     bool // Recipients without a Microsoft account may open mail with a one-time passcode.
	SocialIDSignIn bool // Recipients may sign in with a consumer social identity (Google, Facebook).
}

// DecodeOMEConfiguration reads Get-OMEConfiguration output; a sign-in option the output lacks
// (older hosts omit them) has Microsoft's default.
func DecodeOMEConfiguration(o cmdlets.Object) OMEConfiguration {
	option := func(key string) bool {
		if v, ok := o[key]; !ok || v == nil {
			return OMEDefaults[key]
		}
		return cmdlets.Bool(o, key)
	}
	return OMEConfiguration{Base: baseOf(o), OTPEnabled: option(OMEOTPEnabled), SocialIDSignIn: option(OMESocialIDSignIn)}
}

// GetOMEConfiguration reads the OME configuration identity (OMEIdentity for the tenant's default).
func GetOMEConfiguration(ctx context.Context, c *m365.Client, identity string) (*OMEConfiguration, error) {
	return get(ctx, c, "Get-OMEConfiguration", identity, DecodeOMEConfiguration)
}

// SetOMEConfiguration runs Set-OMEConfiguration and updates cfg (when not nil) on success.
func SetOMEConfiguration(ctx context.Context, c *m365.Client, cfg *OMEConfiguration, params map[string]any) error {
	return set(ctx, c, "Set-OMEConfiguration", params, cfg, DecodeOMEConfiguration)
}
