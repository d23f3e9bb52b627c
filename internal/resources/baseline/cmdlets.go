// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// What the blocks that work through Exchange Online and Security & Compliance cmdlets (audit,
// email, alerts) share on the schema side: licences, statuses, diagnostics and conversions
// between Terraform values and Go lists and maps. Reading cmdlet output is internal/m365/cmdlets.

// Licences of the Exchange-side blocks.
var (
	licenceAuditPremium = Licence{
		ServicePlan: "M365_ADVANCED_AUDITING", Product: "Microsoft Purview Audit (Premium)",
		Feature: "Keeping audit records longer than 180 days (audit.retention_days)",
	}
	licenceMDOP1 = Licence{
		ServicePlan: "ATP_ENTERPRISE", Product: "Microsoft Defender for Office 365 (Plan 1)",
		Feature: "Safe Links and Safe Attachments (email.safe_links, email.safe_attachments)",
	}
)

// Status values of licence-gated settings.
const (
	statusApplied     = "applied"
	statusNotLicensed = "not_licensed"
)

var licenceStatuses = []string{statusApplied, statusNotLicensed}

// cmdletDiagnostic reports a failed cmdlet. The detail names the cmdlet, the service and what the
// application needs (APIError does), and adds what an administrator can do about it.
func cmdletDiagnostic(summary string, err error) diag.Diagnostic {
	d := diagnostics.APIErrorDiagnostic(summary, err)
	var apiErr *m365.APIError
	if !errors.As(err, &apiErr) {
		return d
	}
	detail := d.Detail()
	switch apiErr.Kind {
	case m365.KindForbidden:
		detail += " For Exchange Online and Security & Compliance cmdlets, the application needs the Office 365 Exchange Online " +
			"application permission Exchange.ManageAsApp and a directory role that may run the cmdlet: Exchange Administrator " +
			"for Exchange Online settings, Compliance Administrator for audit retention and alert policies (Entra ID, Roles and " +
			"administrators, assign the role to the app's service principal)."
	case m365.KindUnavailable:
		detail += "\n\nThe tenant does not offer this cmdlet to the application. Check that the tenant has the licence for the " +
			"feature and that the app's service principal holds the Exchange Administrator (Exchange Online) or Compliance " +
			"Administrator (Security & Compliance) role."
	}
	return diag.NewErrorDiagnostic(d.Summary(), detail)
}

// setValue is a set of strings, sorted for stable output.
func setValue(ss []string) types.Set {
	sorted := slices.Clone(ss)
	sort.Strings(sorted)
	vals := make([]attr.Value, 0, len(sorted))
	for _, s := range slices.Compact(sorted) {
		vals = append(vals, types.StringValue(s))
	}
	return types.SetValueMust(types.StringType, vals)
}

// setStrings returns the elements of a known set of strings.
func setStrings(s types.Set) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := make([]string, 0, len(s.Elements()))
	for _, v := range s.Elements() {
		if sv, ok := v.(types.String); ok && !sv.IsNull() && !sv.IsUnknown() {
			out = append(out, sv.ValueString())
		}
	}
	sort.Strings(out)
	return out
}

// idMap is a map of object name to id.
func idMap(ids map[string]string) types.Map {
	vals := make(map[string]attr.Value, len(ids))
	for k, v := range ids {
		vals[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, vals)
}

// mapStrings returns the entries of a known map of strings.
func mapStrings(m types.Map) map[string]string {
	out := map[string]string{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	for k, v := range m.Elements() {
		if sv, ok := v.(types.String); ok && !sv.IsNull() && !sv.IsUnknown() {
			out[k] = sv.ValueString()
		}
	}
	return out
}

// boolDefault returns a known bool's value, or def.
func boolDefault(b types.Bool, def bool) bool {
	if b.IsNull() || b.IsUnknown() {
		return def
	}
	return b.ValueBool()
}

// quoted renders values for descriptions: `a`, `b`.
func quoted(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}
