// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const stateFile = "tenant.json"

// state is everything tenant.json holds. Directory objects are typed (they are many and
// read-only here); policies are kept as the normalized Graph JSON they are served as.
type state struct {
	Version          int                 `json:"version"`
	Seed             string              `json:"seed"`
	TenantID         string              `json:"tenantId"`
	DisplayName      string              `json:"displayName"`
	Domain           string              `json:"domain"`
	CreatedDateTime  string              `json:"createdDateTime"`
	SigningKeyPEM    string              `json:"signingKeyPem"`
	SigningCertPEM   string              `json:"signingCertPem"`
	Apps             []*app              `json:"apps"`
	BreakGlassUserID string              `json:"breakGlassUserId"`
	Users            []*user             `json:"users"`
	Groups           []*group            `json:"groups"`
	GroupMembers     map[string][]string `json:"groupMembers"`
	DirectoryRoles   []*directoryRole    `json:"directoryRoles"`
	RoleMembers      map[string][]string `json:"roleMembers"`
	RoleAssignments  []*roleAssignment   `json:"roleAssignments"`
	// Managers maps a user id to their manager's (the user's manager navigation property).
	Managers         map[string]string `json:"managers,omitempty"`
	Organization     map[string]any    `json:"organization"`
	SubscribedSkus   []map[string]any  `json:"subscribedSkus"`
	CAPolicies       []*record         `json:"conditionalAccessPolicies"`
	NamedLocations   []*record         `json:"namedLocations"`
	SecurityDefaults *record           `json:"securityDefaults"`
	// Admin holds the Exchange, Security & Compliance, SharePoint and Graph tenant settings
	// added for hipaa_baseline; nil in a tenant.json written before them (filled on load).
	Admin *adminState `json:"admin"`
	// Assess holds what only the assessment reads (registration, PIM, access reviews, Intune,
	// enterprise apps, Secure Score); nil in a tenant.json written before it (filled on load).
	Assess *assessState `json:"assess"`
}

// adminState is the service configuration behind the admin endpoints.
type adminState struct {
	// Cmdlet objects by noun ("TransportRule", "ProtectionAlert", ...), as the Get- cmdlets return them.
	Cmdlets             map[string][]map[string]any `json:"cmdletObjects"`
	SPOTenant           map[string]any              `json:"spoTenant"`
	SharePointSettings  *record                     `json:"sharePointSettings"`
	AuthorizationPolicy *record                     `json:"authorizationPolicy"`
	AuthMethodsPolicy   *record                     `json:"authenticationMethodsPolicy"`
	AuthMethodConfigs   []*record                   `json:"authenticationMethodConfigurations"`
}

// app is an app registration with its service principal and application permissions.
type app struct {
	DisplayName        string   `json:"displayName"`
	AppID              string   `json:"appId"`
	ObjectID           string   `json:"objectId"`
	ServicePrincipalID string   `json:"servicePrincipalId"`
	Secret             string   `json:"secret"`
	Roles              []string `json:"roles"`
	// ExchangeRoles and SharePointRoles are the app roles granted on those resources; tokens
	// carry only the roles of the resource they are issued for, as Entra does.
	ExchangeRoles   []string `json:"exchangeRoles"`
	SharePointRoles []string `json:"sharePointRoles"`
	// DirectoryRoles are the role template ids assigned to the service principal.
	DirectoryRoles []string   `json:"directoryRoles"`
	Certificates   []*appCert `json:"certificates"`
}

type appCert struct {
	CertPEM string `json:"certPem"`
	X5t     string `json:"x5t"`
	X5tS256 string `json:"x5tS256"`
}

// record is one writable object with the version replicas still serve: reads see Prev until
// ChangedAt + replication delay, then Cur. Cur nil means deleted, Prev nil means "did not exist".
type record struct {
	ID        string         `json:"id"`
	Cur       map[string]any `json:"current"`
	Prev      map[string]any `json:"previous"`
	ChangedAt time.Time      `json:"changedAt"`
}

func (r *record) visible(now time.Time, delay time.Duration) map[string]any {
	if delay > 0 && now.Before(r.ChangedAt.Add(delay)) {
		return r.Prev
	}
	return r.Cur
}

// write replaces the primary copy; replicas keep serving what they served until the delay passes.
func (r *record) write(now time.Time, delay time.Duration, cur map[string]any) {
	r.Prev = r.visible(now, delay)
	r.Cur = cur
	r.ChangedAt = now
}

// store guards the state and persists it after each mutation.
type store struct {
	mu   sync.RWMutex
	st   *state
	path string
	// Index of users by id, rebuilt on load; users are read-only in this API subset.
	userByID map[string]*user
	saveMu   sync.Mutex
}

func loadStore(dir string) (*store, bool, error) {
	p := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return &store{path: p}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	st := &state{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", p, err)
	}
	s := &store{path: p, st: st}
	s.reindex()
	return s, true, nil
}

func (s *store) reindex() {
	s.userByID = make(map[string]*user, len(s.st.Users))
	for _, u := range s.st.Users {
		s.userByID[u.ID] = u
	}
	if s.st.GroupMembers == nil {
		s.st.GroupMembers = map[string][]string{}
	}
	if s.st.RoleMembers == nil {
		s.st.RoleMembers = map[string][]string{}
	}
}

// save writes tenant.json atomically. Callers hold s.mu (read or write) so the snapshot is consistent.
func (s *store) saveLocked() error {
	b, err := json.Marshal(s.st)
	if err != nil {
		return err
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	return writeFileAtomic(s.path, b, 0o600)
}

// findRecord returns the record with id from list, or nil.
func findRecord(list []*record, id string) *record {
	for _, r := range list {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// compact drops records whose deletion every replica has seen.
func compact(list []*record, now time.Time, delay time.Duration) []*record {
	out := list[:0]
	for _, r := range list {
		if r.Cur == nil && r.visible(now, delay) == nil {
			continue
		}
		out = append(out, r)
	}
	return out
}

// savedNoContent persists the tenant after a write made under s.store.mu and answers 204, as
// Graph does for PATCH and DELETE.
func (s *Server) savedNoContent(g *gctx) *graphError {
	if err := s.store.saveLocked(); err != nil {
		return newGraphError(http.StatusInternalServerError, "UnknownError", "Persisting the tenant failed: %v", err)
	}
	return g.noContent()
}

// savedVersion stores obj as the new version of an updated policy (keeping its id and creation
// time, stamping the modification time), subject to the replication delay, and answers 204.
func (s *Server) savedVersion(g *gctx, rec *record, id string, obj map[string]any) *graphError {
	obj["id"] = id
	obj["createdDateTime"] = rec.Cur["createdDateTime"]
	obj["modifiedDateTime"] = graphTime(g.now)
	rec.write(g.now, s.faults.getReplicationDelay(), obj)
	return s.savedNoContent(g)
}
