// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/identitypolicies"
)

// The authentication_methods block turns phishable methods (SMS, voice) off and strong ones
// (FIDO2 security keys and passkeys, Microsoft Authenticator with number matching context) on, in
// the tenant's authentication methods policy (Graph
// /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}). Tenant-wide.
//
// Permissions:
//
//	| Operation        | Microsoft Graph application permission |
//	|------------------|----------------------------------------|
//	| Read             | Policy.Read.AuthenticationMethod       |
//	| Apply / restore  | Policy.ReadWrite.AuthenticationMethod  |
func init() { register(orderAuthenticationMethods, authMethodsBlock{}) }

type authMethodsBlock struct{}

type authMethodsModel struct {
	SMSEnabled                     types.Bool `tfsdk:"sms_enabled"`
	VoiceEnabled                   types.Bool `tfsdk:"voice_enabled"`
	Fido2Enabled                   types.Bool `tfsdk:"fido2_enabled"`
	AuthenticatorEnabled           types.Bool `tfsdk:"authenticator_enabled"`
	AuthenticatorAdditionalContext types.Bool `tfsdk:"authenticator_additional_context"`
}

// authMethodsSettings are the settings the block manages, as plain values.
type authMethodsSettings struct {
	SMS, Voice, Fido2, Authenticator bool
	// AdditionalContext: Authenticator shows the requesting application and the sign-in's
	// location to every user, so that a push sent by an attacker is recognisable.
	AdditionalContext bool
}

// The method configurations the block manages.
const (
	authMethodSMS           = identitypolicies.MethodSMS
	authMethodVoice         = identitypolicies.MethodVoice
	authMethodFido2         = identitypolicies.MethodFido2
	authMethodAuthenticator = identitypolicies.MethodAuthenticator

	// authMethodsAllUsers is the feature target id that means every user.
	authMethodsAllUsers = "all_users"
	// authMethodsNoTarget is the exclude target id Graph uses for "nobody".
	authMethodsNoTarget = "00000000-0000-0000-0000-000000000000"
)

// authMethodIDs are the configurations the block reads and writes, in the order it patches them:
// strong methods are enabled before weak ones are disabled, so that a failure half way never
// leaves users with fewer methods than before.
var authMethodIDs = []string{authMethodFido2, authMethodAuthenticator, authMethodSMS, authMethodVoice}

var (
	authMethodsChecklist = authMethodsSettings{SMS: false, Voice: false, Fido2: true, Authenticator: true, AdditionalContext: true}
	// authMethodsMicrosoftDefaults is what a new tenant has: only Authenticator on, the
	// additional context left to Microsoft ("default").
	authMethodsMicrosoftDefaults = authMethodsSettings{SMS: false, Voice: false, Fido2: false, Authenticator: true, AdditionalContext: false}
)

func (authMethodsBlock) Name() string { return "authentication_methods" }

func (authMethodsBlock) Schema() schema.SingleNestedBlock {
	flag := func(def bool, desc string) schema.BoolAttribute {
		return schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(def),
			MarkdownDescription: fmt.Sprintf("%s Defaults to `%t`.", desc, def),
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "The authentication methods users may register and sign in with (HIPAA 164.312(d) person or entity " +
			"authentication): phishable methods off, phishing-resistant and number-matching methods on. Tenant-wide (Entra " +
			"authentication methods policy): removing the block leaves the methods as they are unless `restore_on_destroy` is true.",
		Attributes: map[string]schema.Attribute{
			"sms_enabled": flag(authMethodsChecklist.SMS, "Whether users may sign in and answer MFA with a code sent by SMS. "+
				"SMS can be intercepted or redirected by SIM swapping, so the checklist turns it off (HIPAA 164.312(d))."),
			"voice_enabled": flag(authMethodsChecklist.Voice, "Whether users may answer MFA with a phone call. Calls are as "+
				"easy to redirect as SMS (HIPAA 164.312(d))."),
			"fido2_enabled": flag(authMethodsChecklist.Fido2, "Whether users may register FIDO2 security keys and passkeys, the "+
				"phishing-resistant method the administrators' policy requires (HIPAA 164.312(d))."),
			"authenticator_enabled": flag(authMethodsChecklist.Authenticator, "Whether users may use Microsoft Authenticator "+
				"(push with number matching, passwordless phone sign-in) for every user (HIPAA 164.312(d))."),
			"authenticator_additional_context": flag(authMethodsChecklist.AdditionalContext, "Whether Microsoft Authenticator "+
				"shows every user the application and the location a sign-in comes from (`displayAppInformationRequiredState` and "+
				"`displayLocationInformationRequiredState` enabled for all users), so that MFA fatigue attacks are recognisable "+
				"(HIPAA 164.308(a)(5)(ii)(C) log-in monitoring, 164.312(d)). `false` leaves both to Microsoft (`default`)."),
		},
	}
}

