// Copyright (c) hipaa365
// SPDX-License-Identifier: MPL-2.0

//go:build generate

// Package tools pins the documentation generator in its own module, so that its
// dependencies never enter the provider's go.mod. The docs.mk fragment builds it
// with `go build` into the project-local bin directory.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
