// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"strings"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/organization"
	"github.com/microsoftgraph/msgraph-sdk-go/subscribedskus"

	"github.com/hipaa365/terraform-provider-hipaa/internal/clients"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// env is what a block works with during one operation: the tenant, the emergency-access
// accounts every baseline Conditional Access policy excludes, and facts about the tenant that
// several blocks need, each fetched at most once.
type env struct {
	tenant    *m365.Client
	emergency clients.EmergencyAccess

	once          sync.Once
	servicePlans  map[string]bool // Enabled service plans of all subscribed SKUs.
	initialDomain string          // e.g. contoso.onmicrosoft.com.
	factsErr      error
}

func newEnv(tenant *m365.Client, ea clients.EmergencyAccess) *env {
	return &env{tenant: tenant, emergency: ea}
}

// loadFacts reads subscribedSkus and organization once.
func (e *env) loadFacts(ctx context.Context) error {
	e.once.Do(func() {
		skus, err := subscribedskus.NewSubscribedSkusRequestBuilderInternal(map[string]string{}, e.tenant.Graph()).Get(ctx, nil)
		if err != nil {
			e.factsErr = m365.GraphError(err, m365.Operation{Action: "reading", Object: "the tenant's licences (subscribedSkus)",
				Permissions: []string{"Organization.Read.All"}})
			return
		}
		e.servicePlans = map[string]bool{}
		for _, sku := range skus.GetValue() {
			if sku.GetCapabilityStatus() != nil && !strings.EqualFold(*sku.GetCapabilityStatus(), "Enabled") {
				continue
			}
			for _, sp := range sku.GetServicePlans() {
				if sp.GetServicePlanName() != nil && (sp.GetProvisioningStatus() == nil || *sp.GetProvisioningStatus() != "Disabled") {
					e.servicePlans[*sp.GetServicePlanName()] = true
				}
			}
		}
		orgs, err := organization.NewOrganizationRequestBuilderInternal(map[string]string{}, e.tenant.Graph()).Get(ctx, nil)
		if err != nil {
			e.factsErr = m365.GraphError(err, m365.Operation{Action: "reading", Object: "the organization",
				Permissions: []string{"Organization.Read.All"}})
			return
		}
		for _, o := range orgs.GetValue() {
			for _, d := range o.GetVerifiedDomains() {
				if d.GetIsInitial() != nil && *d.GetIsInitial() && d.GetName() != nil {
					e.initialDomain = *d.GetName()
				}
			}
		}
	})
	return e.factsErr
}

// licensed reports whether the tenant has the service plan enabled.
func (e *env) licensed(ctx context.Context, l Licence) (bool, error) {
	if err := e.loadFacts(ctx); err != nil {
		return false, err
	}
	return e.servicePlans[l.ServicePlan], nil
}

// InitialDomain is the tenant's initial onmicrosoft.com domain.
func (e *env) InitialDomain(ctx context.Context) (string, error) {
	if err := e.loadFacts(ctx); err != nil {
		return "", err
	}
	return e.initialDomain, nil
}
