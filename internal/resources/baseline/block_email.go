// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/exchange"
	"github.com/hipaa365/terraform-provider-hipaa/internal/planmodifiers"
)

// The email block: HIPAA 164.312(e)(1) and (e)(2)(ii) (transmission security, encryption),
// 164.308(a)(5)(ii)(B) (protection from malicious software) and 164.308(a)(1)(ii)(B) (risk
// management: no silent forwarding of PHI out of the organization).
//
// Permissions (app-only: Exchange.ManageAsApp; reads need Global Reader, writes Exchange
// Administrator):
//
//	| Setting                    | Cmdlets                                                                      |
//	|----------------------------|------------------------------------------------------------------------------|
//	| message_encryption         | Get/Set-IRMConfiguration                                                     |
//	| ome_*                      | Get/Set-OMEConfiguration (only while message_encryption is true)             |
//	| phi_encryption_rule, phi_* | Get/New/Set/Remove-TransportRule                                             |
//	| external_auto_forwarding   | Get/Set-HostedOutboundSpamFilterPolicy, Get/Set-RemoteDomain                 |
//	| blocked_attachment_types   | Get/Set-MalwareFilterPolicy                                                  |
//	| safe_links                 | Get/New/Set/Remove-SafeLinksPolicy, -SafeLinksRule (+Enable-) (MDO Plan 1)   |
//	| safe_attachments           | Get/New/Set/Remove-SafeAttachmentPolicy, -SafeAttachmentRule (+Enable-)      |
//	| (rule scope)               | Get-AcceptedDomain                                                           |
//	| tls_partner_domains        | Get/New/Set/Remove-OutboundConnector                                         |
//	| (licences, initial domain) | Graph subscribedSkus and organization (Organization.Read.All)                |

func init() { register(orderEmail, emailBlock{}) }

type emailBlock struct{}

type emailModel struct {
	MessageEncryption      types.Bool   `tfsdk:"message_encryption"`
	OMEOneTimePasscode     types.Bool   `tfsdk:"ome_one_time_passcode"`
	OMESocialIDSignIn      types.Bool   `tfsdk:"ome_social_id_sign_in"`
	PHIEncryptionRule      types.Bool   `tfsdk:"phi_encryption_rule"`
	PHISensitiveInfoTypes  types.Set    `tfsdk:"phi_sensitive_info_types"`
	PHIKeywords            types.Set    `tfsdk:"phi_keywords"`
	ExternalAutoForwarding types.Bool   `tfsdk:"external_auto_forwarding"`
	BlockedAttachmentTypes types.Set    `tfsdk:"blocked_attachment_types"`
	SafeLinks              types.Bool   `tfsdk:"safe_links"`
	SafeAttachments        types.Bool   `tfsdk:"safe_attachments"`
	TLSPartnerDomains      types.Set    `tfsdk:"tls_partner_domains"`
	SafeLinksStatus        types.String `tfsdk:"safe_links_status"`
	SafeAttachmentsStatus  types.String `tfsdk:"safe_attachments_status"`
	TransportRuleIDs       types.Map    `tfsdk:"transport_rule_ids"`
	InSync                 types.Bool   `tfsdk:"in_sync"`
}

var (
	domainPattern     = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)
	fileTypePattern   = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	emptyStringSetDef = setdefault.StaticValue(types.SetValueMust(types.StringType, nil))
)

func (emailBlock) Name() string { return "email" }

// owned: the mail flow rules, the Defender for Office 365 policies and rules, and the partner
// TLS connector, all found by name whatever the plan turns on.
func (emailBlock) owned(context.Context, types.Object) []ownedObject {
	out := []ownedObject{
		cmdletObject("mail flow rule", false, "TransportRule", ruleNamePHIEncryption, nil),
		cmdletObject("mail flow rule", false, "TransportRule", ruleNamePHIKeywords, nil),
		cmdletObject("outbound connector", false, "OutboundConnector", connectorNamePartnerTLS, nil),
	}
	for _, p := range []protection{safeLinksProtection, safeAttachmentsProtection} {
		out = append(out,
			cmdletObject(p.Label+" policy", false, p.policyNoun(), p.Name, &licenceMDOP1),
			cmdletObject(p.Label+" rule", false, p.ruleNoun(), p.Name, &licenceMDOP1))
	}
	return out
}

