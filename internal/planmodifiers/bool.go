// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package planmodifiers holds the plan modifiers shared by more than one resource.
package planmodifiers

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// PlanTrue plans a computed boolean as true whenever its block is present. It backs `in_sync`
// attributes: Read sets them to false when a managed object differs from the baseline in a
// setting that has no attribute of its own, so that `terraform plan` shows the drift as
// `in_sync: false -> true` instead of hiding it, and apply repairs it.
func PlanTrue() planmodifier.Bool { return planTrue{} }

type planTrue struct{}

func (planTrue) Description(context.Context) string {
	return "plans true: apply brings the managed objects in line with the baseline"
}
func (m planTrue) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (planTrue) PlanModifyBool(_ context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.PlanValue.IsNull() && !req.PlanValue.IsUnknown() {
		return // The block is absent.
	}
	resp.PlanValue = types.BoolValue(true)
}
