// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package identitypolicies

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The authorization policy (/policies/authorizationPolicy): guest invitations and the guest
// user role, among the tenant's default user permissions.

// AuthorizationObject names the policy in messages.
const AuthorizationObject = "the authorization policy (guest access)"

var (
	AuthorizationReadPermissions  = []string{"Policy.Read.All"}
	AuthorizationWritePermissions = []string{"Policy.ReadWrite.Authorization"}
)

func authorizationBuilder(c *m365.Client) *policies.AuthorizationPolicyRequestBuilder {
	return policies.NewAuthorizationPolicyRequestBuilderInternal(map[string]string{}, c.Graph())
}

// GetAuthorization reads the authorization policy.
func GetAuthorization(ctx context.Context, c *m365.Client) (models.AuthorizationPolicyable, error) {
	op := m365.Operation{Action: "reading", Object: AuthorizationObject, Permissions: AuthorizationReadPermissions}
	p, err := authorizationBuilder(c).Get(ctx, nil)
	if err != nil {
		return nil, m365.GraphError(err, op)
	}
	if p == nil {
		return nil, notFound(op)
	}
	return p, nil
}

// UpdateAuthorization PATCHes the settings the patch holds; the others stay as they are.
func UpdateAuthorization(ctx context.Context, c *m365.Client, patch models.AuthorizationPolicyable) error {
	_, err := authorizationBuilder(c).Patch(ctx, patch, nil)
	return m365.GraphError(err, m365.Operation{Action: "updating", Object: AuthorizationObject, Permissions: AuthorizationWritePermissions})
}

// WaitForAuthorization polls the policy until check holds and returns the last policy read.
func WaitForAuthorization(ctx context.Context, c *m365.Client, check func(models.AuthorizationPolicyable) bool) (models.AuthorizationPolicyable, error) {
	return waitFor(ctx, "the authorization policy", func(ctx context.Context) (models.AuthorizationPolicyable, error) {
		return GetAuthorization(ctx, c)
	}, func(p models.AuthorizationPolicyable) (bool, error) { return check(p), nil })
}
