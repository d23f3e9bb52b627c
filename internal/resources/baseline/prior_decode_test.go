// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A prior state that does not decode (written by another schema, say) must stop the operation
// with the decoding error before the tenant is touched: read as "nothing managed yet", it made
// apply create every object a second time and release leave the old ones behind.
func TestUndecodablePriorStateIsAnError(t *testing.T) {
	ctx := context.Background()
	bad := types.ObjectValueMust(map[string]attr.Type{"unrelated": types.StringType},
		map[string]attr.Value{"unrelated": types.StringValue("x")})
	// These blocks keep no object ids: their Apply and Release never read the prior state.
	ignoresPrior := map[string]bool{"guests": true, "authentication_methods": true}
	for _, b := range blocks() {
		if ignoresPrior[b.Name()] {
			continue
		}
		t.Run(b.Name(), func(t *testing.T) {
			plan := allNull(ctx, t, b)
			// A nil env: a block that goes on to call the tenant panics, and the test says so.
			expectDecodeError(t, "Apply", func() diag.Diagnostics {
				_, diags := b.Apply(ctx, nil, plan, bad)
				return diags
			})
			expectDecodeError(t, "Release", func() diag.Diagnostics { return b.Release(ctx, nil, bad, true) })
		})
	}
}

// allNull is a block value whose attributes are all null: it decodes into every block model.
func allNull(ctx context.Context, t *testing.T, b block) types.Object {
	t.Helper()
	vals := map[string]attr.Value{}
	for name, typ := range attrTypes(b) {
		v, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
		if err != nil {
			t.Fatalf("null %s: %v", name, err)
		}
		vals[name] = v
	}
	return types.ObjectValueMust(attrTypes(b), vals)
}

func expectDecodeError(t *testing.T, op string, f func() diag.Diagnostics) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s went on to call the tenant with a prior state it could not decode: %v", op, r)
		}
	}()
	if diags := f(); !diags.HasError() {
		t.Errorf("%s: want the decoding error, got %v", op, diags)
	}
}
