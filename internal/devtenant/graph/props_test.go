// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// propProbe is a ParseNode that records what a model's deserializer asks for: a collection or
// not, and whether the value is an entity (a navigation property, which $select does not take).
type propProbe struct {
	serialization.ParseNode
	collection, entity bool
}

// isEntity tells entity types (which embed models.Entity) from complex types, some of which
// have an id too and so satisfy models.Entityable.
func (p *propProbe) isEntity(ctor serialization.ParsableFactory) {
	v, _ := ctor(&propProbe{})
	p.entity = embedsEntity(reflect.TypeOf(v))
}

func embedsEntity(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeOf(models.Entity{}) {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Anonymous && embedsEntity(f.Type) {
			return true
		}
	}
	return false
}

func (p *propProbe) GetChildNode(string) (serialization.ParseNode, error) { return nil, nil }
func (p *propProbe) GetCollectionOfObjectValues(ctor serialization.ParsableFactory) ([]serialization.Parsable, error) {
	p.collection = true
	p.isEntity(ctor)
	return nil, nil
}
func (p *propProbe) GetObjectValue(ctor serialization.ParsableFactory) (serialization.Parsable, error) {
	p.isEntity(ctor)
	return nil, nil
}
func (p *propProbe) GetCollectionOfPrimitiveValues(string) ([]any, error) {
	p.collection = true
	return nil, nil
}
func (p *propProbe) GetCollectionOfEnumValues(serialization.EnumFactory) ([]any, error) {
	p.collection = true
	return nil, nil
}
func (p *propProbe) GetStringValue() (*string, error)                         { return nil, nil }
func (p *propProbe) GetBoolValue() (*bool, error)                             { return nil, nil }
func (p *propProbe) GetInt32Value() (*int32, error)                           { return nil, nil }
func (p *propProbe) GetInt64Value() (*int64, error)                           { return nil, nil }
func (p *propProbe) GetFloat64Value() (*float64, error)                       { return nil, nil }
func (p *propProbe) GetTimeValue() (*time.Time, error)                        { return nil, nil }
func (p *propProbe) GetUUIDValue() (*uuid.UUID, error)                        { return nil, nil }
func (p *propProbe) GetEnumValue(serialization.EnumFactory) (any, error)      { return nil, nil }
func (p *propProbe) GetDateOnlyValue() (*serialization.DateOnly, error)       { return nil, nil }
func (p *propProbe) GetTimeOnlyValue() (*serialization.TimeOnly, error)       { return nil, nil }
func (p *propProbe) GetISODurationValue() (*serialization.ISODuration, error) { return nil, nil }
func (p *propProbe) GetByteArrayValue() ([]byte, error)                       { return nil, nil }

// TestGraphPropsMatchSDKModels keeps graphTypeProps equal to the structural properties
// msgraph-sdk-go models for each type, so $select accepts exactly what Graph documents.
func TestGraphPropsMatchSDKModels(t *testing.T) {
	types := map[string]serialization.Parsable{
		"user": models.NewUser(), "group": models.NewGroup(), "directoryRole": models.NewDirectoryRole(),
		"unifiedRoleAssignment": models.NewUnifiedRoleAssignment(), "organization": models.NewOrganization(),
		"subscribedSku": models.NewSubscribedSku(), "servicePrincipal": models.NewServicePrincipal(),
		"conditionalAccessPolicy": models.NewConditionalAccessPolicy(), "namedLocation": models.NewNamedLocation(),
		"authenticationStrengthPolicy": models.NewAuthenticationStrengthPolicy(), "userRegistrationDetails": models.NewUserRegistrationDetails(),
		"unifiedRoleEligibilitySchedule": models.NewUnifiedRoleEligibilitySchedule(), "unifiedRoleAssignmentSchedule": models.NewUnifiedRoleAssignmentSchedule(),
		"accessReviewScheduleDefinition": models.NewAccessReviewScheduleDefinition(), "deviceCompliancePolicy": models.NewDeviceCompliancePolicy(),
		"managedAppPolicy": models.NewManagedAppPolicy(), "appRoleAssignment": models.NewAppRoleAssignment(), "secureScore": models.NewSecureScore(),
		"authenticationMethodConfiguration": models.NewAuthenticationMethodConfiguration(),
	}
	if len(types) != len(graphTypeProps) {
		t.Errorf("graphTypeProps has %d types, the test checks %d", len(graphTypeProps), len(types))
	}
	for name, m := range types {
		var scalars, collections []string
		for prop, des := range m.GetFieldDeserializers() {
			if prop == "@odata.type" {
				continue
			}
			probe := &propProbe{}
			if err := des(probe); err != nil {
				t.Fatalf("%s.%s: %v", name, prop, err)
			}
			switch {
			case probe.entity:
			case probe.collection:
				collections = append(collections, prop)
			default:
				scalars = append(scalars, prop)
			}
		}
		got := graphTypeProps[name]
		if want, have := sorted(scalars), sorted(strings.Split(got.scalars, ",")); want != have {
			t.Errorf("%s scalars:\n have %s\n want %s", name, have, want)
		}
		if want, have := sorted(collections), sorted(strings.Split(got.collections, ",")); want != have {
			t.Errorf("%s collections:\n have %s\n want %s", name, have, want)
		}
	}
}

func sorted(list []string) string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
