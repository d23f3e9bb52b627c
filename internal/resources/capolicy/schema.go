// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

// authContextPattern matches authentication context class references, which Graph numbers c1..c99.
var authContextPattern = regexp.MustCompile(`^c([1-9]|[1-9][0-9])$`)

// caPolicySchemaV0 is version 0 of the hipaa_ca_policy schema. It is a function of its own so a
// future state upgrader can reuse it as the prior schema.
func caPolicySchemaV0(ctx context.Context) schema.Schema {
	return schema.Schema{
		Version: 0,
		MarkdownDescription: "Manages a Microsoft Entra Conditional Access policy through Microsoft Graph v1.0 " +
			"(`/identity/conditionalAccess/policies`). Lists compare as sets, Graph's defaults are part of the " +
			"schema, and an enabled policy that could lock out the emergency-access accounts (block, MFA, an " +
			"authentication strength, a compliant or hybrid joined device, an approved app or app protection, a custom " +
			"control, sign-in every time) must exclude every one the provider lists, each of which must exist in the " +
			"tenant (HIPAA 164.312(a)(2)(ii)). Roll out with `state = \"report_only\"` first.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The policy's object id, assigned by Graph on create. Used for import.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The policy name shown in the Entra admin center. Required.",
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 256)},
			},
			"state": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Whether the policy is enforced. `enabled` enforces it, `disabled` turns it off, " +
					"`report_only` evaluates it and logs the result without enforcing it (Graph's " +
					"`enabledForReportingButNotEnforced`). Required; no default, so rollout state is always a " +
					"deliberate choice. " + oneOfMarkdown(stateValues),
				Validators: []validator.String{stringvalidator.OneOf(stateValues...)},
			},
			"created_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the policy was created (RFC 3339, UTC), as reported by Graph.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"conditions":       conditionsAttribute(),
			"grant_controls":   grantControlsAttribute(),
			"session_controls": sessionControlsAttribute(),
		},
		// A block, as in every other provider: `timeouts { create = "20m" }`.
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func conditionsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required:            true,
		MarkdownDescription: "The conditions under which the policy applies. All given conditions must match. Required.",
		Attributes: map[string]schema.Attribute{
			"users":               usersAttribute(),
			"applications":        applicationsAttribute(),
			"client_applications": clientApplicationsAttribute(),
			"client_app_types": enumSet(clientAppTypeValues, []string{"all"},
				"Client app types the policy applies to. `exchangeActiveSync` and `other` together target legacy authentication."),
			"platforms": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Device platforms the policy applies to. Omit to apply to every platform (default).",
				Attributes: map[string]schema.Attribute{
					"include_platforms": requiredEnumSet(platformValues, "Platforms in scope."),
					"exclude_platforms": enumSet(platformValues, []string{}, "Platforms out of scope."),
				},
			},
			"locations": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Network locations the policy applies to. Omit to apply to every location (default).",
				Attributes: map[string]schema.Attribute{
					"include_locations": requiredIDSet(includeLocationKeywords,
						"Named location ids in scope, or `All` (any location) or `AllTrusted` (locations marked trusted)."),
					"exclude_locations": idSet(excludeLocationKeywords,
						"Named location ids out of scope, or `AllTrusted`."),
				},
			},
			"devices": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Device conditions. Omit to apply to every device (default).",
				Attributes: map[string]schema.Attribute{
					"device_filter": filterAttribute(true, "The device filter; `include` applies the policy to matching devices only, `exclude` to every device except those."),
				},
			},
			"sign_in_risk_levels": enumSet(riskLevelValues, []string{},
				"Sign-in risk levels the policy applies to (Entra ID P2). Empty applies regardless of sign-in risk."),
			"user_risk_levels": enumSet(riskLevelValues, []string{},
				"User risk levels the policy applies to (Entra ID P2). Empty applies regardless of user risk."),
			"service_principal_risk_levels": enumSet(riskLevelValues, []string{},
				"Service principal risk levels the policy applies to (Workload Identities Premium). Empty applies regardless of risk."),
			"insider_risk_levels": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Insider risk levels (Microsoft Purview Adaptive Protection) the policy applies to. " +
					"Omit (default) to apply regardless of insider risk. " + oneOfMarkdown(insiderRiskLevelValues),
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(insiderRiskLevelValues...)),
				},
			},
			"authentication_flows": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Authentication flows the policy applies to. Omit (default) to apply to every flow.",
				Attributes: map[string]schema.Attribute{
					"transfer_methods": requiredEnumSet(transferMethodValues, "Transfer flows in scope, for example `deviceCodeFlow` to block device code sign-in."),
				},
			},
		},
	}
}

func usersAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "Users, groups, roles and guests the policy applies to. Required, and at least one " +
			"`include_*` must be non-empty (use `include_users = [\"None\"]` for a policy aimed at service principals only).",
		Attributes: map[string]schema.Attribute{
			"include_users": idSet(includeUserKeywords, "User object ids in scope, or `All`, `None` or `GuestsOrExternalUsers`."),
			"exclude_users": idSet(excludeUserKeywords, "User object ids out of scope, or `GuestsOrExternalUsers`. "+
				"Put the emergency-access (break-glass) accounts here: an enabled policy that could lock them out must "+
				"exclude every one of the provider's `emergency_access_user_ids`."),
			"include_groups":                   idSet(nil, "Group object ids in scope."),
			"exclude_groups":                   idSet(nil, "Group object ids out of scope. The provider's `emergency_access_group_ids` belong here."),
			"include_roles":                    roleSet("Directory role template ids in scope (users holding the role)."),
			"exclude_roles":                    roleSet("Directory role template ids out of scope."),
			"include_guests_or_external_users": guestsAttribute("Guests and external users in scope. Omit (default) for none."),
			"exclude_guests_or_external_users": guestsAttribute("Guests and external users out of scope. Omit (default) for none."),
		},
	}
}

func guestsAttribute(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"guest_or_external_user_types": requiredEnumSet(guestTypeValues, "Kinds of guest or external user. Graph stores them as one comma-separated flags value."),
			"external_tenants": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Which external tenants the guests come from. Omit (default) for all tenants, " +
					"which Graph records as `membership_kind = \"all\"`.",
				Attributes: map[string]schema.Attribute{
					"membership_kind": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`all` for every external tenant, `enumerated` for the tenants in `members`. " +
							oneOfMarkdown(membershipKindValues),
						Validators: []validator.String{stringvalidator.OneOf(membershipKindValues...)},
					},
					"members": idSet(nil, "Tenant ids; required, and only allowed, with `membership_kind = \"enumerated\"`."),
				},
			},
		},
	}
}

func applicationsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "Cloud apps, user actions or authentication contexts the policy applies to. Required, and " +
			"exactly one kind of target must be set: `include_applications`, `include_user_actions` or " +
			"`include_authentication_context_class_references`.",
		Attributes: map[string]schema.Attribute{
			"include_applications": idSet(includeApplicationKeywords,
				"Application (client) ids in scope, or `All`, `None`, `Office365` or `MicrosoftAdminPortals`."),
			"exclude_applications": idSet(excludeApplicationKeywords,
				"Application (client) ids out of scope, or `Office365` or `MicrosoftAdminPortals`."),
			"include_user_actions": enumSet(userActionValues, []string{}, "User actions in scope."),
			"include_authentication_context_class_references": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				Default:     emptySetDefault(),
				MarkdownDescription: "Authentication context class references (`c1` to `c99`) in scope. " +
					"Defaults to `[]`.",
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(authContextPattern,
					"must be an authentication context class reference, c1 to c99"))},
			},
			"application_filter": filterAttribute(false, "A filter on application attributes; `include` applies the policy to matching apps, `exclude` removes them. Omit (default) for no filter."),
		},
	}
}

func clientApplicationsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Workload identities (service principals) the policy applies to (Workload Identities Premium). " +
			"Omit (default) for user sign-ins only.",
		Attributes: map[string]schema.Attribute{
			"include_service_principals": requiredIDSet(includeSPKeywords,
				"Service principal object ids in scope, or `ServicePrincipalsInMyTenant`."),
			"exclude_service_principals": idSet(nil, "Service principal object ids out of scope."),
			"service_principal_filter":   filterAttribute(false, "A filter on service principal attributes. Omit (default) for no filter."),
		},
	}
}

// filterAttribute is a conditionalAccessFilter: a mode and a rule in Entra's filter syntax.
func filterAttribute(required bool, desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required:            required,
		Optional:            !required,
		MarkdownDescription: desc,
		Attributes: map[string]schema.Attribute{
			"mode": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Whether matching objects are included or excluded. " + oneOfMarkdown(filterModeValues),
				Validators:          []validator.String{stringvalidator.OneOf(filterModeValues...)},
			},
			"rule": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The filter rule, for example `device.isCompliant -eq True`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

// emptySetDefault is the default of every list Graph returns as [] when unset, so that leaving the
// attribute out of the configuration plans the same value Graph later reports.
func emptySetDefault() defaults.Set {
	return setdefault.StaticValue(types.SetValueMust(types.StringType, []attr.Value{}))
}

// idSet is an optional set of object ids (GUIDs) or the given keywords, defaulting to [].
func idSet(keywords []string, desc string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType:         types.StringType,
		Optional:            true,
		Computed:            true,
		Default:             emptySetDefault(),
		MarkdownDescription: desc + " Defaults to `[]`. Ids compare case-insensitively; keywords are sent in Graph's casing.",
		Validators:          []validator.Set{setvalidator.ValueStringsAre(guidOrKeyword(keywords))},
	}
}

// roleSet is an optional set of built-in directory role template ids, defaulting to [].
func roleSet(desc string) schema.SetAttribute {
	s := idSet(nil, desc+" Only built-in roles: Conditional Access does not target custom or administrative-unit-scoped roles.")
	s.Validators = []validator.Set{setvalidator.ValueStringsAre(validators.RoleTemplateID())}
	return s
}

// requiredIDSet is a required, non-empty set of object ids or keywords.
func requiredIDSet(keywords []string, desc string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType:         types.StringType,
		Required:            true,
		MarkdownDescription: desc + " Required, at least one element.",
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(guidOrKeyword(keywords)),
		},
	}
}

// enumSet is an optional set of enum values with the given default.
func enumSet(values, def []string, desc string) schema.SetAttribute {
	elems := make([]attr.Value, 0, len(def))
	for _, d := range def {
		elems = append(elems, types.StringValue(d))
	}
	defDesc := "`[]`"
	if len(def) > 0 {
		defDesc = "`[\"" + def[0] + "\"]`"
	}
	v := []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(values...))}
	if len(def) > 0 {
		// An explicit [] would differ from what Graph stores (its default); make the user say what they mean.
		v = append(v, setvalidator.SizeAtLeast(1))
	}
	return schema.SetAttribute{
		ElementType:         types.StringType,
		Optional:            true,
		Computed:            true,
		Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, elems)),
		MarkdownDescription: desc + " Defaults to " + defDesc + ". " + oneOfMarkdown(values),
		Validators:          v,
	}
}

// requiredEnumSet is a required, non-empty set of enum values.
func requiredEnumSet(values []string, desc string) schema.SetAttribute {
	return schema.SetAttribute{
		ElementType:         types.StringType,
		Required:            true,
		MarkdownDescription: desc + " Required, at least one element. " + oneOfMarkdown(values),
		Validators: []validator.Set{
			setvalidator.SizeAtLeast(1),
			setvalidator.ValueStringsAre(stringvalidator.OneOf(values...)),
		},
	}
}
