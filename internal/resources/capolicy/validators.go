// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

// knownStrings returns the elements of a set and whether they are all known. A null set is known
// and empty, so callers can treat "not configured" and "[]" alike.
func knownStrings(s types.Set) ([]string, bool) {
	if s.IsUnknown() {
		return nil, false
	}
	out := make([]string, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		str, ok := e.(types.String)
		if !ok || str.IsUnknown() {
			return nil, false
		}
		if !str.IsNull() {
			out = append(out, str.ValueString())
		}
	}
	return out, true
}

// ConfigValidators are the cross-field checks of the nested objects. They are resource-level, not
// the objects' own Validators, so that an error in one does not hide the errors of the
// attributes inside it (see validators.ObjectAt): one `terraform validate` reports them all.
func (r *caPolicyResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	users := path.Root("conditions").AtName("users")
	grant := path.Root("grant_controls")
	session := path.Root("session_controls")
	return []resource.ConfigValidator{
		validators.ObjectAt(users, usersInclude),
		validators.ObjectAt(users.AtName("include_guests_or_external_users").AtName("external_tenants"), externalTenants),
		validators.ObjectAt(users.AtName("exclude_guests_or_external_users").AtName("external_tenants"), externalTenants),
		validators.ObjectAt(path.Root("conditions").AtName("applications"), applicationsInclude),
		validators.ObjectAt(grant, grantOrSession),
		validators.ObjectAt(grant, grantControls),
		validators.ObjectAt(session, sessionControls),
		validators.ObjectAt(session.AtName("sign_in_frequency"), signInFrequency),
	}
}

// guidOrKeyword accepts an object id or one of a fixed set of keywords (any casing).
func guidOrKeyword(keywords []string) validator.String {
	text := "value must be an object id (GUID)"
	if len(keywords) > 0 {
		text = fmt.Sprintf("value must be an object id (GUID) or one of: `%s`", strings.Join(keywords, "`, `"))
	}
	return validators.String(text, func(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
		if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
			return
		}
		s := req.ConfigValue.ValueString()
		if validators.IsGUID(s) || isKeyword(s, keywords) {
			return
		}
		detail := fmt.Sprintf("%q is not an object id. Use the object id (a GUID such as "+
			"\"2b3c5e1f-0000-4000-8000-000000000001\"), not a display name or user principal name", s)
		if len(keywords) > 0 {
			detail += fmt.Sprintf(", or one of the keywords %q", keywords)
		}
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Invalid Object Id", detail+".")
	})
}

// objectCheck is a cross-field check of one nested object: the object decoded into M, judged
// when it is set and known (each check returns early while a field it needs is unknown).
func objectCheck[M any](text string, check func(M, validator.ObjectRequest, *validator.ObjectResponse)) validator.Object {
	return validators.Object(text, func(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		m, diags := objectAs[M](ctx, req.ConfigValue)
		if diags.HasError() || req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
			return
		}
		check(m, req, resp)
	})
}

// usersInclude requires at least one include list, which Graph requires too.
var usersInclude = objectCheck("at least one of include_users, include_groups, include_roles, include_guests_or_external_users must be set",
	func(u usersModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		if !u.IncludeGuestsOrExternalUsers.IsNull() {
			return
		}
		for _, s := range []types.Set{u.IncludeUsers, u.IncludeGroups, u.IncludeRoles} {
			vals, known := knownStrings(s)
			if !known || len(vals) > 0 {
				return
			}
		}
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "No Users In Scope",
			"Conditional Access needs at least one user target. Set include_users (for example [\"All\"]), "+
				"include_groups, include_roles or include_guests_or_external_users. For a policy that targets only "+
				"service principals, set include_users = [\"None\"] and conditions.client_applications.")
	})

