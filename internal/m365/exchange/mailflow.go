// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package exchange

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// Mail flow: transport rules, outbound connectors, accepted and remote domains.

// TransportRule is a mail flow rule (Get-TransportRule), in the properties the provider reads.
type TransportRule struct {
	Base
	State                         string // Enabled or Disabled; "" when the output lacks it.
	Mode                          string // Enforce, Audit, AuditAndNotify.
	SentToScope                   string
	ApplyRightsProtectionTemplate string
	// DataClassifications is MessageContainsDataClassifications: the sensitive information types
	// the rule matches.
	DataClassifications        []Classification
	SubjectOrBodyContainsWords []string
}

// Classification is one sensitive information type a rule matches, with the least number of
// instances that count.
type Classification struct {
	Name     string
	MinCount string
}

// DecodeTransportRule reads Get-TransportRule output.
func DecodeTransportRule(o cmdlets.Object) TransportRule {
	return TransportRule{
		Base: baseOf(o), State: cmdlets.String(o, "State"), Mode: cmdlets.String(o, "Mode"), SentToScope: cmdlets.String(o, "SentToScope"),
		ApplyRightsProtectionTemplate: cmdlets.String(o, "ApplyRightsProtectionTemplate"),
		DataClassifications:           decodeClassifications(o["MessageContainsDataClassifications"]),
		SubjectOrBodyContainsWords:    cmdlets.Strings(o, "SubjectOrBodyContainsWords"),
	}
}

// decodeClassifications reads MessageContainsDataClassifications, which comes as hashtables or,
// from some hosts, as their JSON or "Name:...,minCount:..." text.
func decodeClassifications(v any) []Classification {
	raw, _ := v.([]any)
	out := make([]Classification, 0, len(raw))
	for _, item := range raw {
		var h map[string]any
		switch v := item.(type) {
		case map[string]any:
			h = v
		case string:
			if err := json.Unmarshal([]byte(v), &h); err != nil {
				h = parseKeyValues(v)
			}
		}
		c := Classification{}
		for k := range h {
			switch strings.ToLower(k) {
			case "name":
				c.Name = cmdlets.String(h, k)
			case "mincount":
				c.MinCount = cmdlets.String(h, k)
			}
		}
		if c.Name != "" {
			out = append(out, c)
		}
	}
	return out
}

// parseKeyValues reads "Name:U.S. Social Security Number (SSN), minCount:1".
func parseKeyValues(s string) map[string]any {
	out := map[string]any{}
	s = strings.Trim(s, "{}")
	for _, part := range strings.Split(s, ",") {
		if k, v, ok := strings.Cut(part, ":"); ok {
			out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return out
}

// ClassificationsParam is the MessageContainsDataClassifications parameter: one hashtable per
// type, sorted by name.
func ClassificationsParam(cs []Classification) []any {
	sorted := append([]Classification(nil), cs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	out := make([]any, len(sorted))
	for i, c := range sorted {
		out[i] = m365.GenericHashTable(map[string]any{"Name": c.Name, "minCount": c.MinCount})
	}
	return out
}

// ListTransportRules reads every mail flow rule of the tenant.
func ListTransportRules(ctx context.Context, c *m365.Client) ([]TransportRule, error) {
	return list(ctx, c, "Get-TransportRule", DecodeTransportRule)
}

// NewTransportRule runs New-TransportRule with params (which name the rule) and returns the rule.
func NewTransportRule(ctx context.Context, c *m365.Client, params map[string]any) (*TransportRule, error) {
	return newReadBack(ctx, c, "TransportRule", params, DecodeTransportRule)
}

// SetTransportRule runs Set-TransportRule and updates rule (when not nil) on success.
func SetTransportRule(ctx context.Context, c *m365.Client, rule *TransportRule, params map[string]any) error {
	return set(ctx, c, "Set-TransportRule", params, rule, DecodeTransportRule)
}

// RemoveTransportRule deletes the rule identity; a rule already gone is success.
func RemoveTransportRule(ctx context.Context, c *m365.Client, identity string) error {
	return remove(ctx, c, "TransportRule", identity)
}

// OutboundConnector is a connector for mail leaving the organization (Get-OutboundConnector).
type OutboundConnector struct {
	Base
	ConnectorType    string // Partner or OnPremises.
	TlsSettings      string // EncryptionOnly, CertificateValidation, DomainValidation.
	UseMXRecord      bool
	Enabled          bool
	RecipientDomains []string
}

// DecodeOutboundConnector reads Get-OutboundConnector output.
func DecodeOutboundConnector(o cmdlets.Object) OutboundConnector {
	return OutboundConnector{
		Base: baseOf(o), ConnectorType: cmdlets.String(o, "ConnectorType"), TlsSettings: cmdlets.String(o, "TlsSettings"),
		UseMXRecord: cmdlets.Bool(o, "UseMXRecord"), Enabled: cmdlets.Bool(o, "Enabled"), RecipientDomains: cmdlets.Strings(o, "RecipientDomains"),
	}
}

// FindOutboundConnector reads the connector identity; a missing one is a not-found error.
func FindOutboundConnector(ctx context.Context, c *m365.Client, identity string) (*OutboundConnector, error) {
	return get(ctx, c, "Get-OutboundConnector", identity, DecodeOutboundConnector)
}

// NewOutboundConnector runs New-OutboundConnector with params (which name it) and returns it.
func NewOutboundConnector(ctx context.Context, c *m365.Client, params map[string]any) (*OutboundConnector, error) {
	return newReadBack(ctx, c, "OutboundConnector", params, DecodeOutboundConnector)
}

// SetOutboundConnector runs Set-OutboundConnector and updates conn (when not nil) on success.
func SetOutboundConnector(ctx context.Context, c *m365.Client, conn *OutboundConnector, params map[string]any) error {
	return set(ctx, c, "Set-OutboundConnector", params, conn, DecodeOutboundConnector)
}

// RemoveOutboundConnector deletes the connector identity; one already gone is success.
func RemoveOutboundConnector(ctx context.Context, c *m365.Client, identity string) error {
	return remove(ctx, c, "OutboundConnector", identity)
}

// ListAcceptedDomainNames lists the DomainName of every accepted domain of the tenant, sorted.
func ListAcceptedDomainNames(ctx context.Context, c *m365.Client) ([]string, error) {
	objs, err := c.Exchange().Invoke(ctx, "Get-AcceptedDomain", nil)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, o := range objs {
		if d := cmdlets.String(o, "DomainName"); d != "" {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out, nil
}

// RemoteDomain is the mail settings for a remote domain (Get-RemoteDomain); DefaultIdentity
// applies to every domain without its own.
type RemoteDomain struct {
	Base
	AutoForwardEnabled bool
}

// DecodeRemoteDomain reads Get-RemoteDomain output.
func DecodeRemoteDomain(o cmdlets.Object) RemoteDomain {
	return RemoteDomain{Base: baseOf(o), AutoForwardEnabled: cmdlets.Bool(o, "AutoForwardEnabled")}
}

// GetRemoteDomain reads the remote domain identity (DefaultIdentity for the default one).
func GetRemoteDomain(ctx context.Context, c *m365.Client, identity string) (*RemoteDomain, error) {
	return get(ctx, c, "Get-RemoteDomain", identity, DecodeRemoteDomain)
}

// SetRemoteDomain runs Set-RemoteDomain and updates d (when not nil) on success.
func SetRemoteDomain(ctx context.Context, c *m365.Client, d *RemoteDomain, params map[string]any) error {
	return set(ctx, c, "Set-RemoteDomain", params, d, DecodeRemoteDomain)
}
