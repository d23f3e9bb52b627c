// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// The legacy_authentication block: one Conditional Access policy blocking the client protocols
// that cannot do MFA (Exchange ActiveSync basic auth, POP, IMAP, SMTP AUTH, older Office).
//
// Permissions: see the table in ca_blocks.go (Policy.Read.All; Policy.ReadWrite.ConditionalAccess).
func init() { register(orderLegacyAuthentication, legacyAuthenticationBlock{}) }

type legacyAuthenticationBlock struct {
	caBlockMethods[legacyAuthenticationModel]
}

type legacyAuthenticationModel struct {
	State    types.String `tfsdk:"state"`
	PolicyID types.String `tfsdk:"policy_id"`
	InSync   types.Bool   `tfsdk:"in_sync"`
}

func (legacyAuthenticationBlock) Name() string { return "legacy_authentication" }

func (legacyAuthenticationBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: fmt.Sprintf("Blocks legacy authentication (Exchange ActiveSync and other clients that cannot do MFA: "+
			"POP, IMAP, SMTP AUTH, old Office) for all users and applications through the Conditional Access policy %q, "+
			"so that MFA cannot be bypassed (HIPAA 164.312(d) person or entity authentication, 164.312(a)(1) access control). "+
			"The emergency-access accounts are excluded. Needs Microsoft Entra ID P1.", policyNameLegacyAuth),
		Attributes: map[string]schema.Attribute{
			"state":     caStateAttribute("blocking legacy authentication is enforced"),
			"policy_id": caPolicyIDAttribute(),
			"in_sync":   caInSyncAttribute(),
		},
	}
}

func (legacyAuthenticationModel) caSpecOf() *caSpec[legacyAuthenticationModel] {
	return &legacyAuthenticationSpec
}

var legacyAuthenticationSpec = caSpec[legacyAuthenticationModel]{
	b: legacyAuthenticationBlock{},
	checked: func() legacyAuthenticationModel {
		return legacyAuthenticationModel{State: types.StringValue(caStateReportOnly), PolicyID: types.StringNull(), InSync: types.BoolValue(false)}
	},
	fields: func(m *legacyAuthenticationModel) caFields { return caFields{&m.State, &m.PolicyID, &m.InSync} },
	desired: func(m *legacyAuthenticationModel) caDesired {
		return caDesired{DisplayName: policyNameLegacyAuth, State: m.State.ValueString(), Build: legacyAuthenticationBuild}
	},
	fromLive: func(models.ConditionalAccessPolicyable, *legacyAuthenticationModel) {},
}

// legacyAuthenticationBuild is the checklist's shape: all users, all apps, the legacy client app
// types, grant block.
func legacyAuthenticationBuild(p models.ConditionalAccessPolicyable) {
	p.SetConditions(caConditions(caAllUsers(), []string{"All"},
		models.EXCHANGEACTIVESYNC_CONDITIONALACCESSCLIENTAPP, models.OTHER_CONDITIONALACCESSCLIENTAPP))
	p.SetGrantControls(caGrant(models.BLOCK_CONDITIONALACCESSGRANTCONTROL))
}
