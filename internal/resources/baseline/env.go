// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/collect"
	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

// env is what a block works with during one operation: the tenant, the emergency-access
// accounts every baseline Conditional Access policy excludes, and facts about the tenant that
// several blocks need, each fetched at most once.
type env struct {
	tenant    *m365.Client
	emergency providerdata.EmergencyAccess

	once          sync.Once
	servicePlans  map[string]bool // Enabled service plans of all subscribed SKUs.
	initialDomain string          // e.g. contoso.onmicrosoft.com.
	factsErr      error
}

func newEnv(tenant *m365.Client, ea providerdata.EmergencyAccess) *env {
	return &env{tenant: tenant, emergency: ea}
}

// loadFacts reads the licences and the initial domain once. It goes through the assessment's
// collector so that, in a run that also evaluates hipaa_assessment, both read these sources
// once between them (the collector's per-client run cache).
func (e *env) loadFacts(ctx context.Context) error {
	e.once.Do(func() {
		snap, err := collect.Collect(ctx, e.tenant, []snapshot.SourceID{snapshot.GraphSubscribedSkus, snapshot.GraphOrganization}, collect.Options{})
		if err != nil {
			e.factsErr = err
			return
		}
		var skus struct {
			Value []struct {
				CapabilityStatus string `json:"capabilityStatus"`
				ServicePlans     []struct {
					ServicePlanName    string `json:"servicePlanName"`
					ProvisioningStatus string `json:"provisioningStatus"`
				} `json:"servicePlans"`
			} `json:"value"`
		}
		if err := snap.Decode(snapshot.GraphSubscribedSkus, &skus); err != nil {
			e.factsErr = fmt.Errorf("reading the tenant's licences (subscribedSkus, permission Organization.Read.All): %w", err)
			return
		}
		e.servicePlans = map[string]bool{}
		for _, sku := range skus.Value {
			if sku.CapabilityStatus != "" && !strings.EqualFold(sku.CapabilityStatus, "Enabled") {
				continue
			}
			for _, sp := range sku.ServicePlans {
				if sp.ServicePlanName != "" && sp.ProvisioningStatus != "Disabled" {
					e.servicePlans[sp.ServicePlanName] = true
				}
			}
		}
		var orgs struct {
			Value []struct {
				VerifiedDomains []struct {
					Name      string `json:"name"`
					IsInitial bool   `json:"isInitial"`
				} `json:"verifiedDomains"`
			} `json:"value"`
		}
		if err := snap.Decode(snapshot.GraphOrganization, &orgs); err != nil {
			e.factsErr = fmt.Errorf("reading the organization (permission Organization.Read.All): %w", err)
			return
		}
		for _, o := range orgs.Value {
			for _, d := range o.VerifiedDomains {
				if d.IsInitial {
					e.initialDomain = d.Name
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
