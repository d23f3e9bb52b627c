// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"context"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Alert policies (Get/New/Set/Remove-ProtectionAlert). Every tenant also has Microsoft's system
// alert policies, which cannot be changed or removed: callers select theirs by id or name.

// AggregationSimple is the AggregationType that fires once Threshold events happen within
// TimeWindow minutes; only with it are Threshold and TimeWindow sent or compared.
const AggregationSimple = "SimpleAggregation"

// ProtectionAlert is an alert policy on audited activities.
type ProtectionAlert struct {
	ID              string // What the provider records: the Guid, else the Identity, else the Name.
	Name            string
	Category        string // e.g. ThreatManagement; Set- cannot change it.
	ThreatType      string // e.g. Activity; Set- cannot change it.
	Operation       []string
	Severity        string
	AggregationType string
	Threshold       int64 // With AggregationSimple: this many events ...
	TimeWindow      int64 // ... within this many minutes. 0 when the output has none.
	NotifyUser      []string
	Disabled        bool
}

func (a ProtectionAlert) ref() (string, string) { return a.ID, a.Name }

var protectionAlerts = family[ProtectionAlert]{
	noun: "ProtectionAlert", what: "alert policy",
	flatten: func(o cmdlets.Object) ProtectionAlert {
		a := ProtectionAlert{
			ID: cmdlets.ID(o), Name: cmdlets.String(o, "Name"), Category: cmdlets.String(o, "Category"),
			ThreatType: cmdlets.String(o, "ThreatType"), Operation: cmdlets.Strings(o, "Operation"), Severity: cmdlets.String(o, "Severity"),
			AggregationType: cmdlets.String(o, "AggregationType"), NotifyUser: cmdlets.Strings(o, "NotifyUser"), Disabled: cmdlets.Bool(o, "Disabled"),
		}
		a.Threshold, _ = cmdlets.Int(o, "Threshold")
		a.TimeWindow, _ = cmdlets.Int(o, "TimeWindow")
		return a
	},
	newParams: newProtectionAlertParams,
	diff:      diffProtectionAlert,
}

// newProtectionAlertParams are the parameters of New-ProtectionAlert. An empty NotifyUser is
// sent as an empty list: Microsoft then notifies the tenant's administrators.
func newProtectionAlertParams(want ProtectionAlert) map[string]any {
	p := map[string]any{
		"Name": want.Name, "Category": want.Category, "ThreatType": want.ThreatType, "Operation": append([]string(nil), want.Operation...),
		"Severity": want.Severity, "AggregationType": want.AggregationType, "NotifyUser": append([]string{}, want.NotifyUser...),
	}
	if want.AggregationType == AggregationSimple {
		p["Threshold"], p["TimeWindow"] = want.Threshold, want.TimeWindow
	}
	return p
}

// diffProtectionAlert compares what Set-ProtectionAlert changes; another category or threat
// type means a replacement. Lists compare as case-insensitive sets, names ignoring case, as
// Purview does.
func diffProtectionAlert(live, want ProtectionAlert) Update[ProtectionAlert] {
	u := Update[ProtectionAlert]{params: map[string]any{}, result: live}
	if !strings.EqualFold(live.Category, want.Category) || !strings.EqualFold(live.ThreatType, want.ThreatType) {
		u.Replace = true
		return u
	}
	if !cmdlets.SameStrings(live.Operation, want.Operation) {
		u.params["Operation"], u.result.Operation = append([]string(nil), want.Operation...), append([]string(nil), want.Operation...)
	}
	if !strings.EqualFold(live.Severity, want.Severity) {
		u.params["Severity"], u.result.Severity = want.Severity, want.Severity
	}
	if !strings.EqualFold(live.AggregationType, want.AggregationType) {
		u.params["AggregationType"], u.result.AggregationType = want.AggregationType, want.AggregationType
	}
	if want.AggregationType == AggregationSimple {
		if live.Threshold != want.Threshold {
			u.params["Threshold"], u.result.Threshold = want.Threshold, want.Threshold
		}
		if live.TimeWindow != want.TimeWindow {
			u.params["TimeWindow"], u.result.TimeWindow = want.TimeWindow, want.TimeWindow
		}
	}
	if live.Disabled != want.Disabled {
		u.params["Disabled"], u.result.Disabled = want.Disabled, want.Disabled
	}
	if !cmdlets.SameStrings(live.NotifyUser, want.NotifyUser) {
		u.params["NotifyUser"], u.result.NotifyUser = append([]string{}, want.NotifyUser...), append([]string{}, want.NotifyUser...)
	}
	return u
}

// ProtectionAlerts are the tenant's alert policies as one Get-ProtectionAlert listed them, so
// that several can be found with one call.
type ProtectionAlerts struct{ objs []cmdlets.Object }

// ListProtectionAlerts reads every alert policy of the tenant, Microsoft's included.
func ListProtectionAlerts(ctx context.Context, c *m365.Client) (ProtectionAlerts, error) {
	objs, err := protectionAlerts.list(ctx, c)
	return ProtectionAlerts{objs}, err
}

// Find returns the alert policy recorded as id, or, when id is empty or gone, the one named
// name; an m365.IsNotFound error when neither exists.
func (l ProtectionAlerts) Find(id, name string) (*ProtectionAlert, error) {
	return protectionAlerts.find(l.objs, id, name)
}

// DiffProtectionAlert says what it takes to bring live to want.
func DiffProtectionAlert(live, want ProtectionAlert) Update[ProtectionAlert] {
	return protectionAlerts.diff(live, want)
}

// EnsureProtectionAlert creates want when live is nil, updates live to it, or replaces live
// when Set- cannot get there. It returns the alert policy as it now is, also on failure (nil when
// none exists any more).
func EnsureProtectionAlert(ctx context.Context, c *m365.Client, live *ProtectionAlert, want ProtectionAlert) (*ProtectionAlert, error) {
	return protectionAlerts.ensure(ctx, c, live, want)
}

// RemoveProtectionAlert removes an alert policy; one already gone is success.
func RemoveProtectionAlert(ctx context.Context, c *m365.Client, id string) error {
	return protectionAlerts.remove(ctx, c, id)
}
