// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"context"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Audit log retention policies (Get/New/Set/Remove-UnifiedAuditLogRetentionPolicy) keep audit
// records longer than Audit (Standard)'s 180 days. Only a tenant with Microsoft Purview Audit
// (Premium) has the cmdlets; elsewhere they fail as m365.IsUnavailable.

// RetentionDuration is one value of the RetentionDuration enum of audit log retention policies.
type RetentionDuration struct {
	Name string
	Days int64
}

// RetentionDurations are the values Purview accepts, shortest first.
var RetentionDurations = []RetentionDuration{
	{"SevenDays", 7}, {"OneMonth", 30}, {"ThreeMonths", 90}, {"SixMonths", 180}, {"NineMonths", 270},
	{"TwelveMonths", 365}, {"ThreeYears", 1095}, {"FiveYears", 1825}, {"SevenYears", 2555}, {"TenYears", 3650},
}

// RetentionDurationFor is the shortest retention that keeps records at least days days (the
// longest there is when none does).
func RetentionDurationFor(days int64) RetentionDuration {
	for _, d := range RetentionDurations {
		if d.Days >= days {
			return d
		}
	}
	return RetentionDurations[len(RetentionDurations)-1]
}

// RetentionDurationNamed finds an enum value by name (case-insensitively); ok is false for
// unknown names.
func RetentionDurationNamed(name string) (RetentionDuration, bool) {
	for _, d := range RetentionDurations {
		if strings.EqualFold(d.Name, name) {
			return d, true
		}
	}
	return RetentionDuration{}, false
}

// AuditRetentionPolicy is an audit log retention policy. Empty filters (RecordTypes, Operations,
// UserIDs) mean every record type, operation and user.
type AuditRetentionPolicy struct {
	ID                string // What the provider records: the Guid, else the Identity, else the Name.
	Name              string
	RetentionDuration string // A RetentionDurations name, as the service spells it.
	Priority          int64  // 0 when the output has none.
	RecordTypes       []string
	Operations        []string
	UserIDs           []string
}

func (p AuditRetentionPolicy) ref() (string, string) { return p.ID, p.Name }

// Narrowed reports whether the policy keeps only some records.
func (p AuditRetentionPolicy) Narrowed() bool {
	return len(p.RecordTypes) > 0 || len(p.Operations) > 0 || len(p.UserIDs) > 0
}

var auditRetentionPolicies = family[AuditRetentionPolicy]{
	noun: "UnifiedAuditLogRetentionPolicy", what: "audit log retention policy",
	flatten: func(o cmdlets.Object) AuditRetentionPolicy {
		p := AuditRetentionPolicy{
			ID: cmdlets.ID(o), Name: cmdlets.String(o, "Name"), RetentionDuration: cmdlets.String(o, "RetentionDuration"),
			RecordTypes: cmdlets.Strings(o, "RecordTypes"), Operations: cmdlets.Strings(o, "Operations"), UserIDs: cmdlets.Strings(o, "UserIds"),
		}
		p.Priority, _ = cmdlets.Int(o, "Priority")
		return p
	},
	// New- gets only the filters the policy has: none means every record.
	newParams: func(want AuditRetentionPolicy) map[string]any {
		p := map[string]any{"Name": want.Name, "RetentionDuration": want.RetentionDuration, "Priority": want.Priority}
		for k, v := range map[string][]string{"RecordTypes": want.RecordTypes, "Operations": want.Operations, "UserIds": want.UserIDs} {
			if len(v) > 0 {
				p[k] = append([]string(nil), v...)
			}
		}
		return p
	},
	diff: diffAuditRetentionPolicy,
}

// diffAuditRetentionPolicy compares the duration and priority, which Set- changes, and the
// filters, which it cannot clear: a policy whose filters differ is replaced.
func diffAuditRetentionPolicy(live, want AuditRetentionPolicy) Update[AuditRetentionPolicy] {
	u := Update[AuditRetentionPolicy]{params: map[string]any{}, result: live}
	if !sameFilter(live.RecordTypes, want.RecordTypes) || !sameFilter(live.Operations, want.Operations) || !sameFilter(live.UserIDs, want.UserIDs) {
		u.Replace = true
		return u
	}
	if !strings.EqualFold(live.RetentionDuration, want.RetentionDuration) {
		u.params["RetentionDuration"], u.result.RetentionDuration = want.RetentionDuration, want.RetentionDuration
	}
	if live.Priority != want.Priority {
		u.params["Priority"], u.result.Priority = want.Priority, want.Priority
	}
	return u
}

// sameFilter compares two filters; an empty one (every record) only equals another empty one.
func sameFilter(live, want []string) bool {
	if len(live) == 0 || len(want) == 0 {
		return len(live) == len(want)
	}
	return cmdlets.SameStrings(live, want)
}

// FindAuditRetentionPolicy returns the policy recorded as id, or, when id is empty or gone, the
// one named name; an m365.IsNotFound error when neither exists.
func FindAuditRetentionPolicy(ctx context.Context, c *m365.Client, id, name string) (*AuditRetentionPolicy, error) {
	objs, err := auditRetentionPolicies.list(ctx, c)
	if err != nil {
		return nil, err
	}
	return auditRetentionPolicies.find(objs, id, name)
}

// DiffAuditRetentionPolicy says what it takes to bring live to want.
func DiffAuditRetentionPolicy(live, want AuditRetentionPolicy) Update[AuditRetentionPolicy] {
	return auditRetentionPolicies.diff(live, want)
}

// EnsureAuditRetentionPolicy creates want when live is nil, updates live to it, or replaces
// live when Set- cannot get there. It returns the policy as it now is, also on failure (nil when
// none exists any more).
func EnsureAuditRetentionPolicy(ctx context.Context, c *m365.Client, live *AuditRetentionPolicy, want AuditRetentionPolicy) (*AuditRetentionPolicy, error) {
	return auditRetentionPolicies.ensure(ctx, c, live, want)
}

// RemoveAuditRetentionPolicy removes a policy; one already gone is success.
func RemoveAuditRetentionPolicy(ctx context.Context, c *m365.Client, id string) error {
	return auditRetentionPolicies.remove(ctx, c, id)
}
