// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
)

// ObjectAt runs an object validator on the object at p as a resource-level check.
//
// Cross-field checks of a nested object (one attribute requires another) are registered this way
// rather than as the object's own Validators: when an object's validator reports an error, the
// framework skips the validators of everything nested in it, so a range error inside the object
// would only appear after the cross-field error is fixed. Resource-level validators run
// alongside the schema's, and one `terraform validate` reports every error.
func ObjectAt(p path.Path, v validator.Object) resource.ConfigValidator {
	return objectAt{path: p, v: v}
}

type objectAt struct {
	path path.Path
	v    validator.Object
}

func (o objectAt) Description(ctx context.Context) string {
	return diagnostics.PathText(o.path) + ": " + o.v.Description(ctx)
}

func (o objectAt) MarkdownDescription(ctx context.Context) string {
	return diagnostics.PathText(o.path) + ": " + o.v.MarkdownDescription(ctx)
}

func (o objectAt) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var obj types.Object
	// A parent that is null makes the object null; a parent that is unknown makes it unknown.
	if diags := req.Config.GetAttribute(ctx, o.path, &obj); diags.HasError() {
		return
	}
	vr := &validator.ObjectResponse{}
	o.v.ValidateObject(ctx, validator.ObjectRequest{Path: o.path, PathExpression: o.path.Expression(), ConfigValue: obj, Config: req.Config}, vr)
	resp.Diagnostics.Append(vr.Diagnostics...)
}
