// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/compliance"
)

func TestAlertSpecsAreTheChecklist(t *testing.T) {
	byName := map[string]alertSpec{}
	for _, s := range alertSpecs {
		byName[s.Name] = s
	}
	d := byName[alertNameMassDownload]
	if d.Category != "ThreatManagement" || d.Severity != "High" || d.Aggregation != "SimpleAggregation" || d.Threshold != 100 || d.TimeWindow != 60 ||
		!slices.Equal(d.Operations, []string{"FileDownloaded"}) {
		t.Errorf("mass download = %+v", d)
	}
	if a := byName[alertNameAdminRole]; a.Category != "AccessGovernance" || !slices.Equal(a.Operations, []string{"Add member to role."}) || a.Aggregation != "None" {
		t.Errorf("admin role = %+v", a)
	}
	if f := byName[alertNameFailedSignIns]; f.Threshold != 10 || f.Severity != "Medium" {
		t.Errorf("failed sign-ins = %+v", f)
	}
	if len(byName) != 4 {
		t.Errorf("%d alert specs", len(byName))
	}
	ctx := context.Background()
	s := alertsBlock{}.Schema()
	for _, spec := range alertSpecs {
		if got := exoDefaultOf(ctx, t, s.Attributes[spec.Attr]); got != "true" {
			t.Errorf("%s default = %s", spec.Attr, got)
		}
	}
	if got := exoDefaultOf(ctx, t, s.Attributes["notify_users"]); got != "[]" {
		t.Errorf("notify_users default = %s", got)
	}
}

// The New- parameters and the diff of an alert policy are tested in internal/m365/compliance;
// here, that each spec asks for what the checklist says.
func TestNewAlertParams(t *testing.T) {
	p := alertSpecs[0].alert(nil)
	if p.Name != alertNameMassDownload || p.ThreatType != "Activity" || p.Threshold != int64(100) || p.TimeWindow != int64(60) ||
		p.AggregationType != compliance.AggregationSimple {
		t.Errorf("mass download parameters = %v", p)
	}
	if n := p.NotifyUser; n == nil || len(n) != 0 {
		t.Errorf("NotifyUser = %#v, want an empty list (Microsoft then notifies the tenant admins)", p.NotifyUser)
	}
	p = alertSpecs[1].alert([]string{"security@contoso.example"})
	if p.AggregationType == compliance.AggregationSimple {
		t.Error("AggregationType None must not send Threshold")
	}
	if n := p.NotifyUser; !slices.Equal(n, []string{"security@contoso.example"}) {
		t.Errorf("NotifyUser = %v", n)
	}
}

// liveAlert is an alert as Get-ProtectionAlert outputs it after New-ProtectionAlert.
func liveAlert(s alertSpec, notify []string) compliance.ProtectionAlert {
	a := s.alert(notify)
	a.ID = "guid-" + s.Attr
	return a
}

func TestAlertUpdate(t *testing.T) {
	s := alertSpecs[2]
	a := liveAlert(s, nil)
	if u := compliance.DiffProtectionAlert(a, s.alert(nil)); !u.NoChange() {
		t.Fatalf("a fresh alert needs %+v", u)
	}
	a.Threshold, a.Disabled, a.Severity = 500, true, "Low"
	if u := compliance.DiffProtectionAlert(a, s.alert([]string{"soc@contoso.example"})); u.Replace || u.NoChange() {
		t.Errorf("update = %+v", u)
	}
	a.Category = "DataGovernance"
	if u := compliance.DiffProtectionAlert(a, s.alert(nil)); !u.Replace {
		t.Error("another category must replace the alert: Set-ProtectionAlert cannot change it")
	}
}

func TestFlattenAlerts(t *testing.T) {
	ref := defaultAlertsModel()
	live := map[string]compliance.ProtectionAlert{}
	for _, s := range alertSpecs {
		live[s.Name] = liveAlert(s, []string{"soc@contoso.example"})
	}
	m := flattenAlerts(live, ref)
	if !m.MassFileDownload.ValueBool() || !m.AdminRoleAssigned.ValueBool() || !m.InSync.ValueBool() || len(m.AlertIDs.Elements()) != 4 {
		t.Errorf("all alerts flattened to %+v", m)
	}
	if got := setStrings(m.NotifyUsers); !slices.Equal(got, []string{"soc@contoso.example"}) {
		t.Errorf("notify_users = %v", got)
	}
	if id := m.AlertIDs.Elements()[alertNameFailedSignIns]; !id.Equal(types.StringValue("guid-failed_sign_ins")) {
		t.Errorf("failed sign-ins id = %v", id)
	}

	// One alert deleted and another with other recipients.
	delete(live, alertNameMassDownload)
	other := live[alertNameAdminRole]
	other.NotifyUser = []string{"other@contoso.example"}
	live[alertNameAdminRole] = other
	m = flattenAlerts(live, ref)
	if m.MassFileDownload.ValueBool() || len(m.AlertIDs.Elements()) != 3 || m.InSync.ValueBool() {
		t.Errorf("drifted alerts flattened to %v %v %v", m.MassFileDownload, m.AlertIDs, m.InSync)
	}

	// Nothing exists: notify_users keeps the reference's value.
	ref.NotifyUsers = setValue([]string{"a@b.example"})
	m = flattenAlerts(map[string]compliance.ProtectionAlert{}, ref)
	if !m.NotifyUsers.Equal(ref.NotifyUsers) || m.ForwardingRuleCreated.ValueBool() {
		t.Errorf("empty tenant flattened to %v %v", m.NotifyUsers, m.ForwardingRuleCreated)
	}
}

