// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// The Office Message Encryption (OME) part of the email block: how recipients outside the
// organization open the encrypted mail message_encryption and the PHI rules produce. Every tenant
// has one OME configuration, "OME Configuration" (Get/Set-OMEConfiguration, Exchange Administrator
// to write). The block manages it only while message_encryption is true: with encryption off the
// settings have no effect, so the tenant's values are neither read nor changed and the state keeps
// the configured ones.

// The checklist's values: recipients without a Microsoft account can still read what they are
// sent (a one-time passcode to their address), but not through a consumer social identity the
// covered entity cannot vouch for.
const (
	checklistOMEOneTimePasscode = true
	checklistOMESocialIDSignIn  = false
)

func omeOneTimePasscodeAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Optional: true, Computed: true, Default: booldefault.StaticBool(checklistOMEOneTimePasscode),
		MarkdownDescription: "Whether recipients outside the organization who have no Microsoft account can open encrypted mail with a " +
			"one-time passcode sent to their address (`Set-OMEConfiguration -Identity \"" + exchange.OMEIdentity + "\" -OTPEnabled`). `false` " +
			"leaves such recipients (patients, many business associates) unable to read the PHI sent to them. Managed only when " +
			"`message_encryption` is `true`; otherwise the tenant's setting is left as it is. Defaults to `true` (Microsoft's default too). " +
			"HIPAA 164.312(e)(2)(ii), 164.312(d).",
	}
}

func omeSocialIDSignInAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Optional: true, Computed: true, Default: booldefault.StaticBool(checklistOMESocialIDSignIn),
		MarkdownDescription: "Whether recipients outside the organization may open encrypted mail by signing in with a consumer social " +
			"identity such as a Google or Facebook account (`Set-OMEConfiguration -Identity \"" + exchange.OMEIdentity + "\" -SocialIdSignIn`). " +
			"`false` makes them prove control of the address with a one-time passcode (or a Microsoft account) instead, so PHI is not " +
			"read through an identity provider the organization has no agreement with. Managed only when `message_encryption` is " +
			"`true`; otherwise the tenant's setting is left as it is. Defaults to `false`; destroying the baseline with restore puts " +
			"Microsoft's default (`true`) back. HIPAA 164.312(d), 164.312(e)(2)(ii).",
	}
}

// omeParams returns the Set-OMEConfiguration parameters that bring ome to the wanted values
// (only those that differ), or nil when it already has them.
func omeParams(ome exchange.OMEConfiguration, oneTimePasscode, socialIDSignIn bool) map[string]any {
	p := map[string]any{}
	if ome.OTPEnabled != oneTimePasscode {
		p[exchange.OMEOTPEnabled] = oneTimePasscode
	}
	if ome.SocialIDSignIn != socialIDSignIn {
		p[exchange.OMESocialIDSignIn] = socialIDSignIn
	}
	if len(p) == 0 {
		return nil
	}
	p["Identity"] = exchange.OMEIdentity
	return p
}

// omeManaged reports whether the block manages the OME settings for m: only with message
// encryption on (null, as on import, means the default, on).
func omeManaged(m emailModel) bool { return boolDefault(m.MessageEncryption, true) }

// flattenOME sets m's OME attributes: the live values where the block manages them, the
// reference's otherwise (the checklist's when the reference has none, as after an upgrade from
// a version without them).
func flattenOME(m *emailModel, ome *exchange.OMEConfiguration, ref emailModel) {
	if omeManaged(ref) && ome != nil {
		m.OMEOneTimePasscode = types.BoolValue(ome.OTPEnabled)
		m.OMESocialIDSignIn = types.BoolValue(ome.SocialIDSignIn)
		return
	}
	m.OMEOneTimePasscode = types.BoolValue(boolDefault(ref.OMEOneTimePasscode, checklistOMEOneTimePasscode))
	m.OMESocialIDSignIn = types.BoolValue(boolDefault(ref.OMESocialIDSignIn, checklistOMESocialIDSignIn))
}

// syncOME applies p's OME settings when the block manages them, changing only what differs from
// live.OME, which it updates.
func syncOME(ctx context.Context, c *m365.Client, p emailModel, live *emailLive) error {
	if !omeManaged(p) || live.OME == nil {
		return nil
	}
	params := omeParams(*live.OME, p.OMEOneTimePasscode.ValueBool(), p.OMESocialIDSignIn.ValueBool())
	if params == nil {
		return nil
	}
	return exchange.SetOMEConfiguration(ctx, c, live.OME, params)
}

// restoreOMEParams are the Set-OMEConfiguration parameters that put Microsoft's defaults back.
func restoreOMEParams() map[string]any {
	return map[string]any{"Identity": exchange.OMEIdentity, exchange.OMEOTPEnabled: exchange.OMEDefaults[exchange.OMEOTPEnabled],
		exchange.OMESocialIDSignIn: exchange.OMEDefaults[exchange.OMESocialIDSignIn]}
}
