// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/adminapi"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Data loss prevention (Security & Compliance): DLP policies say where (Exchange, SharePoint,
// OneDrive, Teams) and how (Mode) they apply; their rules say what they detect
// (ContentContainsSensitiveInformation) and do. New- takes the *Location lists, Set- adds and
// removes locations with Add*Location / Remove*Location, as the real cmdlets do. A policy narrows
// who or where it applies with the SharePoint, OneDrive and Teams *LocationException lists, the
// Exchange sender lists (ExchangeSenderMemberOf[Exception]) and the OneDrive sharer lists
// ([ExceptIf]OneDriveSharedBy[MemberOf]); a rule spares content with ExceptIf* conditions, and
// rules run in Priority order within their policy until one with StopPolicyProcessing matches
// (Set-DlpCompliancePolicy, New-DlpComplianceRule). Get- returns every one of these properties,
// empty (policy lists), null (rule conditions) or $false when unset.

var (
	enumDlpMode = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.PolicyMode", "Enable", "TestWithNotifications", "TestWithoutNotifications",
		"Disable", "PendingDeletion")
	enumDlpSeverity    = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.RuleSeverity", "Low", "Medium", "High", "None")
	enumDlpAccessScope = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.AccessScope", "InOrganization", "NotInOrganization", "None")
	enumDlpBlockScope  = adminapi.EnumOf("Microsoft.Office.CompliancePolicy.Tasks.BlockAccessScope", "All", "PerUser", "PerAnonymousUser")
	dlpWorkloads       = []struct{ location, workload string }{
		{"ExchangeLocation", "Exchange"}, {"SharePointLocation", "SharePoint"}, {"OneDriveLocation", "OneDriveForBusiness"}, {"TeamsLocation", "Teams"},
	}
	// dlpLocationExceptions are the exception lists Set- edits with Add*/Remove* (Exchange has
	// none: its exclusions are by sender group).
	dlpLocationExceptions = []string{"SharePointLocationException", "OneDriveLocationException", "TeamsLocationException"}
	// dlpScopeLists narrow a workload to, or except from it, some senders or sharers; New- and
	// Set- replace them whole.
	dlpScopeLists = []string{"ExchangeSenderMemberOf", "ExchangeSenderMemberOfException", "OneDriveSharedBy", "OneDriveSharedByMemberOf",
		"ExceptIfOneDriveSharedBy", "ExceptIfOneDriveSharedByMemberOf"}
	// dlpRuleExceptions are the ExceptIf* conditions of New-DlpComplianceRule devtenant accepts.
	dlpRuleExceptionLists = []string{"ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfFrom", "ExceptIfFromMemberOf",
		"ExceptIfRecipientDomainIs", "ExceptIfSenderDomainIs", "ExceptIfDocumentNameMatchesWords", "ExceptIfContentExtensionMatchesWords"}
)

func dlpLocationParams() (set, create []adminapi.Param) {
	for _, w := range dlpWorkloads {
		create = append(create, adminapi.StrList(w.location))
		set = append(set, adminapi.StrList("Add"+w.location), adminapi.StrList("Remove"+w.location))
	}
	for _, e := range dlpLocationExceptions {
		create = append(create, adminapi.StrList(e))
		set = append(set, adminapi.StrList("Add"+e), adminapi.StrList("Remove"+e))
	}
	for _, l := range dlpScopeLists {
		set = append(set, adminapi.StrList(l))
	}
	return set, create
}

// addRemove applies Add<field> and Remove<field> to the list obj[field], case-insensitively.
func addRemove(obj map[string]any, field string) []string {
	locs := adminapi.ToStrings(obj[field])
	for _, add := range adminapi.ToStrings(obj["Add"+field]) {
		if !slices.ContainsFunc(locs, func(l string) bool { return strings.EqualFold(l, add) }) {
			locs = append(locs, add)
		}
	}
	for _, rm := range adminapi.ToStrings(obj["Remove"+field]) {
		locs = slices.DeleteFunc(locs, func(l string) bool { return strings.EqualFold(l, rm) })
	}
	delete(obj, "Add"+field)
	delete(obj, "Remove"+field)
	out := make([]any, len(locs))
	for i, l := range locs {
		out[i] = l
	}
	obj[field] = out
	return locs
}

