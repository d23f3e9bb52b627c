// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package snapshot is the assessment's record of a tenant: every API payload the selected
// controls need, kept verbatim with the request, status and time it was fetched, so that an
// assessment can be re-run offline and an auditor can see exactly what it was based on. The
// format is versioned JSON (docs/guides/snapshot-format.md).
package snapshot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// SchemaVersion is the version of the snapshot format. Bump it, and teach Load the old one,
// whenever the meaning of a field changes.
const SchemaVersion = "1"

// SourceID names one API payload, e.g. "graph.conditionalAccessPolicies". The constants and how
// each is fetched are in sources.go.
type SourceID string

// Snapshot is a tenant's configuration at one point in time.
type Snapshot struct {
	SchemaVersion string               `json:"schema_version"`
	TenantID      string               `json:"tenant_id"`
	ToolVersion   string               `json:"tool_version"`
	CollectedAt   time.Time            `json:"collected_at"`
	Sources       map[SourceID]*Source `json:"sources"`
}

// Source is one payload. Body is what the API answered, verbatim: Graph lists are
// {"value":[...every page...]}, Graph singletons the object, Exchange and Compliance cmdlets a
// JSON array of objects, SPO.Tenant the flat object. A source that could not be read has Error
// (and Status when the API answered) and no Body; checks that need it report "error".
type Source struct {
	Request   string          `json:"request"` // e.g. "GET https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies".
	Status    int             `json:"status,omitempty"`
	FetchedAt time.Time       `json:"fetched_at"`
	Body      json.RawMessage `json:"body,omitempty"`
	Error     string          `json:"error,omitempty"`
}

// New returns an empty snapshot of a tenant.
func New(tenantID, toolVersion string, now time.Time) *Snapshot {
	return &Snapshot{SchemaVersion: SchemaVersion, TenantID: tenantID, ToolVersion: toolVersion,
		CollectedAt: now.UTC(), Sources: map[SourceID]*Source{}}
}

// ErrMissing is returned by Decode for a source that was not collected or failed.
type ErrMissing struct {
	ID     SourceID
	Reason string
}

func (e *ErrMissing) Error() string { return fmt.Sprintf("source %s: %s", e.ID, e.Reason) }

// Decode unmarshals a source's body into v. It fails with *ErrMissing when the source is absent
// or could not be read, so that a check can never pass on data it does not have.
func (s *Snapshot) Decode(id SourceID, v any) error {
	src, ok := s.Sources[id]
	if !ok || src == nil {
		return &ErrMissing{ID: id, Reason: "not collected"}
	}
	if src.Error != "" {
		return &ErrMissing{ID: id, Reason: src.Error}
	}
	if len(src.Body) == 0 {
		return &ErrMissing{ID: id, Reason: "empty payload"}
	}
	if err := json.Unmarshal(src.Body, v); err != nil {
		return fmt.Errorf("decoding source %s: %w", id, err)
	}
	return nil
}

// Has reports whether a source was read successfully.
func (s *Snapshot) Has(id SourceID) bool {
	src, ok := s.Sources[id]
	return ok && src != nil && src.Error == "" && len(src.Body) > 0
}

// Save writes the snapshot as indented JSON.
func (s *Snapshot) Save(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Load reads a snapshot written by Save, refusing versions it does not know.
func Load(r io.Reader) (*Snapshot, error) {
	var s Snapshot
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("reading snapshot: %w", err)
	}
	if s.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("snapshot schema version %q is not supported (this build reads %q)", s.SchemaVersion, SchemaVersion)
	}
	if s.Sources == nil {
		s.Sources = map[SourceID]*Source{}
	}
	if unknown := s.unknownSources(); len(unknown) > 0 {
		return nil, &ErrUnknownSources{IDs: unknown, ToolVersion: s.ToolVersion}
	}
	return &s, nil
}

// ErrUnknownSources is Load's refusal of a snapshot that holds sources this build has no Spec
// for. No check reads such a source, so it cannot turn a verdict into pass by itself; but a
// collector never writes one, so it means the file was edited (a source renamed away from the
// id the checks read, say) or collected by a build whose controls read data this one ignores.
// Either way the findings would not be the ones the snapshot stands for, and the cautious
// answer is to evaluate nothing rather than to warn and report a score anyway.
type ErrUnknownSources struct {
	IDs         []SourceID // Sorted.
	ToolVersion string     // Of the build that wrote the snapshot.
}

func (e *ErrUnknownSources) Error() string {
	ids := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		ids[i] = string(id)
	}
	return fmt.Sprintf("the snapshot has %d source(s) this build does not know: %s (written by tool version %q): "+
		"re-evaluate it with the version that collected it; nothing was evaluated", len(ids), strings.Join(ids, ", "), e.ToolVersion)
}

func (s *Snapshot) unknownSources() []SourceID {
	var out []SourceID
	for id := range s.Sources {
		if _, ok := Specs[id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// SHA256 is the hex SHA-256 of the snapshot's canonical JSON (encoding/json sorts map keys), the
// value reports quote so that a report can be tied to the snapshot it came from.
func (s *Snapshot) SHA256() (string, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// RegistrationSummary is the Body of graph.userRegistrationDetails. That report has one row per
// user; the collector streams its pages and keeps only the counts and the users who fail, so
// that memory does not grow with the size of the tenant.
type RegistrationSummary struct {
	Members              int      `json:"members"` // userType member.
	MembersMFARegistered int      `json:"members_mfa_registered"`
	Unregistered         []string `json:"unregistered"`        // UPNs of members without MFA, capped.
	UnregisteredTotal    int      `json:"unregistered_total"`  // All of them, even beyond the cap.
	AdminsUnregistered   []string `json:"admins_unregistered"` // isAdmin members without MFA.
	Pages                int      `json:"pages"`
}