// authMethodsSkeleton: the four method configurations always exist, so import adopts them as
// they are.
var authMethodsSkeleton = skeleton[authMethodsModel, authMethodsSettings]{
	b:         authMethodsBlock{},
	checklist: func() authMethodsModel { return authMethodsToModel(authMethodsChecklist) },
	load: func(ctx context.Context, e *env, _ *authMethodsModel, _ authMethodsModel) (authMethodsSettings, error) {
		return authMethodsRead(ctx, e)
	},
	flatten: func(live authMethodsSettings, _ authMethodsModel) authMethodsModel { return authMethodsToModel(live) },
	steps: func(ctx context.Context, e *env, m authMethodsModel, live *authMethodsSettings, _ *diag.Diagnostics) error {
		return authMethodsSync(ctx, e, authMethodsSettings{
			SMS: m.SMSEnabled.ValueBool(), Voice: m.VoiceEnabled.ValueBool(), Fido2: m.Fido2Enabled.ValueBool(),
			Authenticator: m.AuthenticatorEnabled.ValueBool(), AdditionalContext: m.AuthenticatorAdditionalContext.ValueBool(),
		}, live)
	},
}

func (authMethodsBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return authMethodsSkeleton.read(ctx, e, prior)
}

func (authMethodsBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return authMethodsSkeleton.apply(ctx, e, plan, prior)
}

// Release leaves the methods as they are, or with restore puts Microsoft's defaults back.
func (authMethodsBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return authMethodsSkeleton.release(ctx, e, prior, restore, func(ctx context.Context, e *env, _ authMethodsModel, restore bool, _ *diag.Diagnostics) error {
		if !restore {
			return nil
		}
		live, err := authMethodsRead(ctx, e)
		if err != nil {
			return err
		}
		return authMethodsSync(ctx, e, authMethodsMicrosoftDefaults, &live)
	})
}

// authMethodsSync patches the configurations that differ from want, one by one, recording each
// in got, and waits until Graph reads them back: strong methods are enabled before weak ones are
// disabled, so a failure half way never leaves users with fewer methods than before.
func authMethodsSync(ctx context.Context, e *env, want authMethodsSettings, got *authMethodsSettings) error {
	for _, p := range expandAuthMethodPatches(want, *got) {
		if err := identitypolicies.UpdateAuthenticationMethod(ctx, e.tenant, p.ID, p.Body); err != nil {
			return err
		}
		p.Applied(got)
	}
	return identitypolicies.WaitForAuthenticationMethods(ctx, e.tenant, authMethodIDs,
		func(configs map[string]models.AuthenticationMethodConfigurationable) (bool, error) {
			live, err := flattenAuthMethods(configs)
			return live == want, err
		})
}

// authMethodsRead reads the four configurations.
func authMethodsRead(ctx context.Context, e *env) (authMethodsSettings, error) {
	configs, err := identitypolicies.GetAuthenticationMethods(ctx, e.tenant, authMethodIDs)
	if err != nil {
		return authMethodsSettings{}, err
	}
	return flattenAuthMethods(configs)
}

// flattenAuthMethods reads the managed settings from the configurations by id.
func flattenAuthMethods(configs map[string]models.AuthenticationMethodConfigurationable) (authMethodsSettings, error) {
	enabled := func(id string) bool {
		c := configs[id]
		return c != nil && c.GetState() != nil && *c.GetState() == models.ENABLED_AUTHENTICATIONMETHODSTATE
	}
	s := authMethodsSettings{
		SMS: enabled(authMethodSMS), Voice: enabled(authMethodVoice), Fido2: enabled(authMethodFido2),
		Authenticator: enabled(authMethodAuthenticator),
	}
	if c := configs[authMethodAuthenticator]; c != nil {
		ma, ok := c.(models.MicrosoftAuthenticatorAuthenticationMethodConfigurationable)
		if !ok {
			return s, fmt.Errorf("reading the MicrosoftAuthenticator authentication method configuration: Graph answered a %T "+
				"instead of a microsoftAuthenticatorAuthenticationMethodConfiguration", c)
		}
		if fs := ma.GetFeatureSettings(); fs != nil {
			s.AdditionalContext = authMethodsFeatureForAll(fs.GetDisplayAppInformationRequiredState()) &&
				authMethodsFeatureForAll(fs.GetDisplayLocationInformationRequiredState())
		}
	}
	return s, nil
}

// authMethodsFeatureForAll reports whether an Authenticator feature is enabled for all users.
func authMethodsFeatureForAll(f models.AuthenticationMethodFeatureConfigurationable) bool {
	if f == nil || f.GetState() == nil || *f.GetState() != models.ENABLED_ADVANCEDCONFIGSTATE {
		return false
	}
	t := f.GetIncludeTarget()
	if t == nil || t.GetId() == nil || !strings.EqualFold(*t.GetId(), authMethodsAllUsers) {
		return false
	}
	return t.GetTargetType() == nil || *t.GetTargetType() == models.GROUP_FEATURETARGETTYPE
}

