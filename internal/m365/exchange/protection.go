// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"context"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Exchange Online Protection (outbound spam filter, anti-malware) and Defender for Office 365
// (Safe Links, Safe Attachments) policies and rules.

// HostedOutboundSpamFilterPolicy is an outbound spam filter policy.
type HostedOutboundSpamFilterPolicy struct {
	Base
	AutoForwardingMode string // Automatic (Microsoft decides), On or Off.
}

// DecodeHostedOutboundSpamFilterPolicy reads Get-HostedOutboundSpamFilterPolicy output.
func DecodeHostedOutboundSpamFilterPolicy(o cmdlets.Object) HostedOutboundSpamFilterPolicy {
	return HostedOutboundSpamFilterPolicy{Base: baseOf(o), AutoForwardingMode: cmdlets.String(o, "AutoForwardingMode")}
}

// GetHostedOutboundSpamFilterPolicy reads the policy identity (DefaultIdentity for the default).
func GetHostedOutboundSpamFilterPolicy(ctx context.Context, c *m365.Client, identity string) (*HostedOutboundSpamFilterPolicy, error) {
	return get(ctx, c, "Get-HostedOutboundSpamFilterPolicy", identity, DecodeHostedOutboundSpamFilterPolicy)
}

// SetHostedOutboundSpamFilterPolicy runs Set-HostedOutboundSpamFilterPolicy and updates p (when
// not nil) on success.
func SetHostedOutboundSpamFilterPolicy(ctx context.Context, c *m365.Client, p *HostedOutboundSpamFilterPolicy, params map[string]any) error {
	return set(ctx, c, "Set-HostedOutboundSpamFilterPolicy", params, p, DecodeHostedOutboundSpamFilterPolicy)
}

// MalwareFilterPolicy is an anti-malware policy, in its common attachments filter.
type MalwareFilterPolicy struct {
	Base
	EnableFileFilter bool
	FileTypes        []string // Extensions without the dot.
	FileTypeAction   string   // Reject or Quarantine.
}

// DecodeMalwareFilterPolicy reads Get-MalwareFilterPolicy output.
func DecodeMalwareFilterPolicy(o cmdlets.Object) MalwareFilterPolicy {
	return MalwareFilterPolicy{Base: baseOf(o), EnableFileFilter: cmdlets.Bool(o, "EnableFileFilter"),
		FileTypes: cmdlets.Strings(o, "FileTypes"), FileTypeAction: cmdlets.String(o, "FileTypeAction")}
}

// GetMalwareFilterPolicy reads the policy identity (DefaultIdentity for the default).
func GetMalwareFilterPolicy(ctx context.Context, c *m365.Client, identity string) (*MalwareFilterPolicy, error) {
	return get(ctx, c, "Get-MalwareFilterPolicy", identity, DecodeMalwareFilterPolicy)
}

// ListMalwareFilterPolicies reads every anti-malware policy of the tenant.
func ListMalwareFilterPolicies(ctx context.Context, c *m365.Client) ([]MalwareFilterPolicy, error) {
	return list(ctx, c, "Get-MalwareFilterPolicy", DecodeMalwareFilterPolicy)
}

// SetMalwareFilterPolicy runs Set-MalwareFilterPolicy and updates p (when not nil) on success.
func SetMalwareFilterPolicy(ctx context.Context, c *m365.Client, p *MalwareFilterPolicy, params map[string]any) error {
	return set(ctx, c, "Set-MalwareFilterPolicy", params, p, DecodeMalwareFilterPolicy)
}

// MalwareFilterRule applies a custom anti-malware policy to the recipients it matches, ahead of
// the default policy.
type MalwareFilterRule struct {
	Base
	State    string // Enabled or Disabled; "" when the output lacks it.
	Policy   string // MalwareFilterPolicy: the name of the policy it applies.
	Priority int64  // 0 is the highest.
}

// DecodeMalwareFilterRule reads Get-MalwareFilterRule output.
func DecodeMalwareFilterRule(o cmdlets.Object) MalwareFilterRule {
	n, _ := cmdlets.Int(o, "Priority")
	return MalwareFilterRule{Base: baseOf(o), State: cmdlets.String(o, "State"), Policy: cmdlets.String(o, "MalwareFilterPolicy"), Priority: n}
}

// ListMalwareFilterRules reads every anti-malware rule of the tenant.
func ListMalwareFilterRules(ctx context.Context, c *m365.Client) ([]MalwareFilterRule, error) {
	return list(ctx, c, "Get-MalwareFilterRule", DecodeMalwareFilterRule)
}

// Protection is a Defender for Office 365 protection made of a policy and the rule that scopes
// it, both addressed by name: SafeLinks or SafeAttachment (its cmdlet noun).
type Protection string

// The Defender for Office 365 protections.
const (
	SafeLinks      Protection = "SafeLinks"
	SafeAttachment Protection = "SafeAttachment"
)

// PolicyNoun is the noun of the policy cmdlets, e.g. SafeLinksPolicy; it is also the rule's
// property that names its policy.
func (p Protection) PolicyNoun() string { return string(p) + "Policy" }

// RuleNoun is the noun of the rule cmdlets, e.g. SafeLinksRule.
func (p Protection) RuleNoun() string { return string(p) + "Rule" }

// ProtectionPolicy is a Safe Links or Safe Attachments policy. Its settings differ by protection
// and are many, so they are read from Raw with the cmdlets accessors.
type ProtectionPolicy struct {
	Base
}

