// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
)

// Service plans that gate controls. A control whose feature the tenant has not bought is
// not_licensed rather than fail: the finding is "buy or accept", not "misconfigured".
const (
	planAADP1           = "AAD_PREMIUM"            // Conditional Access.
	planAADP2           = "AAD_PREMIUM_P2"         // PIM and access reviews.
	planATP             = "ATP_ENTERPRISE"         // Defender for Office 365 P1: Safe Links and Safe Attachments.
	planAdvancedAudit   = "M365_ADVANCED_AUDITING" // Audit (Premium): retention beyond 180 days.
	planIntune          = "INTUNE_A"               // Intune.
	graphAppID          = "00000003-0000-0000-c000-000000000000"
	microsoftTenantID   = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
	emptyGUID           = "00000000-0000-0000-0000-000000000000"
	roleGlobalAdminTmpl = directory.GlobalAdministrator
)

type servicePlanInfo struct {
	ServicePlanID      string `json:"servicePlanId"`
	ServicePlanName    string `json:"servicePlanName"`
	ProvisioningStatus string `json:"provisioningStatus"`
	AppliesTo          string `json:"appliesTo"`
}

type subscribedSku struct {
	SkuPartNumber    string            `json:"skuPartNumber"`
	CapabilityStatus string            `json:"capabilityStatus"`
	ConsumedUnits    flexInt           `json:"consumedUnits"`
	ServicePlans     []servicePlanInfo `json:"servicePlans"`
}

// active reports whether a subscription still grants its plans: Enabled, or Warning (in the
// grace period after expiry). Suspended and LockedOut subscriptions grant nothing.
func (s subscribedSku) active() bool {
	switch strings.ToLower(s.CapabilityStatus) {
	case "", "enabled", "warning":
		return true
	}
	return false
}

// licences is the set of service plans the tenant has, from graph.subscribedSkus.
type licences struct {
	skus  []subscribedSku
	plans map[string]bool // Upper-case plan name.
}

func readLicences(s *snapshot.Snapshot) (*licences, error) {
	var skus []subscribedSku
	if err := decodeList(s, snapshot.GraphSubscribedSkus, &skus); err != nil {
		return nil, err
	}
	l := &licences{skus: skus, plans: map[string]bool{}}
	for _, sku := range skus {
		if !sku.active() {
			continue
		}
		for _, p := range sku.ServicePlans {
			if strings.EqualFold(p.ProvisioningStatus, "Disabled") {
				continue
			}
			l.plans[strings.ToUpper(p.ServicePlanName)] = true
		}
	}
	return l, nil
}

// has reports whether any of the plans is provisioned.
func (l *licences) has(plans ...string) bool {
	for _, p := range plans {
		if l.plans[strings.ToUpper(p)] {
			return true
		}
	}
	return false
}

// licenceGate returns a finished outcome when the tenant lacks every one of the plans (or the
// licences could not be read), and nil when the check should go on.
func licenceGate(s *snapshot.Snapshot, expected, product string, plans ...string) *Outcome {
	l, err := readLicences(s)
	if err != nil {
		o := errorOutcome(expected, err)
		return &o
	}
	if l.has(plans...) {
		return nil
	}
	return &Outcome{Status: StatusNotLicensed, Expected: expected,
		Actual: "The tenant has no " + product + " licence (service plan " + strings.Join(plans, " or ") + ")."}
}
