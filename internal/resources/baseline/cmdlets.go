// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Helpers for the blocks that work through Exchange Online and Security & Compliance cmdlets
// (audit, email, alerts). Cmdlet output is JSON decoded into map[string]any: booleans may come
// as JSON booleans or as "True"/"False", numbers as float64 or strings, and multi-valued
// properties as arrays (a single value sometimes as a scalar), so every accessor is lenient.

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

// str returns a string property, "" when absent.
func str(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// boolOf returns a boolean property; PowerShell output may spell it "True".
func boolOf(m map[string]any, key string) bool {
	switch v := m[key].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	case float64:
		return v != 0
	}
	return false
}

// intOf returns an integer property and whether it was present and numeric.
func intOf(m map[string]any, key string) (int64, bool) {
	switch v := m[key].(type) {
	case float64:
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// strList returns a multi-valued property as strings.
func strList(m map[string]any, key string) []string {
	switch v := m[key].(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			} else if e != nil {
				out = append(out, fmt.Sprint(e))
			}
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return nil
}

// objectID is the id the baseline records for an Exchange or Purview object: its Guid when the
// cmdlet outputs one, else its Identity, else its Name.
func objectID(m map[string]any) string {
	for _, k := range []string{"Guid", "ImmutableId", "Identity", "Name"} {
		if s := str(m, k); s != "" {
			return s
		}
	}
	return ""
}

// findObject returns the object whose id is id, or, when id is empty or no longer exists, the
// one named name (adopting it instead of creating a duplicate).
func findObject(objs []map[string]any, id, name string) map[string]any {
	if id != "" {
		for _, o := range objs {
			for _, k := range []string{"Guid", "ImmutableId", "Identity", "Name"} {
				if s := str(o, k); s != "" && strings.EqualFold(s, id) {
					return o
				}
			}
		}
	}
	for _, o := range objs {
		if strings.EqualFold(str(o, "Name"), name) {
			return o
		}
	}
	return nil
}

// getOptional runs a Get- cmdlet with -Identity and returns nil when the object does not exist.
func getOptional(ctx context.Context, cc *m365.CommandClient, cmdlet, identity string) (map[string]any, error) {
	obj, err := cc.InvokeSingle(ctx, cmdlet, map[string]any{"Identity": identity})
	if m365.IsNotFound(err) {
		return nil, nil
	}
	return obj, err
}

// removeIgnoringNotFound runs a Remove- cmdlet; an object already gone is success.
func removeIgnoringNotFound(ctx context.Context, cc *m365.CommandClient, cmdlet, identity string) error {
	if identity == "" {
		return nil
	}
	_, err := cc.Invoke(ctx, cmdlet, map[string]any{"Identity": identity})
	if m365.IsNotFound(err) {
		return nil
	}
	return err
}

// sameStrings compares two lists as case-insensitive sets, the way Exchange compares them.
func sameStrings(a, b []string) bool {
	return slices.Equal(normalized(a), normalized(b))
}

func normalized(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
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
