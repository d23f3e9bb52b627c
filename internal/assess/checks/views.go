// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// The decoding helpers below are lenient on purpose: Exchange and Compliance cmdlets serialise
// booleans as true or "True", numbers as 3 or "3", and a one-element list sometimes as the bare
// value. A check must read the tenant's meaning, not trip over PowerShell's formatting. They are
// never lenient about absence: a field that is missing stays unset so that a check can say
// "unknown" instead of assuming a default.

// flexBool is a boolean that may arrive as a JSON bool, a string ("True", "false") or a number.
type flexBool struct {
	Set bool
	V   bool
}

func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if s == "null" {
		*b = flexBool{}
		return nil
	}
	s = strings.Trim(s, `"`)
	switch strings.ToLower(s) {
	case "true", "1", "$true":
		*b = flexBool{Set: true, V: true}
	case "false", "0", "$false", "":
		*b = flexBool{Set: true, V: false}
	default:
		return fmt.Errorf("not a boolean: %s", data)
	}
	return nil
}

// flexInt is an integer that may arrive as a JSON number or a numeric string.
type flexInt struct {
	Set bool
	V   int
}

func (n *flexInt) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if s == "null" {
		*n = flexInt{}
		return nil
	}
	s = strings.Trim(s, `"`)
	if s == "" {
		*n = flexInt{}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", data)
	}
	*n = flexInt{Set: true, V: int(f)}
	return nil
}

// flexStrings is a list of strings that may arrive as a JSON array, a single string, a
// comma-separated string or null. Non-string elements are kept as their JSON text.
type flexStrings []string

func (l *flexStrings) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*l = nil
	case len(data) > 0 && data[0] == '[':
		var raw []json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return err
		}
		out := make([]string, 0, len(raw))
		for _, r := range raw {
			var s string
			if json.Unmarshal(r, &s) == nil {
				out = append(out, s)
				continue
			}
			out = append(out, string(r))
		}
		*l = out
	case len(data) > 0 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*l = nil
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				*l = append(*l, part)
			}
		}
	default:
		*l = flexStrings{string(data)}
	}
	return nil
}

// flexString is a string that may arrive as a JSON string, a number or a bool (enums serialised
// by value).
type flexString struct {
	Set bool
	V   string
}

func (s *flexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*s = flexString{}
		return nil
	}
	var str string
	if json.Unmarshal(data, &str) == nil {
		*s = flexString{Set: true, V: str}
		return nil
	}
	*s = flexString{Set: true, V: string(data)}
	return nil
}

// decodeList reads a source holding a collection into out (a pointer to a slice). It accepts
// the Graph shape {"value":[...]}, the cmdlet shape [...], and a single object (a cmdlet that
// returned one object unwrapped), so that checks do not depend on which client wrote the
// snapshot.
func decodeList(s *snapshot.Snapshot, id snapshot.SourceID, out any) error {
	return decodeSource(s, id, out, listPart)
}

// decodeObject reads a singleton source. A Graph list or cmdlet array of one object is accepted
// too (Get-OrganizationConfig answers an array of one); an empty list is an error because the
// object the check needs is not there.
func decodeObject(s *snapshot.Snapshot, id snapshot.SourceID, out any) error {
	return decodeSource(s, id, out, objectPart)
}

// decodeSource reads source id and decodes into out the part of its JSON that part picks.
func decodeSource(s *snapshot.Snapshot, id snapshot.SourceID, out any, part func(snapshot.SourceID, json.RawMessage) (json.RawMessage, error)) error {
	var raw json.RawMessage
	if err := s.Decode(id, &raw); err != nil {
		return err
	}
	raw, err := part(id, bytes.TrimSpace(raw))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return decodingError(id, err)
	}
	return nil
}

func decodingError(id snapshot.SourceID, err error) error {
	return fmt.Errorf("decoding source %s: %w", id, err)
}

// listPart is the list of a Graph page, a cmdlet array as it is, and a bare object as a list
// of one.
func listPart(id snapshot.SourceID, raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return raw, nil
	}
	var page struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		return nil, decodingError(id, err)
	}
	if len(page.Value) > 0 {
		return page.Value, nil
	}
	return append(append([]byte{'['}, raw...), ']'), nil
}

// objectPart is the first item of a Graph page or cmdlet array, and a bare object as it is. An
// object whose "value" is not a list is a bare object that happens to have such a property.
func objectPart(id snapshot.SourceID, raw json.RawMessage) (json.RawMessage, error) {
	switch {
	case len(raw) > 0 && raw[0] == '{':
		var page struct {
			Value *[]json.RawMessage `json:"value"`
		}
		if json.Unmarshal(raw, &page) == nil && page.Value != nil {
			if len(*page.Value) == 0 {
				return nil, &snapshot.ErrMissing{ID: id, Reason: "the list is empty"}
			}
			return (*page.Value)[0], nil
		}
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, decodingError(id, err)
		}
		if len(items) == 0 {
			return nil, &snapshot.ErrMissing{ID: id, Reason: "the cmdlet returned no object"}
		}
		return items[0], nil
	}
	return raw, nil
}

// containsFold reports whether list holds v, ignoring case.
func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), v) {
			return true
		}
	}
	return false
}

// subsetFold reports whether every element of list is in allowed, ignoring case.
func subsetFold(list, allowed []string) bool {
	for _, x := range list {
		if !containsFold(allowed, x) {
			return false
		}
	}
	return true
}

// joinNames renders a list for an Actual sentence, capped so a finding stays readable.
func joinNames(names []string) string {
	const maxNames = 10
	if len(names) > maxNames {
		return strings.Join(names[:maxNames], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNames)
	}
	return strings.Join(names, ", ")
}

// quoteAll quotes names for a sentence.
func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func pass(expected, actual string) Outcome {
	return Outcome{Status: StatusPass, Expected: expected, Actual: actual}
}

func fail(expected, actual string, objects ...string) Outcome {
	return Outcome{Status: StatusFail, Expected: expected, Actual: actual, Objects: objects}
}