func (emailBlock) Schema() schema.SingleNestedBlock {
	boolAttr := func(def bool, desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(def), MarkdownDescription: desc}
	}
	setAttr := func(def []string, desc string, v ...validator.String) schema.SetAttribute {
		a := schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Computed: true,
			Default:             setdefault.StaticValue(setValue(def)),
			MarkdownDescription: desc,
		}
		if len(v) > 0 {
			a.Validators = []validator.Set{setvalidator.ValueStringsAre(v...)}
		}
		return a
	}
	status := func(feature string) schema.StringAttribute {
		return schema.StringAttribute{
			Computed: true,
			MarkdownDescription: "Whether " + feature + " is applied as configured (`" + statusApplied + "`) or skipped because the tenant lacks " +
				"Microsoft Defender for Office 365 (Plan 1) (`" + statusNotLicensed + "`). Currently-supported values are: " + quoted(licenceStatuses) + ".",
			PlanModifiers: []planmodifier.String{keepIfManaged()},
		}
	}
	return schema.SingleNestedBlock{
		MarkdownDescription: "Email security in Exchange Online (HIPAA 164.312(e)(1) transmission security, 164.312(e)(2)(ii) encryption, " +
			"164.308(a)(5)(ii)(B) protection from malicious software): message encryption and how external recipients open encrypted " +
			"mail, mail flow rules that encrypt external mail " +
			"carrying PHI, no automatic external forwarding, blocked executable attachments, Safe Links and Safe Attachments (Microsoft " +
			"Defender for Office 365 Plan 1; skipped with a plan warning when the tenant lacks it) and enforced TLS to partners.",
		Attributes: map[string]schema.Attribute{
			"message_encryption": boolAttr(true, "Whether Microsoft Purview Message Encryption is on (`Set-IRMConfiguration -AzureRMSLicensingEnabled "+
				"-SimplifiedClientAccessEnabled`), so that mail can be encrypted and recipients can read it in Outlook on the web. `false` turns "+
				"simplified client access off but leaves Azure RMS on (and stops the block managing the `ome_*` settings). Defaults to `true`. "+
				"HIPAA 164.312(e)(2)(ii)."),
			"ome_one_time_passcode": omeOneTimePasscodeAttribute(),
			"ome_social_id_sign_in": omeSocialIDSignInAttribute(),
			"phi_encryption_rule": boolAttr(true, "Whether mail to external recipients is encrypted when it contains PHI: the mail flow rules \""+
				ruleNamePHIEncryption+"\" (on `phi_sensitive_info_types`) and \""+ruleNamePHIKeywords+"\" (on `phi_keywords`), both applying the "+
				"`Encrypt` template. Defaults to `true`. HIPAA 164.312(e)(1)."),
			"phi_sensitive_info_types": setAttr(defaultPHISensitiveInfoTypes, "The Microsoft sensitive information types that mark a message "+
				"as PHI (one match of any is enough). An empty set drops that rule. Defaults to the checklist's: "+quoted(defaultPHISensitiveInfoTypes)+"."),
			"phi_keywords": setAttr(defaultPHIKeywords, "Words in the subject or body that mark a message as PHI. An empty set drops that rule. "+
				"Defaults to "+quoted(defaultPHIKeywords)+"."),
			"external_auto_forwarding": boolAttr(false, "Whether mailboxes may forward mail automatically to external addresses. `false` sets "+
				"the default outbound spam filter policy's `AutoForwardingMode` to `Off` and the default remote domain's `AutoForwardEnabled` "+
				"to `false`, so PHI cannot leave silently through forwarding rules. Defaults to `false`. HIPAA 164.312(e)(1)."),
			"blocked_attachment_types": setAttr(defaultBlockedAttachmentTypes, "File types (extensions without the dot) the default "+
				"anti-malware policy rejects. An empty set turns the file filter off. Defaults to the checklist's executable and script types: "+
				quoted(defaultBlockedAttachmentTypes)+". Custom anti-malware policies applied by an enabled MalwareFilterRule take "+
				"precedence over the default policy for the recipients they match; plan warns about each one that blocks fewer of "+
				"these types, and leaves it as it is. HIPAA 164.308(a)(5)(ii)(B).", stringvalidator.RegexMatches(fileTypePattern,
				"must be a file extension without the leading period, such as exe")),
			"safe_links": boolAttr(true, "Whether Safe Links checks URLs in mail, Teams and Office apps at click time: the policy and rule \""+
				safeLinksName+"\", scoped to every accepted domain of the tenant (the rule matches a recipient's primary address, "+
				"so users on a vanity domain need it listed); a disabled rule is enabled in place. Needs Microsoft Defender for Office 365 (Plan 1). Defaults to `true`. "+
				"HIPAA 164.308(a)(5)(ii)(B)."),
			"safe_attachments": boolAttr(true, "Whether Safe Attachments detonates attachments and blocks malicious ones: the policy and "+
				"rule \""+safeAttachmentsName+"\", scoped to every accepted domain of the tenant; a disabled rule is enabled in place. Needs Microsoft Defender for Office 365 (Plan 1). "+
				"Defaults to `true`. HIPAA 164.308(a)(5)(ii)(B)."),
			"tls_partner_domains": schema.SetAttribute{
				ElementType: types.StringType, Optional: true, Computed: true, Default: emptyStringSetDef,
				Validators: []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(domainPattern, "must be a domain name such as partner.example"))},
				MarkdownDescription: "Partner domains (e.g. business associates) mail to which must travel over TLS with a valid certificate: " +
					"the outbound connector \"" + connectorNamePartnerTLS + "\" (`TlsSettings` `CertificateValidation`). Defaults to none " +
					"(no connector). HIPAA 164.312(e)(1).",
			},
			"safe_links_status":       status("Safe Links"),
			"safe_attachments_status": status("Safe Attachments"),
			"transport_rule_ids": schema.MapAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "The ids (Guid) of the mail flow rules the baseline manages, by rule name.",
				PlanModifiers: []planmodifier.Map{idsFor("transport_rule_ids", "keeps the ids of rules that exist", func(blk types.Object) ([]string, bool) {
					on, ok1 := attrBool(blk, "phi_encryption_rule")
					sits, ok2 := attrSet(blk, "phi_sensitive_info_types")
					words, ok3 := attrSet(blk, "phi_keywords")
					return ruleNames(desiredRules(on, sits, words)), ok1 && ok2 && ok3
				})},
			},
			"in_sync": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether the objects the block manages match the baseline in the settings no attribute shows (rule mode, " +
					"scope and action, Safe Links and Safe Attachments policy settings and scope, connector TLS settings). `false` in the state " +
					"means the next apply repairs them.",
				PlanModifiers: []planmodifier.Bool{planmodifiers.PlanTrue()},
			},
		},
	}
}

