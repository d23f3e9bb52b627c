// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package graph is devtenant's Microsoft Graph v1.0 subset (URL/v1.0): the directory (users,
// groups, roles and role assignments, organization, licences), Conditional Access and the other
// policies and settings the provider manages, the reports the assessment reads, and $batch.
// Every request, $batch items included, runs through Service's pipeline in the order Graph
// applies it: bearer token and audience, injected faults and throttling, routing, the route's
// application permissions, then the handler (with FailAfterCommit replacing the answer of a
// request that committed). A new Graph area (Intune's deviceManagement, say) is a file of
// handlers plus its routes in routes(); schema.go validates and normalizes what clients send.
package graph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/faults"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// gctx is one Graph request on its way through the pipeline.
type gctx struct {
	s      *Service
	w      http.ResponseWriter
	r      *http.Request
	path   string // Path below /v1.0, e.g. "/identity/conditionalAccess/policies/{id}".
	body   []byte
	q      url.Values
	params []string // Values captured by {id} segments, in order.
	roles  []string
	appID  string
	now    time.Time
}

type graphHandler func(g *gctx) *httpx.GraphError

// route binds a path pattern to a handler and the application permissions that allow it.
type route struct {
	method  string
	pattern string
	// perms lists alternatives: the caller needs every role of at least one alternative.
	perms [][]string
	// policyAPI selects the 403 shape: the policy service answers AccessDenied, the directory
	// answers Authorization_RequestDenied.
	policyAPI bool
	handler   graphHandler
}

func (rt *route) match(method string, segs []string) ([]string, bool, bool) {
	pat := strings.Split(strings.Trim(rt.pattern, "/"), "/")
	if len(pat) != len(segs) {
		return nil, false, false
	}
	var params []string
	for i, p := range pat {
		if p == "{id}" {
			params = append(params, segs[i])
			continue
		}
		if !strings.EqualFold(p, segs[i]) {
			return nil, false, false
		}
	}
	return params, true, rt.method == method
}

