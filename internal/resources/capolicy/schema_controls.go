// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func grantControlsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "What a user in scope must satisfy to get access, or `block`. Omit (default) for a " +
			"session-only policy; at least one of `grant_controls` and `session_controls` is required.",
		Attributes: map[string]schema.Attribute{
			"operator": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(operatorDefault),
				MarkdownDescription: "`OR` grants access when any control is satisfied, `AND` when all are. " +
					"Defaults to `OR`, as in Graph. " + oneOfMarkdown(grantOperatorValues),
				Validators: []validator.String{stringvalidator.OneOf(grantOperatorValues...)},
			},
			"built_in_controls": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     emptySetDefault(),
				MarkdownDescription: "Built-in controls. `block` must stand alone; `mfa` cannot be combined with " +
					"`authentication_strength_id` (Graph rejects it; the strength already demands MFA). Defaults to `[]`. " +
					oneOfMarkdown(builtInControlValues),
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(builtInControlValues...))},
			},
			"authentication_strength_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Id of the authentication strength policy required, for example " +
					"`00000000-0000-0000-0000-000000000004` (built-in phishing-resistant MFA). Graph returns the whole " +
					"strength object; only its id is kept. Omit (default) for none.",
				Validators: []validator.String{guidOrKeyword(nil)},
			},
			"terms_of_use": idSet(nil, "Ids of terms-of-use agreements the user must accept."),
			"custom_authentication_factors": schema.SetAttribute{
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Default:             emptySetDefault(),
				MarkdownDescription: "Custom control ids (legacy custom controls). Defaults to `[]`.",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
		},
	}
}

func sessionControlsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Session behaviour after access is granted. Omit (default) for none; when given, at " +
			"least one control must be in effect. Removing it sends `sessionControls: null` so Graph clears them.",
		Attributes: map[string]schema.Attribute{
			"application_enforced_restrictions": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Let Exchange Online and SharePoint Online enforce their own limited experience " +
					"(for example on unmanaged devices). Defaults to `false`.",
			},
			"cloud_app_security": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Route the session through Defender for Cloud Apps Conditional Access App Control " +
					"with this policy type. Omit (default) for none. " + oneOfMarkdown(cloudAppSecurityValues),
				Validators: []validator.String{stringvalidator.OneOf(cloudAppSecurityValues...)},
			},
			"sign_in_frequency": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "How often the user must sign in again (HIPAA 164.312(a)(2)(iii) automatic logoff). " +
					"Omit (default) for Entra's rolling 90-day window.",
				Attributes: map[string]schema.Attribute{
					"value": schema.Int64Attribute{
						Optional: true,
						MarkdownDescription: "Number of `type` units: 1 to 23 hours or 1 to 365 days. Required with " +
							"`frequency_interval = \"timeBased\"`, not allowed with `everyTime`.",
						Validators: []validator.Int64{int64validator.Between(1, 365)},
					},
					"type": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Unit of `value`. Required with `frequency_interval = \"timeBased\"`, not allowed " +
							"with `everyTime`. " + oneOfMarkdown(signInFrequencyTypeValues),
						Validators: []validator.String{stringvalidator.OneOf(signInFrequencyTypeValues...)},
					},
					"frequency_interval": schema.StringAttribute{
						Optional: true,
						Computed: true,
						Default:  stringdefault.StaticString(intervalTimeBased),
						MarkdownDescription: "`timeBased` re-authenticates after `value` `type`; `everyTime` on every sign-in. " +
							"Defaults to `timeBased`, as Graph does. " + oneOfMarkdown(signInFrequencyIntervalValues),
						Validators: []validator.String{stringvalidator.OneOf(signInFrequencyIntervalValues...)},
					},
					"authentication_type": schema.StringAttribute{
						Optional: true,
						Computed: true,
						Default:  stringdefault.StaticString(authTypePrimaryAndSecondary),
						MarkdownDescription: "Which factors must be repeated. Defaults to `primaryAndSecondaryAuthentication`, " +
							"as Graph does. " + oneOfMarkdown(signInFrequencyAuthTypeValues),
						Validators: []validator.String{stringvalidator.OneOf(signInFrequencyAuthTypeValues...)},
					},
				},
			},
			"persistent_browser": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Whether the browser session persists after it is closed. Graph only accepts it " +
					"when `conditions.applications.include_applications = [\"All\"]`. Omit (default) for the user's " +
					"choice. " + oneOfMarkdown(persistentBrowserValues),
				Validators: []validator.String{
					stringvalidator.OneOf(persistentBrowserValues...),
					persistentBrowser,
				},
			},
			"disable_resilience_defaults": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Stop Entra from extending existing sessions during an outage when this policy " +
					"cannot be evaluated in real time. Defaults to `false`.",
			},
			"secure_sign_in_session": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
				MarkdownDescription: "Require token protection (sign-in session bound to the device). Defaults to `false`.",
			},
		},
	}
}