// Requirements: Safe Links and Safe Attachments need Defender for Office 365 Plan 1.
func (emailBlock) Requirements(ctx context.Context, plan types.Object) []Licence {
	links, _ := attrBool(plan, "safe_links")
	atts, _ := attrBool(plan, "safe_attachments")
	if links || atts {
		return []Licence{licenceMDOP1}
	}
	return nil
}

func defaultEmailModel() emailModel {
	return emailModel{
		MessageEncryption: types.BoolValue(true), PHIEncryptionRule: types.BoolValue(true),
		OMEOneTimePasscode: types.BoolValue(checklistOMEOneTimePasscode), OMESocialIDSignIn: types.BoolValue(checklistOMESocialIDSignIn),
		PHISensitiveInfoTypes: setValue(defaultPHISensitiveInfoTypes), PHIKeywords: setValue(defaultPHIKeywords),
		ExternalAutoForwarding: types.BoolValue(false), BlockedAttachmentTypes: setValue(defaultBlockedAttachmentTypes),
		SafeLinks: types.BoolValue(true), SafeAttachments: types.BoolValue(true), TLSPartnerDomains: setValue(nil),
	}
}

// emailSkeleton is the email block's Read/Apply/Release cycle: it reads the tenant through
// internal/m365/exchange (readEmailLive), maps it to the schema (flattenEmail) and applies the
// plan step by step (apply), each step recording its write in live.
var emailSkeleton = skeleton[emailModel, emailLive]{
	b:         emailBlock{},
	checklist: defaultEmailModel,
	load: func(ctx context.Context, e *env, prior *emailModel, want emailModel) (emailLive, error) {
		ids := map[string]string{}
		if prior != nil {
			ids = mapStrings(prior.TransportRuleIDs)
		}
		return readEmailLive(ctx, e, ids, omeManaged(want))
	},
	adopt:   func(live emailLive, _ *emailModel) bool { return live.adoptable() },
	flatten: flattenEmail,
	steps: func(ctx context.Context, e *env, plan emailModel, live *emailLive, _ *diag.Diagnostics) error {
		return emailBlock{}.apply(ctx, e, plan, live)
	},
	// State says what exists now, with the ids of the objects created so far.
	partial: func(live emailLive, plan emailModel) emailModel {
		m := flattenEmail(live, plan)
		m.InSync = types.BoolValue(false)
		return m
	},
	// Success: the tenant now matches the plan, whose spelling (case, order) the state keeps.
	applied: func(live emailLive, p emailModel) emailModel {
		m := flattenEmail(live, p)
		m.MessageEncryption, m.PHIEncryptionRule, m.ExternalAutoForwarding = p.MessageEncryption, p.PHIEncryptionRule, p.ExternalAutoForwarding
		m.OMEOneTimePasscode, m.OMESocialIDSignIn = p.OMEOneTimePasscode, p.OMESocialIDSignIn
		m.PHISensitiveInfoTypes, m.PHIKeywords, m.BlockedAttachmentTypes, m.TLSPartnerDomains = p.PHISensitiveInfoTypes, p.PHIKeywords, p.BlockedAttachmentTypes, p.TLSPartnerDomains
		m.SafeLinks, m.SafeAttachments = p.SafeLinks, p.SafeAttachments
		m.InSync = types.BoolValue(true)
		return m
	},
	diagnose: cmdletDiagnostic,
}

