// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
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

func TestNewAlertParams(t *testing.T) {
	p := newAlertParams(alertSpecs[0], nil)
	if p["Name"] != alertNameMassDownload || p["ThreatType"] != "Activity" || p["Threshold"] != int64(100) || p["TimeWindow"] != int64(60) {
		t.Errorf("mass download parameters = %v", p)
	}
	if n, ok := p["NotifyUser"].([]string); !ok || len(n) != 0 {
		t.Errorf("NotifyUser = %#v, want an empty list (Microsoft then notifies the tenant admins)", p["NotifyUser"])
	}
	p = newAlertParams(alertSpecs[1], []string{"security@contoso.example"})
	if _, ok := p["Threshold"]; ok {
		t.Error("AggregationType None must not send Threshold")
	}
	if n := p["NotifyUser"].([]string); !slices.Equal(n, []string{"security@contoso.example"}) {
		t.Errorf("NotifyUser = %v", n)
	}
}

// liveAlert is an alert as Get-ProtectionAlert outputs it after New-ProtectionAlert.
func liveAlert(s alertSpec, notify []string) map[string]any {
	a := map[string]any{"Guid": "guid-" + s.Attr, "Name": s.Name, "Identity": s.Name, "Disabled": false}
	for k, v := range newAlertParams(s, notify) {
		switch x := v.(type) {
		case []string:
			a[k] = stringsToAny(x)
		case int64:
			a[k] = float64(x)
		default:
			a[k] = v
		}
	}
	return a
}

func TestAlertUpdate(t *testing.T) {
	s := alertSpecs[2]
	a := liveAlert(s, nil)
	if p, replace := alertUpdate(a, s, nil); replace || len(p) != 0 {
		t.Fatalf("a fresh alert needs %v (replace %v)", p, replace)
	}
	a["Threshold"], a["Disabled"], a["Severity"] = float64(500), true, "Low"
	p, replace := alertUpdate(a, s, []string{"soc@contoso.example"})
	if replace || p["Threshold"] != int64(10) || p["Disabled"] != false || p["Severity"] != "Medium" || p["NotifyUser"] == nil {
		t.Errorf("update = %v", p)
	}
	if _, ok := p["TimeWindow"]; ok {
		t.Error("unchanged TimeWindow must not be sent")
	}
	a["Category"] = "DataGovernance"
	if _, replace := alertUpdate(a, s, nil); !replace {
		t.Error("another category must replace the alert: Set-ProtectionAlert cannot change it")
	}
}

func TestFlattenAlerts(t *testing.T) {
	ref := defaultAlertsModel()
	live := map[string]map[string]any{}
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
	live[alertNameAdminRole]["NotifyUser"] = []any{"other@contoso.example"}
	m = flattenAlerts(live, ref)
	if m.MassFileDownload.ValueBool() || len(m.AlertIDs.Elements()) != 3 || m.InSync.ValueBool() {
		t.Errorf("drifted alerts flattened to %v %v %v", m.MassFileDownload, m.AlertIDs, m.InSync)
	}

	// Nothing exists: notify_users keeps the reference's value.
	ref.NotifyUsers = setValue([]string{"a@b.example"})
	m = flattenAlerts(map[string]map[string]any{}, ref)
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
