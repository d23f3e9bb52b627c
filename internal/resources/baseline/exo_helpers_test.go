// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
)

// exoDefaultOf renders the schema default of an attribute, for comparison with the checklist.
func exoDefaultOf(ctx context.Context, t *testing.T, a schema.Attribute) string {
	t.Helper()
	switch x := a.(type) {
	case schema.BoolAttribute:
		var resp defaults.BoolResponse
		x.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
		return resp.PlanValue.String()
	case schema.Int64Attribute:
		var resp defaults.Int64Response
		x.Default.DefaultInt64(ctx, defaults.Int64Request{}, &resp)
		return resp.PlanValue.String()
	case schema.SetAttribute:
		var resp defaults.SetResponse
		x.Default.DefaultSet(ctx, defaults.SetRequest{}, &resp)
		return resp.PlanValue.String()
	}
	t.Fatalf("no default for %T", a)
	return ""
}
