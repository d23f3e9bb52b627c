// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package validators holds the attribute and resource validators the provider's resources and data
// sources share: values Microsoft 365 accepts (GUIDs, built-in role template ids, HTTPS URLs) and
// cross-field checks run at resource level.
package validators

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsGUID reports whether s is a GUID such as an Entra object or application id.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// GUID validates that a string is a GUID.
func GUID() validator.String { return guidValidator{} }

type guidValidator struct{}

func (guidValidator) Description(context.Context) string {
	return "value must be a GUID such as 00000000-0000-0000-0000-000000000000"
}
func (v guidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v guidValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if s := req.ConfigValue.ValueString(); !IsGUID(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Object ID",
			fmt.Sprintf("%q is not a GUID. Entra ids look like 00000000-0000-0000-0000-000000000000; copy them from the Entra admin center or `az ad ... show`.", s))
	}
}

// HTTPSURL validates that a string is an absolute https:// URL. Endpoints must be HTTPS because
// azidentity refuses anything else and tokens must never travel in clear text.
func HTTPSURL() validator.String { return httpsURLValidator{} }

type httpsURLValidator struct{}

func (httpsURLValidator) Description(context.Context) string {
	return "value must be an absolute https:// URL"
}
func (v httpsURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v httpsURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Endpoint URL",
			fmt.Sprintf("%q is not an absolute https:// URL. Endpoints must use HTTPS; trust a private CA through SSL_CERT_FILE.", s))
	}
}

// ZeroOrBetween validates a number that is either 0, meaning what zero says (e.g. "never"), or
// between lo and hi. One validator gives one message; combining OneOf(0) and Between with
// int64validator.Any printed two errors that each said the other value was wrong.
func ZeroOrBetween(lo, hi int64, zero string) validator.Int64 {
	return zeroOrBetween{min: lo, max: hi, zero: zero}
}

type zeroOrBetween struct {
	min, max int64
	zero     string
}

func (v zeroOrBetween) Description(context.Context) string {
	return fmt.Sprintf("value must be 0 (%s) or between %d and %d", v.zero, v.min, v.max)
}
func (v zeroOrBetween) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v zeroOrBetween) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	n := req.ConfigValue.ValueInt64()
	if n == 0 || (n >= v.min && n <= v.max) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
		fmt.Sprintf("%s must be 0 (%s) or between %d and %d, got %d.", req.Path, v.zero, v.min, v.max, n))
}

// RoleTemplateID validates a directory role template id: a GUID that is a built-in Microsoft
// Entra role. Conditional Access targets built-in roles only, and a mistyped id would make a
// policy target (or exempt) nobody without a word from Graph.
func RoleTemplateID() validator.String { return roleTemplateID{} }

type roleTemplateID struct{}

func (roleTemplateID) Description(context.Context) string {
	return "value must be the template id of a built-in Microsoft Entra role"
}
func (v roleTemplateID) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (roleTemplateID) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if directory.IsBuiltIn(s) {
		return
	}
	if id, ok := directory.ByName(s); ok {
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Role Name Instead of Template Id",
			fmt.Sprintf("%q is the name of a role; use its template id, %s.", s, id))
		return
	}
	diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Unknown Directory Role",
		fmt.Sprintf("%q is not the template id of a built-in Microsoft Entra role. Conditional Access targets built-in "+
			"roles only (not custom or administrative-unit-scoped roles); copy the template id from Microsoft's \"Microsoft "+
			"Entra built-in roles\" page, for example %s for Global Administrator. This provider knows the roles that page "+
			"listed in 2026; a role added since needs a newer provider version.", s, directory.GlobalAdministrator))
}
