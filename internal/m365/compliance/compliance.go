// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package compliance is the one place that calls Security & Compliance (Microsoft Purview)
// cmdlets, through m365.Client.Compliance(). Each object family has its own file
// (auditretention.go, protectionalerts.go) with:
//
//   - a typed struct, decoded leniently from the cmdlet output (internal/m365/cmdlets);
//   - a finder that returns an *m365.APIError of kind not found (m365.IsNotFound) when the object
//     does not exist, so that callers treat absence one way;
//   - a Diff that says what Set-<noun> would change, or that only a replacement gets there;
//   - Ensure, which creates, updates or replaces the object, and Remove, for which an object
//     already gone is success.
//
// Permissions (app-only): the Office 365 Exchange Online application permission
// Exchange.ManageAsApp and a directory role: Global Reader to read, Compliance Administrator to
// write. The transport names them in its errors (m365.CommandClient).
package compliance

import (
	"context"
	"fmt"
	"maps"
	"net/http"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// service names Security & Compliance in errors, as the transport does.
const service = "Security & Compliance"

// object is what every family's struct tells the shared steps about itself.
type object interface {
	ref() (id, name string)
}

// family describes one kind of Security & Compliance object to the steps all kinds share.
type family[T object] struct {
	noun      string // The cmdlets are Get-, New-, Set- and Remove-<noun>.
	what      string // How admins know it, e.g. "alert policy".
	flatten   func(cmdlets.Object) T
	newParams func(want T) map[string]any
	diff      func(live, want T) Update[T]
}

// Update is what it takes to bring a live object to the wanted one: the parameters of
// Set-<noun>, or, when Set- cannot get there, a replacement (Remove- and New-).
type Update[T any] struct {
	// Replace says the object must be removed and created again; Set- cannot change what
	// differs (an alert policy's category, a retention policy's filters).
	Replace bool
	params  map[string]any // Set- parameters without Identity; empty when nothing differs.
	result  T              // The object as it is once Set- has run.
}

// NoChange reports whether the live object already is what was wanted.
func (u Update[T]) NoChange() bool { return !u.Replace && len(u.params) == 0 }

// list runs Get-<noun> for every object of the family.
func (f family[T]) list(ctx context.Context, c *m365.Client) ([]cmdlets.Object, error) {
	return c.Compliance().Invoke(ctx, "Get-"+f.noun, nil)
}

// find picks from objs the object recorded as id, or else the one named name.
func (f family[T]) find(objs []cmdlets.Object, id, name string) (*T, error) {
	o := cmdlets.FindByIDOrName(objs, id, name)
	if o == nil {
		return nil, f.notFound(id, name)
	}
	v := f.flatten(o)
	return &v, nil
}

// notFound is the one error a finder returns for an object that does not exist.
func (f family[T]) notFound(id, name string) error {
	object := fmt.Sprintf("%s %q", f.what, name)
	if id != "" {
		object = fmt.Sprintf("%s %q (%s)", f.what, name, id)
	}
	return &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "Get-" + f.noun + " lists no such object",
		Op: m365.Operation{Action: "finding", Object: object, Service: service}}
}

// ensure brings live (nil: none exists) to want and returns the object as it now is, also when a
// step fails (nil when it no longer exists), so that the caller records exactly what was done.
func (f family[T]) ensure(ctx context.Context, c *m365.Client, live *T, want T) (*T, error) {
	cc := c.Compliance()
	if live != nil {
		u := f.diff(*live, want)
		id, _ := (*live).ref()
		if !u.Replace {
			if len(u.params) == 0 {
				return live, nil
			}
			params := maps.Clone(u.params)
			params["Identity"] = id
			if _, err := cc.Invoke(ctx, "Set-"+f.noun, params); err != nil {
				return live, err
			}
			return &u.result, nil
		}
		if err := f.remove(ctx, c, id); err != nil {
			return live, err
		}
	}
	_, name := want.ref()
	o, err := cmdlets.New(ctx, cc, f.noun, name, f.newParams(want))
	if err != nil {
		return nil, err
	}
	v := f.flatten(o)
	return &v, nil
}

// remove runs Remove-<noun>; an object already gone, or no id, is success.
func (f family[T]) remove(ctx context.Context, c *m365.Client, id string) error {
	return cmdlets.RemoveIgnoringNotFound(ctx, c.Compliance(), "Remove-"+f.noun, id)
}
