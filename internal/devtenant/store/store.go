// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package store is the one state of an emulated tenant: tenant.json, its typed directory
// objects and the versioned records that model replication delay. Every service of devtenant
// reads and writes it under Store.Mu, and SaveLocked persists it after each write.
package store

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const StateFile = "tenant.json"

// State is everything tenant.json holds. Directory objects are typed (they are many and
// read-only here); policies are kept as the normalized Graph JSON they are served as.
type State struct {
	Version          int                 `json:"version"`
	Seed             string              `json:"seed"`
	TenantID         string              `json:"tenantId"`
	DisplayName      string              `json:"displayName"`
	Domain           string              `json:"domain"`
	CreatedDateTime  string              `json:"createdDateTime"`
	SigningKeyPEM    string              `json:"signingKeyPem"`
	SigningCertPEM   string              `json:"signingCertPem"`
	Apps             []*App              `json:"apps"`
	BreakGlassUserID string              `json:"breakGlassUserId"`
	Users            []*User             `json:"users"`
	Groups           []*Group            `json:"groups"`
	GroupMembers     map[string][]string `json:"groupMembers"`
	DirectoryRoles   []*DirectoryRole    `json:"directoryRoles"`
	RoleMembers      map[string][]string `json:"roleMembers"`
	RoleAssignments  []*RoleAssignment   `json:"roleAssignments"`
	// Managers maps a user id to their manager's (the user's manager navigation property).
	Managers         map[string]string `json:"managers,omitempty"`
	Organization     map[string]any    `json:"organization"`
	SubscribedSkus   []map[string]any  `json:"subscribedSkus"`
	CAPolicies       []*Record         `json:"conditionalAccessPolicies"`
	NamedLocations   []*Record         `json:"namedLocations"`
	SecurityDefaults *Record           `json:"securityDefaults"`
	// Admin holds the Exchange, Security & Compliance, SharePoint and Graph tenant settings
	// added for hipaa_baseline; nil in a tenant.json written before them (filled on load).
	Admin *AdminState `json:"admin"`
	// Assess holds what only the assessment reads (registration, PIM, access reviews, Intune,
	// enterprise apps, Secure Score); nil in a tenant.json written before it (filled on load).
	Assess *AssessState `json:"assess"`
}

// AdminState is the service configuration behind the admin endpoints.
type AdminState struct {
	// Cmdlet objects by noun ("TransportRule", "ProtectionAlert", ...), as the Get- cmdlets return them.
	Cmdlets             map[string][]map[string]any `json:"cmdletObjects"`
	SPOTenant           map[string]any              `json:"spoTenant"`
	SharePointSettings  *Record                     `json:"sharePointSettings"`
	AuthorizationPolicy *Record                     `json:"authorizationPolicy"`
	AuthMethodsPolicy   *Record                     `json:"authenticationMethodsPolicy"`
	AuthMethodConfigs   []*Record                   `json:"authenticationMethodConfigurations"`
}

// App is an app registration with its service principal and application permissions.
type App struct {
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
	Certificates   []*AppCert `json:"certificates"`
}

type AppCert struct {
	CertPEM string `json:"certPem"`
	X5t     string `json:"x5t"`
	X5tS256 string `json:"x5tS256"`
}

// Record is one writable object with the version replicas still serve: reads see Prev until
// ChangedAt + replication delay, then Cur. Cur nil means deleted, Prev nil means "did not exist".
type Record struct {
	ID        string         `json:"id"`
	Cur       map[string]any `json:"current"`
	Prev      map[string]any `json:"previous"`
	ChangedAt time.Time      `json:"changedAt"`
}

func (r *Record) Visible(now time.Time, delay time.Duration) map[string]any {
	if delay > 0 && now.Before(r.ChangedAt.Add(delay)) {
		return r.Prev
	}
	return r.Cur
}

