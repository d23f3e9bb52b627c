// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/seed"
)

// Main runs the `devtenant` subcommand until SIGINT or SIGTERM and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return MainContext(ctx, args, stdout, stderr)
}

// MainContext is Main with the lifetime bound to ctx instead of signals (for tests and embedding).
func MainContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("devtenant", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		printf(stderr, "Usage: terraform-provider-hipaa devtenant --data-dir DIR [flags]\n"+
			"\nRuns an emulated Microsoft 365 tenant (Entra, Graph v1.0 subset, Exchange Online, Security & Compliance and SharePoint admin) on loopback HTTPS.\n"+
			"Source DIR/env.sh to point the provider at it.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var o Options
	var verbose bool
	fs.StringVar(&o.DataDir, "data-dir", "", "directory for ca.pem, ca-bundle.pem, env.sh and tenant.json (required)")
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:0", "address to listen on")
	fs.StringVar(&o.Seed, "seed", seed.Noncompliant, "seed for a new data dir: empty, noncompliant, compliant or shadowed (compliant, but custom threat policies of higher priority turn protection off)")
	fs.IntVar(&o.Users, "users", 0, "extra synthetic users to add to a new data dir")
	fs.DurationVar(&o.Latency, "latency", 0, "latency added to every request, e.g. 50ms")
	fs.Float64Var(&o.ThrottleRate, "throttle-rate", 0, "share (0..1) of Graph requests answered 429/503 with Retry-After")
	fs.DurationVar(&o.ReplicationDelay, "replication-delay", 0, "how long reads stay stale after a write, e.g. 2s")
	fs.DurationVar(&o.TokenLifetime, "token-lifetime", time.Hour, "access token lifetime")
	fs.BoolVar(&verbose, "verbose", false, "log every request to stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usageErr := func(format string, a ...any) int {
		printf(stderr, "devtenant: "+format+"\n", a...)
		printf(stderr, "Run 'terraform-provider-hipaa devtenant -h' for usage.\n")
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case o.DataDir == "":
		return usageErr("--data-dir is required")
	case o.Seed != seed.Empty && o.Seed != seed.Noncompliant && o.Seed != seed.Compliant && o.Seed != seed.Shadowed:
		return usageErr("--seed must be empty, noncompliant, compliant or shadowed, not %q", o.Seed)
	case o.Users < 0:
		return usageErr("--users must not be negative")
	case o.ThrottleRate < 0 || o.ThrottleRate > 1:
		return usageErr("--throttle-rate must be between 0 and 1")
	case o.Latency < 0 || o.ReplicationDelay < 0:
		return usageErr("--latency and --replication-delay must not be negative")
	case o.TokenLifetime <= 0:
		return usageErr("--token-lifetime must be positive")
	}
	if verbose {
		o.Logf = func(format string, args ...any) { printf(stderr, format+"\n", args...) }
	}
	s, err := Start(o)
	if err != nil {
		printf(stderr, "%v\n", err)
		return 1
	}
	printf(stdout, "devtenant ready at %s\n", s.URL())
	<-ctx.Done()
	if err := s.Close(); err != nil {
		printf(stderr, "devtenant: shutting down: %v\n", err)
		return 1
	}
	return 0
}

// printf writes a message for the person at the terminal. When stdout or stderr itself cannot be
// written there is no one left to tell, so the error is dropped: the exit code still says how the
// command ended.
func printf(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
