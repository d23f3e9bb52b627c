// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package adminapi is the "InvokeCommand" REST endpoint the ExchangeOnlineManagement module uses
// (one cmdlet per POST, OData JSON answers), which Exchange Online (URL/exo) and Security &
// Compliance (URL/ipps) share. It owns their request pipeline (bearer token and audience, the
// app's roles, faults, licensing, parameter binding) and the generic Get-, Set-, New-, Remove-,
// Enable- and Disable- behaviour of every Noun; package exchange and package compliance define
// the nouns, and the composition root hands both lists to Service. A new Purview cmdlet is a
// Noun in package compliance.
package adminapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

const (
	EXO  = "exo"
	IPPS = "ipps"
	// ippsRegion is the region prefix the compliance front door redirects to.
	ippsRegion = "nam01"
	// anchorAuditConfig is the system mailbox Set-AdminAuditLogConfig must be routed to.
	anchorAuditConfig = "SystemMailbox{8cc370d3-822a-4ab8-a926-bb94bd0641a9}"
	ManageAsApp       = "Exchange.ManageAsApp"
)

// call is one cmdlet invocation on its way through the pipeline.
type call struct {
	s        *Service
	w        http.ResponseWriter
	r        *http.Request
	svc      string
	tid      string
	base     string // InvokeCommand URL without query, for @odata.nextLink.
	cmdlet   string // Canonical spelling, e.g. "Set-OrganizationConfig".
	verb     string
	noun     *Noun
	params   map[string]any
	now      time.Time
	warnings []string
}

type invokeBody struct {
	CmdletInput struct {
		CmdletName string         `json:"CmdletName"`
		Parameters map[string]any `json:"Parameters"`
	} `json:"CmdletInput"`
}

// serveAdminAPI handles every path under /exo and /ipps.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request, svc string) {
	w.Header().Set("request-id", store.NewGUID())
	w.Header().Set("X-Content-Type-Options", "nosniff")
	segs := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/"+svc), "/"), "/")
	region := ""
	if svc == IPPS && len(segs) > 0 && segs[0] == ippsRegion {
		region, segs = segs[0], segs[1:]
	}
	// The path is adminapi/{version}/{tenant}/{operation}.
	if len(segs) != 4 || segs[0] != "adminapi" || (segs[1] != "beta" && segs[1] != "v1.0" && segs[1] != "v2.0") {
		s.CountRoute(r)
		writeExoError(w, &Error{Status: http.StatusNotFound, code: "NotFound", message: "The requested resource '" + r.URL.Path + "' was not found."})
		return
	}
	tenant, op := segs[2], segs[3]
	switch {
	case strings.EqualFold(op, "EXOModuleFile") && r.Method == http.MethodGet:
		s.Count(func(st *pipeline.Stats) { st.ByRoute["GET /"+svc+" EXOModuleFile"]++ })
		s.moduleFile(w, r, svc, region, tenant)
	case strings.EqualFold(op, "InvokeCommand") && r.Method == http.MethodPost:
		s.invokeCommand(w, r, svc, tenant)
	default:
		s.CountRoute(r)
		writeExoError(w, &Error{Status: http.StatusMethodNotAllowed, code: "MethodNotAllowed", message: "The HTTP method '" + r.Method + "' is not allowed for '" + op + "'."})
	}
}

// adminAuth checks the bearer token for the admin API of svc: signature, lifetime and tenant,
// then audience URL/svc, then the Exchange.ManageAsApp role. It returns the calling app.
func (s *Service) adminAuth(r *http.Request, svc, tenant string) (*store.App, *Error) {
	p, msg := s.VerifyBearer(r)
	if p == nil {
		return nil, exoUnauthorized(msg, "invalid_token")
	}
	want := s.URL() + "/" + svc
	if !slices.ContainsFunc(p.Audiences(), func(a string) bool { return strings.TrimSuffix(a, "/") == want }) {
		return nil, exoUnauthorized(fmt.Sprintf("The audience claim value is invalid for current resource. Audience claim is '%s', request url is '%s' and resource type is 'Exchange'.", strings.Join(p.Audiences(), ","), r.URL.String()), "invalid_resource")
	}
	if !s.ResolveTenant(tenant) {
		return nil, exoUnauthorized(fmt.Sprintf("The tenant '%s' in the request url does not match the token's tenant.", tenant), "invalid_tenant")
	}
	if !slices.Contains(p.Roles(), ManageAsApp) {
		return nil, exoUnauthorized("The token has no role claim 'Exchange.ManageAsApp'; grant the application this role on Office 365 Exchange Online.", "insufficient_claims")
	}
	s.Store.Mu.RLock()
	a := s.Store.State.AppByID(p.Str("appid"))
	s.Store.Mu.RUnlock()
	if a == nil {
		return nil, exoUnauthorized("The application of the token no longer exists in the tenant.", "invalid_client")
	}
	return a, nil
}

