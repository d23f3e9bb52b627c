// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package validators

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestFuncValidators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	called := 0
	o := Object("object text", func(context.Context, validator.ObjectRequest, *validator.ObjectResponse) { called++ })
	s := String("string text", func(context.Context, validator.StringRequest, *validator.StringResponse) { called++ })
	o.ValidateObject(ctx, validator.ObjectRequest{ConfigValue: types.ObjectNull(nil)}, &validator.ObjectResponse{})
	s.ValidateString(ctx, validator.StringRequest{ConfigValue: types.StringNull()}, &validator.StringResponse{})
	if called != 2 {
		t.Errorf("validate ran %d times, want 2", called)
	}
	for _, v := range []validator.Describer{o, s} {
		if v.Description(ctx) != v.MarkdownDescription(ctx) {
			t.Errorf("Description %q and MarkdownDescription %q differ", v.Description(ctx), v.MarkdownDescription(ctx))
		}
	}
	if o.Description(ctx) != "object text" || s.Description(ctx) != "string text" {
		t.Errorf("descriptions = %q, %q", o.Description(ctx), s.Description(ctx))
	}
}
