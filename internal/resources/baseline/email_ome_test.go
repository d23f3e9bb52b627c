// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

func TestOMEParams(t *testing.T) {
	omeParams := func(o map[string]any, oneTimePasscode, socialIDSignIn bool) map[string]any {
		return omeParams(exchange.DecodeOMEConfiguration(o), oneTimePasscode, socialIDSignIn)
	}
	microsoft := map[string]any{"Identity": exchange.OMEIdentity, "OTPEnabled": true, "SocialIdSignIn": true}
	p := omeParams(microsoft, true, false)
	if len(p) != 2 || p["Identity"] != exchange.OMEIdentity || p["SocialIdSignIn"] != false {
		t.Errorf("Microsoft's defaults to the checklist: %v", p)
	}
	if _, ok := p["OTPEnabled"]; ok {
		t.Error("an unchanged OTPEnabled must not be sent")
	}
	if p := omeParams(map[string]any{"OTPEnabled": true, "SocialIdSignIn": false}, true, false); p != nil {
		t.Errorf("a compliant configuration needs no change, got %v", p)
	}
	p = omeParams(map[string]any{"OTPEnabled": "False", "SocialIdSignIn": "False"}, true, false)
	if len(p) != 2 || p["OTPEnabled"] != true {
		t.Errorf("PowerShell's string spelling must compare as a bool: %v", p)
	}
	// A property missing from the output reads as Microsoft's default (true).
	if p := omeParams(map[string]any{}, true, true); p != nil {
		t.Errorf("missing properties read as Microsoft's defaults, got %v", p)
	}
	if r := restoreOMEParams(); r["Identity"] != exchange.OMEIdentity || r["OTPEnabled"] != true || r["SocialIdSignIn"] != true {
		t.Errorf("restore = %v", r)
	}
}

func TestFlattenOME(t *testing.T) {
	live := decoded(exchange.DecodeOMEConfiguration, map[string]any{"OTPEnabled": false, "SocialIdSignIn": true})

	// Managed (message encryption on): the live values, so drift shows.
	var m emailModel
	flattenOME(&m, live, defaultEmailModel())
	if m.OMEOneTimePasscode.ValueBool() || !m.OMESocialIDSignIn.ValueBool() {
		t.Errorf("managed: %v %v, want the live false/true", m.OMEOneTimePasscode, m.OMESocialIDSignIn)
	}

	// Import: the reference has no message_encryption yet, which means the default (on).
	ref := defaultEmailModel()
	ref.MessageEncryption = types.BoolNull()
	flattenOME(&m, live, ref)
	if !m.OMESocialIDSignIn.ValueBool() {
		t.Error("a null message_encryption must manage the OME settings")
	}

	// Not managed: the reference's values, whatever the tenant has.
	ref = defaultEmailModel()
	ref.MessageEncryption, ref.OMESocialIDSignIn = types.BoolValue(false), types.BoolValue(true)
	flattenOME(&m, nil, ref)
	if !m.OMEOneTimePasscode.ValueBool() || !m.OMESocialIDSignIn.ValueBool() {
		t.Errorf("unmanaged: %v %v, want the reference's true/true", m.OMEOneTimePasscode, m.OMESocialIDSignIn)
	}
	// Not managed and a state without the attributes: the checklist's values, no false diff.
	ref.OMEOneTimePasscode, ref.OMESocialIDSignIn = types.BoolNull(), types.BoolNull()
	flattenOME(&m, live, ref)
	if !m.OMEOneTimePasscode.ValueBool() || m.OMESocialIDSignIn.ValueBool() || m.OMESocialIDSignIn.IsNull() {
		t.Errorf("unmanaged without values: %v %v, want the checklist's true/false", m.OMEOneTimePasscode, m.OMESocialIDSignIn)
	}

	// Through flattenEmail: the email block reads the OME values with the rest.
	l := emailLive{IRM: exchange.DecodeIRMConfiguration(map[string]any{"AzureRMSLicensingEnabled": true, "SimplifiedClientAccessEnabled": true}), OME: live}
	if got := flattenEmail(l, defaultEmailModel()); got.OMEOneTimePasscode.ValueBool() || !got.OMESocialIDSignIn.ValueBool() {
		t.Errorf("flattenEmail: %v %v", got.OMEOneTimePasscode, got.OMESocialIDSignIn)
	}
}

