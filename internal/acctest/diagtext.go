// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package acctest

import (
	"regexp"
	"strings"
)

// DiagText matches Terraform's rendering of diagnostic texts: each text literally, except that
// any run of spaces may be a line break, since Terraform wraps diagnostics at 78 columns, and
// the texts in order, with anything between them (e.g. a summary, then its detail).
func DiagText(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, s := range texts {
		words := strings.Fields(s)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}
