// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cmdlets_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// decode is cmdlet output as Invoke hands it over: JSON decoded into map[string]any.
func decode(t *testing.T, s string) cmdlets.Object {
	t.Helper()
	var o cmdlets.Object
	if err := json.Unmarshal([]byte(s), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestAccessors_acceptEverySpellingPowerShellUses(t *testing.T) {
	o := decode(t, `{"B1":true,"B2":"True","B3":"false","B4":1,"N1":3,"N2":" 42 ","N3":"x","S1":"a","S2":2.5,"S3":12345678,
		"L1":["a",1,null],"L2":"one","L3":"","L4":[]}`)
	for _, c := range []struct {
		key  string
		want bool
	}{{"B1", true}, {"B2", true}, {"B3", false}, {"B4", true}, {"missing", false}} {
		if got := cmdlets.Bool(o, c.key); got != c.want {
			t.Errorf("Bool(%s) = %v, want %v", c.key, got, c.want)
		}
	}
	for _, c := range []struct {
		key  string
		want int64
		ok   bool
	}{{"N1", 3, true}, {"N2", 42, true}, {"N3", 0, false}, {"B1", 0, false}, {"missing", 0, false}} {
		if got, ok := cmdlets.Int(o, c.key); got != c.want || ok != c.ok {
			t.Errorf("Int(%s) = %d, %v; want %d, %v", c.key, got, ok, c.want, c.ok)
		}
	}
	for key, want := range map[string]string{"S1": "a", "S2": "2.5", "S3": "12345678", "B1": "true", "missing": ""} {
		if got := cmdlets.String(o, key); got != want {
			t.Errorf("String(%s) = %q, want %q", key, got, want)
		}
	}
	for key, want := range map[string][]string{"L1": {"a", "1"}, "L2": {"one"}, "L3": nil, "L4": {}, "missing": nil} {
		if got := cmdlets.Strings(o, key); !slices.Equal(got, want) {
			t.Errorf("Strings(%s) = %q, want %q", key, got, want)
		}
	}
}

func TestIDAndFindByIDOrName(t *testing.T) {
	a := cmdlets.Object{"Guid": "g-1", "Identity": "Rule A", "Name": "Rule A"}
	b := cmdlets.Object{"Identity": "id-b", "Name": "Rule B"}
	c := cmdlets.Object{"Name": "Rule C"}
	objs := []cmdlets.Object{a, b, c}
	for obj, want := range map[*cmdlets.Object]string{&a: "g-1", &b: "id-b", &c: "Rule C"} {
		if got := cmdlets.ID(*obj); got != want {
			t.Errorf("ID(%v) = %q, want %q", *obj, got, want)
		}
	}
	for _, tc := range []struct {
		name, id, byName, want string
	}{
		{"by guid, whatever the name", "G-1", "Rule B", "Rule A"},
		{"by identity", "ID-B", "", "Rule B"},
		{"an id gone falls back to the name", "gone", "rule c", "Rule C"},
		{"no id adopts by name", "", "Rule B", "Rule B"},
		{"neither", "gone", "Rule D", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cmdlets.String(cmdlets.FindByIDOrName(objs, tc.id, tc.byName), "Name"); got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
	if ids := cmdlets.IDsNamed(append(objs, cmdlets.Object{"Guid": "g-2", "Name": "rule a"}), "RULE A"); !slices.Equal(ids, []string{"g-1", "g-2"}) {
		t.Errorf("IDsNamed = %q", ids)
	}
}

func TestSameStrings(t *testing.T) {
	for _, tc := range []struct {
		a, b []string
		want bool
	}{
		{[]string{"B", " a "}, []string{"a", "b", "A"}, true},
		{nil, []string{""}, true},
		{[]string{"a"}, []string{"a", "c"}, false},
	} {
		if got := cmdlets.SameStrings(tc.a, tc.b); got != tc.want {
			t.Errorf("SameStrings(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

// The object steps against devtenant's Exchange Online, over the real InvokeCommand client.
func TestObjectSteps(t *testing.T) {
	tn := acctest.Setup(t, "noncompliant")
	ctx := context.Background()
	exo := tn.Portal.Exchange()
	const name = "cmdlets test rule"
	params := map[string]any{"Name": name, "Mode": "Audit", "SentToScope": "NotInOrganization", "SubjectContainsWords": []string{"test"}}

	if o, err := cmdlets.GetOptional(ctx, exo, "Get-TransportRule", name); o != nil || err != nil {
		t.Fatalf("GetOptional of a missing rule = %v, %v; want nil, nil", o, err)
	}
	created, err := cmdlets.New(ctx, exo, "TransportRule", name, params)
	if err != nil || cmdlets.String(created, "Name") != name || cmdlets.ID(created) == "" {
		t.Fatalf("New = %v, %v", created, err)
	}
	got, err := cmdlets.GetOptional(ctx, exo, "Get-TransportRule", name)
	if err != nil || cmdlets.ID(got) != cmdlets.ID(created) {
		t.Fatalf("GetOptional = %v, %v; want the created rule", got, err)
	}
	back, err := cmdlets.ReadBackByName(ctx, exo, "Get-TransportRule", name, params)
	if err != nil || cmdlets.ID(back) != cmdlets.ID(created) {
		t.Fatalf("ReadBackByName = %v, %v; want the created rule", back, err)
	}
	stand, err := cmdlets.ReadBackByName(ctx, exo, "Get-TransportRule", "not yet replicated", params)
	if err != nil || cmdlets.String(stand, "Name") != name || len(stand) != len(params) {
		t.Fatalf("ReadBackByName of an object not listed yet = %v, %v; want the parameters", stand, err)
	}
	if stand["Name"] = "changed"; params["Name"] != name {
		t.Fatal("the stand-in must be a copy of the parameters")
	}

	for i := range 2 { // The second removal finds nothing: still success.
		if err := cmdlets.RemoveIgnoringNotFound(ctx, exo, "Remove-TransportRule", cmdlets.ID(created)); err != nil {
			t.Fatalf("RemoveIgnoringNotFound #%d: %v", i+1, err)
		}
	}
	if err := cmdlets.RemoveIgnoringNotFound(ctx, exo, "Remove-TransportRule", ""); err != nil {
		t.Fatalf("RemoveIgnoringNotFound without identity: %v", err)
	}
	if _, err := exo.InvokeSingle(ctx, "Get-TransportRule", map[string]any{"Identity": name}); !m365.IsNotFound(err) {
		t.Fatalf("after removal: %v, want not found", err)
	}
}
