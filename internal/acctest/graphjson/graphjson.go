// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package graphjson lets unit tests look at the JSON body msgraph-sdk-go would send for a model,
// so that a test asserts on the wire format Graph documents rather than on the SDK's getters. It
// is a leaf package (kiota only), so that the internal tests of any package may import it without
// an import cycle through internal/acctest.
package graphjson

import (
	"encoding/json"
	"strings"
	"testing"

	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
)

// Payload serialises a Graph model the way the SDK's request adapter sends it, decoded as JSON.
func Payload(t *testing.T, body absser.Parsable) map[string]any {
	t.Helper()
	w := jsonserialization.NewJsonSerializationWriter()
	if err := w.WriteObjectValue("", body); err != nil {
		t.Fatalf("serialising: %v", err)
	}
	raw, err := w.GetSerializedContent()
	if err != nil {
		t.Fatalf("serialising: %v", err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("payload %s is not JSON: %v", raw, err)
	}
	return out
}

// At walks a decoded JSON payload along dotted keys and fails the test when a key is missing.
func At(t *testing.T, m map[string]any, dotted string) any {
	t.Helper()
	var cur any = m
	for _, k := range strings.Split(dotted, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not an object in %v", dotted, k, m)
		}
		if cur, ok = obj[k]; !ok {
			t.Fatalf("%s: no key %q", dotted, k)
		}
	}
	return cur
}
