// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/identitypolicies"
)

// The guests block manages who may invite guests and what guests may see in the directory
// (Graph /policies/authorizationPolicy, a tenant-wide singleton).
//
// Permissions:
//
//	| Operation        | Microsoft Graph application permission |
//	|------------------|----------------------------------------|
//	| Read             | Policy.Read.All                        |
//	| Apply / restore  | Policy.ReadWrite.Authorization         |
func init() { register(orderGuests, guestsBlock{}) }

type guestsBlock struct{}

type guestsModel struct {
	AllowInvitesFrom types.String `tfsdk:"allow_invites_from"`
	GuestUserRole    types.String `tfsdk:"guest_user_role"`
}

// guestsSettings are the authorization policy settings the block manages, in Terraform spelling.
type guestsSettings struct {
	AllowInvitesFrom string
	GuestUserRole    string // member | guest | restricted, or the raw role id when Graph has another.
}

var (
	guestsInviteValues = []string{"none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"}
	guestsRoleValues   = []string{"member", "guest", "restricted"}

	// guestsRoleIDs are the directory role templates Graph takes as guestUserRoleId.
	guestsRoleIDs = map[string]string{
		"member":     directory.User,                // Guests see what members see.
		"guest":      directory.GuestUser,           // Limited directory access.
		"restricted": directory.RestrictedGuestUser, // Own objects only.
	}

	// guestsChecklist and guestsMicrosoftDefaults are what Apply and Release(restore) aim for.
	guestsChecklist         = guestsSettings{AllowInvitesFrom: "adminsAndGuestInviters", GuestUserRole: "restricted"}
	guestsMicrosoftDefaults = guestsSettings{AllowInvitesFrom: "everyone", GuestUserRole: "guest"}
)

func (guestsBlock) Name() string { return "guests" }

func (guestsBlock) Schema() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Guest (B2B) access: who may invite external users and what they can see in the directory " +
			"(HIPAA 164.308(a)(4)(ii)(B) access authorization, 164.308(a)(3)(ii)(B) workforce clearance). Tenant-wide " +
			"(Entra authorization policy): removing the block leaves the settings as they are unless `restore_on_destroy` is true.",
		Attributes: map[string]schema.Attribute{
			"allow_invites_from": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(guestsChecklist.AllowInvitesFrom),
				Validators: []validator.String{stringvalidator.OneOf(guestsInviteValues...)},
				MarkdownDescription: "Who may invite guests into the tenant: `none`, only administrators and members of the Guest " +
					"Inviter role (`adminsAndGuestInviters`), those plus all members (`adminsGuestInvitersAndAllMembers`), or " +
					"anyone including guests (`everyone`, Microsoft's default). Keeping invitations with administrators keeps access " +
					"to PHI authorized (HIPAA 164.308(a)(4)(ii)(B)). " + supportedValuesSentence(guestsInviteValues) +
					" Defaults to `" + guestsChecklist.AllowInvitesFrom + "`.",
			},
			"guest_user_role": schema.StringAttribute{
				Optional: true, Computed: true,
				Default:    stringdefault.StaticString(guestsChecklist.GuestUserRole),
				Validators: []validator.String{stringvalidator.OneOf(guestsRoleValues...)},
				MarkdownDescription: "What guests can see in the directory: the same as members (`member`), limited access " +
					"(`guest`, Microsoft's default) or only their own objects (`restricted`), so that a guest cannot enumerate " +
					"the workforce and its groups (HIPAA 164.308(a)(3)(ii)(B), minimum necessary). " + supportedValuesSentence(guestsRoleValues) +
					" Defaults to `" + guestsChecklist.GuestUserRole + "`.",
			},
		},
	}
}

// guestsSkeleton: the tenant's settings are the block's state; the authorization policy always
// exists, so import adopts it as it is.
var guestsSkeleton = skeleton[guestsModel, guestsSettings]{
	b:         guestsBlock{},
	checklist: func() guestsModel { return guestsToModel(guestsChecklist) },
	load: func(ctx context.Context, e *env, _ *guestsModel, _ guestsModel) (guestsSettings, error) {
		return guestsLoad(ctx, e)
	},
	flatten: func(live guestsSettings, _ guestsModel) guestsModel { return guestsToModel(live) },
	steps: func(ctx context.Context, e *env, plan guestsModel, live *guestsSettings, _ *diag.Diagnostics) error {
		return guestsSync(ctx, e, guestsSettings{AllowInvitesFrom: plan.AllowInvitesFrom.ValueString(), GuestUserRole: plan.GuestUserRole.ValueString()}, live)
	},
}

