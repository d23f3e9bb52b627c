// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.ALERT.1v1", checkAlerts)
}

// requiredAlerts are the activities HIPAA's information system activity review needs an alert
// for; any enabled alert policy whose Operation list has one of the operations counts.
var requiredAlerts = []struct {
	what string
	ops  []string
}{
	{"mass file download", []string{"FileDownloaded"}},
	{"mail forwarding rule created", []string{"New-InboxRule", "Set-InboxRule"}},
	{"repeated failed sign-ins", []string{"UserLoginFailed"}},
	{"admin role assigned", []string{"Add member to role.", "Add member to role"}},
}

func checkAlerts(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Enabled alert policies fire on mass file download, creation of mail forwarding rules, repeated failed sign-ins and admin role assignment."
	var alerts []struct {
		Name      string      `json:"Name"`
		Disabled  flexBool    `json:"Disabled"`
		Operation flexStrings `json:"Operation"`
	}
	if err := decodeList(s, snapshot.ComplianceProtectionAlerts, &alerts); err != nil {
		return errorOutcome(expected, err)
	}
	var missing, found []string
	for _, req := range requiredAlerts {
		by := ""
		for _, a := range alerts {
			if a.Disabled.V {
				continue
			}
			for _, op := range req.ops {
				if containsFold(a.Operation, op) {
					by = a.Name
				}
			}
			if by != "" {
				break
			}
		}
		if by == "" {
			missing = append(missing, req.what)
		} else {
			found = append(found, fmt.Sprintf("%s (%q)", req.what, by))
		}
	}
	if len(missing) > 0 {
		return fail(expected, "No enabled alert policy for: "+strings.Join(missing, ", ")+".", missing...)
	}
	return pass(expected, "Alerts are on for "+strings.Join(found, ", ")+".")
}
