// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package cmdlets is the plumbing shared by the typed packages that work through Exchange Online
// and Security & Compliance cmdlets (internal/m365/exchange, internal/m365/compliance): lenient
// accessors for cmdlet output, and the find, remove and read-back steps every object kind repeats.
//
// Cmdlet output is JSON decoded into map[string]any (m365.CommandClient.Invoke). PowerShell
// serializes loosely: booleans come as JSON booleans or as "True"/"False", numbers as float64 or
// strings, and multi-valued properties as arrays, a single value sometimes as a scalar. So every
// accessor here accepts each spelling; a typed package decodes its structs with them and never
// type-asserts cmdlet output itself.
package cmdlets

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Object is one object a cmdlet output, as m365.CommandClient.Invoke returns it.
type Object = map[string]any

// String returns a string property, "" when absent; numbers are formatted without exponent.
func String(o Object, key string) string {
	switch v := o[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// Bool returns a boolean property, false when absent; PowerShell may spell it "True".
func Bool(o Object, key string) bool {
	switch v := o[key].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	case float64:
		return v != 0
	}
	return false
}

// Int returns an integer property and whether it was present and numeric (a number or a string
// holding one).
func Int(o Object, key string) (int64, bool) {
	switch v := o[key].(type) {
	case float64:
		return int64(v), true
	case int: // Parameters merged into an object (Merged) keep the type they were sent with.
		return int64(v), true
	case int64:
		return v, true
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// Strings returns a multi-valued property as strings; a scalar is a list of one, "" or absent
// is nil.
func Strings(o Object, key string) []string {
	switch v := o[key].(type) {
	case nil:
		return nil
	case []string: // Parameters merged into an object (Merged) keep the type they were sent with.
		return append([]string(nil), v...)
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			} else if e != nil {
				out = append(out, fmt.Sprint(e))
			}
		}
		return out
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return nil
}

// idKeys are the properties that identify an object, most stable first.
var idKeys = []string{"Guid", "ImmutableId", "Identity", "Name"}

// ID is the id the provider records for an object: its Guid when the cmdlet outputs one, else its
// ImmutableId, its Identity, or its Name.
func ID(o Object) string {
	for _, k := range idKeys {
		if s := String(o, k); s != "" {
			return s
		}
	}
	return ""
}

// FindByIDOrName returns the object one of whose identifying properties (Guid, ImmutableId,
// Identity, Name) is id, or, when id is empty or matches none, the one named name. That is how
// an object the state recorded is found again, and how one of the provider's names is adopted
// instead of created twice. Both comparisons ignore case, as Exchange does. Nil when neither
// matches.
func FindByIDOrName(objs []Object, id, name string) Object {
	if i := IndexByIDOrName(objs, id, name); i >= 0 {
		return objs[i]
	}
	return nil
}

// IndexByIDOrName is FindByIDOrName's index, -1 when neither matches: typed packages use it to
// pick the decoded object that belongs to the matching output.
func IndexByIDOrName(objs []Object, id, name string) int {
	if id != "" {
		for i, o := range objs {
			for _, k := range idKeys {
				if s := String(o, k); s != "" && strings.EqualFold(s, id) {
					return i
				}
			}
		}
	}
	for i, o := range objs {
		if strings.EqualFold(String(o, "Name"), name) {
			return i
		}
	}
	return -1
}

// IDsNamed returns the ids (see ID) of the objects named name.
func IDsNamed(objs []Object, name string) []string {
	var ids []string
	for _, o := range objs {
		if strings.EqualFold(String(o, "Name"), name) {
			ids = append(ids, ID(o))
		}
	}
	return ids
}

// GetOptional runs a Get- cmdlet with -Identity and returns nil, without error, when the object
// does not exist.
func GetOptional(ctx context.Context, cc *m365.CommandClient, getCmdlet, identity string) (Object, error) {
	obj, err := cc.InvokeSingle(ctx, getCmdlet, map[string]any{"Identity": identity})
	if m365.IsNotFound(err) {
		return nil, nil
	}
	return obj, err
}

// NilIfNotFound turns a finder's not-found error into "no object": for callers to whom a missing
// object is an answer (a setting not configured yet), not a failure.
func NilIfNotFound[T any](obj *T, err error) (*T, error) {
	if m365.IsNotFound(err) {
		return nil, nil
	}
	return obj, err
}

// Merged is o after a successful Set- with params: a copy of o with every parameter but Identity
// (which addresses the object, it does not change it) written over the property of its name.
// Typed packages decode it again, so that what they hand back is what the tenant now has
// without reading it again.
func Merged(o Object, params map[string]any) Object {
	out := make(Object, len(o)+len(params))
	maps.Copy(out, o)
	for k, v := range params {
		if !strings.EqualFold(k, "Identity") {
			out[k] = v
		}
	}
	return out
}

// RemoveIgnoringNotFound runs a Remove- cmdlet with -Identity; an object already gone, or no
// identity at all, is success.
func RemoveIgnoringNotFound(ctx context.Context, cc *m365.CommandClient, removeCmdlet, identity string) error {
	if identity == "" {
		return nil
	}
	_, err := cc.Invoke(ctx, removeCmdlet, map[string]any{"Identity": identity})
	if m365.IsNotFound(err) {
		return nil
	}
	return err
}

// ReadBackByName finds an object a New- cmdlet has just created but not output (some cmdlet
// versions answer with nothing) by listing getCmdlet and taking the one named name. When even
// the list does not show it yet (replication), a copy of the New- parameters stands in for it
// until the next refresh reads the real object.
func ReadBackByName(ctx context.Context, cc *m365.CommandClient, getCmdlet, name string, params map[string]any) (Object, error) {
	objs, err := cc.Invoke(ctx, getCmdlet, nil)
	if err != nil {
		return nil, err
	}
	if o := FindByIDOrName(objs, "", name); o != nil {
		return o, nil
	}
	stand := make(Object, len(params))
	maps.Copy(stand, params)
	return stand, nil
}

// New runs New-<noun> with params and returns the object it created: the one it output, or, when
// it output nothing (some cmdlet versions do), the object named name read back with Get-<noun>
// (ReadBackByName). m365.CommandClient already makes sure a lost answer does not create twice.
func New(ctx context.Context, cc *m365.CommandClient, noun, name string, params map[string]any) (Object, error) {
	created, err := cc.Invoke(ctx, "New-"+noun, params)
	if err != nil {
		return nil, err
	}
	if len(created) == 1 {
		return created[0], nil
	}
	return ReadBackByName(ctx, cc, "Get-"+noun, name, params)
}

// SameStrings compares two lists as case-insensitive sets, ignoring blanks and surrounding
// space, the way Exchange and Purview compare multi-valued properties.
func SameStrings(a, b []string) bool {
	return slices.Equal(Normalized(a), Normalized(b))
}

// Normalized returns ss lower-cased, trimmed, without blanks or duplicates, sorted: the form in
// which SameStrings compares lists.
func Normalized(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
