// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

// The admins block: one Conditional Access policy demanding phishing-resistant MFA of the
// privileged directory roles.
//
// Permissions: see the table in ca_blocks.go (Policy.Read.All; Policy.ReadWrite.ConditionalAccess).
func init() { register(orderAdmins, adminsBlock{}) }

type adminsBlock struct{ caBlockMethods[adminsModel] }

type adminsModel struct {
	State                  types.String `tfsdk:"state"`
	RoleIDs                types.Set    `tfsdk:"role_ids"`
	AuthenticationStrength types.String `tfsdk:"authentication_strength"`
	PolicyID               types.String `tfsdk:"policy_id"`
	InSync                 types.Bool   `tfsdk:"in_sync"`
}

// adminRoleIDs are the role template ids of Microsoft's administrator template, which HIPAA.CA.3v1 checks.
var adminRoleIDs = directory.Privileged()

func (adminsBlock) Name() string { return "admins" }

func (adminsBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: fmt.Sprintf("Phishing-resistant MFA for the privileged directory roles through the Conditional Access "+
			"policy %q: administrators can change every safeguard, so a phished password plus an approved push must not be "+
			"enough (HIPAA 164.312(d) person or entity authentication, 164.308(a)(4) access management). The emergency-access "+
			"accounts are excluded. Needs Microsoft Entra ID P1.", policyNameAdmins),
		Attributes: map[string]schema.Attribute{
			"state": caStateAttribute("demanding strong MFA of administrators is enforced"),
			"role_ids": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default:    setdefault.StaticValue(caStaticSet(adminRoleIDs...)),
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(validators.RoleTemplateID())},
				MarkdownDescription: "Directory role template ids the policy targets (conditions.users.includeRoles). Defaults to the " +
					"14 roles of Microsoft's template \"Require phishing-resistant multifactor authentication for administrators\": " +
					"Global, Application, Authentication, Billing, Cloud Application, Conditional Access, Exchange, Helpdesk, " +
					"Password, Privileged Authentication, Privileged Role, Security, SharePoint and User Administrator.",
			},
			"authentication_strength": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(strengthPhishingResistant),
				Validators: []validator.String{stringvalidator.OneOf(strengthValues...)},
				MarkdownDescription: "What administrators' sign-in must prove: `phishing_resistant` FIDO2, Windows Hello for " +
					"Business or certificate (built-in authentication strength ...0004), `passwordless` (...0003), `mfa` any second " +
					"factor. Currently-supported values are: " + caMarkdownValues(strengthValues) + ". Defaults to `phishing_resistant`.",
			},
			"policy_id": caPolicyIDAttribute(),
			"in_sync":   caInSyncAttribute(),
		},
	}
}

func (adminsModel) caSpecOf() *caSpec[adminsModel] { return &adminsSpec }

var adminsSpec = caSpec[adminsModel]{
	b: adminsBlock{},
	checked: func() adminsModel {
		return adminsModel{State: types.StringValue(caStateReportOnly), RoleIDs: caStaticSet(adminRoleIDs...),
			AuthenticationStrength: types.StringValue(strengthPhishingResistant), PolicyID: types.StringNull(), InSync: types.BoolValue(false)}
	},
	fields:  func(m *adminsModel) caFields { return caFields{&m.State, &m.PolicyID, &m.InSync} },
	desired: adminsDesired,
	fromLive: func(p models.ConditionalAccessPolicyable, m *adminsModel) {
		if c := p.GetConditions(); c != nil && c.GetUsers() != nil && len(c.GetUsers().GetIncludeRoles()) > 0 {
			m.RoleIDs = caStringSet(c.GetUsers().GetIncludeRoles(), m.RoleIDs)
		}
		if s := caStrengthOf(p.GetGrantControls()); s != "" {
			m.AuthenticationStrength = types.StringValue(s)
		}
	},
}

// adminsDesired is the checklist's shape: the roles, all apps, all client app types, the strength.
func adminsDesired(m *adminsModel) caDesired {
	roles := setStrings(m.RoleIDs)
	sort.Strings(roles)
	strength := m.AuthenticationStrength.ValueString()
	return caDesired{DisplayName: policyNameAdmins, State: m.State.ValueString(), Build: func(p models.ConditionalAccessPolicyable) {
		users := models.NewConditionalAccessUsers()
		users.SetIncludeRoles(roles)
		p.SetConditions(caConditions(users, []string{"All"}))
		p.SetGrantControls(caStrengthGrant(strength))
	}}
}
