// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import (
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/httpx"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// directorySet is a collection of typed directory objects (users, groups, directory roles, role
// assignments), read from the store under its read lock: listed, got by key, and, for groups and
// roles, their members.
type directorySet[T comparable] struct {
	context  string
	all      func(st *store.State) []T
	find     func(s *Service, key string) T // The zero T (nil) when the key names none.
	lister   func(list []T) lister
	notFound func(key string) *httpx.GraphError
}

var (
	userSet = directorySet[*store.User]{"users", func(st *store.State) []*store.User { return st.Users }, (*Service).findUser,
		func(list []*store.User) lister { return userLister(list, "") }, dirNotFound}
	groupSet = directorySet[*store.Group]{"groups", func(st *store.State) []*store.Group { return st.Groups }, (*Service).findGroup,
		groupLister, dirNotFound}
	roleSet = directorySet[*store.DirectoryRole]{"directoryRoles", func(st *store.State) []*store.DirectoryRole { return st.DirectoryRoles },
		(*Service).findRole, roleLister, dirNotFound}
	assignmentSet = directorySet[*store.RoleAssignment]{"roleManagement/directory/roleAssignments",
		func(st *store.State) []*store.RoleAssignment { return st.RoleAssignments }, (*Service).findAssignment, assignmentLister, assignmentNotFound}
)

// list is the collection's GET handler.
func (d directorySet[T]) list(s *Service) graphHandler {
	return func(g *gctx) *httpx.GraphError {
		return s.listLocked(g, d.context, func(st *store.State) lister { return d.lister(d.all(st)) })
	}
}

// get is the GET handler of one object, by the key in the path.
func (d directorySet[T]) get(s *Service) graphHandler {
	return func(g *gctx) *httpx.GraphError {
		key := g.params[0]
		s.Store.Mu.RLock()
		found := d.find(s, key)
		s.Store.Mu.RUnlock()
		var none T
		if found == none {
			return d.notFound(key)
		}
		one := d.lister([]T{found})
		return g.writeEntity(d.context, one.item(0), one)
	}
}

// members is the GET handler of an object's members navigation; memberIDs lists the member ids
// of the object found.
func (d directorySet[T]) members(s *Service, memberIDs func(st *store.State, found T) []string) graphHandler {
	return func(g *gctx) *httpx.GraphError {
		s.Store.Mu.RLock()
		found := d.find(s, g.params[0])
		var members []*store.User
		var none T
		if found != none {
			members = s.membersOf(memberIDs(s.Store.State, found))
		}
		s.Store.Mu.RUnlock()
		if found == none {
			return d.notFound(g.params[0])
		}
		return g.writeList("directoryObjects", userLister(members, "#microsoft.graph.user"))
	}
}