// applicationsInclude requires exactly one kind of application target, as Graph does.
var applicationsInclude = objectCheck("exactly one of include_applications, include_user_actions, include_authentication_context_class_references must be non-empty",
	func(a applicationsModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		var set []string
		for name, s := range map[string]types.Set{
			"include_applications":                            a.IncludeApplications,
			"include_user_actions":                            a.IncludeUserActions,
			"include_authentication_context_class_references": a.IncludeAuthenticationContextClassReferences,
		} {
			vals, known := knownStrings(s)
			if !known {
				return
			}
			if len(vals) > 0 {
				set = append(set, name)
			}
		}
		switch {
		case len(set) == 0:
			diagnostics.AddPathError(&resp.Diagnostics, req.Path, "No Applications In Scope",
				"Conditional Access needs a target resource. Set include_applications (for example [\"All\"]), "+
					"include_user_actions or include_authentication_context_class_references.")
		case len(set) > 1:
			diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Conflicting Application Targets",
				fmt.Sprintf("A policy targets cloud apps, user actions or authentication contexts, never several; "+
					"these are all set: %s. Keep one of them and split the rest into another policy.", strings.Join(sortedCopy(set), ", ")))
		}
	})

// externalTenants ties members to membership_kind = "enumerated".
var externalTenants = objectCheck("members is required with membership_kind = \"enumerated\" and not allowed with \"all\"",
	func(t externalTenantsModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		if t.MembershipKind.IsUnknown() {
			return
		}
		members, known := knownStrings(t.Members)
		if !known {
			return
		}
		switch t.MembershipKind.ValueString() {
		case membershipKindEnumerated:
			if len(members) == 0 {
				diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName("members"), "Missing External Tenant Ids",
					"membership_kind = \"enumerated\" needs the tenant ids in members. List them, or use "+
						"membership_kind = \"all\" (or omit external_tenants) for every external tenant.")
			}
		case membershipKindAll:
			if len(members) > 0 {
				diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName("members"), "External Tenant Ids Not Allowed",
					"members only applies with membership_kind = \"enumerated\". Remove members, or set "+
						"membership_kind = \"enumerated\" to limit the policy to those tenants.")
			}
		}
	})

// grantOrSession, on grant_controls, requires grant_controls or session_controls: Graph
// rejects a policy with neither.
var grantOrSession = validators.Object("at least one of grant_controls and session_controls must be set",
	func(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		if !req.ConfigValue.IsNull() {
			return
		}
		var session types.Object
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("session_controls"), &session)...)
		if resp.Diagnostics.HasError() || !session.IsNull() {
			return
		}
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Missing Policy Controls",
			"A Conditional Access policy must grant, block or control the session. Add grant_controls "+
				"(for example built_in_controls = [\"mfa\"]) or session_controls.")
	})

// grantControls checks the combinations Graph rejects.
var grantControls = objectCheck("grant_controls needs at least one control; block stands alone; mfa excludes authentication_strength_id",
	func(g grantControlsModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		builtIn, knownBuiltIn := knownStrings(g.BuiltInControls)
		tou, knownTOU := knownStrings(g.TermsOfUse)
		custom, knownCustom := knownStrings(g.CustomAuthenticationFactors)
		if !knownBuiltIn || !knownTOU || !knownCustom || g.AuthenticationStrengthID.IsUnknown() {
			return
		}
		hasStrength := !g.AuthenticationStrengthID.IsNull()
		if len(builtIn) == 0 && len(tou) == 0 && len(custom) == 0 && !hasStrength {
			diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Empty Grant Controls",
				"grant_controls sets no control, which Graph rejects. Set built_in_controls (for example [\"mfa\"] or "+
					"[\"block\"]), authentication_strength_id, terms_of_use or custom_authentication_factors, or remove "+
					"grant_controls and use session_controls only.")
			return
		}
		if contains(builtIn, controlBlock) && (len(builtIn) > 1 || len(tou) > 0 || len(custom) > 0 || hasStrength) {
			diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName("built_in_controls"), "Block Combined With Other Controls",
				"\"block\" denies access outright, so it cannot be combined with other grant controls. Use "+
					"built_in_controls = [\"block\"] alone, or remove \"block\" to grant access under conditions.")
		}
		if contains(builtIn, controlMFA) && hasStrength {
			diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName("authentication_strength_id"), "MFA Combined With Authentication Strength",
				"Graph does not allow \"mfa\" in built_in_controls together with an authentication strength; the "+
					"strength already requires multifactor authentication. Remove \"mfa\", or remove "+
					"authentication_strength_id (the built-in strength 00000000-0000-0000-0000-000000000002 equals \"mfa\").")
		}
	})