// moduleFile answers region discovery: the compliance front door redirects to its regional host,
// which (like Exchange) answers 200 with the cmdlets the caller may run.
func (s *Service) moduleFile(w http.ResponseWriter, r *http.Request, svc, region, tenant string) {
	a, err := s.adminAuth(r, svc, tenant)
	if err != nil {
		writeExoError(w, err)
		return
	}
	if svc == IPPS && region == "" {
		w.Header().Set("Location", s.URL()+"/ipps/"+ippsRegion+"/adminapi/v1.0/"+tenant+"/EXOModuleFile"+queryString(r))
		w.WriteHeader(http.StatusFound)
		return
	}
	s.Store.Mu.RLock()
	var allowed []string
	for _, c := range s.CmdletNames(svc) {
		verb, noun, _ := strings.Cut(c, "-")
		n := s.nounByName(noun)
		if n != nil && s.licensedLocked(n) && roleAllows(a, n.Svc, verb) {
			allowed = append(allowed, c)
		}
	}
	s.Store.Mu.RUnlock()
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": s.URL() + "/" + svc + "/adminapi/v1.0/" + tenant + "/$metadata#ExoModuleFiles",
		"value":          []any{map[string]any{"FileName": "tmpEXO_devtenant.psm1", "Version": "3.7.1", "exportedCmdlets": strings.Join(allowed, ",")}},
	})
}

func queryString(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return "?" + r.URL.RawQuery
}

// roleAllows applies the directory roles: Exchange Administrator runs every Exchange cmdlet,
// Compliance Administrator every Security & Compliance cmdlet, Global Administrator both, and
// Global Reader only Get- cmdlets.
func roleAllows(a *store.App, svc, verb string) bool {
	has := func(r string) bool { return slices.Contains(a.DirectoryRoles, r) }
	if has(directory.GlobalAdministrator) || (svc == EXO && has(directory.ExchangeAdministrator)) || (svc == IPPS && has(directory.ComplianceAdministrator)) {
		return true
	}
	return strings.EqualFold(verb, "Get") && (has(directory.GlobalReader) || has(directory.ExchangeAdministrator) || has(directory.ComplianceAdministrator))
}

func (s *Service) invokeCommand(w http.ResponseWriter, r *http.Request, svc, tenant string) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	var body invokeBody
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	perr := dec.Decode(&body)
	name := strings.TrimSpace(body.CmdletInput.CmdletName)
	verb, nounName, _ := strings.Cut(name, "-")
	noun := s.nounByName(nounName)
	canonical := name
	if noun != nil && noun.Svc == svc && noun.hasVerb(verb) {
		canonical = canonicalVerb(verb) + "-" + noun.Name
	}
	key := "POST /" + svc + " InvokeCommand"
	if canonical != "" {
		key += " " + canonical
	}
	s.Count(func(st *pipeline.Stats) { st.ByRoute[key]++ })

	a, aerr := s.adminAuth(r, svc, tenant)
	if aerr != nil {
		writeExoError(w, aerr)
		return
	}
	if perr != nil || name == "" {
		writeExoError(w, &Error{Status: http.StatusBadRequest, message: "The request body is not a valid CmdletInput object.", Exception: "Microsoft.Exchange.Admin.OData.Core.ODataSerializationException", Human: "The request body must be {\"CmdletInput\":{\"CmdletName\":\"...\",\"Parameters\":{...}}}."})
		return
	}
	if f := s.Faults().InjectedAdmin(r.Method, r.URL.Path); f != nil {
		s.CountThrottle(f.Status)
		writeExoError(w, exoFromGraph(f))
		return
	}
	if status, ok := s.Faults().TakeCmdletFail(canonical); ok {
		s.CountThrottle(status)
		writeExoError(w, cmdletFault(status))
		return
	}
	s.Store.Mu.RLock()
	licensed := noun != nil && s.licensedLocked(noun)
	s.Store.Mu.RUnlock()
	if noun == nil || noun.Svc != svc || !noun.hasVerb(verb) || !licensed {
		writeExoError(w, commandNotFound(name))
		return
	}
	if !roleAllows(a, svc, verb) {
		writeExoError(w, exoForbidden(canonical))
		return
	}
	if canonical == "Set-AdminAuditLogConfig" && !strings.Contains(strings.ToLower(r.Header.Get("X-AnchorMailbox")), strings.ToLower(anchorAuditConfig)) {
		writeExoError(w, &Error{Status: http.StatusBadRequest, Exception: ExTerminating, category: "ProxyNeeded",
			Human: "Cmdlet needs proxy to the organization's arbitration mailbox; route the request with X-AnchorMailbox: APP:" + anchorAuditConfig + "@" + s.TenantID() + "."})
		return
	}
	c := &call{s: s, w: w, r: r, svc: svc, tid: tenant, cmdlet: canonical, verb: canonicalVerb(verb), noun: noun, now: time.Now().UTC(),
		base: s.URL() + r.URL.Path}
	params, berr := bindParams(noun.paramsFor(c.verb), body.CmdletInput.Parameters)
	if berr != nil {
		writeExoError(w, berr)
		return
	}
	c.params = params
	status, ok := s.Faults().TakeCmdletAfterCommit(canonical)
	if !ok {
		status, ok = s.Faults().TakeAfterCommit(r.Method, r.URL.Path)
	}
	if ok {
		c.w = &httpx.DiscardResponse{}
		if e := c.run(); e != nil {
			writeExoError(w, e)
			return
		}
		s.CountThrottle(status)
		writeExoError(w, cmdletFault(status))
		return
	}
	if e := c.run(); e != nil {
		writeExoError(w, e)
	}
}

