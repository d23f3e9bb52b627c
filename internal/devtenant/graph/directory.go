// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"net/http"
	"slices"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// Directory objects are read-only in this API subset, so they are served straight from the store.

func dirNotFound(id string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusNotFound, httpx.CodeDirNotFound,
		"Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

// listLocked answers a collection GET with the lister list builds under the store's read lock.
func (s *Service) listLocked(g *gctx, contextFrag string, list func(st *store.State) lister) *httpx.GraphError {
	s.Store.Mu.RLock()
	l := list(s.Store.State)
	s.Store.Mu.RUnlock()
	return g.writeList(contextFrag, l)
}

func userLister(users []*store.User, itemType string) lister {
	return lister{n: len(users), item: func(i int) map[string]any { return toMap(users[i]) },
		defaults: UserDefaultProps, typeName: "user", itemType: itemType}
}

// findUser resolves a user key as Graph does: the object id or the userPrincipalName.
func (s *Service) findUser(key string) *store.User {
	if u := s.Store.UserByID[key]; u != nil {
		return u
	}
	for _, c := range s.Store.State.Users {
		if strings.EqualFold(c.UserPrincipalName, key) {
			return c
		}
	}
	return nil
}

// userManager serves the single-valued manager navigation: a user without one answers 404
// naming the navigation, as Graph does ("Resource 'manager' does not exist ...").
func (s *Service) userManager(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	u := s.findUser(g.params[0])
	var mgr *store.User
	if u != nil {
		mgr = s.Store.UserByID[s.Store.State.Managers[u.ID]]
	}
	s.Store.Mu.RUnlock()
	if u == nil {
		return dirNotFound(g.params[0])
	}
	if mgr == nil {
		return dirNotFound("manager")
	}
	return g.writeEntity("directoryObjects", toMap(mgr), userLister([]*store.User{mgr}, "#microsoft.graph.user"))
}

// userDirectReports is the inverse collection; a user nobody reports to has an empty one.
func (s *Service) userDirectReports(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	u := s.findUser(g.params[0])
	var reports []*store.User
	if u != nil {
		for _, c := range s.Store.State.Users {
			if s.Store.State.Managers[c.ID] == u.ID {
				reports = append(reports, c)
			}
		}
	}
	s.Store.Mu.RUnlock()
	if u == nil {
		return dirNotFound(g.params[0])
	}
	return g.writeList("directoryObjects", userLister(reports, "#microsoft.graph.user"))
}

func groupLister(groups []*store.Group) lister {
	return lister{n: len(groups), item: func(i int) map[string]any { return toMap(groups[i]) }, typeName: "group"}
}

func (s *Service) findGroup(id string) *store.Group {
	for _, g := range s.Store.State.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (s *Service) membersOf(ids []string) []*store.User {
	out := make([]*store.User, 0, len(ids))
	for _, id := range ids {
		if u := s.Store.UserByID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out
}

func roleLister(roles []*store.DirectoryRole) lister {
	return lister{n: len(roles), item: func(i int) map[string]any { return toMap(roles[i]) }, typeName: "directoryRole"}
}

// findRole accepts the role's object id or, like Graph's roleTemplateId= key, its template id.
func (s *Service) findRole(id string) *store.DirectoryRole {
	for _, r := range s.Store.State.DirectoryRoles {
		if r.ID == id || "roleTemplateId="+r.RoleTemplateID == id {
			return r
		}
	}
	return nil
}

func assignmentLister(list []*store.RoleAssignment) lister {
	return lister{n: len(list), item: func(i int) map[string]any { return toMap(list[i]) }, typeName: "unifiedRoleAssignment"}
}

// roleAssignmentList supports $expand=principal, as Graph does, so that callers can name the
// assignees without a second round trip.
func (s *Service) roleAssignmentList(g *gctx) *httpx.GraphError {
	expand := strings.TrimSpace(g.q.Get("$expand"))
	if expand != "" && !strings.EqualFold(expand, "principal") {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeBadRequest, "Could not find a property named '%s' on type 'microsoft.graph.unifiedRoleAssignment'.", expand)
	}
	s.Store.Mu.RLock()
	list := s.Store.State.RoleAssignments
	principals := map[string]map[string]any{}
	if expand != "" {
		for _, a := range list {
			if u := s.Store.UserByID[a.PrincipalID]; u != nil {
				principals[a.PrincipalID] = map[string]any{"@odata.type": "#microsoft.graph.user", "id": u.ID,
					"displayName": u.DisplayName, "userPrincipalName": u.UserPrincipalName}
			} else {
				principals[a.PrincipalID] = map[string]any{"@odata.type": "#microsoft.graph.servicePrincipal", "id": a.PrincipalID}
			}
		}
	}
	s.Store.Mu.RUnlock()
	l := assignmentLister(list)
	if expand != "" {
		l.item = func(i int) map[string]any {
			m := toMap(list[i])
			m["principal"] = principals[list[i].PrincipalID]
			return m
		}
	}
	return g.writeList("roleManagement/directory/roleAssignments", l)
}

func (s *Service) findAssignment(id string) *store.RoleAssignment {
	for _, a := range s.Store.State.RoleAssignments {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func assignmentNotFound(id string) *httpx.GraphError {
	return httpx.NewGraphError(http.StatusNotFound, httpx.CodeResourceNotFound, "Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

var roleAssignmentDef = &objDef{name: "unifiedRoleAssignment", props: []prop{
	{name: "id", readOnly: true}, {name: "appScopeId", kind: kString}, {name: "condition", kind: kString},
	{name: "directoryScopeId", kind: kString}, {name: "principalId", kind: kString}, {name: "roleDefinitionId", kind: kString},
}}

// roleAssignmentCreate assigns a directory role (Create unifiedRoleAssignment, v1.0): the role
// definition is a built-in role's id (its template id), the principal a user, group or service
// principal of the tenant. The role's directoryRole is activated if it was not, as Entra does.
func (s *Service) roleAssignmentCreate(g *gctx) *httpx.GraphError {
	_, n, err := decodeNormalized(g.body, roleAssignmentDef)
	if err != nil {
		return err
	}
	roleID, _ := n["roleDefinitionId"].(string)
	principalID, _ := n["principalId"].(string)
	scope, _ := n["directoryScopeId"].(string)
	for _, req := range []struct{ name, v string }{{"roleDefinitionId", roleID}, {"principalId", principalID}} {
		if req.v == "" {
			return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "Invalid value specified for property '%s' of resource 'UnifiedRoleAssignment'.", req.name)
		}
	}
	if scope == "" && n["appScopeId"] == nil {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "Invalid value specified for property 'directoryScopeId' of resource 'UnifiedRoleAssignment'.")
	}
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	if _, ok := roleDescriptions[roleID]; !ok {
		return dirNotFound(roleID)
	}
	if !s.principalExists(principalID) {
		return dirNotFound(principalID)
	}
	a := &store.RoleAssignment{ID: store.RoleAssignmentID(roleID, principalID), DirectoryScopeID: scope, PrincipalID: principalID, RoleDefinitionID: roleID}
	if v, ok := n["appScopeId"].(string); ok {
		a.AppScopeID = &v
	}
	if v, ok := n["condition"].(string); ok {
		a.Condition = &v
	}
	if s.findAssignment(a.ID) != nil {
		return httpx.NewGraphError(http.StatusBadRequest, httpx.CodeRequestBadRequest, "A conflicting object with one or more of the specified property values is present in the directory.")
	}
	s.Store.State.RoleAssignments = append(s.Store.State.RoleAssignments, a)
	role := s.activateRole(roleID)
	if !slices.Contains(s.Store.State.RoleMembers[role.ID], principalID) {
		s.Store.State.RoleMembers[role.ID] = append(s.Store.State.RoleMembers[role.ID], principalID)
	}
	if serr := s.Store.SaveLocked(); serr != nil {
		return httpx.NewGraphError(http.StatusInternalServerError, "UnknownError", "Persisting the tenant failed: %v", serr)
	}
	out := toMap(a)
	out["@odata.context"] = g.contextURL("roleManagement/directory/roleAssignments/$entity")
	return g.writeJSON(http.StatusCreated, out)
}

// roleAssignmentDelete removes an assignment and the principal's membership of the role.
func (s *Service) roleAssignmentDelete(g *gctx) *httpx.GraphError {
	s.Store.Mu.Lock()
	defer s.Store.Mu.Unlock()
	a := s.findAssignment(g.params[0])
	if a == nil {
		return assignmentNotFound(g.params[0])
	}
	s.Store.State.RoleAssignments = slices.DeleteFunc(s.Store.State.RoleAssignments, func(x *store.RoleAssignment) bool { return x == a })
	if role := s.findRole("roleTemplateId=" + a.RoleDefinitionID); role != nil {
		s.Store.State.RoleMembers[role.ID] = slices.DeleteFunc(s.Store.State.RoleMembers[role.ID], func(id string) bool { return id == a.PrincipalID })
	}
	return s.savedNoContent(g)
}

// principalExists reports whether id is a user, group or service principal of the tenant.
// Callers hold s.store.mu.
func (s *Service) principalExists(id string) bool {
	if s.Store.UserByID[id] != nil || s.findGroup(id) != nil {
		return true
	}
	return s.findSP(id) != nil
}

// activateRole returns the role's directoryRole, activating it on first assignment.
// Callers hold s.store.mu for writing.
func (s *Service) activateRole(template string) *store.DirectoryRole {
	if r := s.findRole("roleTemplateId=" + template); r != nil {
		return r
	}
	r := NewDirectoryRole(template)
	s.Store.State.DirectoryRoles = append(s.Store.State.DirectoryRoles, r)
	return r
}

func (s *Service) orgList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "organization", func(st *store.State) lister { return mapLister([]map[string]any{st.Organization}, "organization") })
}

func (s *Service) orgGet(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	org := s.Store.State.Organization
	s.Store.Mu.RUnlock()
	if org["id"] != g.params[0] {
		return dirNotFound(g.params[0])
	}
	return g.writeEntity("organization", org, mapLister([]map[string]any{org}, "organization"))
}

func (s *Service) skuList(g *gctx) *httpx.GraphError {
	return s.listLocked(g, "subscribedSkus", func(st *store.State) lister { return mapLister(st.SubscribedSkus, "subscribedSku") })
}

func (s *Service) skuGet(g *gctx) *httpx.GraphError {
	s.Store.Mu.RLock()
	skus := s.Store.State.SubscribedSkus
	s.Store.Mu.RUnlock()
	for _, sku := range skus {
		if sku["id"] == g.params[0] {
			return g.writeEntity("subscribedSkus", sku, mapLister([]map[string]any{sku}, "subscribedSku"))
		}
	}
	return dirNotFound(g.params[0])
}