// sessionControls rejects a session_controls object that enables nothing: Graph stores
// such an object as null, which would read back as a difference on every plan.
var sessionControls = objectCheck("session_controls must put at least one control in effect",
	func(s sessionControlsModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		for _, b := range []types.Bool{s.ApplicationEnforcedRestrictions, s.DisableResilienceDefaults, s.SecureSignInSession} {
			if b.IsUnknown() || b.ValueBool() {
				return
			}
		}
		for _, v := range []types.String{s.CloudAppSecurity, s.PersistentBrowser} {
			if !v.IsNull() {
				return
			}
		}
		if !s.SignInFrequency.IsNull() {
			return
		}
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Empty Session Controls",
			"session_controls puts no control in effect, and Graph would store it as no session controls at all. "+
				"Set at least one control (for example sign_in_frequency or persistent_browser), or remove session_controls.")
	})

// signInFrequency ties value and type to frequency_interval and bounds value by unit.
var signInFrequency = objectCheck("value and type are required with frequency_interval timeBased and not allowed with everyTime",
	func(f signInFrequencyModel, req validator.ObjectRequest, resp *validator.ObjectResponse) {
		if f.FrequencyInterval.IsUnknown() {
			return
		}
		// A null interval in config means the default, timeBased.
		if f.FrequencyInterval.ValueString() == intervalEveryTime {
			if !f.Value.IsNull() || !f.Type.IsNull() {
				diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Sign-In Frequency Value Not Allowed",
					"frequency_interval = \"everyTime\" asks for authentication on every sign-in, so value and type "+
						"do not apply. Remove them, or use frequency_interval = \"timeBased\" with value and type.")
			}
			return
		}
		if f.Value.IsNull() || f.Type.IsNull() {
			diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Missing Sign-In Frequency Value",
				"A time-based sign-in frequency needs both value and type, for example value = 12 and type = \"hours\". "+
					"Set them, or use frequency_interval = \"everyTime\".")
			return
		}
		if !f.Value.IsUnknown() && !f.Type.IsUnknown() && f.Type.ValueString() == "hours" && f.Value.ValueInt64() > 23 {
			diagnostics.AddPathError(&resp.Diagnostics, req.Path.AtName("value"), "Sign-In Frequency Out Of Range",
				fmt.Sprintf("Entra accepts 1 to 23 hours, got %d. Use type = \"days\" for a day or more.", f.Value.ValueInt64()))
		}
	})

// persistentBrowser enforces Graph's rule that persistent browser sessions apply only to
// policies targeting all cloud apps.
var persistentBrowser = validators.String("persistent_browser requires conditions.applications.include_applications = [\"All\"]",
	func(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
		if req.ConfigValue.IsNull() {
			return
		}
		var apps types.Set
		p := path.Root("conditions").AtName("applications").AtName("include_applications")
		if d := req.Config.GetAttribute(ctx, p, &apps); d.HasError() {
			return
		}
		vals, known := knownStrings(apps)
		if !known {
			return
		}
		if len(vals) == 1 && strings.EqualFold(vals[0], keywordAll) {
			return
		}
		diagnostics.AddPathError(&resp.Diagnostics, req.Path, "Persistent Browser Needs All Cloud Apps",
			fmt.Sprintf("Graph only accepts a persistent browser session control on a policy whose "+
				"conditions.applications.include_applications is exactly [\"All\"]; it is %q. Target all cloud apps, "+
				"or move persistent_browser into a separate policy that does.", vals))
	})

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func sortedCopy(list []string) []string {
	out := append([]string(nil), list...)
	sort.Strings(out)
	return out
}
