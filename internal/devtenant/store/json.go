// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package store

// Strings is the strings of the JSON array m[key] (non-strings skipped; empty, not nil, when absent).
func Strings(m map[string]any, key string) []string {
	arr, _ := m[key].([]any)
	out := make([]string, 0, len(arr))
	for _, v := range arr {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
