// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package sharepoint is the one typed home of the SharePoint tenant settings the provider
// manages. They live in two places, and this package hides which is which:
//
//   - Sharing (sharing.go) is Microsoft Graph's /admin/sharepoint/settings: sharing capability,
//     domain lists, resharing by guests.
//   - Tenant (tenant.go) is SharePoint's own tenant object (SPO.Tenant): expiry of guest access and
//     of anonymous links, and what unmanaged devices may do. Graph has no API for these; they are
//     read through the admin site's REST API and written through CSOM, as SharePoint Online
//     Management Shell does.
//
// Each has a Get and a Set that writes only what differs and then waits until the service reads
// the new values back (both are eventually consistent).
//
// The admin site's transport (m365.SharePointClient: finding the admin site, tokens, the CSOM
// ProcessQuery body and its error answers) stays in package m365: the client caches it per
// tenant in m365.Client and builds it from m365's unexported request pipeline, so moving it here
// would make m365 import this package and this package import m365.
package sharepoint

import (
	"context"
	"fmt"
	"math"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Admin is the admin site's transport: *m365.SharePointClient, or a fake in tests.
type Admin interface {
	Tenant(ctx context.Context) (map[string]any, error)
	SetTenantProperties(ctx context.Context, props []m365.CSOMProperty) error
}

var _ Admin = (*m365.SharePointClient)(nil)

// AccessPolicy is what SharePoint and OneDrive allow from unmanaged devices, the tenant's
// ConditionalAccessPolicy (SPOConditionalAccessPolicyType). A value this package does not name
// is kept as it is.
type AccessPolicy int

// The access policies the provider sets.
const (
	AllowFullAccess    AccessPolicy = 0
	AllowLimitedAccess AccessPolicy = 1 // Browser only, without download, print or sync.
	BlockAccess        AccessPolicy = 2
)

// Tenant are the SPO.Tenant settings the provider manages.
type Tenant struct {
	GuestExpiryDays     int64 // 0: guests keep access until removed.
	AnonymousExpiryDays int64 // 0: anonymous links never expire.
	UnmanagedDevices    AccessPolicy
}

// SPO.Tenant property names.
const (
	propExpirationRequired = "ExternalUserExpirationRequired"
	propExpireInDays       = "ExternalUserExpireInDays"
	propAnonymousExpiry    = "RequireAnonymousLinksExpireInDays"
	propConditionalAccess  = "ConditionalAccessPolicy"
)

// GetTenant reads the tenant's settings.
func GetTenant(ctx context.Context, spo Admin) (Tenant, error) {
	t, err := spo.Tenant(ctx)
	if err != nil {
		return Tenant{}, err
	}
	s, err := flattenTenant(t)
	if err != nil {
		return s, fmt.Errorf("reading SharePoint tenant settings: %w", err)
	}
	return s, nil
}

// SetTenant sets, in one CSOM request, the properties in which want differs from got (what the
// tenant has), and waits until SPO.Tenant reads want back.
func SetTenant(ctx context.Context, spo Admin, want, got Tenant) error {
	props := expandTenant(want, got)
	if len(props) == 0 {
		return nil
	}
	if err := spo.SetTenantProperties(ctx, props); err != nil {
		return err
	}
	return consistency.WaitFor(ctx, consistency.Options{}, "the SharePoint tenant settings", func(ctx context.Context) (bool, error) {
		live, err := GetTenant(ctx, spo)
		return live == want, err
	})
}

// flattenTenant reads the settings from SPO.Tenant's properties.
func flattenTenant(t map[string]any) (Tenant, error) {
	var out Tenant
	required, ok := t[propExpirationRequired].(bool)
	if !ok {
		return out, fmt.Errorf("SPO.Tenant has no boolean %s", propExpirationRequired)
	}
	if required {
		days, err := intProperty(t, propExpireInDays)
		if err != nil {
			return out, err
		}
		out.GuestExpiryDays = days
	}
	anon, err := intProperty(t, propAnonymousExpiry)
	if err != nil {
		return out, err
	}
	out.AnonymousExpiryDays = max(anon, 0) // -1 and 0 both mean that anonymous links never expire.
	ca, err := intProperty(t, propConditionalAccess)
	if err != nil {
		return out, err
	}
	out.UnmanagedDevices = AccessPolicy(ca)
	return out, nil
}

func intProperty(t map[string]any, name string) (int64, error) {
	f, ok := t[name].(float64)
	if !ok || f != math.Trunc(f) {
		return 0, fmt.Errorf("SPO.Tenant has no integer %s", name)
	}
	return int64(f), nil
}

// expandTenant lists the CSOM properties to set so that got becomes want.
func expandTenant(want, got Tenant) []m365.CSOMProperty {
	var props []m365.CSOMProperty
	if want.GuestExpiryDays != got.GuestExpiryDays {
		if want.GuestExpiryDays == 0 {
			// Only the requirement goes: the days stay as they were, as in the admin center.
			props = append(props, m365.CSOMProperty{Name: propExpirationRequired, Value: false})
		} else {
			props = append(props, m365.CSOMProperty{Name: propExpirationRequired, Value: true},
				m365.CSOMProperty{Name: propExpireInDays, Value: want.GuestExpiryDays})
		}
	}
	if want.AnonymousExpiryDays != got.AnonymousExpiryDays {
		days := want.AnonymousExpiryDays
		if days == 0 {
			days = -1 // SharePoint's "no expiry"; it refuses 0.
		}
		props = append(props, m365.CSOMProperty{Name: propAnonymousExpiry, Value: days})
	}
	if want.UnmanagedDevices != got.UnmanagedDevices {
		props = append(props, m365.CSOMProperty{Name: propConditionalAccess, Value: m365.CSOMEnum(want.UnmanagedDevices)})
	}
	return props
}
