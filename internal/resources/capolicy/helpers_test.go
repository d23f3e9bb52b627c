// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package capolicy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// parsePolicy reads Graph JSON into the SDK model exactly as the Graph client would.
func parsePolicy(t *testing.T, body []byte) models.ConditionalAccessPolicyable {
	t.Helper()
	node, err := jsonserialization.NewJsonParseNode(body)
	if err != nil {
		t.Fatalf("parse node: %v", err)
	}
	v, err := node.GetObjectValue(models.CreateConditionalAccessPolicyFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("parse policy: %v", err)
	}
	return v.(models.ConditionalAccessPolicyable)
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("bad test JSON: %v", err)
	}
	return out
}

// normalizeGraph makes two Graph bodies comparable by meaning: it drops nulls and empty lists
// (Graph treats a missing list as empty), OData annotations and read-only properties, drops an
// externalTenants of kind "all" (the meaning of no externalTenants), reduces
// authenticationStrength to its id, and sorts string lists and flags values (Graph lists have set
// semantics for every property this resource manages).
func normalizeGraph(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			switch {
			case val == nil, k == "@odata.context", k == "id", k == "createdDateTime", k == "modifiedDateTime",
				k == "templateId", k == "description", len(k) > 0 && k[0] == '@', containsAt(k):
				continue
			case k == "externalTenants":
				if m, ok := val.(map[string]any); ok && m["membershipKind"] == "all" && len(anySlice(m["members"])) == 0 {
					continue
				}
			case k == "guestOrExternalUserTypes", k == "insiderRiskLevels", k == "transferMethods":
				if str, ok := val.(string); ok {
					parts := strings.Split(str, ",")
					sort.Strings(parts)
					out[k] = strings.Join(parts, ",")
					continue
				}
			case k == "authenticationStrength":
				if m, ok := val.(map[string]any); ok {
					out[k] = map[string]any{"id": m["id"]}
				}
				continue
			}
			if l, ok := val.([]any); ok && len(l) == 0 {
				continue
			}
			out[k] = normalizeGraph(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		strs := true
		for i, e := range x {
			out[i] = normalizeGraph(e)
			if _, ok := e.(string); !ok {
				strs = false
			}
		}
		if strs {
			sort.Slice(out, func(i, j int) bool { return out[i].(string) < out[j].(string) })
		}
		return out
	default:
		return v
	}
}

func anySlice(v any) []any {
	l, _ := v.([]any)
	return l
}

func containsAt(k string) bool {
	for _, r := range k {
		if r == '@' {
			return true
		}
	}
	return false
}

// testSchema is the resource schema, built once per test binary.
var testSchema = caPolicySchemaV0(context.Background())

// configFromJSON builds a Terraform configuration from JSON in state format; absent attributes are
// null, as in a configuration that leaves them out.
func configFromJSON(t *testing.T, js string) tfsdk.Config {
	t.Helper()
	raw, err := tftypes.ValueFromJSONWithOpts([]byte(js), testSchema.Type().TerraformType(context.Background()),
		tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: false})
	if err != nil {
		t.Fatalf("config JSON: %v", err)
	}
	return tfsdk.Config{Schema: testSchema, Raw: raw}
}

// planFromConfig does what Terraform and the framework do to a configuration on create: attribute
// defaults fill null values, and computed attributes without a default become unknown.
func planFromConfig(t *testing.T, cfg tfsdk.Config) caPolicyResourceModel {
	t.Helper()
	ctx := context.Background()
	raw, err := tftypes.Transform(cfg.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 || !v.IsNull() {
			return v, nil
		}
		a, err := testSchema.AttributeAtTerraformPath(ctx, p)
		if err != nil {
			return v, nil //nolint:nilerr // A set element or another step that is not an attribute: left as it is.
		}
		var def attr.Value
		switch at := a.(type) {
		case schema.SetAttribute:
			if at.Default != nil {
				var resp defaults.SetResponse
				at.Default.DefaultSet(ctx, defaults.SetRequest{}, &resp)
				def = resp.PlanValue
			}
		case schema.StringAttribute:
			if at.Default != nil {
				var resp defaults.StringResponse
				at.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
				def = resp.PlanValue
			}
		case schema.BoolAttribute:
			if at.Default != nil {
				var resp defaults.BoolResponse
				at.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
				def = resp.PlanValue
			}
		}
		if def != nil {
			return def.ToTerraformValue(ctx)
		}
		if a.IsComputed() && !a.IsOptional() {
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	var m caPolicyResourceModel
	if d := (tfsdk.Plan{Schema: testSchema, Raw: raw}).Get(ctx, &m); d.HasError() {
		t.Fatalf("plan decode: %v", d)
	}
	return m
}
