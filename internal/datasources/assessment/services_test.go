// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package assessment

import (
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// A licence read that failed is a warning on baa.services_in_use and a null list, never an
// empty list that reads as "no services in use".
func TestServicesInUse_unreadLicences(t *testing.T) {
	snap := snapshot.New("tenant", "test", time.Now())
	snap.Sources[snapshot.GraphSubscribedSkus] = &snapshot.Source{Status: 403, Error: "403 Authorization_RequestDenied"}
	services, diags := servicesInUse(snap)
	if services != nil {
		t.Fatalf("services = %v, want nil (null in state)", services)
	}
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning, got %v", diags)
	}
	d := diags.Warnings()[0]
	if !strings.Contains(d.Detail(), "Authorization_RequestDenied") || !strings.Contains(d.Detail(), "subscribedSkus") {
		t.Errorf("the warning does not say why: %s", d.Detail())
	}
}

func TestServicesInUse_noLicences(t *testing.T) {
	snap := snapshot.New("tenant", "test", time.Now())
	snap.Sources[snapshot.GraphSubscribedSkus] = &snapshot.Source{Status: 200, Body: []byte(`{"value":[]}`)}
	services, diags := servicesInUse(snap)
	if diags.HasError() || diags.WarningsCount() != 0 {
		t.Fatalf("want no diagnostics, got %v", diags)
	}
	if services == nil || len(services) != 0 {
		t.Fatalf("services = %#v, want an empty, non-nil list", services)
	}
}
