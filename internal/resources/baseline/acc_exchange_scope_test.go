// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest"
)

const accSafeAttachments = "HIPAA - Safe Attachments"

// accProtectionRules are the Safe Links and Safe Attachments rules of the baseline, by the noun of
// their cmdlets.
var accProtectionRules = map[string]string{"SafeLinksRule": accSafeLinks, "SafeAttachmentRule": accSafeAttachments}

// acceptedDomainNames are the tenant's accepted domains, lower-cased and sorted.
func acceptedDomainNames(t *testing.T, tn *acctest.Tenant) []string {
	var out []string
	for _, d := range tn.Exchange(t, "Get-AcceptedDomain", nil) {
		out = append(out, strings.ToLower(fmt.Sprint(d["DomainName"])))
	}
	sort.Strings(out)
	return out
}

// protectionRule reads one of the baseline's rules through the cmdlets.
func protectionRule(t *testing.T, tn *acctest.Tenant, noun string) map[string]any {
	return tn.ExchangeSingle(t, "Get-"+noun, map[string]any{"Identity": accProtectionRules[noun]})
}

// checkProtectionScope asserts that both rules are enabled and scoped to every accepted domain
// and, when ids is not nil, that they kept the identities recorded there.
func checkProtectionScope(t *testing.T, tn *acctest.Tenant, ids map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		want := acceptedDomainNames(t, tn)
		if len(want) < 2 {
			return fmt.Errorf("the tenant has accepted domains %v; the test needs a vanity domain besides the initial one", want)
		}
		for noun := range accProtectionRules {
			r := protectionRule(t, tn, noun)
			var got []string
			for _, d := range r["RecipientDomainIs"].([]any) {
				got = append(got, strings.ToLower(fmt.Sprint(d)))
			}
			sort.Strings(got)
			if !slices.Equal(got, want) {
				return fmt.Errorf("%s RecipientDomainIs = %v, want every accepted domain %v", noun, got, want)
			}
			if r["State"] != "Enabled" {
				return fmt.Errorf("%s State = %v", noun, r["State"])
			}
			if ids != nil && fmt.Sprint(r["Guid"]) != ids[noun] {
				return fmt.Errorf("%s Guid = %v, want %s: the disabled rule was replaced instead of enabled", noun, r["Guid"], ids[noun])
			}
		}
		return nil
	}
}

// Safe Links and Safe Attachments rules cover every accepted domain: RecipientDomainIs matches the
// recipient's primary address, and the compliant clinic's users have theirs on the vanity domain.
// A rule narrowed back to the initial domain shows as drift and is repaired; a disabled rule is
// enabled in place, keeping its identity.
func TestAccBaseline_ExchangeProtectionScope(t *testing.T) {
	tn := acctest.Setup(t, "compliant")
	// The compliant seed has the baseline's Defender policies and rules already: take them over on purpose.
	cfg := baselineConfig(tn, "  adopt_existing = true\n  email {}\n")
	ids := map[string]string{}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkProtectionScope(t, tn, nil)},
			{
				PreConfig: func() {
					initial := ""
					for _, d := range tn.Exchange(t, "Get-AcceptedDomain", nil) {
						if d["InitialDomain"] == true {
							initial = fmt.Sprint(d["DomainName"])
						}
					}
					tn.Exchange(t, "Set-SafeLinksRule", map[string]any{"Identity": accSafeLinks, "RecipientDomainIs": []string{initial}})
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.ExpectOnlyAttributesChanged(baselineAddr, "email.in_sync"),
				}},
				Check: checkProtectionScope(t, tn, nil),
			},
			{
				PreConfig: func() {
					for noun, name := range accProtectionRules {
						ids[noun] = fmt.Sprint(protectionRule(t, tn, noun)["Guid"])
						tn.Exchange(t, "Disable-"+noun, map[string]any{"Identity": name})
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.ExpectOnlyAttributesChanged(baselineAddr, "email.in_sync"),
				}},
				Check: checkProtectionScope(t, tn, ids),
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
