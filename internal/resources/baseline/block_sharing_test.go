// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/sharepoint"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

func TestSharing_defaultsAreTheChecklist(t *testing.T) {
	got := schemaDefaults(t, sharingBlock{})
	want := map[string]any{
		"sharing_capability": "existingExternalUserSharingOnly", "domain_restriction_mode": "none",
		"allowed_domains": "", "blocked_domains": "", "resharing_by_external_users": false,
		"guest_access_expiration_days": int64(30), "anonymous_link_expiration_days": int64(30),
		"unmanaged_devices": "block", "unmanaged_devices_policy_state": "report_only",
	}
	if len(got) != len(want) {
		t.Fatalf("defaults %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default of %s = %v (%T), want %v", k, got[k], got[k], v)
		}
	}
}

// The SharePoint settings' own mapping is tested in package sharepoint; here, unmanaged_devices
// in SharePoint's terms and back.
func TestSharing_unmanagedDevices(t *testing.T) {
	for name, p := range map[string]sharepoint.AccessPolicy{"allow": 0, "limited": 1, "block": 2} {
		if sharingUnmanagedToSPO[name] != p || sharingUnmanaged(p) != name {
			t.Errorf("%s: to SharePoint %d, back %q; want %d", name, sharingUnmanagedToSPO[name], sharingUnmanaged(p), p)
		}
	}
	if got := sharingUnmanaged(sharepoint.AccessPolicy(3)); got != "3" {
		t.Errorf("an access policy the provider does not know shows as %q, want itself", got)
	}
	if len(sharingUnmanagedToSPO) != len(sharingUnmanagedValues) {
		t.Errorf("unmanaged_devices takes %v, but %d map to SharePoint", sharingUnmanagedValues, len(sharingUnmanagedToSPO))
	}
}

func TestSharing_domainProblems(t *testing.T) {
	cases := []struct {
		mode             string
		allowed, blocked int
		want             []string
	}{
		{"none", 0, 0, nil},
		{"allowList", 2, 0, nil},
		{"blockList", 0, 1, nil},
		{"none", 1, 0, []string{"allowed_domains"}},
		{"allowList", 0, 1, []string{"blocked_domains", "allowed_domains"}},
		{"blockList", 0, 0, []string{"blocked_domains"}},
	}
	for _, tc := range cases {
		var got []string
		for _, p := range sharingDomainProblems(tc.mode, tc.allowed, tc.blocked) {
			got = append(got, p.attr)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("mode %s, %d allowed, %d blocked: problems with %v, want %v", tc.mode, tc.allowed, tc.blocked, got, tc.want)
		}
	}
}

func TestSharing_unmanagedPolicy(t *testing.T) {
	e := &env{emergency: providerdata.EmergencyAccess{UserIDs: []string{"11111111-1111-1111-1111-111111111111"}}}
	want := sharingUnmanagedPolicy(caStateEnabled)
	p := want.policy(e)
	shape := caShape(p)
	checks := map[string]string{
		"displayName":                      "HIPAA - App-enforced restrictions for unmanaged devices",
		"users.includeUsers":               "all",
		"users.excludeUsers":               "11111111-1111-1111-1111-111111111111",
		"applications.includeApplications": "office365",
		"clientAppTypes":                   "all",
		"grantControls":                    "",
		"sessionControls":                  "applicationEnforcedRestrictions",
	}
	for k, v := range checks {
		if shape[k] != v {
			t.Errorf("%s = %q, want %q", k, shape[k], v)
		}
	}
	if p.GetState() == nil || *p.GetState() != models.ENABLED_CONDITIONALACCESSPOLICYSTATE {
		t.Errorf("state = %v, want enabled", p.GetState())
	}
	if !policyMatches(e, p, sharingUnmanagedPolicy(caStateReportOnly)) {
		t.Error("the state must not count as a difference of the policy's content")
	}
}

// On import the block starts from the checklist with no policy tracked; a prior state's policy
// attributes are kept, defaulted where the state has none.
func TestSharing_policyOf(t *testing.T) {
	id, state, inSync := sharingPolicyOf(sharingChecklist())
	if !id.IsNull() || state.ValueString() != caStateReportOnly || inSync.ValueBool() {
		t.Errorf("checklist: id %v, state %v, in_sync %v", id, state, inSync)
	}
	prior := sharingModel{UnmanagedDevicesPolicyID: types.StringUnknown(), UnmanagedDevicesPolicyState: types.StringValue(caStateEnabled),
		InSync: types.BoolValue(true)}
	if id, state, inSync := sharingPolicyOf(prior); !id.IsNull() || state.ValueString() != caStateEnabled || !inSync.ValueBool() {
		t.Errorf("prior: id %v, state %v, in_sync %v", id, state, inSync)
	}
	if m := sharingChecklist(); m.UnmanagedDevices.ValueString() != "block" || m.SharingCapability.ValueString() != sharingChecklistGraph.Capability {
		t.Errorf("checklist settings %+v", m)
	}
}