// DecodeProtectionPolicy reads Get-SafeLinksPolicy or Get-SafeAttachmentPolicy output.
func DecodeProtectionPolicy(o cmdlets.Object) ProtectionPolicy {
	return ProtectionPolicy{Base: baseOf(o)}
}

// FindProtectionPolicy reads p's policy identity; a missing one is a not-found error.
func FindProtectionPolicy(ctx context.Context, c *m365.Client, p Protection, identity string) (*ProtectionPolicy, error) {
	return get(ctx, c, "Get-"+p.PolicyNoun(), identity, DecodeProtectionPolicy)
}

// NewProtectionPolicy runs New-<policy> with params and returns the policy: what the cmdlet
// output, or the parameters when it output nothing.
func NewProtectionPolicy(ctx context.Context, c *m365.Client, p Protection, params map[string]any) (*ProtectionPolicy, error) {
	return newOrParams(ctx, c, "New-"+p.PolicyNoun(), params, params, DecodeProtectionPolicy)
}

// SetProtectionPolicy runs Set-<policy> and updates pol (when not nil) on success.
func SetProtectionPolicy(ctx context.Context, c *m365.Client, p Protection, pol *ProtectionPolicy, params map[string]any) error {
	return set(ctx, c, "Set-"+p.PolicyNoun(), params, pol, DecodeProtectionPolicy)
}

// RemoveProtectionPolicy deletes p's policy identity; one already gone is success. Exchange
// refuses to delete a policy a rule still applies: remove the rule first.
func RemoveProtectionPolicy(ctx context.Context, c *m365.Client, p Protection, identity string) error {
	return remove(ctx, c, p.PolicyNoun(), identity)
}

// ProtectionRule is a Safe Links or Safe Attachments rule.
type ProtectionRule struct {
	Base
	State             string // Enabled or Disabled; "" when the output lacks it.
	Policy            string // The name of the policy it applies.
	Priority          int64
	HasPriority       bool // Whether the output had a numeric Priority.
	RecipientDomainIs []string
}

// decodeProtectionRule reads the rule output of protection p.
func decodeProtectionRule(p Protection) func(cmdlets.Object) ProtectionRule {
	return func(o cmdlets.Object) ProtectionRule {
		n, ok := cmdlets.Int(o, "Priority")
		return ProtectionRule{Base: baseOf(o), State: cmdlets.String(o, "State"), Policy: cmdlets.String(o, p.PolicyNoun()),
			Priority: n, HasPriority: ok, RecipientDomainIs: cmdlets.Strings(o, "RecipientDomainIs")}
	}
}

// DecodeProtectionRule reads Get-SafeLinksRule or Get-SafeAttachmentRule output of protection p.
func DecodeProtectionRule(p Protection, o cmdlets.Object) ProtectionRule {
	return decodeProtectionRule(p)(o)
}

// FindProtectionRule reads p's rule identity; a missing one is a not-found error.
func FindProtectionRule(ctx context.Context, c *m365.Client, p Protection, identity string) (*ProtectionRule, error) {
	return get(ctx, c, "Get-"+p.RuleNoun(), identity, decodeProtectionRule(p))
}

// NewProtectionRule runs New-<rule> with params and returns the rule: what the cmdlet output, or
// assumed when it output nothing.
func NewProtectionRule(ctx context.Context, c *m365.Client, p Protection, params, assumed map[string]any) (*ProtectionRule, error) {
	return newOrParams(ctx, c, "New-"+p.RuleNoun(), params, assumed, decodeProtectionRule(p))
}

// SetProtectionRule runs Set-<rule> and updates rule (when not nil) on success. Set- cannot
// change the rule's state: EnableProtectionRule does.
func SetProtectionRule(ctx context.Context, c *m365.Client, p Protection, rule *ProtectionRule, params map[string]any) error {
	return set(ctx, c, "Set-"+p.RuleNoun(), params, rule, decodeProtectionRule(p))
}

// EnableProtectionRule runs Enable-<rule>, which keeps the rule's identity, and records the new
// state in rule.
func EnableProtectionRule(ctx context.Context, c *m365.Client, p Protection, rule *ProtectionRule, identity string) error {
	if _, err := c.Exchange().Invoke(ctx, "Enable-"+p.RuleNoun(), map[string]any{"Identity": identity}); err != nil {
		return err
	}
	*rule = decodeProtectionRule(p)(cmdlets.Merged(rule.raw, map[string]any{"State": "Enabled"}))
	return nil
}

// RemoveProtectionRule deletes p's rule identity; one already gone is success.
func RemoveProtectionRule(ctx context.Context, c *m365.Client, p Protection, identity string) error {
	return remove(ctx, c, p.RuleNoun(), identity)
}

// newOrParams runs a New- cmdlet and decodes what it output or, when it output nothing, assumed.
// Unlike newReadBack it does not list the kind: these objects are addressed by name, and the next
// refresh reads them.
func newOrParams[T any](ctx context.Context, c *m365.Client, cmdlet string, params, assumed map[string]any, decode func(cmdlets.Object) T) (*T, error) {
	created, err := c.Exchange().Invoke(ctx, cmdlet, params)
	if err != nil {
		return nil, err
	}
	o := assumed
	if len(created) == 1 {
		o = created[0]
	}
	v := decode(o)
	return &v, nil
}