// Apply against devtenant changes only the OME setting that differs, a second Apply sends no
// Set-OMEConfiguration at all, message_encryption = false leaves the configuration alone, and
// Release with restore puts Microsoft's defaults back.
func TestExoEmailOMEApplyAndRelease(t *testing.T) {
	ctx := context.Background()
	e, srv := exoDevEnv(t, "noncompliant")
	exo := e.tenant.Exchange()
	b := emailBlock{}
	const setRoute = "POST /exo InvokeCommand Set-OMEConfiguration"
	plan := func(m emailModel) types.Object {
		t.Helper()
		m.SafeLinksStatus, m.SafeAttachmentsStatus = types.StringUnknown(), types.StringUnknown()
		m.TransportRuleIDs, m.InSync = types.MapUnknown(types.StringType), types.BoolValue(true)
		obj, diags := encode(ctx, b, m)
		if diags.HasError() {
			t.Fatal(diags)
		}
		return obj
	}
	ome := func() map[string]any {
		t.Helper()
		o, err := exo.InvokeSingle(ctx, "Get-OMEConfiguration", map[string]any{"Identity": exchange.OMEIdentity})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}

	state, diags := b.Apply(ctx, e, plan(defaultEmailModel()), nullOf(b))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if o := ome(); o["OTPEnabled"] != true || o["SocialIdSignIn"] != false {
		t.Errorf("after apply: OTPEnabled %v SocialIdSignIn %v", o["OTPEnabled"], o["SocialIdSignIn"])
	}
	got, _ := decode[emailModel](ctx, state)
	if !got.OMEOneTimePasscode.ValueBool() || got.OMESocialIDSignIn.ValueBool() {
		t.Errorf("state after apply: %v %v", got.OMEOneTimePasscode, got.OMESocialIDSignIn)
	}
	sets := srv.Stats().ByRoute[setRoute]
	if sets != 1 {
		t.Errorf("%d Set-OMEConfiguration calls, want 1", sets)
	}
	if _, diags = b.Apply(ctx, e, plan(defaultEmailModel()), state); diags.HasError() {
		t.Fatal(diags)
	}
	if n := srv.Stats().ByRoute[setRoute]; n != sets {
		t.Errorf("an apply without changes sent %d Set-OMEConfiguration calls", n-sets)
	}

	// With message encryption off the block neither reads nor writes the OME configuration: the
	// out-of-band value stays and Read reports the configured one.
	if _, err := exo.Invoke(ctx, "Set-OMEConfiguration", map[string]any{"Identity": exchange.OMEIdentity, "SocialIdSignIn": true}); err != nil {
		t.Fatal(err)
	}
	off := defaultEmailModel()
	off.MessageEncryption = types.BoolValue(false)
	state, diags = b.Apply(ctx, e, plan(off), state)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if o := ome(); o["SocialIdSignIn"] != true {
		t.Error("message_encryption = false must leave the OME configuration alone")
	}
	read, diags := b.Read(ctx, e, state)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got, _ = decode[emailModel](ctx, read)
	if got.OMESocialIDSignIn.ValueBool() {
		t.Error("unmanaged ome_social_id_sign_in must read the configured false, not the tenant's true")
	}

	// Back on, then released with restore: Microsoft's defaults.
	if _, err := exo.Invoke(ctx, "Set-OMEConfiguration", map[string]any{"Identity": exchange.OMEIdentity, "OTPEnabled": false}); err != nil {
		t.Fatal(err)
	}
	state, diags = b.Apply(ctx, e, plan(defaultEmailModel()), state)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if o := ome(); o["OTPEnabled"] != true || o["SocialIdSignIn"] != false {
		t.Errorf("after re-enabling: %v %v", o["OTPEnabled"], o["SocialIdSignIn"])
	}
	if diags := b.Release(ctx, e, state, true); diags.HasError() {
		t.Fatal(diags)
	}
	if o := ome(); o["OTPEnabled"] != true || o["SocialIdSignIn"] != true {
		t.Errorf("after release with restore: OTPEnabled %v SocialIdSignIn %v, want Microsoft's true/true", o["OTPEnabled"], o["SocialIdSignIn"])
	}
}
