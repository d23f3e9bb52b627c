// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// int64Diagnostics runs every validator of a block's Int64 attribute on v.
func int64Diagnostics(t *testing.T, b block, name string, v int64) diag.Diagnostics {
	t.Helper()
	a, ok := b.Schema().Attributes[name].(schema.Int64Attribute)
	if !ok {
		t.Fatalf("%s.%s is not an Int64 attribute", b.Name(), name)
	}
	var diags diag.Diagnostics
	p := path.Root(b.Name()).AtName(name)
	for _, vv := range a.Validators {
		resp := &validator.Int64Response{}
		vv.ValidateInt64(context.Background(), validator.Int64Request{Path: p, ConfigValue: types.Int64Value(v)}, resp)
		diags.Append(resp.Diagnostics...)
	}
	return diags
}

// A guest expiry of 10 days is one error that says what is allowed, not two that contradict
// each other ("must be 0" and "must be between 30 and 730").
func TestGuestAccessExpirationDaysOneMessage(t *testing.T) {
	for _, ok := range []int64{0, 30, 365, 730} {
		if diags := int64Diagnostics(t, sharingBlock{}, "guest_access_expiration_days", ok); diags.HasError() {
			t.Errorf("%d refused: %v", ok, diags)
		}
	}
	for _, bad := range []int64{10, 29, 731, -1} {
		diags := int64Diagnostics(t, sharingBlock{}, "guest_access_expiration_days", bad)
		if diags.ErrorsCount() != 1 {
			t.Fatalf("%d: want exactly one error, got %d: %v", bad, diags.ErrorsCount(), diags)
		}
		d := diags.Errors()[0].Detail()
		for _, want := range []string{"sharing.guest_access_expiration_days", "0 (never) or between 30 and 730"} {
			if !strings.Contains(d, want) {
				t.Errorf("%d: detail %q lacks %q", bad, d, want)
			}
		}
	}
}
