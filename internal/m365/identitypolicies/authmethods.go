// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package identitypolicies

import (
	"context"
	"fmt"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The method configurations of the authentication methods policy
// (/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}), one per method.

// The configuration ids, as Graph names them in the URL.
const (
	MethodSMS           = "Sms"
	MethodVoice         = "Voice"
	MethodFido2         = "Fido2"
	MethodAuthenticator = "MicrosoftAuthenticator"
)

var (
	AuthenticationMethodReadPermissions  = []string{"Policy.Read.AuthenticationMethod"}
	AuthenticationMethodWritePermissions = []string{"Policy.ReadWrite.AuthenticationMethod"}
)

// AuthenticationMethodObject names a method configuration in messages.
func AuthenticationMethodObject(id string) string {
	return fmt.Sprintf("the %s authentication method configuration", id)
}

func methodBuilder(c *m365.Client, id string) *policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilder {
	return policies.NewAuthenticationMethodsPolicyAuthenticationMethodConfigurationsRequestBuilderInternal(map[string]string{}, c.Graph()).
		ByAuthenticationMethodConfigurationId(id)
}

// GetAuthenticationMethods reads the configurations of ids, by id.
func GetAuthenticationMethods(ctx context.Context, c *m365.Client, ids []string) (map[string]models.AuthenticationMethodConfigurationable, error) {
	out := make(map[string]models.AuthenticationMethodConfigurationable, len(ids))
	for _, id := range ids {
		op := m365.Operation{Action: "reading", Object: AuthenticationMethodObject(id), Permissions: AuthenticationMethodReadPermissions}
		cfg, err := methodBuilder(c, id).Get(ctx, nil)
		if err != nil {
			return nil, m365.GraphError(err, op)
		}
		if cfg == nil {
			return nil, notFound(op)
		}
		out[id] = cfg
	}
	return out, nil
}

// UpdateAuthenticationMethod PATCHes one configuration. The body must be the configuration's own
// type (its @odata.type tells Graph which configuration it describes).
func UpdateAuthenticationMethod(ctx context.Context, c *m365.Client, id string, body models.AuthenticationMethodConfigurationable) error {
	_, err := methodBuilder(c, id).Patch(ctx, body, nil)
	return m365.GraphError(err, m365.Operation{Action: "updating", Object: AuthenticationMethodObject(id),
		Permissions: AuthenticationMethodWritePermissions})
}

// WaitForAuthenticationMethods polls the configurations of ids until check holds; an error
// from check (configurations it cannot read) ends the wait.
func WaitForAuthenticationMethods(ctx context.Context, c *m365.Client, ids []string,
	check func(map[string]models.AuthenticationMethodConfigurationable) (bool, error)) error {
	_, err := waitFor(ctx, "the authentication methods policy", func(ctx context.Context) (map[string]models.AuthenticationMethodConfigurationable, error) {
		return GetAuthenticationMethods(ctx, c, ids)
	}, check)
	return err
}
