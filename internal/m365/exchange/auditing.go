// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"context"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Auditing: whether Exchange Online records user and admin activity in the unified audit log
// (Get/Set-AdminAuditLogConfig) and audits mailboxes (Get/Set-OrganizationConfig AuditDisabled).
// Reads need Global Reader, writes Exchange Administrator (with Exchange.ManageAsApp).

// AuditConfig is the tenant's auditing in Exchange Online.
type AuditConfig struct {
	UnifiedAuditLogIngestionEnabled bool // AdminAuditLogConfig.
	AuditDisabled                   bool // OrganizationConfig: mailbox auditing is off for every mailbox.
}

// adminAuditLog routes the AdminAuditLogConfig cmdlets to the mailbox they need: with the
// default anchor Set-AdminAuditLogConfig fails with "Cmdlet needs proxy".
func adminAuditLog(c *m365.Client) m365.InvokeOption {
	return m365.WithAnchorMailbox(m365.AdminAuditLogAnchor(c.TenantID))
}

// GetAuditConfig reads both settings, the unified audit log first.
func GetAuditConfig(ctx context.Context, c *m365.Client) (AuditConfig, error) {
	var cfg AuditConfig
	exo := c.Exchange()
	log, err := exo.InvokeSingle(ctx, "Get-AdminAuditLogConfig", nil, adminAuditLog(c))
	if err != nil {
		return cfg, err
	}
	cfg.UnifiedAuditLogIngestionEnabled = cmdlets.Bool(log, "UnifiedAuditLogIngestionEnabled")
	org, err := exo.InvokeSingle(ctx, "Get-OrganizationConfig", nil)
	if err != nil {
		return cfg, err
	}
	cfg.AuditDisabled = cmdlets.Bool(org, "AuditDisabled")
	return cfg, nil
}

// SetUnifiedAuditLogIngestion turns recording into the unified audit log on or off.
func SetUnifiedAuditLogIngestion(ctx context.Context, c *m365.Client, enabled bool) error {
	_, err := c.Exchange().Invoke(ctx, "Set-AdminAuditLogConfig", map[string]any{"UnifiedAuditLogIngestionEnabled": enabled}, adminAuditLog(c))
	return err
}

// SetAuditDisabled turns mailbox auditing off (true) or on (false) for every mailbox.
func SetAuditDisabled(ctx context.Context, c *m365.Client, disabled bool) error {
	_, err := c.Exchange().Invoke(ctx, "Set-OrganizationConfig", map[string]any{"AuditDisabled": disabled})
	return err
}