// Permission sets, named after the Graph permissions reference.
var (
	permCARead        = [][]string{{"Policy.Read.All"}, {"Policy.ReadWrite.ConditionalAccess"}}
	permCAWrite       = [][]string{{"Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"}, {"Application.Read.All", "Policy.ReadWrite.ConditionalAccess"}}
	permPolicyRead    = [][]string{{"Policy.Read.All"}, {"Policy.ReadWrite.ConditionalAccess"}, {"Policy.ReadWrite.SecurityDefaults"}}
	permSecDefWrite   = [][]string{{"Policy.ReadWrite.SecurityDefaults"}}
	permAuthStrength  = [][]string{{"Policy.Read.All"}, {"Policy.ReadWrite.ConditionalAccess"}, {"Policy.ReadWrite.AuthenticationMethod"}}
	permUserRead      = [][]string{{"User.Read.All"}, {"User.ReadWrite.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permGroupRead     = [][]string{{"Group.Read.All"}, {"Group.ReadWrite.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permMemberRead    = [][]string{{"GroupMember.Read.All"}, {"Group.Read.All"}, {"Group.ReadWrite.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permRoleRead      = [][]string{{"RoleManagement.Read.Directory"}, {"RoleManagement.Read.All"}, {"RoleManagement.ReadWrite.Directory"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permRoleWrite     = [][]string{{"RoleManagement.ReadWrite.Directory"}}
	permOrgRead       = [][]string{{"Organization.Read.All"}, {"Organization.ReadWrite.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permSkuRead       = [][]string{{"Organization.Read.All"}, {"LicenseAssignment.Read.All"}, {"Directory.Read.All"}, {"Directory.ReadWrite.All"}}
	permAuthenticated = [][]string{{}}
)

func (s *Service) routes() []route {
	rt := []route{
		{"GET", "/identity/conditionalAccess/policies", permCARead, true, s.caList},
		{"POST", "/identity/conditionalAccess/policies", permCAWrite, true, s.caCreate},
		{"GET", "/identity/conditionalAccess/policies/{id}", permCARead, true, s.caGet},
		{"PATCH", "/identity/conditionalAccess/policies/{id}", permCAWrite, true, s.caUpdate},
		{"DELETE", "/identity/conditionalAccess/policies/{id}", permCAWrite, true, s.caDelete},
		{"GET", "/identity/conditionalAccess/namedLocations", permCARead, true, s.nlList},
		{"POST", "/identity/conditionalAccess/namedLocations", permCAWrite, true, s.nlCreate},
		{"GET", "/identity/conditionalAccess/namedLocations/{id}", permCARead, true, s.nlGet},
		{"PATCH", "/identity/conditionalAccess/namedLocations/{id}", permCAWrite, true, s.nlUpdate},
		{"DELETE", "/identity/conditionalAccess/namedLocations/{id}", permCAWrite, true, s.nlDelete},
		{"GET", "/policies/identitySecurityDefaultsEnforcementPolicy", permPolicyRead, true, s.secDefGet},
		{"PATCH", "/policies/identitySecurityDefaultsEnforcementPolicy", permSecDefWrite, true, s.patchSingleton(securityDefaults, secDefUpdate)},
		{"GET", "/policies/authenticationStrengthPolicies", permAuthStrength, true, s.authStrengthList},
		{"GET", "/policies/authenticationStrengthPolicies/{id}", permAuthStrength, true, s.authStrengthGet},
		{"GET", "/admin/sharepoint/settings", permSPORead, true, s.getSingleton(sharepointSettings)},
		{"PATCH", "/admin/sharepoint/settings", permSPOWrite, true, s.spSettingsUpdate},
		{"GET", "/policies/authorizationPolicy", permAuthzRead, false, s.getSingleton(authorizationPolicy)},
		{"PATCH", "/policies/authorizationPolicy", permAuthzW, false, s.patchSingleton(authorizationPolicy, checkGuestRole)},
		{"GET", "/policies/authenticationMethodsPolicy", permAuthMethodRead, true, s.authMethodsGet},
		{"PATCH", "/policies/authenticationMethodsPolicy", permAuthMethodWrite, true, s.patchSingleton(authMethodsPolicy, stampAuthMethodsPolicy)},
		{"GET", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations", permAuthMethodRead, true, s.authMethodConfigList},
		{"GET", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}", permAuthMethodRead, true, s.authMethodConfigGet},
		{"PATCH", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}", permAuthMethodWrite, true, s.authMethodConfigUpdate},
		{"GET", "/users", permUserRead, false, userSet.list(s)},
		{"GET", "/users/{id}", permUserRead, false, userSet.get(s)},
		{"GET", "/users/{id}/manager", permUserRead, false, s.userManager},
		{"GET", "/users/{id}/directReports", permUserRead, false, s.userDirectReports},
		{"GET", "/groups", permGroupRead, false, groupSet.list(s)},
		{"GET", "/groups/{id}", permGroupRead, false, groupSet.get(s)},
		{"GET", "/groups/{id}/members", permMemberRead, false, groupSet.members(s, func(st *store.State, grp *store.Group) []string { return st.GroupMembers[grp.ID] })},
		{"GET", "/directoryRoles", permRoleRead, false, roleSet.list(s)},
		{"GET", "/directoryRoles/{id}", permRoleRead, false, roleSet.get(s)},
		{"GET", "/directoryRoles/{id}/members", permRoleRead, false, roleSet.members(s, func(st *store.State, r *store.DirectoryRole) []string { return st.RoleMembers[r.ID] })},
		{"GET", "/roleManagement/directory/roleAssignments", permRoleRead, false, s.roleAssignmentList},
		{"POST", "/roleManagement/directory/roleAssignments", permRoleWrite, false, s.roleAssignmentCreate},
		{"GET", "/roleManagement/directory/roleAssignments/{id}", permRoleRead, false, assignmentSet.get(s)},
		{"DELETE", "/roleManagement/directory/roleAssignments/{id}", permRoleWrite, false, s.roleAssignmentDelete},
		{"GET", "/organization", permOrgRead, false, s.orgList},
		{"GET", "/organization/{id}", permOrgRead, false, s.orgGet},
		{"GET", "/subscribedSkus", permSkuRead, false, s.skuList},
		{"GET", "/subscribedSkus/{id}", permSkuRead, false, s.skuGet},
		{"POST", "/$batch", permAuthenticated, false, s.batch},
	}
	return append(rt, s.assessRoutes()...)
}

// Serve runs one Graph request (or one $batch item) through auth, faults, routing and
// permissions, in the order Graph applies them.
func (s *Service) Serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("request-id", store.NewGUID())
	crid := r.Header.Get("client-request-id")
	if crid == "" {
		crid = store.NewGUID()
	}
	h.Set("client-request-id", crid)
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"Loopback","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"devtenant"}}`)
	h.Set("Strict-Transport-Security", "max-age=31536000")

	sub := strings.TrimPrefix(r.URL.Path, "/v1.0")
	s.CountRoute(r)
	if err := s.graphPipeline(w, r, sub); err != nil {
		if err.Status == http.StatusTooManyRequests {
			s.Count(func(st *pipeline.Stats) { st.Throttled++ })
		}
		httpx.WriteGraphError(w, err)
	}
}

func (s *Service) graphPipeline(w http.ResponseWriter, r *http.Request, sub string) *httpx.GraphError {
	roles, appID, aerr := s.authenticate(r)
	if aerr != nil {
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer realm="", authorization_uri="%s/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`, s.URL()))
		return aerr
	}
	isBatch := strings.EqualFold(strings.Trim(sub, "/"), "$batch")
	if !isBatch {
		// The outer $batch envelope is exempt so that faults land on its items, each with its own status.
		if ferr := s.Faults().Injected(r.Method, r.URL.Path); ferr != nil {
			return ferr
		}
	}
	segs := expandKeySegments(strings.Split(strings.Trim(sub, "/"), "/"))
	var matched *route
	var params []string
	pathKnown := false
	for _, rt := range s.routeTable {
		p, pathOK, methodOK := rt.match(r.Method, segs)
		if pathOK {
			pathKnown = true
			if methodOK {
				rt := rt
				matched, params = &rt, p
				break
			}
		}
	}
	if matched == nil {
		if pathKnown {
			return httpx.NewGraphError(http.StatusMethodNotAllowed, httpx.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
		}
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Resource not found for the segment '%s'.", s.unknownSegment(segs))
	}
	if !hasPermission(roles, matched.perms) {
		if matched.policyAPI {
			return httpx.NewGraphError(http.StatusForbidden, httpx.CodeAccessDenied, httpx.MsgPolicyAccessDenied)
		}
		return httpx.NewGraphError(http.StatusForbidden, httpx.CodeAuthorizationDenied, httpx.MsgDirectoryDenied)
	}
	body, berr := httpx.ReadBody(r)
	if berr != nil {
		return berr
	}
	g := &gctx{s: s, w: w, r: r, path: sub, body: body, q: r.URL.Query(), params: params, roles: roles, appID: appID, now: time.Now()}
	if status, ok := s.Faults().TakeAfterCommit(r.Method, r.URL.Path); ok {
		g.w = &httpx.DiscardResponse{}
		if err := matched.handler(g); err != nil {
			return err
		}
		return faults.StatusError(status)
	}
	return matched.handler(g)
}

// unknownSegment names the first segment no route explains, as Graph's OData router does
// ("Resource not found for the segment 'foo'." for /users/{id}/foo).
func (s *Service) unknownSegment(segs []string) string {
	longest := 0
	for _, rt := range s.routeTable {
		pat := strings.Split(strings.Trim(rt.pattern, "/"), "/")
		n := 0
		for n < len(pat) && n < len(segs) && (pat[n] == "{id}" || strings.EqualFold(pat[n], segs[n])) {
			n++
		}
		longest = max(longest, n)
	}
	if longest >= len(segs) {
		longest = len(segs) - 1
	}
	if longest < 0 {
		return ""
	}
	return segs[longest]
}

func hasPermission(roles []string, alternatives [][]string) bool {
	for _, alt := range alternatives {
		ok := true
		for _, need := range alt {
			if !slices.Contains(roles, need) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// authenticate validates the bearer token as Graph does and returns its roles and appid.
func (s *Service) authenticate(r *http.Request) ([]string, string, *httpx.GraphError) {
	p, msg := s.VerifyBearer(r)
	if p == nil {
		return nil, "", httpx.NewGraphError(http.StatusUnauthorized, httpx.CodeInvalidAuthToken, "%s", msg)
	}
	if !s.graphAudience(p.Audiences()) {
		return nil, "", httpx.NewGraphError(http.StatusUnauthorized, httpx.CodeInvalidAuthToken, "Access token validation failure. Invalid audience.")
	}
	return p.Roles(), p.Str("appid"), nil
}

func (s *Service) graphAudience(auds []string) bool {
	for _, a := range auds {
		switch strings.TrimSuffix(a, "/") {
		case s.URL(), "https://graph.microsoft.com", pipeline.GraphAppID:
			return true
		}
	}
	return false
}

// contextURL builds an @odata.context value on this server's host.
func (g *gctx) contextURL(fragment string) string {
	return g.s.URL() + "/v1.0/$metadata#" + fragment
}

func (g *gctx) writeJSON(status int, body any) *httpx.GraphError {
	httpx.WriteJSON(g.w, status, body)
	return nil
}

func (g *gctx) noContent() *httpx.GraphError {
	g.w.WriteHeader(http.StatusNoContent)
	return nil
}

// toMap turns a typed directory object into Graph JSON.
func toMap(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// savedNoContent persists the tenant after a write made under s.store.mu and answers 204, as
// Graph does for PATCH and DELETE.
func (s *Service) savedNoContent(g *gctx) *httpx.GraphError {
	if err := s.Store.SaveLocked(); err != nil {
		return httpx.NewGraphError(http.StatusInternalServerError, "UnknownError", "Persisting the tenant failed: %v", err)
	}
	return g.noContent()
}

// savedVersion stores obj as the new version of an updated policy (keeping its id and creation
// time, stamping the modification time), subject to the replication delay, and answers 204.
func (s *Service) savedVersion(g *gctx, rec *store.Record, id string, obj map[string]any) *httpx.GraphError {
	obj["id"] = id
	obj["createdDateTime"] = rec.Cur["createdDateTime"]
	obj["modifiedDateTime"] = store.GraphTime(g.now)
	rec.Write(g.now, s.Faults().ReplicationDelay(), obj)
	return s.savedNoContent(g)
}

// Service is Microsoft Graph v1.0: the directory, Conditional Access, the policies and
// settings the provider manages and what the assessment reads.
type Service struct {
	*pipeline.Tenant
	routeTable []route
}

// New is the Graph service of t, with its route table built once.
func New(t *pipeline.Tenant) *Service {
	s := &Service{Tenant: t}
	s.routeTable = s.routes()
	return s
}