func TestIDsPlan(t *testing.T) {
	ctx := context.Background()
	b := alertsBlock{}
	mk := func(on bool, ids map[string]string) types.Object {
		m := defaultAlertsModel()
		m.MassFileDownload = types.BoolValue(on)
		m.AlertIDs, m.InSync = idMap(ids), types.BoolValue(true)
		obj, _ := encode(ctx, b, m)
		return obj
	}
	all := map[string]string{alertNameMassDownload: "1", alertNameForwardingRule: "2", alertNameFailedSignIns: "3", alertNameAdminRole: "4"}
	mod := idsFor("alert_ids", "", func(blk types.Object) ([]string, bool) {
		var names []string
		for _, s := range alertSpecs {
			if on, _ := attrBool(blk, s.Attr); on {
				names = append(names, s.Name)
			}
		}
		return names, true
	}).(deriveMap)
	if v := mod.f(mk(true, nil), mk(true, all)); v == nil || !v.Equal(idMap(all)) {
		t.Errorf("unchanged alerts must keep their ids, planned %v", v)
	}
	three := map[string]string{alertNameForwardingRule: "2", alertNameFailedSignIns: "3", alertNameAdminRole: "4"}
	if v := mod.f(mk(true, nil), mk(true, three)); v == nil || !v.IsUnknown() {
		t.Errorf("an alert to create must make the ids unknown, planned %v", v)
	}
	if v := mod.f(mk(false, nil), mk(true, three)); v == nil || !v.Equal(idMap(three)) {
		t.Errorf("an alert switched off keeps the others' ids, planned %v", v)
	}
	if v := mod.f(mk(true, nil), types.ObjectNull(nil)); v != nil {
		t.Errorf("create must leave the ids unknown, planned %v", v)
	}
}

// The k-th object failing: Apply returns the error and a state holding exactly the objects that
// exist (the first alert, repaired), and the next Apply converges without duplicates.
func TestExoAlertsPartialFailureState(t *testing.T) {
	ctx := context.Background()
	e, srv := exoDevEnv(t, "noncompliant")
	ipps := e.tenant.Compliance()
	// An existing mass-download alert with the wrong severity: step 1 repairs it, step 2 fails.
	low := alertSpecs[0].alert(nil)
	low.Severity = "Low"
	if _, err := compliance.EnsureProtectionAlert(ctx, e.tenant, nil, low); err != nil {
		t.Fatal(err)
	}
	srv.Faults().FailCmdlet("New-ProtectionAlert", 500, 1)

	b := alertsBlock{}
	m := defaultAlertsModel()
	m.AlertIDs, m.InSync = types.MapUnknown(types.StringType), types.BoolValue(true)
	plan, diags := encode(ctx, b, m)
	if diags.HasError() {
		t.Fatal(diags)
	}
	state, diags := b.Apply(ctx, e, plan, nullOf(b))
	if !diags.HasError() || !strings.Contains(diags[0].Summary(), "Error Applying Alerts Block") ||
		!strings.Contains(diags[0].Detail(), "New-ProtectionAlert") {
		t.Fatalf("diagnostics = %v", diags)
	}
	got, _ := decode[alertsModel](ctx, state)
	ids := mapStrings(got.AlertIDs)
	if len(ids) != 1 || ids[alertNameMassDownload] == "" || !got.MassFileDownload.ValueBool() || got.ForwardingRuleCreated.ValueBool() || got.InSync.ValueBool() {
		t.Fatalf("state after the failure = %+v", got)
	}
	all, err := ipps.Invoke(ctx, "Get-ProtectionAlert", nil)
	if err != nil {
		t.Fatal(err)
	}
	if a := cmdlets.FindByIDOrName(all, "", alertNameMassDownload); cmdlets.String(a, "Severity") != "High" {
		t.Errorf("step 1 was not applied: %v", a)
	}

	state, diags = b.Apply(ctx, e, plan, state)
	if diags.HasError() {
		t.Fatalf("retry: %v", diags)
	}
	got, _ = decode[alertsModel](ctx, state)
	if len(mapStrings(got.AlertIDs)) != 4 || !got.InSync.ValueBool() {
		t.Errorf("state after the retry = %+v", got)
	}
	if all, err = ipps.Invoke(ctx, "Get-ProtectionAlert", nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range alertSpecs {
		n := 0
		for _, a := range all {
			if cmdlets.String(a, "Name") == s.Name {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d alert policies %q after the retry, want 1", n, s.Name)
		}
	}
}
