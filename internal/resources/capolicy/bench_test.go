// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/devtenanttest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
)

func benchPolicy(b *testing.B, fixture string) models.ConditionalAccessPolicyable {
	b.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		b.Fatal(err)
	}
	node, err := jsonserialization.NewJsonParseNode(raw)
	if err != nil {
		b.Fatal(err)
	}
	v, err := node.GetObjectValue(models.CreateConditionalAccessPolicyFromDiscriminatorValue)
	if err != nil {
		b.Fatal(err)
	}
	return v.(models.ConditionalAccessPolicyable)
}

// BenchmarkFlattenExpand measures the conversion work of one refresh plus one apply of a policy
// that uses every field.
func BenchmarkFlattenExpand(b *testing.B) {
	ctx := context.Background()
	p := benchPolicy(b, "full_policy.json")
	b.ReportAllocs()
	for b.Loop() {
		var m caPolicyResourceModel
		if d := flattenPolicy(ctx, p, &m); d.HasError() {
			b.Fatal(d)
		}
		if _, d := expandPolicy(ctx, m); d.HasError() {
			b.Fatal(d)
		}
	}
}

// BenchmarkReadPolicy_devtenant measures a refresh of one policy over the whole stack: token
// cache, msgraph-sdk-go, HTTPS to devtenant, JSON parse and flatten. It reports HTTP requests per
// read, which must stay at one (the token is cached).
func BenchmarkReadPolicy_devtenant(b *testing.B) {
	ctx := context.Background()
	srv, client := devtenanttest.Start(b, "empty")
	var m caPolicyResourceModel
	if d := flattenPolicy(ctx, benchPolicy(b, "portal_policy.json"), &m); d.HasError() {
		b.Fatal(d)
	}
	body, d := expandPolicy(ctx, m)
	if d.HasError() {
		b.Fatal(d)
	}
	created, err := capolicies.Create(ctx, client, body)
	if err != nil {
		b.Fatal(err)
	}
	id := *created.GetId()
	if _, err := capolicies.Get(ctx, client, id); err != nil { // Warm the token cache.
		b.Fatal(err)
	}
	before := srv.Stats().Total
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := capolicies.Get(ctx, client, id)
		if err != nil {
			b.Fatal(err)
		}
		var got caPolicyResourceModel
		if d := flattenPolicy(ctx, p, &got); d.HasError() {
			b.Fatal(d)
		}
	}
	b.ReportMetric(float64(srv.Stats().Total-before)/float64(b.N), "requests/op")
}