func canonicalVerb(v string) string {
	for _, c := range []string{"Get", "Set", "New", "Remove", "Enable", "Disable"} {
		if strings.EqualFold(c, v) {
			return c
		}
	}
	return v
}

// licensedLocked reports whether the tenant's subscriptions include the noun's service plan.
// Callers hold s.store.mu.
func (s *Service) licensedLocked(n *Noun) bool {
	return n.License == "" || HasServicePlan(s.Store.State, n.License)
}

func HasServicePlan(st *store.State, plan string) bool {
	for _, sku := range st.SubscribedSkus {
		plans, _ := sku["servicePlans"].([]any)
		for _, p := range plans {
			if m, ok := p.(map[string]any); ok && m["servicePlanName"] == plan {
				return true
			}
		}
	}
	return false
}

// pageSize reads Prefer: odata.maxpagesize=N.
func pageSize(r *http.Request) int {
	for _, pref := range strings.FieldsFunc(r.Header.Get("Prefer"), func(c rune) bool { return c == ',' || c == ';' }) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(pref), "odata.maxpagesize="); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
				return n
			}
		}
	}
	return httpx.DefaultPageSize
}

// writeValue answers a cmdlet's output: one page of items, with @odata.nextLink when more remain.
// Paging re-runs the cmdlet with the same body; $skiptoken carries the offset.
func (c *call) writeValue(items []map[string]any, paged bool) *Error {
	skip := 0
	if tok := c.r.URL.Query().Get("$skiptoken"); tok != "" {
		n, ok := httpx.DecodeSkipToken(tok)
		if !ok {
			return &Error{Status: http.StatusBadRequest, message: "The skip token is not valid.", Exception: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", Human: "The $skiptoken value is not valid."}
		}
		skip = n
	}
	next := ""
	if paged {
		size := pageSize(c.r)
		c.w.Header().Set("Preference-Applied", "odata.maxpagesize="+strconv.Itoa(size))
		skip = min(skip, len(items))
		end := min(skip+size, len(items))
		if end < len(items) {
			next = c.base + "?$skiptoken=" + httpx.EncodeSkipToken(end)
		}
		items = items[skip:end]
	}
	sel := splitSelect(c.r.URL.Query().Get("$select"))
	value := make([]any, 0, len(items))
	for _, it := range items {
		value = append(value, renderCmdletObject(it, sel))
	}
	warnings := c.warnings
	if warnings == nil {
		warnings = []string{}
	}
	out := map[string]any{
		"@odata.context":               c.s.URL() + "/" + c.svc + "/adminapi/beta/" + c.tid + "/$metadata#Collection(Exchange.GenericHashTable)",
		"adminapi.warnings@odata.type": "#Collection(String)",
		"@adminapi.warnings":           warnings,
		"value":                        value,
	}
	if next != "" {
		out["@odata.nextLink"] = next
	}
	c.w.Header().Set("Rate-Limit-Limit", "30000")
	c.w.Header().Set("Rate-Limit-Remaining", "29999")
	httpx.WriteJSON(c.w, http.StatusOK, out)
	return nil
}

func splitSelect(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// renderCmdletObject writes an object as the admin API does: every collection is annotated with
// its OData type next to it.
func renderCmdletObject(obj map[string]any, sel []string) map[string]any {
	out := make(map[string]any, len(obj)*2)
	for k, v := range obj {
		if sel != nil && !slices.ContainsFunc(sel, func(s string) bool { return strings.EqualFold(s, k) }) {
			continue
		}
		out[k] = v
		if arr, ok := v.([]any); ok {
			t := "#Collection(String)"
			if len(arr) > 0 {
				if _, isMap := arr[0].(map[string]any); isMap {
					t = "#Collection(Exchange.GenericHashTable)"
				}
			}
			out[k+"@odata.type"] = t
		}
	}
	return out
}
