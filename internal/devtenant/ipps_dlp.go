// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Data loss prevention (Security & Compliance): DLP policies say where (Exchange, SharePoint,
// OneDrive, Teams) and how (Mode) they apply; their rules say what they detect
// (ContentContainsSensitiveInformation) and do. New- takes the *Location lists, Set- adds and
// removes locations with Add*Location / Remove*Location, as the real cmdlets do.

var (
	enumDlpMode = enumOf("Microsoft.Office.CompliancePolicy.PolicyMode", "Enable", "TestWithNotifications", "TestWithoutNotifications",
		"Disable", "PendingDeletion")
	enumDlpSeverity    = enumOf("Microsoft.Office.CompliancePolicy.Tasks.RuleSeverity", "Low", "Medium", "High", "None")
	enumDlpAccessScope = enumOf("Microsoft.Office.CompliancePolicy.Tasks.AccessScope", "InOrganization", "NotInOrganization", "None")
	enumDlpBlockScope  = enumOf("Microsoft.Office.CompliancePolicy.Tasks.BlockAccessScope", "All", "PerUser", "PerAnonymousUser")
	dlpWorkloads       = []struct{ location, workload string }{
		{"ExchangeLocation", "Exchange"}, {"SharePointLocation", "SharePoint"}, {"OneDriveLocation", "OneDriveForBusiness"}, {"TeamsLocation", "Teams"},
	}
)

func dlpLocationParams() (set, create []cmdParam) {
	for _, w := range dlpWorkloads {
		create = append(create, pl(w.location))
		set = append(set, pl("Add"+w.location), pl("Remove"+w.location))
	}
	return set, create
}

var nounDlpPolicy = func() *nounDef {
	setLoc, newLoc := dlpLocationParams()
	return &nounDef{noun: "DlpCompliancePolicy", svc: svcIPPS, verbs: crud, guidIdentity: true, renamable: false,
		params:    append([]cmdParam{ps("Comment"), pe("Mode", enumDlpMode), pi("Priority", 0, 1<<30)}, setLoc...),
		newParams: newLoc,
		build: func(st *state, _ string) map[string]any {
			o := map[string]any{"Comment": "", "Mode": "Enable", "Priority": int64(len(st.Admin.Cmdlets["DlpCompliancePolicy"])),
				"Type": "Dlp", "DistributionStatus": "Success", "IsSimulationPolicy": false, "CreatedBy": st.Apps[0].DisplayName,
				"LastModifiedBy": st.Apps[0].DisplayName}
			for _, w := range dlpWorkloads {
				o[w.location] = []any{}
			}
			return o
		},
		validate: func(_ *state, obj map[string]any, _ []map[string]any) *exoError {
			var workloads []string
			for _, w := range dlpWorkloads {
				locs := toStrings(obj[w.location])
				for _, add := range toStrings(obj["Add"+w.location]) {
					if !slices.ContainsFunc(locs, func(l string) bool { return strings.EqualFold(l, add) }) {
						locs = append(locs, add)
					}
				}
				for _, rm := range toStrings(obj["Remove"+w.location]) {
					locs = slices.DeleteFunc(locs, func(l string) bool { return strings.EqualFold(l, rm) })
				}
				delete(obj, "Add"+w.location)
				delete(obj, "Remove"+w.location)
				out := make([]any, len(locs))
				for i, l := range locs {
					out[i] = l
				}
				obj[w.location] = out
				if len(locs) > 0 {
					workloads = append(workloads, w.workload)
				}
			}
			if len(workloads) == 0 {
				return &exoError{status: http.StatusBadRequest, exception: "Microsoft.Office.CompliancePolicy.Tasks.InvalidCompliancePolicyLocationException",
					human: "The policy must have at least one location. Specify ExchangeLocation, SharePointLocation, OneDriveLocation or TeamsLocation."}
			}
			obj["Workload"] = strings.Join(workloads, ", ")
			obj["Enabled"] = obj["Mode"] != "Disable"
			return nil
		},
		// Removing a policy removes its rules, as Remove-DlpCompliancePolicy does.
		beforeRemove: func(st *state, obj map[string]any) *exoError {
			st.Admin.Cmdlets["DlpComplianceRule"] = slices.DeleteFunc(slices.Clone(st.Admin.Cmdlets["DlpComplianceRule"]),
				func(r map[string]any) bool { return r["Policy"] == obj["Guid"] })
			return nil
		},
	}
}()

