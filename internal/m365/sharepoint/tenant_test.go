// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

var (
	compliant    = Tenant{GuestExpiryDays: 30, AnonymousExpiryDays: 30, UnmanagedDevices: BlockAccess}
	microsoftNew = Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 0, UnmanagedDevices: AllowFullAccess}
)

func TestTenant_flatten(t *testing.T) {
	cases := []struct {
		name   string
		tenant map[string]any
		want   Tenant
	}{
		{"compliant seed", map[string]any{"ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 30.0,
			"RequireAnonymousLinksExpireInDays": 30.0, "ConditionalAccessPolicy": 2.0}, compliant},
		{"noncompliant seed", map[string]any{"ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60.0,
			"RequireAnonymousLinksExpireInDays": -1.0, "ConditionalAccessPolicy": 0.0},
			Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 0, UnmanagedDevices: AllowFullAccess}},
		{"limited", map[string]any{"ExternalUserExpirationRequired": true, "ExternalUserExpireInDays": 90.0,
			"RequireAnonymousLinksExpireInDays": 7.0, "ConditionalAccessPolicy": 1.0},
			Tenant{GuestExpiryDays: 90, AnonymousExpiryDays: 7, UnmanagedDevices: AllowLimitedAccess}},
		{"unknown access policy is kept", map[string]any{"ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60.0,
			"RequireAnonymousLinksExpireInDays": 0.0, "ConditionalAccessPolicy": 3.0},
			Tenant{UnmanagedDevices: AccessPolicy(3)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := flattenTenant(tc.tenant)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("flattenTenant = %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := flattenTenant(map[string]any{"ExternalUserExpirationRequired": true}); err == nil {
		t.Error("missing properties must be an error, not zeros")
	}
	if _, err := flattenTenant(map[string]any{"ExternalUserExpirationRequired": false,
		"RequireAnonymousLinksExpireInDays": 7.5, "ConditionalAccessPolicy": 0.0}); err == nil {
		t.Error("a fraction is not an integer property")
	}
}

func TestTenant_expand(t *testing.T) {
	noncompliant := Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 0, UnmanagedDevices: AllowFullAccess}
	got := expandTenant(compliant, noncompliant)
	want := []m365.CSOMProperty{
		{Name: "ExternalUserExpirationRequired", Value: true}, {Name: "ExternalUserExpireInDays", Value: int64(30)},
		{Name: "RequireAnonymousLinksExpireInDays", Value: int64(30)}, {Name: "ConditionalAccessPolicy", Value: m365.CSOMEnum(2)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expandTenant = %#v, want %#v", got, want)
	}
	// Turning guest expiry off only clears the requirement; the days stay as they were.
	got = expandTenant(Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 30, UnmanagedDevices: BlockAccess}, compliant)
	if want := []m365.CSOMProperty{{Name: "ExternalUserExpirationRequired", Value: false}}; !reflect.DeepEqual(got, want) {
		t.Errorf("expiry off = %#v, want %#v", got, want)
	}
	got = expandTenant(Tenant{GuestExpiryDays: 30, AnonymousExpiryDays: 30, UnmanagedDevices: AllowLimitedAccess}, compliant)
	if want := []m365.CSOMProperty{{Name: "ConditionalAccessPolicy", Value: m365.CSOMEnum(1)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("limited = %#v, want %#v", got, want)
	}
	got = expandTenant(microsoftNew, Tenant{GuestExpiryDays: 0, AnonymousExpiryDays: 30, UnmanagedDevices: AllowFullAccess})
	if want := []m365.CSOMProperty{{Name: "RequireAnonymousLinksExpireInDays", Value: int64(-1)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("anonymous expiry off = %#v, want %#v", got, want)
	}
	if got := expandTenant(compliant, compliant); len(got) != 0 {
		t.Errorf("no difference, yet %v", got)
	}
}

// fakeAdmin is a SharePoint admin site whose SPO.Tenant applies each ProcessQuery after lag reads.
type fakeAdmin struct {
	props    map[string]any
	pending  []m365.CSOMProperty
	lag      int
	reads    int
	sets     [][]m365.CSOMProperty
	setError error
}

func (f *fakeAdmin) Tenant(context.Context) (map[string]any, error) {
	f.reads++
	if f.pending != nil && f.reads > f.lag {
		for _, p := range f.pending {
			switch v := p.Value.(type) {
			case int64:
				f.props[p.Name] = float64(v)
			case m365.CSOMEnum:
				f.props[p.Name] = float64(v)
			default:
				f.props[p.Name] = v
			}
		}
		f.pending = nil
	}
	out := map[string]any{}
	for k, v := range f.props {
		out[k] = v
	}
	return out, nil
}

func (f *fakeAdmin) SetTenantProperties(_ context.Context, props []m365.CSOMProperty) error {
	f.sets = append(f.sets, props)
	if f.setError != nil {
		return f.setError
	}
	f.pending, f.reads = props, 0
	return nil
}

func newTenantProps() map[string]any {
	return map[string]any{"ExternalUserExpirationRequired": false, "ExternalUserExpireInDays": 60.0,
		"RequireAnonymousLinksExpireInDays": -1.0, "ConditionalAccessPolicy": 0.0}
}

// SetTenant sends only the difference, in one request, and returns once SPO.Tenant reads it back.
func TestTenant_setWaitsUntilReadBack(t *testing.T) {
	ctx := context.Background()
	spo := &fakeAdmin{props: newTenantProps(), lag: 2}
	got, err := GetTenant(ctx, spo)
	if err != nil || got != microsoftNew {
		t.Fatalf("GetTenant = %+v, %v", got, err)
	}
	if err := SetTenant(ctx, spo, compliant, got); err != nil {
		t.Fatal(err)
	}
	if len(spo.sets) != 1 || len(spo.sets[0]) != 4 {
		t.Fatalf("ProcessQuery requests %v, want one with four properties", spo.sets)
	}
	if spo.reads <= spo.lag {
		t.Errorf("returned after %d reads, before SPO.Tenant showed the change", spo.reads)
	}
	if now, _ := GetTenant(ctx, spo); now != compliant {
		t.Errorf("tenant %+v, want %+v", now, compliant)
	}
	if err := SetTenant(ctx, spo, compliant, compliant); err != nil || len(spo.sets) != 1 {
		t.Errorf("no difference, yet %d requests (%v)", len(spo.sets), err)
	}
}

func TestTenant_errors(t *testing.T) {
	ctx := context.Background()
	refused := errors.New("refused")
	spo := &fakeAdmin{props: newTenantProps(), setError: refused}
	if err := SetTenant(ctx, spo, compliant, microsoftNew); !errors.Is(err, refused) {
		t.Errorf("SetTenant = %v, want the transport's error", err)
	}
	broken := &fakeAdmin{props: map[string]any{"ExternalUserExpirationRequired": "yes"}}
	if _, err := GetTenant(ctx, broken); err == nil || !strings.HasPrefix(err.Error(), "reading SharePoint tenant settings: ") {
		t.Errorf("GetTenant = %v, want an error that says what was read", err)
	}
}
