// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The Office Message Encryption (OME) part of the email block: how recipients outside the
// organization open the encrypted mail message_encryption and the PHI rules produce. Every tenant
// has one OME configuration, "OME Configuration" (Get/Set-OMEConfiguration, Exchange Administrator
// to write). The block manages it only while message_encryption is true: with encryption off the
// settings have no effect, so the tenant's values are neither read nor changed and the state keeps
// the configured ones.

// omeIdentity is the tenant's default OME configuration, the one that applies to all encrypted mail
// that does not name a branding template.
const omeIdentity = "OME Configuration"

// The Set-OMEConfiguration parameters (and Get-OMEConfiguration properties) the block manages.
const (
	omeOTPEnabled     = "OTPEnabled"
	omeSocialIDSignIn = "SocialIdSignIn"
)

// The checklist's values: recipients without a Microsoft account can still read what they are
// sent (a one-time passcode to their address), but not through a consumer social identity the
// covered entity cannot vouch for.
const (
	checklistOMEOneTimePasscode = true
	checklistOMESocialIDSignIn  = false
)

// microsoftOMEDefaults are the values of a new tenant, which Release restores.
var microsoftOMEDefaults = map[string]bool{omeOTPEnabled: true, omeSocialIDSignIn: true}

func omeOneTimePasscodeAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Optional: true, Computed: true, Default: booldefault.StaticBool(checklistOMEOneTimePasscode),
		MarkdownDescription: "Whether recipients outside the organization who have no Microsoft account can open encrypted mail with a " +
			"one-time passcode sent to their address (`Set-OMEConfiguration -Identity \"" + omeIdentity + "\" -OTPEnabled`). `false` " +
			"leaves such recipients (patients, many business associates) unable to read the PHI sent to them. Managed only when " +
			"`message_encryption` is `true`; otherwise the tenant's setting is left as it is. Defaults to `true` (Microsoft's default too). " +
			"HIPAA 164.312(e)(2)(ii), 164.312(d).",
	}
}

func omeSocialIDSignInAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Optional: true, Computed: true, Default: booldefault.StaticBool(checklistOMESocialIDSignIn),
		MarkdownDescription: "Whether recipients outside the organization may open encrypted mail by signing in with a consumer social " +
			"identity such as a Google or Facebook account (`Set-OMEConfiguration -Identity \"" + omeIdentity + "\" -SocialIdSignIn`). " +
			"`false` makes them prove control of the address with a one-time passcode (or a Microsoft account) instead, so PHI is not " +
			"read through an identity provider the organization has no agreement with. Managed only when `message_encryption` is " +
			"`true`; otherwise the tenant's setting is left as it is. Defaults to `false`; destroying the baseline with restore puts " +
			"Microsoft's default (`true`) back. HIPAA 164.312(d), 164.312(e)(2)(ii).",
	}
}

// readOME returns the tenant's default OME configuration.
func readOME(ctx context.Context, exo *m365.CommandClient) (map[string]any, error) {
	return exo.InvokeSingle(ctx, "Get-OMEConfiguration", map[string]any{"Identity": omeIdentity})
}

// omeBool returns an OME property, Microsoft's default when the output lacks it.
func omeBool(ome map[string]any, key string) bool {
	if v, ok := ome[key]; !ok || v == nil {
		return microsoftOMEDefaults[key]
	}
	return boolOf(ome, key)
}

// omeParams returns the Set-OMEConfiguration parameters that bring ome to the wanted values
// (only those that differ), or nil when it already has them.
func omeParams(ome map[string]any, oneTimePasscode, socialIDSignIn bool) map[string]any {
	p := map[string]any{}
	for key, want := range map[string]bool{omeOTPEnabled: oneTimePasscode, omeSocialIDSignIn: socialIDSignIn} {
		if omeBool(ome, key) != want {
			p[key] = want
		}
	}
	if len(p) == 0 {
		return nil
	}
	p["Identity"] = omeIdentity
	return p
}

// omeManaged reports whether the block manages the OME settings for m: only with message
// encryption on (null, as on import, means the default, on).
func omeManaged(m emailModel) bool { return boolDefault(m.MessageEncryption, true) }

// flattenOME sets m's OME attributes: the live values where the block manages them, the
// reference's otherwise (the checklist's when the reference has none, as after an upgrade from
// a version without them).
func flattenOME(m *emailModel, ome map[string]any, ref emailModel) {
	if omeManaged(ref) && ome != nil {
		m.OMEOneTimePasscode = types.BoolValue(omeBool(ome, omeOTPEnabled))
		m.OMESocialIDSignIn = types.BoolValue(omeBool(ome, omeSocialIDSignIn))
		return
	}
	m.OMEOneTimePasscode = types.BoolValue(boolDefault(ref.OMEOneTimePasscode, checklistOMEOneTimePasscode))
	m.OMESocialIDSignIn = types.BoolValue(boolDefault(ref.OMESocialIDSignIn, checklistOMESocialIDSignIn))
}

// syncOME applies p's OME settings when the block manages them, changing only what differs from
// live.OME, which it updates.
func syncOME(ctx context.Context, exo *m365.CommandClient, p emailModel, live *emailLive) error {
	if !omeManaged(p) || live.OME == nil {
		return nil
	}
	params := omeParams(live.OME, p.OMEOneTimePasscode.ValueBool(), p.OMESocialIDSignIn.ValueBool())
	if params == nil {
		return nil
	}
	if _, err := exo.Invoke(ctx, "Set-OMEConfiguration", params); err != nil {
		return err
	}
	for k, v := range params {
		if k != "Identity" {
			live.OME[k] = v
		}
	}
	return nil
}

// restoreOMEParams are the Set-OMEConfiguration parameters that put Microsoft's defaults back.
func restoreOMEParams() map[string]any {
	return map[string]any{"Identity": omeIdentity, omeOTPEnabled: microsoftOMEDefaults[omeOTPEnabled],
		omeSocialIDSignIn: microsoftOMEDefaults[omeSocialIDSignIn]}
}