var nounDlpRule = &nounDef{noun: "DlpComplianceRule", svc: svcIPPS, verbs: crud, guidIdentity: true, required: []string{"Policy"},
	params: []cmdParam{ph("ContentContainsSensitiveInformation"), pb("BlockAccess"), pe("BlockAccessScope", enumDlpBlockScope),
		pl("NotifyUser"), pl("GenerateIncidentReport"), pe("ReportSeverityLevel", enumDlpSeverity), pb("Disabled"),
		pe("AccessScope", enumDlpAccessScope), ps("Comment"), ps("NotifyPolicyTipCustomText")},
	newParams: []cmdParam{ps("Policy")},
	build: func(st *state, _ string) map[string]any {
		return map[string]any{"ContentContainsSensitiveInformation": []any{}, "BlockAccess": false, "BlockAccessScope": "All",
			"NotifyUser": []any{}, "GenerateIncidentReport": []any{}, "ReportSeverityLevel": "Low", "Disabled": false,
			"AccessScope": "None", "Comment": "", "NotifyPolicyTipCustomText": "", "Mode": "Enforce",
			"CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName}
	},
	validate: func(st *state, obj map[string]any, _ []map[string]any) *exoError {
		ref := fmt.Sprint(obj["Policy"])
		for _, p := range st.Admin.Cmdlets["DlpCompliancePolicy"] {
			if matchIdentity(p, ref) {
				obj["Policy"], obj["ParentPolicyName"] = p["Guid"], p["Name"]
				return nil
			}
		}
		return exoNotFound(ref)
	},
}

// seedDLP creates the checklist's DLP policy: enforced, in every workload, on the PHI types.
func seedDLP(st *state, created time.Time) error {
	policy, err := newCmdletObject(st, nounDlpPolicy, map[string]any{"Name": "HIPAA - Protect PHI", "Mode": "Enable",
		"Comment": "Blocks sharing of PHI outside the organization.", "ExchangeLocation": []any{"All"}, "SharePointLocation": []any{"All"},
		"OneDriveLocation": []any{"All"}, "TeamsLocation": []any{"All"}}, created)
	if err != nil {
		return fmt.Errorf("seeding the DLP policy: %s", err.human)
	}
	st.Admin.Cmdlets[nounDlpPolicy.noun] = append(st.Admin.Cmdlets[nounDlpPolicy.noun], policy)
	sit := func(name string) any { return hashtable("Name", name, "minCount", "1") }
	rule, err := newCmdletObject(st, nounDlpRule, map[string]any{"Name": "HIPAA - Protect PHI - external sharing", "Policy": policy["Name"],
		"ContentContainsSensitiveInformation": []any{sit("U.S. Social Security Number (SSN)"), sit("International Classification of Diseases (ICD-9-CM)"),
			sit("International Classification of Diseases (ICD-10-CM)"), sit("Drug Enforcement Agency (DEA) Number")},
		"AccessScope": "NotInOrganization", "BlockAccess": true, "BlockAccessScope": "All", "ReportSeverityLevel": "High",
		"GenerateIncidentReport": []any{"SiteAdmin"}, "NotifyUser": []any{"Owner", "LastModifier"}}, created)
	if err != nil {
		return fmt.Errorf("seeding the DLP rule: %s", err.human)
	}
	st.Admin.Cmdlets[nounDlpRule.noun] = append(st.Admin.Cmdlets[nounDlpRule.noun], rule)
	return nil
}
