// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package capolicies is the one place that calls the Conditional Access policies API of
// Microsoft Graph v1.0. The hipaa_ca_policy resource and the baseline's policies both use it, so
// that permissions, error messages, the write gate and read-after-write polling are the same.
package capolicies

import (
	"context"
	"fmt"
	"net/http"

	"github.com/microsoftgraph/msgraph-sdk-go/identity"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The Microsoft Graph application permissions, least privileged first. They are named in every
// 403 so that the fix is obvious.
var (
	ReadPermissions  = []string{"Policy.Read.All"}
	WritePermissions = []string{"Policy.ReadWrite.ConditionalAccess", "Policy.Read.All"}
)

// Object names a policy in messages.
func Object(id string) string {
	if id == "" {
		return "Conditional Access policy"
	}
	return fmt.Sprintf("Conditional Access policy %q", id)
}

func builder(c *m365.Client) *identity.ConditionalAccessPoliciesRequestBuilder {
	// Only Graph v1.0: a policy touched through beta can become unreadable through v1.0.
	return identity.NewConditionalAccessPoliciesRequestBuilderInternal(map[string]string{}, c.Graph())
}

// Get reads a policy. A missing policy is an *m365.APIError of kind not found.
func Get(ctx context.Context, c *m365.Client, id string) (models.ConditionalAccessPolicyable, error) {
	op := m365.Operation{Action: "reading", Object: Object(id), Permissions: ReadPermissions}
	p, err := builder(c).ByConditionalAccessPolicyId(id).Get(ctx, nil)
	if err != nil {
		return nil, m365.GraphError(err, op)
	}
	if p == nil || p.GetId() == nil {
		return nil, &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
	}
	return p, nil
}

// List reads every policy of the tenant, following @odata.nextLink.
func List(ctx context.Context, c *m365.Client) ([]models.ConditionalAccessPolicyable, error) {
	op := m365.Operation{Action: "listing", Object: "Conditional Access policies", Permissions: ReadPermissions}
	b := builder(c)
	var out []models.ConditionalAccessPolicyable
	for {
		page, err := b.Get(ctx, nil)
		if err != nil {
			return nil, m365.GraphError(err, op)
		}
		out = append(out, page.GetValue()...)
		next := page.GetOdataNextLink()
		if next == nil || *next == "" {
			return out, nil
		}
		b = b.WithUrl(*next)
	}
}

// FindByDisplayName returns the policies with exactly that display name.
func FindByDisplayName(ctx context.Context, c *m365.Client, name string) ([]models.ConditionalAccessPolicyable, error) {
	all, err := List(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []models.ConditionalAccessPolicyable
	for _, p := range all {
		if p.GetDisplayName() != nil && *p.GetDisplayName() == name {
			out = append(out, p)
		}
	}
	return out, nil
}

// Create creates a policy through the tenant's Conditional Access write gate, exactly once: an
// answer that leaves the outcome unknown (503, 504, a timeout) is followed by a read of the
// policies with the body's display name, and the policy that appeared since is the created one;
// only when none did is the create sent again (m365.CreateOnce).
func Create(ctx context.Context, c *m365.Client, body models.ConditionalAccessPolicyable) (models.ConditionalAccessPolicyable, error) {
	name := ""
	if body.GetDisplayName() != nil {
		name = *body.GetDisplayName()
	}
	op := m365.Operation{Action: "creating", Object: Object(""), Permissions: WritePermissions}
	created, err := m365.CreateOnce(ctx, m365.Creation[models.ConditionalAccessPolicyable]{
		What: fmt.Sprintf("Conditional Access policy %q", name),
		Find: func(ctx context.Context) ([]models.ConditionalAccessPolicyable, error) {
			return FindByDisplayName(ctx, c, name)
		},
		ID: func(p models.ConditionalAccessPolicyable) string {
			if p == nil || p.GetId() == nil {
				return ""
			}
			return *p.GetId()
		},
		Create: func(ctx context.Context) (models.ConditionalAccessPolicyable, error) {
			var created models.ConditionalAccessPolicyable
			err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
				var err error
				created, err = builder(c).Post(ctx, body, nil)
				return err
			})
			return created, m365.GraphError(err, op)
		},
	})
	if err != nil {
		return nil, err
	}
	if created == nil || created.GetId() == nil {
		return nil, fmt.Errorf("creating %s: Graph answered without the new policy's id", Object(""))
	}
	return created, nil
}

// Update PATCHes a policy. Graph replaces nested objects wholesale, so send the whole policy.
func Update(ctx context.Context, c *m365.Client, id string, body models.ConditionalAccessPolicyable) error {
	err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
		_, err := builder(c).ByConditionalAccessPolicyId(id).Patch(ctx, body, nil)
		return err
	})
	return m365.GraphError(err, m365.Operation{Action: "updating", Object: Object(id), Permissions: WritePermissions})
}

// Delete deletes a policy; a policy that is already gone is not an error.
func Delete(ctx context.Context, c *m365.Client, id string) error {
	err := c.ConditionalAccessWrite(ctx, func(ctx context.Context) error {
		return builder(c).ByConditionalAccessPolicyId(id).Delete(ctx, nil)
	})
	err = m365.GraphError(err, m365.Operation{Action: "deleting", Object: Object(id), Permissions: WritePermissions})
	if m365.IsNotFound(err) {
		return nil
	}
	return err
}

// WaitFor polls the policy until check holds for consistency.Defaults' run of reads (a write
// can take seconds to reach every replica). check receives nil when the policy is not found.
func WaitFor(ctx context.Context, c *m365.Client, id string, check func(models.ConditionalAccessPolicyable) bool) (models.ConditionalAccessPolicyable, error) {
	var last models.ConditionalAccessPolicyable
	err := consistency.WaitFor(ctx, consistency.Defaults, Object(id), func(ctx context.Context) (bool, error) {
		p, err := Get(ctx, c, id)
		if m365.IsNotFound(err) {
			last = nil
			return check(nil), nil
		}
		if err != nil {
			return false, err
		}
		last = p
		return check(p), nil
	})
	return last, err
}
