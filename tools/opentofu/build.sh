#!/usr/bin/env bash
# Copyright (c) hipaa365 contributors
# SPDX-License-Identifier: MPL-2.0
#
# tools/opentofu/build.sh VERSION OUTPUT: builds OpenTofu VERSION's CLI (./cmd/tofu) into OUTPUT,
# from the Go module proxy only (the machines reach nothing else: no github.com, no opentofu.org).
#
# `go install github.com/opentofu/opentofu/cmd/tofu@VERSION` refuses the module because its go.mod
# has a replace directive (hcl/v2 => opentofu/hcl/v2), so we download the module, copy it out of
# the read-only module cache and build it as the main module, where the replace applies. The
# module has no vendor/ directory and a complete go.sum, so the default -mod=readonly build works
# without touching either. An OUTPUT that already reports VERSION is kept: a second run is instant.
set -euo pipefail
version=${1:?usage: build.sh VERSION OUTPUT}
out=${2:?usage: build.sh VERSION OUTPUT}
version=${version#v}

# (Any line: a warning about the caller's CLI config may come first.)
if [ -x "$out" ] && "$out" version 2>/dev/null | grep -qx "OpenTofu v$version"; then
  exit 0
fi

# The module's go directive names the Go it needs (1.26.6 for 1.12.x); a local Go that is older
# would fetch a toolchain, which the machines cannot, so say so instead.
dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] && [ -d "$dir" ] || { echo "go mod download found no directory for github.com/opentofu/opentofu@v$version" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/opentofu-$version.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
cp -R "$dir/." "$work/"
chmod -R u+w "$work"

echo "building OpenTofu v$version from the Go module proxy into $out (a cold build takes several minutes)" >&2
mkdir -p "$(dirname "$out")"
# dev=no drops the "-dev" prerelease marker, as OpenTofu's release builds do: tfexec and
# terraform-plugin-testing compare the CLI version against constraints, which a prerelease fails.
# -trimpath keeps the build cache valid across the temporary source directories.
(cd "$work" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0 \
  go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" ./cmd/tofu)
mv "$out.tmp" "$out"
"$out" version 2>/dev/null | grep -x "OpenTofu v$version"
