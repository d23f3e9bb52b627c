// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// readSetting reads one setting of singleton source id; field is its JSON name. An absent or
// null setting is an error, because a check must say "unknown" rather than assume a default.
// The setting is decoded as the one field of a struct, as a check would declare it, so that
// the name matches as encoding/json matches struct fields (exactly, else regardless of case).
func readSetting[T any](s *snapshot.Snapshot, id snapshot.SourceID, field string) (T, error) {
	var zero T
	holder := reflect.New(reflect.StructOf([]reflect.StructField{{
		Name: strings.ToUpper(field[:1]) + field[1:],
		Type: reflect.TypeFor[*T](),
		Tag:  reflect.StructTag(`json:"` + field + `"`),
	}}))
	if err := decodeObject(s, id, holder.Interface()); err != nil {
		return zero, err
	}
	v, _ := holder.Elem().Field(0).Interface().(*T)
	if v == nil {
		return zero, missingField(id, field)
	}
	return *v, nil
}

func missingField(id snapshot.SourceID, field string) error {
	return fmt.Errorf("source %s has no %s", id, field)
}

// flagCheck is a control that compares one boolean setting of a singleton source to its
// compliant value; the finding names the setting when it is wrong.
type flagCheck struct {
	source   snapshot.SourceID
	field    string
	want     bool
	expected string
	wrong    string // Actual when the setting is not want.
	right    string // Actual when it is.
}

func (f flagCheck) check(s *snapshot.Snapshot, _ Params) Outcome {
	v, err := readSetting[flexBool](s, f.source, f.field)
	switch {
	case err != nil:
		return errorOutcome(f.expected, err)
	case v.V != f.want:
		return fail(f.expected, f.wrong, f.field)
	}
	return pass(f.expected, f.right)
}