// Write replaces the primary copy; replicas keep serving what they served until the delay passes.
func (r *Record) Write(now time.Time, delay time.Duration, cur map[string]any) {
	r.Prev = r.Visible(now, delay)
	r.Cur = cur
	r.ChangedAt = now
}

// Store guards the state and persists it after each mutation.
type Store struct {
	Mu    sync.RWMutex
	State *State
	path  string
	// Index of users by id, rebuilt on load; users are read-only in this API subset.
	UserByID map[string]*User
	saveMu   sync.Mutex
}

func Load(dir string) (*Store, bool, error) {
	p := filepath.Join(dir, StateFile)
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return &Store{path: p}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	st := &State{}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", p, err)
	}
	s := &Store{path: p, State: st}
	s.Reindex()
	return s, true, nil
}

func (s *Store) Reindex() {
	s.UserByID = make(map[string]*User, len(s.State.Users))
	for _, u := range s.State.Users {
		s.UserByID[u.ID] = u
	}
	if s.State.GroupMembers == nil {
		s.State.GroupMembers = map[string][]string{}
	}
	if s.State.RoleMembers == nil {
		s.State.RoleMembers = map[string][]string{}
	}
}

// save writes tenant.json atomically. Callers hold s.mu (read or write) so the snapshot is consistent.
func (s *Store) SaveLocked() error {
	b, err := json.Marshal(s.State)
	if err != nil {
		return err
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	return WriteFileAtomic(s.path, b, 0o600)
}

// FindRecord returns the record with id from list, or nil.
func FindRecord(list []*Record, id string) *Record {
	for _, r := range list {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Compact drops records whose deletion every replica has seen.
func Compact(list []*Record, now time.Time, delay time.Duration) []*Record {
	out := list[:0]
	for _, r := range list {
		if r.Cur == nil && r.Visible(now, delay) == nil {
			continue
		}
		out = append(out, r)
	}
	return out
}

// WriteFileAtomic writes through a temporary file and a rename so readers never see half a file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		_ = os.Remove(name)
		return err
	}
	if err := tmp.Close(); err != nil {
		_ = os.Remove(name)
		return err
	}
	if err := os.Chmod(name, perm); err != nil {
		_ = os.Remove(name)
		return err
	}
	return os.Rename(name, path)
}

// AssessState is kept as the Graph JSON it is served as; the registration report is computed
// from the users so that 10,000 synthetic users cost no storage.
type AssessState struct {
	// MFARegisteredAll registers every member user (the compliant seed); otherwise only the
	// users in MFARegistered are.
	MFARegisteredAll bool     `json:"mfaRegisteredAll"`
	MFARegistered    []string `json:"mfaRegistered"`
	// Eligibility holds unifiedRoleEligibilitySchedule objects (PIM eligible assignments).
	Eligibility        []map[string]any `json:"roleEligibilitySchedules"`
	AccessReviews      []map[string]any `json:"accessReviewDefinitions"`
	CompliancePolicies []map[string]any `json:"deviceCompliancePolicies"` // Each with its "assignments".
	AppProtections     []map[string]any `json:"managedAppPolicies"`
	// GraphSPID is the object id of Microsoft Graph's service principal in this tenant.
	GraphSPID string `json:"graphServicePrincipalId"`
	// ServicePrincipals are the service principals besides the two devtenant apps.
	ServicePrincipals []map[string]any `json:"servicePrincipals"`
	// GraphGrants are the Microsoft Graph application permissions of those service principals,
	// as appRoleAssignment objects; the devtenant apps' grants are derived from their roles.
	GraphGrants  []map[string]any `json:"graphAppRoleAssignments"`
	SecureScores []map[string]any `json:"secureScores"`
}

// AppByID is the app registration with appId id (any case), or nil.
func (st *State) AppByID(id string) *App {
	for _, a := range st.Apps {
		if strings.EqualFold(a.AppID, id) {
			return a
		}
	}
	return nil
}
