// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"context"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Out-of-band access to Exchange Online and Security & Compliance, as an administrator in
// PowerShell would have: tests change settings behind Terraform's back and assert what the
// tenant really has, through the same InvokeCommand endpoint the provider uses.

// Exchange runs an Exchange Online cmdlet and returns its output; the test fails on error.
// Set-AdminAuditLogConfig gets the anchor mailbox it needs.
func (tn *Tenant) Exchange(t *testing.T, cmdlet string, params map[string]any) []map[string]any {
	t.Helper()
	var opts []m365.InvokeOption
	if strings.EqualFold(cmdlet, "Set-AdminAuditLogConfig") || strings.EqualFold(cmdlet, "Get-AdminAuditLogConfig") {
		opts = append(opts, m365.WithAnchorMailbox(m365.AdminAuditLogAnchor(tn.Portal.TenantID)))
	}
	out, err := tn.Portal.Exchange().Invoke(context.Background(), cmdlet, params, opts...)
	if err != nil {
		t.Fatalf("portal %s: %v", cmdlet, err)
	}
	return out
}

// Compliance runs a Security & Compliance cmdlet and returns its output; the test fails on error.
func (tn *Tenant) Compliance(t *testing.T, cmdlet string, params map[string]any) []map[string]any {
	t.Helper()
	out, err := tn.Portal.Compliance().Invoke(context.Background(), cmdlet, params)
	if err != nil {
		t.Fatalf("portal %s: %v", cmdlet, err)
	}
	return out
}

// ExchangeSingle runs an Exchange Online Get- cmdlet that outputs one object (a singleton such as
// Get-OrganizationConfig, or a Get- with -Identity) and returns it.
func (tn *Tenant) ExchangeSingle(t *testing.T, cmdlet string, params map[string]any) map[string]any {
	t.Helper()
	out := tn.Exchange(t, cmdlet, params)
	if len(out) != 1 {
		t.Fatalf("portal %s: %d objects, want 1", cmdlet, len(out))
	}
	return out[0]
}

// CountNamed counts the objects a Get- cmdlet lists with the given Name: tests use it to prove
// that a retried apply created no duplicates.
func CountNamed(objs []map[string]any, name string) int {
	n := 0
	for _, o := range objs {
		if s, _ := o["Name"].(string); strings.EqualFold(s, name) {
			n++
		}
	}
	return n
}

// Named returns the object a Get- cmdlet listed with the given Name, or nil.
func Named(objs []map[string]any, name string) map[string]any {
	for _, o := range objs {
		if s, _ := o["Name"].(string); strings.EqualFold(s, name) {
			return o
		}
	}
	return nil
}
