// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
)

// schemaDefaults returns the Default of every attribute of a block schema, for the tests that
// hold each block's defaults against the checklist. Sets come back in caSet's canonical
// spelling (lower case, sorted, comma-joined) so that they compare as sets.
func schemaDefaults(t *testing.T, b block) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	for name, a := range b.Schema().Attributes {
		switch a := a.(type) {
		case schema.StringAttribute:
			if a.Default != nil {
				resp := &defaults.StringResponse{}
				a.Default.DefaultString(ctx, defaults.StringRequest{}, resp)
				out[name] = resp.PlanValue.ValueString()
			}
		case schema.BoolAttribute:
			if a.Default != nil {
				resp := &defaults.BoolResponse{}
				a.Default.DefaultBool(ctx, defaults.BoolRequest{}, resp)
				out[name] = resp.PlanValue.ValueBool()
			}
		case schema.Int64Attribute:
			if a.Default != nil {
				resp := &defaults.Int64Response{}
				a.Default.DefaultInt64(ctx, defaults.Int64Request{}, resp)
				out[name] = resp.PlanValue.ValueInt64()
			}
		case schema.SetAttribute:
			if a.Default != nil {
				resp := &defaults.SetResponse{}
				a.Default.DefaultSet(ctx, defaults.SetRequest{}, resp)
				out[name] = caSet(setStrings(resp.PlanValue))
			}
		}
	}
	return out
}
