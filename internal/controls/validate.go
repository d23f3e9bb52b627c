// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package controls

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// ValidationError lists every problem of a catalog, one per line.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string {
	return "invalid control catalog:\n  " + strings.Join(e.Problems, "\n  ")
}

// validate checks the catalog's integrity and builds the lookup maps.
func (c *Catalog) validate() error {
	var p []string
	add := func(format string, a ...any) { p = append(p, fmt.Sprintf(format, a...)) }

	for i := range c.Safeguards {
		s := &c.Safeguards[i]
		if !citationPattern.MatchString(s.Citation) {
			add("safeguard %q: citation is not of the form 164.3xx(a)(1)...", s.Citation)
		}
		if _, dup := c.safeguards[s.Citation]; dup {
			add("safeguard %q: duplicate citation", s.Citation)
		}
		c.safeguards[s.Citation] = s
		if s.Name == "" {
			add("safeguard %q: name is empty", s.Citation)
		}
		switch s.Category {
		case CategoryAdministrative, CategoryPhysical, CategoryTechnical, CategoryDocumentation:
		default:
			add("safeguard %q: unknown category %q", s.Citation, s.Category)
		}
		switch s.Requirement {
		case Required, Addressable:
		default:
			add("safeguard %q: requirement %q is neither required nor addressable", s.Citation, s.Requirement)
		}
		switch s.Kind {
		case KindStandard:
			if s.Requirement != Required {
				add("safeguard %q: a standard is always required", s.Citation)
			}
			if s.Standard != "" {
				add("safeguard %q: a standard has no parent standard", s.Citation)
			}
		case KindSpecification:
			if s.Standard == "" {
				add("safeguard %q: an implementation specification names its standard", s.Citation)
			}
		default:
			add("safeguard %q: unknown kind %q", s.Citation, s.Kind)
		}
	}
	for _, s := range c.Safeguards {
		if s.Standard == "" {
			continue
		}
		if parent, ok := c.safeguards[s.Standard]; !ok || parent.Kind != KindStandard {
			add("safeguard %q: standard %q is not a standard of the catalog", s.Citation, s.Standard)
		}
	}

	for i := range c.Controls {
		ctl := &c.Controls[i]
		if !IDPattern.MatchString(ctl.ID) {
			add("control %q: id does not match %s", ctl.ID, IDPattern)
		}
		if _, dup := c.controls[ctl.ID]; dup {
			add("control %q: duplicate id", ctl.ID)
		}
		c.controls[ctl.ID] = ctl
		if ctl.Title == "" || ctl.Rationale == "" {
			add("control %q: title and rationale are required", ctl.ID)
		}
		if len(ctl.Citations) == 0 {
			add("control %q: cites no safeguard", ctl.ID)
		}
		seen := map[string]bool{}
		for _, cit := range ctl.Citations {
			if _, ok := c.safeguards[cit]; !ok {
				add("control %q: citation %q is not in safeguards.json", ctl.ID, cit)
			}
			if seen[cit] {
				add("control %q: citation %q listed twice", ctl.ID, cit)
			}
			seen[cit] = true
		}
		switch ctl.Severity {
		case SeverityHigh, SeverityMedium, SeverityLow:
		default:
			add("control %q: unknown severity %q", ctl.ID, ctl.Severity)
		}
		switch ctl.Automation {
		case Automated, Partial:
			if len(ctl.Sources) == 0 {
				add("control %q: an %s control lists the snapshot sources it reads", ctl.ID, ctl.Automation)
			}
		case Manual:
			if len(ctl.Sources) > 0 {
				add("control %q: a manual control reads no sources", ctl.ID)
			}
		default:
			add("control %q: unknown automation %q", ctl.ID, ctl.Automation)
		}
		for _, s := range ctl.Sources {
			if _, ok := snapshot.Specs[s]; !ok {
				add("control %q: source %q is not a known snapshot source", ctl.ID, s)
			}
		}
	}

	// A retired id stays retired: it may not come back as a control, and its successor must exist.
	for _, m := range c.Migrations {
		if !IDPattern.MatchString(m.OldID) || !IDPattern.MatchString(m.NewID) {
			add("migration %q -> %q: ids must match %s", m.OldID, m.NewID, IDPattern)
		}
		if _, ok := c.controls[m.OldID]; ok {
			add("migration %q -> %q: the retired id is still a control", m.OldID, m.NewID)
		}
		if _, ok := c.controls[m.NewID]; !ok {
			add("migration %q -> %q: the new id is not a control", m.OldID, m.NewID)
		}
	}
	if len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

// ErrUnknownControl is wrapped by lookups of ids the catalog does not have.
var ErrUnknownControl = errors.New("unknown control id")

// Resolve maps retired ids to their successors and checks that every id exists, so that inputs
// written against an older catalog keep working.
func (c *Catalog) Resolve(id string) (string, error) {
	for range len(c.Migrations) + 1 {
		if _, ok := c.controls[id]; ok {
			return id, nil
		}
		next := ""
		for _, m := range c.Migrations {
			if m.OldID == id {
				next = m.NewID
			}
		}
		if next == "" {
			break
		}
		id = next
	}
	return "", fmt.Errorf("%w %q", ErrUnknownControl, id)
}
