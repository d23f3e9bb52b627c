// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assessment

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess"
)

var (
	_ validator.String = dateValidator{}
	_ validator.String = evidenceURLValidator{}
	_ validator.Object = attestationPeriodValidator{}
)

// date validates a calendar date written YYYY-MM-DD: 2026-02-30 is refused at plan, not
// discovered when the assessment runs.
func date() validator.String { return dateValidator{} }

type dateValidator struct{}

func (dateValidator) Description(context.Context) string { return "must be a date written YYYY-MM-DD" }
func (v dateValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (dateValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if _, err := time.Parse(assess.DateLayout, s); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Date",
			fmt.Sprintf("%s must be a date written YYYY-MM-DD, such as 2026-12-31; got %q.", req.Path, s))
	}
}

// evidenceURL validates where an auditor finds an attestation's evidence: an absolute https://
// link to a document (SharePoint, a GRC tool). The provider never fetches it.
func evidenceURL() validator.String { return evidenceURLValidator{} }

type evidenceURLValidator struct{}

func (evidenceURLValidator) Description(context.Context) string {
	return "must be an absolute https:// URL of the evidence"
}
func (v evidenceURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (evidenceURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Evidence URL",
			fmt.Sprintf("%s must be an absolute https:// link to the evidence an auditor can open, such as "+
				"https://contoso.sharepoint.com/sites/compliance/risk-analysis-2026.pdf; got %q.", req.Path, s))
	}
}

// attestationPeriodValidator refuses an attestation that expires before it is made.
type attestationPeriodValidator struct{}

func (attestationPeriodValidator) Description(context.Context) string {
	return "expires must not be before date"
}
func (v attestationPeriodValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (attestationPeriodValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	d, okDate := attrs["date"].(types.String)
	e, okExpires := attrs["expires"].(types.String)
	if !okDate || !okExpires || d.IsUnknown() || e.IsUnknown() || d.IsNull() || e.IsNull() {
		return
	}
	// The rule is the engine's, so that the drift CLI's configuration is held to the same one.
	if assess.AttestationPeriod(d.ValueString(), e.ValueString()) != nil {
		p := req.Path.AtName("expires")
		resp.Diagnostics.AddAttributeError(p, "Attestation Expires Before Its Date",
			fmt.Sprintf("%s (%s) is before %s (%s): an attestation cannot expire before it is made. Set expires "+
				"to the day the attestation must be renewed, on or after its date.", p, e.ValueString(), req.Path.AtName("date"), d.ValueString()))
	}
}
