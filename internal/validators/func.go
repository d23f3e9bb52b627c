// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package validators

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// Object is a validator.Object made of its description text (plain, for both Description and
// MarkdownDescription) and the function that validates, for a check that needs no type of its own.
func Object(text string, validate func(context.Context, validator.ObjectRequest, *validator.ObjectResponse)) validator.Object {
	return objectFunc{description: description(text), validate: validate}
}

// String is Object for a string attribute.
func String(text string, validate func(context.Context, validator.StringRequest, *validator.StringResponse)) validator.String {
	return stringFunc{description: description(text), validate: validate}
}

// description is the one text of a validator's Description and MarkdownDescription.
type description string

func (d description) Description(context.Context) string         { return string(d) }
func (d description) MarkdownDescription(context.Context) string { return string(d) }

type objectFunc struct {
	description
	validate func(context.Context, validator.ObjectRequest, *validator.ObjectResponse)
}

func (v objectFunc) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	v.validate(ctx, req, resp)
}

type stringFunc struct {
	description
	validate func(context.Context, validator.StringRequest, *validator.StringResponse)
}

func (v stringFunc) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	v.validate(ctx, req, resp)
}
