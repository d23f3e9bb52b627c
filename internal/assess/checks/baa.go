// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.BAA.1v1", checkBAAServices)
	register("HIPAA.BAA.2v1", checkBAAApps)
}

// baaServicesJSON is the data behind HIPAA.BAA.1: which services Microsoft's BAA covers and the
// service plans that provide each. It is data so that it can be reviewed and updated on its own.
//
//go:embed baa_services.json
var baaServicesJSON []byte

// BAAService is one Microsoft service and whether Microsoft's BAA covers it.
type BAAService struct {
	Name    string   `json:"name"`
	Covered bool     `json:"covered"`
	Client  bool     `json:"client,omitempty"` // Installed software: holds no PHI in the cloud.
	Plans   []string `json:"plans"`            // Service plan name prefixes.
}

type baaCatalog struct {
	Source   string       `json:"source"`
	Reviewed string       `json:"reviewed"`
	Services []BAAService `json:"services"`
}

var baaServices = func() baaCatalog {
	var c baaCatalog
	if err := json.Unmarshal(baaServicesJSON, &c); err != nil {
		panic("checks: baa_services.json: " + err.Error())
	}
	return c
}()

// serviceOf returns the service a plan belongs to, by the longest matching prefix.
func serviceOf(plan string) (BAAService, bool) {
	var best BAAService
	n := 0
	for _, s := range baaServices.Services {
		for _, p := range s.Plans {
			if strings.HasPrefix(strings.ToUpper(plan), p) && len(p) > n {
				best, n = s, len(p)
			}
		}
	}
	return best, n > 0
}

// ServicesInUse groups the tenant's provisioned service plans by service. It is exported for
// the engine's BAA section of the report.
func ServicesInUse(s *snapshot.Snapshot) (covered, notCovered, unclassified []string, err error) {
	l, err := readLicences(s)
	if err != nil {
		return nil, nil, nil, err
	}
	seen := map[string]bool{}
	for plan := range l.plans {
		svc, ok := serviceOf(plan)
		switch {
		case !ok:
			unclassified = append(unclassified, plan)
		case seen[svc.Name]:
		case svc.Covered:
			seen[svc.Name] = true
			covered = append(covered, svc.Name)
		default:
			seen[svc.Name] = true
			notCovered = append(notCovered, svc.Name)
		}
	}
	sort.Strings(covered)
	sort.Strings(notCovered)
	sort.Strings(unclassified)
	return covered, notCovered, unclassified, nil
}

func checkBAAServices(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Every Microsoft service the tenant has provisioned is covered by Microsoft's HIPAA BAA (or is kept free of PHI)."
	covered, notCovered, unclassified, err := ServicesInUse(s)
	if err != nil {
		return errorOutcome(expected, err)
	}
	detail := ""
	if len(unclassified) > 0 {
		detail = "Service plans not in the BAA list, to review by hand: " + joinNames(unclassified) + "."
	}
	if len(notCovered) > 0 {
		out := fail(expected, fmt.Sprintf("In use but not covered by Microsoft's BAA: %s. Disable these service plans or keep PHI out of them.", strings.Join(notCovered, ", ")), notCovered...)
		out.Detail = detail
		return out
	}
	out := pass(expected, "Services in use are covered by Microsoft's BAA: "+strings.Join(covered, ", ")+".")
	out.Detail = detail
	return out
}

// phiPermissionPrefixes are Microsoft Graph application permissions that read or write content
// where PHI lives: mail, files, sites, calendars, chats, channel messages and notebooks.
var phiPermissionPrefixes = []string{"Mail.", "Files.", "Sites.", "Calendars.", "Chat.", "ChannelMessage.", "Notes."}

func phiCapable(permission string) bool {
	if permission == "Sites.Selected" || permission == "Files.SelectedOperations.Selected" {
		return true // Still content access, only narrower.
	}
	for _, p := range phiPermissionPrefixes {
		if strings.HasPrefix(permission, p) {
			return true
		}
	}
	return false
}

func checkBAAApps(s *snapshot.Snapshot, p Params) Outcome {
	const expected = "Third-party applications holding Microsoft Graph permissions to mail, files, sites, calendars, chats or notes are from vendors with a signed BAA."
	var graphSP struct {
		AppRoles []struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"appRoles"`
	}
	if err := decodeObject(s, snapshot.GraphGraphServicePrincipal, &graphSP); err != nil {
		return errorOutcome(expected, err)
	}
	var grants []struct {
		PrincipalID          string `json:"principalId"`
		PrincipalDisplayName string `json:"principalDisplayName"`
		PrincipalType        string `json:"principalType"`
		AppRoleID            string `json:"appRoleId"`
	}
	if err := decodeList(s, snapshot.GraphGraphAppRoleAssignedTo, &grants); err != nil {
		return errorOutcome(expected, err)
	}
	var sps []struct {
		ID                     string `json:"id"`
		AppID                  string `json:"appId"`
		DisplayName            string `json:"displayName"`
		AppOwnerOrganizationID string `json:"appOwnerOrganizationId"`
	}
	if err := decodeList(s, snapshot.GraphServicePrincipals, &sps); err != nil {
		return errorOutcome(expected, err)
	}
	roleValue := map[string]string{}
	for _, r := range graphSP.AppRoles {
		roleValue[strings.ToLower(r.ID)] = r.Value
	}
	type app struct {
		name, appID, owner string
		perms              []string
	}
	byID := map[string]*app{}
	for _, sp := range sps {
		byID[strings.ToLower(sp.ID)] = &app{name: sp.DisplayName, appID: sp.AppID, owner: sp.AppOwnerOrganizationID}
	}
	flagged := map[string]*app{}
	for _, g := range grants {
		if g.PrincipalType != "" && !strings.EqualFold(g.PrincipalType, "ServicePrincipal") {
			continue
		}
		perm := roleValue[strings.ToLower(g.AppRoleID)]
		if !phiCapable(perm) {
			continue
		}
		a, ok := byID[strings.ToLower(g.PrincipalID)]
		if !ok {
			// Unknown principal: name it from the grant and treat it as third party.
			a = &app{name: g.PrincipalDisplayName, appID: g.PrincipalID}
			byID[strings.ToLower(g.PrincipalID)] = a
		}
		if strings.EqualFold(a.owner, microsoftTenantID) || containsFold(p.BAACoveredAppIDs, a.appID) {
			continue
		}
		if !containsFold(a.perms, perm) {
			a.perms = append(a.perms, perm)
		}
		flagged[a.appID] = a
	}
	if len(flagged) == 0 {
		return pass(expected, "No third-party application without a listed BAA holds PHI-capable Graph application permissions.")
	}
	var names, parts []string
	for _, a := range flagged {
		sort.Strings(a.perms)
		names = append(names, a.name)
		parts = append(parts, fmt.Sprintf("%q (%s) holds %s", a.name, a.appID, strings.Join(a.perms, ", ")))
	}
	sort.Strings(names)
	sort.Strings(parts)
	out := fail(expected, fmt.Sprintf("%s can read PHI without a BAA on record: %s.", plural(len(flagged), "application", "applications"), joinNames(names)), names...)
	out.Detail = strings.Join(parts, "; ") + ". Sign a BAA with the vendor and list the app id as covered, or remove the permissions."
	return out
}