func dlpRuleParams() []adminapi.Param {
	out := []adminapi.Param{adminapi.HashList("ExceptIfContentContainsSensitiveInformation"), adminapi.Bool("ExceptIfDocumentIsPasswordProtected"),
		adminapi.Bool("ExceptIfDocumentIsUnsupported"), adminapi.Bool("ExceptIfHasSenderOverride"), adminapi.Bool("StopPolicyProcessing"), adminapi.Int("Priority", 0, 1<<30)}
	for _, e := range dlpRuleExceptionLists {
		out = append(out, adminapi.StrList(e))
	}
	return out
}

var nounDlpPolicy = func() *adminapi.Noun {
	setLoc, newLoc := dlpLocationParams()
	return &adminapi.Noun{Name: "DlpCompliancePolicy", Svc: adminapi.IPPS, Verbs: adminapi.CRUD, GUIDIdentity: true, Renamable: false,
		Params:    append([]adminapi.Param{adminapi.Str("Comment"), adminapi.Enum("Mode", enumDlpMode), adminapi.Int("Priority", 0, 1<<30)}, setLoc...),
		NewParams: newLoc,
		Build: func(st *store.State, _ string) map[string]any {
			o := map[string]any{"Comment": "", "Mode": "Enable", "Priority": int64(len(st.Admin.Cmdlets["DlpCompliancePolicy"])),
				"Type": "Dlp", "DistributionStatus": "Success", "IsSimulationPolicy": false, "CreatedBy": st.Apps[0].DisplayName,
				"LastModifiedBy": st.Apps[0].DisplayName}
			for _, w := range dlpWorkloads {
				o[w.location] = []any{}
			}
			for _, l := range append(slices.Clone(dlpLocationExceptions), dlpScopeLists...) {
				o[l] = []any{}
			}
			return o
		},
		Validate: func(_ *store.State, obj map[string]any, _ []map[string]any) *adminapi.Error {
			var workloads []string
			for _, w := range dlpWorkloads {
				if len(addRemove(obj, w.location)) > 0 {
					workloads = append(workloads, w.workload)
				}
			}
			for _, e := range dlpLocationExceptions {
				addRemove(obj, e)
			}
			if len(workloads) == 0 {
				return &adminapi.Error{Status: http.StatusBadRequest, Exception: "Microsoft.Office.CompliancePolicy.Tasks.InvalidCompliancePolicyLocationException",
					Human: "The policy must have at least one location. Specify ExchangeLocation, SharePointLocation, OneDriveLocation or TeamsLocation."}
			}
			obj["Workload"] = strings.Join(workloads, ", ")
			obj["Enabled"] = obj["Mode"] != "Disable"
			return nil
		},
		// Removing a policy removes its rules, as Remove-DlpCompliancePolicy does.
		BeforeRemove: func(st *store.State, obj map[string]any) *adminapi.Error {
			st.Admin.Cmdlets["DlpComplianceRule"] = slices.DeleteFunc(slices.Clone(st.Admin.Cmdlets["DlpComplianceRule"]),
				func(r map[string]any) bool { return r["Policy"] == obj["Guid"] })
			return nil
		},
	}
}()

