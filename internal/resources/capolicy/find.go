// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"fmt"
	"net/http"

	"github.com/microsoftgraph/msgraph-sdk-go/identity"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The Microsoft Graph application permissions this resource needs, least privileged first. They
// are named in every 403 so that the fix is obvious.
var (
	readPermissions  = []string{"Policy.Read.All"}
	writePermissions = []string{"Policy.ReadWrite.ConditionalAccess", "Policy.Read.All"}
)

func object(id string) string {
	if id == "" {
		return "Conditional Access policy"
	}
	return fmt.Sprintf("Conditional Access policy %q", id)
}

func policies(c *m365.Client) *identity.ConditionalAccessPoliciesRequestBuilder {
	// Only Graph v1.0: a policy touched through beta can become unreadable through v1.0.
	return identity.NewConditionalAccessPoliciesRequestBuilderInternal(map[string]string{}, c.Graph())
}

// findPolicyByID reads a policy. A missing policy is an *m365.APIError of kind not found.
func findPolicyByID(ctx context.Context, c *m365.Client, id string) (models.ConditionalAccessPolicyable, error) {
	op := m365.Operation{Action: "reading", Object: object(id), Permissions: readPermissions}
	p, err := policies(c).ByConditionalAccessPolicyId(id).Get(ctx, nil)
	if err != nil {
		return nil, m365.GraphError(err, op)
	}
	if p == nil || p.GetId() == nil {
		return nil, &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
	}
	return p, nil
}

func createPolicy(ctx context.Context, c *m365.Client, body models.ConditionalAccessPolicyable) (models.ConditionalAccessPolicyable, error) {
	var created models.ConditionalAccessPolicyable
	err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
		var err error
		created, err = policies(c).Post(ctx, body, nil)
		return err
	})
	if err != nil {
		return nil, m365.GraphError(err, m365.Operation{Action: "creating", Object: object(""), Permissions: writePermissions})
	}
	if created == nil || created.GetId() == nil {
		return nil, fmt.Errorf("creating %s: Graph answered without the new policy's id", object(""))
	}
	return created, nil
}

func updatePolicy(ctx context.Context, c *m365.Client, id string, body models.ConditionalAccessPolicyable) error {
	err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
		_, err := policies(c).ByConditionalAccessPolicyId(id).Patch(ctx, body, nil)
		return err
	})
	return m365.GraphError(err, m365.Operation{Action: "updating", Object: object(id), Permissions: writePermissions})
}

func deletePolicy(ctx context.Context, c *m365.Client, id string) error {
	err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
		return policies(c).ByConditionalAccessPolicyId(id).Delete(ctx, nil)
	})
	return m365.GraphError(err, m365.Operation{Action: "deleting", Object: object(id), Permissions: writePermissions})
}