func (emailBlock) Read(ctx context.Context, e *env, prior types.Object) (types.Object, diag.Diagnostics) {
	return emailSkeleton.read(ctx, e, prior)
}

func (emailBlock) Apply(ctx context.Context, e *env, plan, prior types.Object) (types.Object, diag.Diagnostics) {
	return emailSkeleton.apply(ctx, e, plan, prior)
}

// apply runs the cmdlets that bring live to p, in an order where each step's prerequisites come
// first (rights management before the rules that use its template), updating live after each.
func (emailBlock) apply(ctx context.Context, e *env, p emailModel, live *emailLive) error {
	c := e.tenant
	// Message encryption.
	irm := map[string]any{}
	if p.MessageEncryption.ValueBool() {
		if !live.IRM.AzureRMSLicensingEnabled {
			irm["AzureRMSLicensingEnabled"] = true
		}
		if !live.IRM.SimplifiedClientAccessEnabled {
			irm["SimplifiedClientAccessEnabled"] = true
		}
	} else if live.IRM.SimplifiedClientAccessEnabled {
		irm["SimplifiedClientAccessEnabled"] = false
	}
	if len(irm) > 0 {
		if err := exchange.SetIRMConfiguration(ctx, c, &live.IRM, irm); err != nil {
			return err
		}
	}
	if err := syncOME(ctx, c, p, live); err != nil {
		return err
	}

	// Transport rules: remove those no longer wanted, then create or repair the others.
	want := desiredRules(p.PHIEncryptionRule.ValueBool(), setStrings(p.PHISensitiveInfoTypes), setStrings(p.PHIKeywords))
	for _, name := range []string{ruleNamePHIEncryption, ruleNamePHIKeywords} {
		r, ok := live.Rules[name]
		if !ok || containsRule(want, name) {
			continue
		}
		if err := exchange.RemoveTransportRule(ctx, c, r.ID); err != nil {
			return err
		}
		delete(live.Rules, name)
	}
	for _, spec := range want {
		r, err := syncRule(ctx, c, live.Rules[spec.Name], spec)
		if r == nil {
			delete(live.Rules, spec.Name)
		} else {
			live.Rules[spec.Name] = r
		}
		if err != nil {
			return err
		}
	}

	// Auto-forwarding.
	spamP, remoteP := forwardingParams(live.OutboundSpam, live.RemoteDomain, p.ExternalAutoForwarding.ValueBool())
	if spamP != nil {
		if err := exchange.SetHostedOutboundSpamFilterPolicy(ctx, c, &live.OutboundSpam, spamP); err != nil {
			return err
		}
	}
	if remoteP != nil {
		if err := exchange.SetRemoteDomain(ctx, c, &live.RemoteDomain, remoteP); err != nil {
			return err
		}
	}

	// Attachment filter.
	if mp := malwareParams(live.Malware, setStrings(p.BlockedAttachmentTypes)); mp != nil {
		if err := exchange.SetMalwareFilterPolicy(ctx, c, &live.Malware, mp); err != nil {
			return err
		}
	}

	// Safe Links and Safe Attachments, where licensed.
	if live.MDO {
		for _, x := range []struct {
			p    protection
			live *protectionLive
			on   bool
		}{{safeLinksProtection, &live.SafeLinks, p.SafeLinks.ValueBool()}, {safeAttachmentsProtection, &live.SafeAttachments, p.SafeAttachments.ValueBool()}} {
			var err error
			if x.on {
				err = x.p.sync(ctx, c, x.live, live.Domains)
			} else {
				err = x.p.remove(ctx, c, x.live)
			}
			if err != nil {
				return err
			}
		}
	}

	// Partner TLS connector.
	conn, err := syncConnector(ctx, c, live.Connector, setStrings(p.TLSPartnerDomains))
	live.Connector = conn
	return err
}

