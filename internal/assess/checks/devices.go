// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package checks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

func init() {
	register("HIPAA.DEV.1v1", checkDeviceCompliance)
	register("HIPAA.DEV.2v1", checkAppProtection)
}

// compliancePolicy holds the settings of every platform's compliance policy type; each
// platform uses its own names (iOS says passcode, the others password).
type compliancePolicy struct {
	ODataType                      string          `json:"@odata.type"`
	DisplayName                    string          `json:"displayName"`
	PasswordRequired               flexBool        `json:"passwordRequired"`
	PasswordMinimumLength          flexInt         `json:"passwordMinimumLength"`
	PasscodeRequired               flexBool        `json:"passcodeRequired"`
	PasscodeMinimumLength          flexInt         `json:"passcodeMinimumLength"`
	StorageRequireEncryption       flexBool        `json:"storageRequireEncryption"`
	BitLockerEnabled               flexBool        `json:"bitLockerEnabled"`
	SecurityBlockJailbrokenDevices flexBool        `json:"securityBlockJailbrokenDevices"`
	OsMinimumVersion               string          `json:"osMinimumVersion"`
	Assignments                    json.RawMessage `json:"assignments"`
}

func (c compliancePolicy) assigned() bool {
	a := bytes.TrimSpace(c.Assignments)
	return len(a) > 2 && !bytes.Equal(a, []byte("null"))
}

// gaps lists the checklist settings the policy does not enforce for its platform.
func (c compliancePolicy) gaps() []string {
	t := strings.ToLower(c.ODataType)
	ios := strings.Contains(t, "ios")
	var g []string
	if ios {
		if !c.PasscodeRequired.V || c.PasscodeMinimumLength.V < 6 {
			g = append(g, "passcode of 6 or more")
		}
	} else if !c.PasswordRequired.V || c.PasswordMinimumLength.V < 6 {
		g = append(g, "password of 6 or more")
	}
	switch {
	case ios: // iOS encrypts whenever a passcode is set.
	case strings.Contains(t, "windows"):
		if !c.BitLockerEnabled.V && !c.StorageRequireEncryption.V {
			g = append(g, "encryption")
		}
	default:
		if !c.StorageRequireEncryption.V {
			g = append(g, "encryption")
		}
	}
	if (ios || strings.Contains(t, "android")) && !strings.Contains(t, "deviceowner") && !c.SecurityBlockJailbrokenDevices.V {
		g = append(g, "jailbroken or rooted devices blocked")
	}
	if strings.TrimSpace(c.OsMinimumVersion) == "" {
		g = append(g, "minimum OS version")
	}
	return g
}

func checkDeviceCompliance(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "Assigned Intune compliance policies require a passcode of 6 or more, encryption, no jailbreak and a minimum OS version."
	if o := licenceGate(s, expected, "Microsoft Intune", planIntune); o != nil {
		return *o
	}
	var policies []compliancePolicy
	if err := decodeList(s, snapshot.GraphDeviceCompliancePolicies, &policies); err != nil {
		return errorOutcome(expected, err)
	}
	var assigned, bad, problems []string
	for _, c := range policies {
		if !c.assigned() {
			continue
		}
		assigned = append(assigned, c.DisplayName)
		if g := c.gaps(); len(g) > 0 {
			bad = append(bad, c.DisplayName)
			problems = append(problems, fmt.Sprintf("%q lacks %s", c.DisplayName, strings.Join(g, ", ")))
		}
	}
	switch {
	case len(assigned) == 0 && len(policies) > 0:
		return fail(expected, fmt.Sprintf("%s exist but none is assigned.", plural(len(policies), "compliance policy", "compliance policies")))
	case len(assigned) == 0:
		return fail(expected, "No device compliance policy exists.")
	case len(bad) > 0:
		return fail(expected, strings.Join(problems, "; ")+".", bad...)
	}
	return pass(expected, fmt.Sprintf("%s assigned and enforce the checklist settings.", plural(len(assigned), "compliance policy is", "compliance policies are")))
}

func checkAppProtection(s *snapshot.Snapshot, _ Params) Outcome {
	const expected = "An assigned app protection policy stops copy and paste from managed apps to unmanaged apps."
	if o := licenceGate(s, expected, "Microsoft Intune", planIntune); o != nil {
		return *o
	}
	var policies []struct {
		ODataType                               string    `json:"@odata.type"`
		DisplayName                             string    `json:"displayName"`
		AllowedOutboundClipboardSharingLevel    string    `json:"allowedOutboundClipboardSharingLevel"`
		AllowedOutboundDataTransferDestinations string    `json:"allowedOutboundDataTransferDestinations"`
		IsAssigned                              *flexBool `json:"isAssigned"`
	}
	if err := decodeList(s, snapshot.GraphManagedAppPolicies, &policies); err != nil {
		return errorOutcome(expected, err)
	}
	var open []string
	for _, p := range policies {
		t := strings.ToLower(p.ODataType)
		if !strings.Contains(t, "managedappprotection") {
			continue // App configuration and other managed app policy types.
		}
		if p.IsAssigned != nil && p.IsAssigned.Set && !p.IsAssigned.V {
			continue
		}
		level := strings.ToLower(p.AllowedOutboundClipboardSharingLevel)
		if level == "" || level == "allapps" {
			open = append(open, p.DisplayName)
			continue
		}
		return pass(expected, fmt.Sprintf("App protection policy %q limits pasting to %s.", p.DisplayName, p.AllowedOutboundClipboardSharingLevel))
	}
	if len(open) > 0 {
		return fail(expected, "Assigned app protection policies allow pasting into any app: "+joinNames(quoteAll(open))+".", open...)
	}
	return fail(expected, "No assigned app protection policy exists.")
}
