// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"maps"
	"net"
	"net/http"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Named locations, security defaults and the built-in authentication strengths.

const nlContext = "identity/conditionalAccess/namedLocations"

var ipRangeDef = &objDef{name: "ipRange", keepType: true,
	subtypes: []string{"iPv4CidrRange", "iPv6CidrRange", "iPv4Range", "iPv6Range"},
	props: []prop{
		{name: "cidrAddress", kind: kString},
		{name: "lowerAddress", kind: kString},
		{name: "upperAddress", kind: kString},
	},
	post: func(out map[string]any) {
		switch out["@odata.type"] {
		case "#microsoft.graph.iPv4CidrRange", "#microsoft.graph.iPv6CidrRange":
			delete(out, "lowerAddress")
			delete(out, "upperAddress")
		default:
			delete(out, "cidrAddress")
		}
	},
}

var namedLocationDef = &objDef{name: "namedLocation", keepType: true,
	subtypes: []string{"ipNamedLocation", "countryNamedLocation"},
	props: []prop{
		{name: "id", readOnly: true},
		{name: "createdDateTime", readOnly: true},
		{name: "modifiedDateTime", readOnly: true},
		{name: "displayName", kind: kString},
		{name: "ipRanges", kind: kAny},
		{name: "isTrusted", kind: kBool},
		{name: "countriesAndRegions", kind: kStrList},
		{name: "countryLookupMethod", kind: kEnum, enum: enumCountryLookup},
		{name: "includeUnknownCountriesAndRegions", kind: kBool},
	},
}

// buildNamedLocation validates a named location body; @odata.type picks the derived type and is
// required on create and update, as Graph requires it.
func buildNamedLocation(in map[string]any) (map[string]any, *httpx.GraphError) {
	t := typeName(in)
	if t != "ipNamedLocation" && t != "countryNamedLocation" {
		return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The '@odata.type' property is required and must be '#microsoft.graph.ipNamedLocation' or '#microsoft.graph.countryNamedLocation'.")
	}
	for k := range in {
		if (t == "ipNamedLocation" && (k == "countriesAndRegions" || k == "countryLookupMethod" || k == "includeUnknownCountriesAndRegions")) ||
			(t == "countryNamedLocation" && (k == "ipRanges" || k == "isTrusted")) {
			return nil, unknownProperty(t, k)
		}
	}
	out, err := normalize(namedLocationDef, in, "")
	if err != nil {
		return nil, err
	}
	if s, _ := out["displayName"].(string); s == "" {
		return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The property 'displayName' is required.")
	}
	if t == "ipNamedLocation" {
		delete(out, "countriesAndRegions")
		delete(out, "countryLookupMethod")
		delete(out, "includeUnknownCountriesAndRegions")
		arr, ok := out["ipRanges"].([]any)
		if !ok || len(arr) == 0 {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "An ipNamedLocation requires at least one entry in 'ipRanges'.")
		}
		ranges := make([]any, 0, len(arr))
		for _, item := range arr {
			r, err := normalize(ipRangeDef, item, "ipRanges")
			if err != nil {
				return nil, err
			}
			if cidr, ok := r["cidrAddress"].(string); ok {
				if _, _, perr := net.ParseCIDR(cidr); perr != nil {
					return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Invalid value '%s' for property 'ipRanges.cidrAddress'. The value is not a valid CIDR range.", cidr)
				}
			}
			ranges = append(ranges, r)
		}
		out["ipRanges"] = ranges
		if out["isTrusted"] == nil {
			out["isTrusted"] = false
		}
	} else {
		delete(out, "ipRanges")
		delete(out, "isTrusted")
		if out["includeUnknownCountriesAndRegions"] == nil {
			out["includeUnknownCountriesAndRegions"] = false
		}
		if out["countryLookupMethod"] == nil {
			out["countryLookupMethod"] = "clientIpAddress"
		}
	}
	return out, nil
}

func nlNotFound(id string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusNotFound, httpx.CodeResourceNotFound, "The named location with id '%s' was not found.", id)
}

// namedLocations is the named locations collection.
var namedLocations = caCollection{context: nlContext, typeName: "namedLocation",
	records:  func(st *store.State) *[]*store.Record { return &st.NamedLocations },
	notFound: nlNotFound, build: buildNamedLocation, modifiedOnCreate: true}

func (s *Service) nlList(g *gctx) *httpx.GraphError {
	return s.listRecords(g, namedLocations)
}

func (s *Service) nlGet(g *gctx) *httpx.GraphError {
	return s.getRecord(g, namedLocations)
}

func (s *Service) nlCreate(g *gctx) *httpx.GraphError {
	nl, err := s.createRecord(g, namedLocations, nil)
	if err != nil {
		return err
	}
	return g.writeCreated(namedLocations, nl)
}