func containsRule(specs []ruleSpec, name string) bool {
	for _, s := range specs {
		if s.Name == name {
			return true
		}
	}
	return false
}

func (emailBlock) Release(ctx context.Context, e *env, prior types.Object, restore bool) diag.Diagnostics {
	return emailSkeleton.release(ctx, e, prior, restore, releaseEmail)
}

// releaseEmail deletes what the block created and, with restore, puts Microsoft's defaults back.
func releaseEmail(ctx context.Context, e *env, p emailModel, restore bool, _ *diag.Diagnostics) error {
	c := e.tenant
	// The objects the baseline created: rules by id, the others by their baseline names.
	for _, id := range mapStrings(p.TransportRuleIDs) {
		if err := exchange.RemoveTransportRule(ctx, c, id); err != nil {
			return err
		}
	}
	if len(setStrings(p.TLSPartnerDomains)) > 0 {
		if err := exchange.RemoveOutboundConnector(ctx, c, connectorNamePartnerTLS); err != nil {
			return err
		}
	}
	licensed, err := e.licensed(ctx, licenceMDOP1)
	if err != nil {
		return err
	}
	if licensed {
		for _, x := range []struct {
			p  protection
			on bool
		}{{safeLinksProtection, p.SafeLinks.ValueBool()}, {safeAttachmentsProtection, p.SafeAttachments.ValueBool()}} {
			if !x.on {
				continue
			}
			// Both as present: remove deletes them by name, and one already gone is success.
			l := protectionLive{Policy: &exchange.ProtectionPolicy{}, Rule: &exchange.ProtectionRule{}}
			if err := x.p.remove(ctx, c, &l); err != nil {
				return err
			}
		}
	}
	if !restore {
		return nil
	}
	// Microsoft's defaults: forwarding decided by the service (Automatic), remote domains allowed
	// to forward, the common attachments filter with Microsoft's list and, where the block managed
	// it, the OME configuration's sign-in options. Message encryption stays on: turning it off
	// would leave already encrypted mail unreadable.
	if err := exchange.SetHostedOutboundSpamFilterPolicy(ctx, c, nil,
		map[string]any{"Identity": defaultIdentity, "AutoForwardingMode": "Automatic"}); err != nil {
		return err
	}
	if err := exchange.SetRemoteDomain(ctx, c, nil, map[string]any{"Identity": defaultIdentity, "AutoForwardEnabled": true}); err != nil {
		return err
	}
	if err := exchange.SetMalwareFilterPolicy(ctx, c, nil, map[string]any{"Identity": defaultIdentity, "EnableFileFilter": true,
		"FileTypes": microsoftDefaultFileTypes, "FileTypeAction": "Reject"}); err != nil {
		return err
	}
	if omeManaged(p) {
		return exchange.SetOMEConfiguration(ctx, c, nil, restoreOMEParams())
	}
	return nil
}
