// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package identitypolicies

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Security defaults (/policies/identitySecurityDefaultsEnforcementPolicy): Microsoft's baseline
// of MFA for everyone, which Conditional Access replaces. Graph refuses them while Conditional
// Access policies are enabled.

// SecurityDefaultsObject names the policy in messages.
const SecurityDefaultsObject = "security defaults (identitySecurityDefaultsEnforcementPolicy)"

var (
	SecurityDefaultsReadPermissions  = []string{"Policy.Read.All"}
	SecurityDefaultsWritePermissions = []string{"Policy.ReadWrite.SecurityDefaults"}
)

func securityDefaultsBuilder(c *m365.Client) *policies.IdentitySecurityDefaultsEnforcementPolicyRequestBuilder {
	return policies.NewIdentitySecurityDefaultsEnforcementPolicyRequestBuilderInternal(map[string]string{}, c.Graph())
}

// SecurityDefaultsEnabled reads whether security defaults are on.
func SecurityDefaultsEnabled(ctx context.Context, c *m365.Client) (bool, error) {
	p, err := securityDefaultsBuilder(c).Get(ctx, nil)
	if err != nil {
		return false, m365.GraphError(err, m365.Operation{Action: "reading", Object: SecurityDefaultsObject,
			Permissions: SecurityDefaultsReadPermissions})
	}
	return p != nil && p.GetIsEnabled() != nil && *p.GetIsEnabled(), nil
}

// SetSecurityDefaults turns security defaults on or off and waits until Graph reads it back.
func SetSecurityDefaults(ctx context.Context, c *m365.Client, on bool) error {
	body := models.NewIdentitySecurityDefaultsEnforcementPolicy()
	body.SetIsEnabled(&on)
	verb := "turning off"
	if on {
		verb = "turning on"
	}
	if _, err := securityDefaultsBuilder(c).Patch(ctx, body, nil); err != nil {
		return m365.GraphError(err, m365.Operation{Action: verb, Object: SecurityDefaultsObject,
			Permissions: SecurityDefaultsWritePermissions})
	}
	_, err := waitFor(ctx, SecurityDefaultsObject, func(ctx context.Context) (bool, error) {
		return SecurityDefaultsEnabled(ctx, c)
	}, func(got bool) (bool, error) { return got == on, nil })
	return err
}