// authMethodPatch is one PATCH of a method configuration; Applied records its effect.
type authMethodPatch struct {
	ID      string
	Body    models.AuthenticationMethodConfigurationable
	Applied func(*authMethodsSettings)
}

// authMethodSwitches are the methods the block only turns on or off.
var authMethodSwitches = map[string]struct {
	flag func(*authMethodsSettings) *bool
	body func() models.AuthenticationMethodConfigurationable
}{
	authMethodSMS: {func(s *authMethodsSettings) *bool { return &s.SMS },
		func() models.AuthenticationMethodConfigurationable {
			return models.NewSmsAuthenticationMethodConfiguration()
		}},
	authMethodVoice: {func(s *authMethodsSettings) *bool { return &s.Voice },
		func() models.AuthenticationMethodConfigurationable {
			return models.NewVoiceAuthenticationMethodConfiguration()
		}},
	authMethodFido2: {func(s *authMethodsSettings) *bool { return &s.Fido2 },
		func() models.AuthenticationMethodConfigurationable {
			return models.NewFido2AuthenticationMethodConfiguration()
		}},
}

// expandAuthMethodPatches builds one PATCH per configuration in which got differs from want, each
// with the @odata.type Graph needs to know which configuration the body describes.
func expandAuthMethodPatches(want, got authMethodsSettings) []authMethodPatch {
	var out []authMethodPatch
	for _, id := range authMethodIDs {
		var body models.AuthenticationMethodConfigurationable
		var apply func(*authMethodsSettings)
		switch id {
		case authMethodSMS, authMethodVoice, authMethodFido2:
			// An on/off method: its flag in the settings and the body of its own type.
			m := authMethodSwitches[id]
			on := *m.flag(&want)
			if on == *m.flag(&got) {
				continue
			}
			body, apply = m.body(), func(s *authMethodsSettings) { *m.flag(s) = on }
			authMethodSetState(body, on)
		case authMethodAuthenticator:
			if want.Authenticator == got.Authenticator && want.AdditionalContext == got.AdditionalContext {
				continue
			}
			ma := models.NewMicrosoftAuthenticatorAuthenticationMethodConfiguration()
			authMethodSetState(ma, want.Authenticator)
			if want.AdditionalContext != got.AdditionalContext {
				fs := models.NewMicrosoftAuthenticatorFeatureSettings()
				fs.SetDisplayAppInformationRequiredState(authMethodsFeature(want.AdditionalContext))
				fs.SetDisplayLocationInformationRequiredState(authMethodsFeature(want.AdditionalContext))
				ma.SetFeatureSettings(fs)
			}
			body, apply = ma, func(s *authMethodsSettings) {
				s.Authenticator, s.AdditionalContext = want.Authenticator, want.AdditionalContext
			}
		}
		out = append(out, authMethodPatch{ID: id, Body: body, Applied: apply})
	}
	return out
}

func authMethodSetState(c models.AuthenticationMethodConfigurationable, enabled bool) {
	state := models.DISABLED_AUTHENTICATIONMETHODSTATE
	if enabled {
		state = models.ENABLED_AUTHENTICATIONMETHODSTATE
	}
	c.SetState(&state)
}

// authMethodsFeature is an Authenticator feature enabled for all users, or left to Microsoft.
func authMethodsFeature(on bool) models.AuthenticationMethodFeatureConfigurationable {
	f := models.NewAuthenticationMethodFeatureConfiguration()
	state := models.DEFAULT_ADVANCEDCONFIGSTATE
	if on {
		state = models.ENABLED_ADVANCEDCONFIGSTATE
	}
	f.SetState(&state)
	group := models.GROUP_FEATURETARGETTYPE
	include, exclude := models.NewFeatureTarget(), models.NewFeatureTarget()
	allUsers, nobody := authMethodsAllUsers, authMethodsNoTarget
	include.SetTargetType(&group)
	include.SetId(&allUsers)
	exclude.SetTargetType(&group)
	exclude.SetId(&nobody)
	f.SetIncludeTarget(include)
	f.SetExcludeTarget(exclude)
	return f
}

func authMethodsToModel(s authMethodsSettings) authMethodsModel {
	return authMethodsModel{
		SMSEnabled: types.BoolValue(s.SMS), VoiceEnabled: types.BoolValue(s.Voice), Fido2Enabled: types.BoolValue(s.Fido2),
		AuthenticatorEnabled: types.BoolValue(s.Authenticator), AuthenticatorAdditionalContext: types.BoolValue(s.AdditionalContext),
	}
}