func (s *Service) nlUpdate(g *gctx) *httpx.GraphError {
	return s.updateRecord(g, namedLocations, func(cur, in map[string]any) (map[string]any, *httpx.GraphError) {
		if typeName(in) == "" {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The '@odata.type' property is required when updating a named location.")
		}
		if typeName(in) != typeName(cur) {
			return nil, httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "The '@odata.type' '%v' does not match the type of the named location.", in["@odata.type"])
		}
		merged := maps.Clone(cur)
		maps.Copy(merged, in)
		return buildNamedLocation(merged)
	})
}

// nlDelete refuses to delete a location that a policy still references, as Entra does.
func (s *Service) nlDelete(g *gctx) *httpx.GraphError {
	return s.deleteRecord(g, namedLocations, func(st *store.State, id string) *httpx.GraphError {
		for _, p := range st.CAPolicies {
			if loc := obj(obj(p.Cur, "conditions"), "locations"); loc != nil {
				for _, l := range append(store.Strings(loc, "includeLocations"), store.Strings(loc, "excludeLocations")...) {
					if l == id {
						return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "1200: The named location '%s' is referenced by conditional access policy '%s' and cannot be deleted.", id, p.ID)
					}
				}
			}
		}
		return nil
	})
}

// Security defaults.

const SecurityDefaultsID = "00000000-0000-0000-0000-000000000005"

var secDefDef = &objDef{name: "identitySecurityDefaultsEnforcementPolicy", props: []prop{
	{name: "id", readOnly: true},
	{name: "displayName", kind: kString},
	{name: "description", kind: kString},
	{name: "isEnabled", kind: kBool},
}}

func NewSecurityDefaults(enabled bool) map[string]any {
	return map[string]any{
		"id":          SecurityDefaultsID,
		"displayName": "Security Defaults",
		"description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.",
		"isEnabled":   enabled,
	}
}

// secDefGet answers security defaults disabled while no version of the policy is visible.
func (s *Service) secDefGet(g *gctx) *httpx.GraphError {
	v := s.readSingleton(g, securityDefaults)
	if v == nil {
		v = NewSecurityDefaults(false)
	}
	return g.writeSingleton(securityDefaults, v)
}

// secDefUpdate sets the properties sent with a value; a null leaves the stored one.
func secDefUpdate(_ *gctx, cur, sent, norm map[string]any) (map[string]any, *httpx.GraphError) {
	next := maps.Clone(cur)
	for k := range sent {
		if v, ok := norm[k]; ok && v != nil {
			next[k] = v
		}
	}
	return next, nil
}

// Authentication strengths: the three built-ins every tenant has.

const (
	AuthStrengthMFA            = "00000000-0000-0000-0000-000000000002"
	authStrengthPasswordless   = "00000000-0000-0000-0000-000000000003"
	AuthStrengthPhishResistant = "00000000-0000-0000-0000-000000000004"
)

func builtInStrength(id, name, desc string, combos ...string) map[string]any {
	list := make([]any, len(combos))
	for i, c := range combos {
		list[i] = c
	}
	created := store.GraphTime(time.Date(2021, 12, 1, 8, 0, 0, 0, time.UTC))
	return map[string]any{
		"id": id, "displayName": name, "description": desc, "policyType": "builtIn",
		"requirementsSatisfied": "mfa", "allowedCombinations": list,
		"createdDateTime": created, "modifiedDateTime": created,
	}
}

func authStrengths() []map[string]any {
	return []map[string]any{
		builtInStrength(AuthStrengthMFA, "Multifactor authentication",
			"Combinations of methods that satisfy strong authentication, such as a password + SMS",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush",
			"temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "password,microsoftAuthenticatorPush",
			"password,softwareOath", "password,hardwareOath", "password,sms", "password,voice",
			"federatedMultiFactor", "microsoftAuthenticatorPush,federatedSingleFactor",
			"softwareOath,federatedSingleFactor", "hardwareOath,federatedSingleFactor",
			"sms,federatedSingleFactor", "voice,federatedSingleFactor"),
		builtInStrength(authStrengthPasswordless, "Passwordless MFA",
			"Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush"),
		builtInStrength(AuthStrengthPhishResistant, "Phishing-resistant MFA",
			"Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"),
	}
}

func authStrengthByID(id string) map[string]any {
	for _, a := range authStrengths() {
		if a["id"] == id {
			return a
		}
	}
	return nil
}

func (s *Service) authStrengthList(g *gctx) *httpx.GraphError {
	list := authStrengths()
	return g.writeList("policies/authenticationStrengthPolicies", lister{n: len(list), item: func(i int) map[string]any { return list[i] }, typeName: "authenticationStrengthPolicy"})
}

func (s *Service) authStrengthGet(g *gctx) *httpx.GraphError {
	a := authStrengthByID(g.params[0])
	if a == nil {
		return httpx.NewGraphError(http.StatusNotFound, httpx.CodeResourceNotFound, "Authentication strength policy '%s' was not found.", g.params[0])
	}
	return g.writeEntity("policies/authenticationStrengthPolicies", a, lister{n: 1, item: func(int) map[string]any { return a }, typeName: "authenticationStrengthPolicy"})
}
