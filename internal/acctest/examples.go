// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Example parses a file under examples/ (the configurations the documentation shows), so that a
// test configures what the documentation shows rather than a copy that can drift from it.
func Example(t *testing.T, name string) *hclwrite.File {
	t.Helper()
	path := filepath.Join(repoRoot(), "examples", filepath.FromSlash(name))
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the example: %v", err)
	}
	f, diags := hclwrite.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing %s: %v", path, diags)
	}
	return f
}