var nounDlpRule = &adminapi.Noun{Name: "DlpComplianceRule", Svc: adminapi.IPPS, Verbs: adminapi.CRUD, GUIDIdentity: true, Required: []string{"Policy"},
	Params: append([]adminapi.Param{adminapi.HashList("ContentContainsSensitiveInformation"), adminapi.Bool("BlockAccess"), adminapi.Enum("BlockAccessScope", enumDlpBlockScope),
		adminapi.StrList("NotifyUser"), adminapi.StrList("GenerateIncidentReport"), adminapi.Enum("ReportSeverityLevel", enumDlpSeverity), adminapi.Bool("Disabled"),
		adminapi.Enum("AccessScope", enumDlpAccessScope), adminapi.Str("Comment"), adminapi.Str("NotifyPolicyTipCustomText")}, dlpRuleParams()...),
	NewParams: []adminapi.Param{adminapi.Str("Policy")},
	Build: func(st *store.State, _ string) map[string]any {
		// Priority stays nil until validate knows the policy: a new rule goes last in its policy.
		o := map[string]any{"ContentContainsSensitiveInformation": []any{}, "BlockAccess": false, "BlockAccessScope": "All",
			"NotifyUser": []any{}, "GenerateIncidentReport": []any{}, "ReportSeverityLevel": "Low", "Disabled": false,
			"AccessScope": "None", "Comment": "", "NotifyPolicyTipCustomText": "", "Mode": "Enforce", "Priority": nil,
			"StopPolicyProcessing": false, "ExceptIfContentContainsSensitiveInformation": nil, "ExceptIfDocumentIsPasswordProtected": false,
			"ExceptIfDocumentIsUnsupported": false, "ExceptIfHasSenderOverride": false,
			"CreatedBy": st.Apps[0].DisplayName, "LastModifiedBy": st.Apps[0].DisplayName}
		for _, e := range dlpRuleExceptionLists {
			o[e] = nil
		}
		return o
	},
	Validate: func(st *store.State, obj map[string]any, others []map[string]any) *adminapi.Error {
		ref := fmt.Sprint(obj["Policy"])
		for _, p := range st.Admin.Cmdlets["DlpCompliancePolicy"] {
			if adminapi.MatchIdentity(p, ref) {
				obj["Policy"], obj["ParentPolicyName"] = p["Guid"], p["Name"]
				if obj["Priority"] == nil {
					n := int64(0)
					for _, o := range others {
						if o["Policy"] == p["Guid"] {
							n++
						}
					}
					obj["Priority"] = n
				}
				return nil
			}
		}
		return adminapi.NotFound(ref)
	},
}

// SeedDLP creates the checklist's DLP policy: enforced, in every workload, on the PHI types.
func SeedDLP(st *store.State, created time.Time) error {
	policy, err := adminapi.NewObject(st, nounDlpPolicy, map[string]any{"Name": "HIPAA - Protect PHI", "Mode": "Enable",
		"Comment": "Blocks sharing of PHI outside the organization.", "ExchangeLocation": []any{"All"}, "SharePointLocation": []any{"All"},
		"OneDriveLocation": []any{"All"}, "TeamsLocation": []any{"All"}}, created)
	if err != nil {
		return fmt.Errorf("seeding the DLP policy: %s", err.Human)
	}
	st.Admin.Cmdlets[nounDlpPolicy.Name] = append(st.Admin.Cmdlets[nounDlpPolicy.Name], policy)
	sit := func(name string) any { return adminapi.Hashtable("Name", name, "minCount", "1") }
	rule, err := adminapi.NewObject(st, nounDlpRule, map[string]any{"Name": "HIPAA - Protect PHI - external sharing", "Policy": policy["Name"],
		"ContentContainsSensitiveInformation": []any{sit("U.S. Social Security Number (SSN)"), sit("International Classification of Diseases (ICD-9-CM)"),
			sit("International Classification of Diseases (ICD-10-CM)"), sit("Drug Enforcement Agency (DEA) Number")},
		"AccessScope": "NotInOrganization", "BlockAccess": true, "BlockAccessScope": "All", "ReportSeverityLevel": "High",
		"GenerateIncidentReport": []any{"SiteAdmin"}, "NotifyUser": []any{"Owner", "LastModifier"}}, created)
	if err != nil {
		return fmt.Errorf("seeding the DLP rule: %s", err.Human)
	}
	st.Admin.Cmdlets[nounDlpRule.Name] = append(st.Admin.Cmdlets[nounDlpRule.Name], rule)
	return nil
}
