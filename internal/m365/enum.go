// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import "fmt"

// ParseEnum converts a Graph enum spelling with the SDK's generated parser (for example
// models.ParseSharingCapabilities). The parsers return an `any` holding a *T, and nil (not an
// error) for an unknown spelling, which is turned into an error here, so that no caller asserts
// the parser's answer itself.
func ParseEnum[T any](parse func(string) (any, error), s string) (*T, error) {
	v, err := parse(s)
	if err != nil {
		return nil, fmt.Errorf("parsing %q: %w", s, err)
	}
	out, ok := v.(*T)
	if !ok || out == nil {
		return nil, fmt.Errorf("%q is not a value Graph v1.0 knows for %T", s, *new(T))
	}
	return out, nil
}

// ParseEnums is ParseEnum for each of vals, stopping at the first that fails.
func ParseEnums[T any](parse func(string) (any, error), vals []string) ([]T, error) {
	out := make([]T, 0, len(vals))
	for _, s := range vals {
		v, err := ParseEnum[T](parse, s)
		if err != nil {
			return out, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// EnumStrings spells SDK enum values the way Graph does: the inverse of ParseEnums.
func EnumStrings[T fmt.Stringer](vals []T) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, v.String())
	}
	return out
}
