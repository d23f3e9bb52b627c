// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package cli dispatches the binary's subcommands. With no subcommand (or only -debug) the binary
// serves the Terraform plugin protocol v6, which is how Terraform starts it.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/provider"
)

// ProviderAddress is the registry address Terraform knows the provider by.
const ProviderAddress = "registry.terraform.io/hipaa365/hipaa"

// BuildInfo identifies the build; goreleaser fills it in through -ldflags.
type BuildInfo struct {
	Version string
	Commit  string
}

const usage = `terraform-provider-hipaa: Terraform provider and drift checker for the HIPAA Security Rule on Microsoft 365.

Usage:
  terraform-provider-hipaa                 serve the Terraform plugin protocol (Terraform starts it this way)
  terraform-provider-hipaa -debug          serve in debug mode (prints TF_REATTACH_PROVIDERS)
  terraform-provider-hipaa drift [flags]   assess the tenant against the HIPAA controls (see drift -h)
  terraform-provider-hipaa devtenant ...   run the emulated Microsoft 365 tenant (see devtenant -h)
  terraform-provider-hipaa version         print the version
`

// Run executes the command line and returns the process exit code.
func Run(args []string, info BuildInfo, stdout, stderr io.Writer) int {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "devtenant":
			return devtenant.Main(args[1:], stdout, stderr)
		case "drift":
			return Drift(args[1:], info, stdout, stderr)
		case "version":
			printf(stdout, "terraform-provider-hipaa %s (commit %s)\n", info.Version, info.Commit)
			return 0
		case "help":
			printf(stdout, "%s", usage)
			return 0
		default:
			printf(stderr, "unknown command %q\n\n%s", args[0], usage)
			return 2
		}
	}
	return serve(args, info, stderr)
}

// printf writes a message for the person at the terminal. When stdout or stderr itself cannot be
// written there is no one left to tell, so the error is dropped: the exit code still says how the
// command ended, and the reports drift writes to files and renders to stdout check their errors.
func printf(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }

func serve(args []string, info BuildInfo, stderr io.Writer) int {
	fs := flag.NewFlagSet("terraform-provider-hipaa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printf(stderr, "%s", usage) }
	debug := fs.Bool("debug", false, "start the provider in debug mode for debuggers such as delve")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	err := providerserver.Serve(context.Background(), provider.New(info.Version), providerserver.ServeOpts{
		Address: ProviderAddress,
		Debug:   *debug,
	})
	if err != nil {
		printf(stderr, "%v\n", err)
		return 1
	}
	return 0
}
