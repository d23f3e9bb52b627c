// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.AUDIT.1v1", flagCheck{source: snapshot.ExchangeAdminAuditLogConfig, field: "UnifiedAuditLogIngestionEnabled", want: true,
		expected: "The unified audit log records user and admin activity.", wrong: "Unified audit log ingestion is off: no activity is recorded.", right: "Unified audit log ingestion is on."}.check)
	register("HIPAA.AUDIT.2v1", flagCheck{source: snapshot.ExchangeOrganizationConfig, field: "AuditDisabled", want: false,
		expected: "Mailbox auditing is on by default for every mailbox.", wrong: "Mailbox auditing is disabled for the organisation (AuditDisabled is true).", right: "Mailbox auditing is on (AuditDisabled is false)."}.check)
	register("HIPAA.AUDIT.3v1", checkAuditRetention)
}

// retentionDays maps UnifiedAuditLogRetentionDuration to days (a year is 365 days, a month 30).
var retentionDays = map[string]int{
	"sevendays": 7, "onemonth": 30, "threemonths": 90, "sixmonths": 180, "ninemonths": 270,
	"twelvemonths": 365, "threeyears": 1095, "fiveyears": 1825, "sevenyears": 2555, "tenyears": 3650,
}

type auditRetentionPolicy struct {
	Name              string      `json:"Name"`
	Enabled           flexBool    `json:"Enabled"`
	RetentionDuration string      `json:"RetentionDuration"`
	RecordTypes       flexStrings `json:"RecordTypes"`
	Operations        flexStrings `json:"Operations"`
	UserIds           flexStrings `json:"UserIds"`
}

func checkAuditRetention(s *snapshot.Snapshot, p Params) Outcome {
	p = p.Defaults()
	expected := fmt.Sprintf("An enabled audit log retention policy keeps every record type for at least %d days.", p.AuditRetentionDays)
	if o := licenceGate(s, expected, "Microsoft Purview Audit (Premium)", planAdvancedAudit); o != nil {
		return *o
	}
	var policies []auditRetentionPolicy
	if err := decodeList(s, snapshot.ComplianceAuditRetentionPolicies, &policies); err != nil {
		return errorOutcome(expected, err)
	}
	var short []string
	best := 0
	for _, pol := range policies {
		days := retentionDays[strings.ToLower(pol.RetentionDuration)]
		if !pol.Enabled.V || len(pol.RecordTypes) > 0 || len(pol.Operations) > 0 || len(pol.UserIds) > 0 {
			continue
		}
		if days >= p.AuditRetentionDays {
			return pass(expected, fmt.Sprintf("Policy %q keeps all audit records for %s (%d days).", pol.Name, pol.RetentionDuration, days))
		}
		if days > best {
			best = days
		}
		short = append(short, pol.Name)
	}
	if len(short) > 0 {
		return fail(expected, fmt.Sprintf("The longest tenant-wide audit retention is %d days.", best), short...)
	}
	return fail(expected, "No enabled audit log retention policy covers every record type; the default keeps records for 180 days.")
}
