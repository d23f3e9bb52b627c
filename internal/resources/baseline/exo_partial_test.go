// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/devtenanttest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

// exoDevEnv starts devtenant with seed and returns a block env on it (no Terraform involved), so
// that what Apply returns after a failure can be inspected directly.
func exoDevEnv(t *testing.T, seed string) (*env, *devtenant.Server) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("starts devtenant; runs with TF_ACC=1 like the acceptance tests")
	}
	srv, c := devtenanttest.Start(t, seed)
	return newEnv(c, providerdata.EmergencyAccess{}), srv
}

// The second transport rule failing leaves the first one's id in the state.
func TestExoEmailPartialFailureState(t *testing.T) {
	ctx := context.Background()
	e, srv := exoDevEnv(t, "noncompliant")
	b := emailBlock{}
	m := defaultEmailModel()
	m.SafeLinksStatus, m.SafeAttachmentsStatus = types.StringUnknown(), types.StringUnknown()
	m.TransportRuleIDs, m.InSync = types.MapUnknown(types.StringType), types.BoolValue(true)
	plan, diags := encode(ctx, b, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	// Let the first New-TransportRule through by failing only after it: create the first rule by
	// hand through the block's own helper, then fail the next one.
	if _, err := syncRule(ctx, e.tenant, nil, desiredRules(true, defaultPHISensitiveInfoTypes, nil)[0]); err == nil {
		t.Fatal("the Encrypt template needs Azure RMS, which the noncompliant seed has off: New-TransportRule must fail first")
	}
	if _, err := e.tenant.Exchange().Invoke(ctx, "Set-IRMConfiguration", map[string]any{"AzureRMSLicensingEnabled": true}); err != nil {
		t.Fatal(err)
	}
	first, err := syncRule(ctx, e.tenant, nil, desiredRules(true, defaultPHISensitiveInfoTypes, nil)[0])
	if err != nil {
		t.Fatal(err)
	}
	srv.Faults().FailCmdlet("New-TransportRule", 500, 1)
	state, diags := b.Apply(ctx, e, plan, nullOf(b))
	if !diags.HasError() || !strings.Contains(diags[0].Summary(), "Error Applying Email Block") {
		t.Fatalf("diagnostics = %v", diags)
	}
	got, _ := decode[emailModel](ctx, state)
	ids := mapStrings(got.TransportRuleIDs)
	if len(ids) != 1 || ids[ruleNamePHIEncryption] != first.ID || got.PHIEncryptionRule.ValueBool() || !got.MessageEncryption.ValueBool() {
		t.Fatalf("state after the failure: ids %v phi %v encryption %v", ids, got.PHIEncryptionRule, got.MessageEncryption)
	}
	// Settings after the failed step were not attempted: forwarding is still as seeded.
	if !got.ExternalAutoForwarding.ValueBool() {
		t.Error("external_auto_forwarding reads false although its step never ran")
	}
	state, diags = b.Apply(ctx, e, plan, state)
	if diags.HasError() {
		t.Fatalf("retry: %v", diags)
	}
	got, _ = decode[emailModel](ctx, state)
	if ids := mapStrings(got.TransportRuleIDs); len(ids) != 2 || ids[ruleNamePHIEncryption] != first.ID {
		t.Errorf("ids after the retry = %v", ids)
	}
}
