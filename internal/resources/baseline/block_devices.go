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
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/validators"
)

// The devices block: one Conditional Access policy admitting only managed devices (Intune
// compliant or hybrid Entra joined) to the applications holding ePHI.
//
// Permissions: see the table in ca_blocks.go (Policy.Read.All; Policy.ReadWrite.ConditionalAccess).
func init() { register(orderDevices, devicesBlock{}) }

type devicesBlock struct{ caBlockMethods[devicesModel] }

type devicesModel struct {
	State        types.String `tfsdk:"state"`
	Applications types.Set    `tfsdk:"applications"`
	Require      types.Set    `tfsdk:"require"`
	PolicyID     types.String `tfsdk:"policy_id"`
	InSync       types.Bool   `tfsdk:"in_sync"`
}

var (
	// devicesRequireValues are the device grant controls, in Graph's spelling.
	devicesRequireValues = []string{"compliantDevice", "domainJoinedDevice"}
	devicesRequireGraph  = map[string]models.ConditionalAccessGrantControl{
		"compliantDevice":    models.COMPLIANTDEVICE_CONDITIONALACCESSGRANTCONTROL,
		"domainJoinedDevice": models.DOMAINJOINEDDEVICE_CONDITIONALACCESSGRANTCONTROL,
	}
	devicesAppKeywords      = []string{"All", "Office365"}
	devicesDefaultApps      = []string{"Office365"}
	devicesDefaultRequire   = devicesRequireValues
	devicesApplicationCheck = stringvalidator.Any(stringvalidator.OneOf(devicesAppKeywords...), validators.GUID())
)

func (devicesBlock) Name() string { return "devices" }

func (devicesBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: fmt.Sprintf("Only managed devices reach ePHI: the Conditional Access policy %q grants access to the "+
			"applications only from a device that is Intune compliant or hybrid Entra joined (HIPAA 164.310(c) workstation "+
			"security, 164.312(a)(1) access control). The emergency-access accounts are excluded. Needs Microsoft Entra ID P1 "+
			"and, for compliance, Intune.", policyNameDevices),
		Attributes: map[string]schema.Attribute{
			"state": caStateAttribute("requiring a managed device is enforced"),
			"applications": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default:    setdefault.StaticValue(caStaticSet(devicesDefaultApps...)),
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(devicesApplicationCheck)},
				MarkdownDescription: "The applications the policy protects (conditions.applications.includeApplications): `Office365` " +
					"(Exchange, SharePoint, Teams and the rest of Microsoft 365), `All`, or application (client) ids. " +
					"Defaults to `[\"Office365\"]`.",
			},
			"require": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true,
				Default:    setdefault.StaticValue(caStaticSet(devicesDefaultRequire...)),
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.OneOf(devicesRequireValues...))},
				MarkdownDescription: "The device states that grant access, any one of them sufficing (operator OR): `compliantDevice` " +
					"(marked compliant by Intune), `domainJoinedDevice` (hybrid Entra joined). Currently-supported values are: " +
					caMarkdownValues(devicesRequireValues) + ". Defaults to both.",
			},
			"policy_id": caPolicyIDAttribute(),
			"in_sync":   caInSyncAttribute(),
		},
	}
}

func (devicesModel) caSpecOf() *caSpec[devicesModel] { return &devicesSpec }

var devicesSpec = caSpec[devicesModel]{
	b: devicesBlock{},
	checked: func() devicesModel {
		return devicesModel{State: types.StringValue(caStateReportOnly), Applications: caStaticSet(devicesDefaultApps...),
			Require: caStaticSet(devicesDefaultRequire...), PolicyID: types.StringNull(), InSync: types.BoolValue(false)}
	},
	fields:   func(m *devicesModel) caFields { return caFields{&m.State, &m.PolicyID, &m.InSync} },
	desired:  devicesDesired,
	fromLive: devicesFromLive,
}

// devicesDesired is the checklist's shape: all users, the applications, grant one of the device states.
func devicesDesired(m *devicesModel) caDesired {
	apps := setStrings(m.Applications)
	sort.Strings(apps)
	require := setStrings(m.Require)
	sort.Strings(require)
	return caDesired{DisplayName: policyNameDevices, State: m.State.ValueString(), Build: func(p models.ConditionalAccessPolicyable) {
		p.SetConditions(caConditions(caAllUsers(), apps))
		controls := make([]models.ConditionalAccessGrantControl, 0, len(require))
		for _, r := range require {
			if c, ok := devicesRequireGraph[r]; ok {
				controls = append(controls, c)
			}
		}
		p.SetGrantControls(caGrant(controls...))
	}}
}

// devicesFromLive reads applications and require. Grant controls other than the device states
// (or operator AND) cannot be expressed and are left to in_sync.
func devicesFromLive(p models.ConditionalAccessPolicyable, m *devicesModel) {
	if c := p.GetConditions(); c != nil && c.GetApplications() != nil && len(c.GetApplications().GetIncludeApplications()) > 0 {
		m.Applications = caStringSet(c.GetApplications().GetIncludeApplications(), m.Applications)
	}
	g := p.GetGrantControls()
	if g == nil {
		return
	}
	var require []string
	for _, c := range m365.EnumStrings(g.GetBuiltInControls()) {
		for _, v := range devicesRequireValues {
			if c == v {
				require = append(require, v)
			}
		}
	}
	if len(require) > 0 {
		m.Require = caStringSet(require, m.Require)
	}
}
