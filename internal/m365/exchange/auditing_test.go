// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange_test

import (
	"context"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
)

// TestAuditConfig turns both settings over and back, against devtenant or, with
// HIPAA_ACC_REAL_TENANT=1, a real tenant (acctest.Setup). Set-AdminAuditLogConfig fails, in both,
// unless it is routed to the audit configuration mailbox.
func TestAuditConfig(t *testing.T) {
	ctx := context.Background()
	c := acctest.Setup(t, "noncompliant").Portal
	before, err := exchange.GetAuditConfig(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []exchange.AuditConfig{
		{UnifiedAuditLogIngestionEnabled: !before.UnifiedAuditLogIngestionEnabled, AuditDisabled: !before.AuditDisabled}, before,
	} {
		if err := exchange.SetUnifiedAuditLogIngestion(ctx, c, want.UnifiedAuditLogIngestionEnabled); err != nil {
			t.Fatal(err)
		}
		if err := exchange.SetAuditDisabled(ctx, c, want.AuditDisabled); err != nil {
			t.Fatal(err)
		}
		if got, err := exchange.GetAuditConfig(ctx, c); err != nil || got != want {
			t.Errorf("after setting %+v the tenant has %+v (%v)", want, got, err)
		}
	}
}
