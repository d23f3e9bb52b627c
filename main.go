// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Command terraform-provider-hipaa is one binary with three faces: the Terraform provider (when
// Terraform starts it), the drift checker (`drift`) and the emulated tenant (`devtenant`);
// internal/cli dispatches between them.
package main

import (
	"os"

	"github.com/hipaa365/terraform-provider-hipaa/internal/cli"
)

// These are set by goreleaser through -ldflags.
var (
	version = "dev"
	commit  = "none"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.BuildInfo{Version: version, Commit: commit}, os.Stdout, os.Stderr))
}