func (guestsBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return guestsSkeleton.read(ctx, e, prior)
}

func (guestsBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return guestsSkeleton.apply(ctx, e, plan, prior)
}

// Release leaves the settings as they are, or with restore puts Microsoft's defaults back.
func (guestsBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return guestsSkeleton.release(ctx, e, prior, restore, func(ctx context.Context, e *env, _ guestsModel, restore bool, _ *diag.Diagnostics) error {
		if !restore {
			return nil
		}
		live, err := guestsLoad(ctx, e)
		if err != nil {
			return err
		}
		return guestsSync(ctx, e, guestsMicrosoftDefaults, &live)
	})
}

func guestsLoad(ctx context.Context, e *env) (guestsSettings, error) {
	p, err := identitypolicies.GetAuthorization(ctx, e.tenant)
	if err != nil {
		return guestsSettings{}, err
	}
	return flattenGuests(p), nil
}

// guestsSync patches what differs from want and waits until Graph reads it back, keeping in got
// the settings the tenant has as far as it knows, also on error.
func guestsSync(ctx context.Context, e *env, want guestsSettings, got *guestsSettings) error {
	patch, changed, err := expandGuestsPatch(want, *got)
	if err != nil || !changed {
		return err
	}
	if err := identitypolicies.UpdateAuthorization(ctx, e.tenant, patch); err != nil {
		return err
	}
	last, err := identitypolicies.WaitForAuthorization(ctx, e.tenant, func(p models.AuthorizationPolicyable) bool {
		return flattenGuests(p) == want
	})
	if last != nil {
		*got = flattenGuests(last)
	}
	return err
}

// flattenGuests reads the managed settings of an authorization policy.
func flattenGuests(p models.AuthorizationPolicyable) guestsSettings {
	var s guestsSettings
	if p == nil {
		return s
	}
	if v := p.GetAllowInvitesFrom(); v != nil {
		s.AllowInvitesFrom = v.String()
	}
	if id := p.GetGuestUserRoleId(); id != nil {
		s.GuestUserRole = guestsRoleName(id.String())
	}
	return s
}

// guestsRoleName is the Terraform name of a guest role id, or the id itself when it is none of
// the three, so that plan shows exactly what the tenant has.
func guestsRoleName(id string) string {
	for name, rid := range guestsRoleIDs {
		if strings.EqualFold(rid, id) {
			return name
		}
	}
	return strings.ToLower(id)
}

// expandGuestsPatch builds the PATCH body holding only the settings in which got differs from
// want; changed is false when there is nothing to send.
func expandGuestsPatch(want, got guestsSettings) (models.AuthorizationPolicyable, bool, error) {
	patch := models.NewAuthorizationPolicy()
	changed := false
	if want.AllowInvitesFrom != got.AllowInvitesFrom {
		v, _ := models.ParseAllowInvitesFrom(want.AllowInvitesFrom)
		value, ok := v.(*models.AllowInvitesFrom)
		if !ok || value == nil {
			return nil, false, fmt.Errorf("%q is not a value of allowInvitesFrom", want.AllowInvitesFrom)
		}
		patch.SetAllowInvitesFrom(value)
		changed = true
	}
	if want.GuestUserRole != got.GuestUserRole {
		id, err := uuid.Parse(guestsRoleIDs[want.GuestUserRole])
		if err != nil {
			return nil, false, fmt.Errorf("%q is not a guest user role", want.GuestUserRole)
		}
		patch.SetGuestUserRoleId(&id)
		changed = true
	}
	return patch, changed, nil
}

func guestsToModel(s guestsSettings) guestsModel {
	str := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	return guestsModel{AllowInvitesFrom: str(s.AllowInvitesFrom), GuestUserRole: str(s.GuestUserRole)}
}

// supportedValuesSentence is the sentence listing an enum's values, built from the validator's slice.
func supportedValuesSentence(values []string) string {
	return "Currently-supported values are: `" + strings.Join(values, "`, `") + "`."
}
