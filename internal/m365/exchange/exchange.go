// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package exchange is the one place that runs Exchange Online admin cmdlets for the settings the
// provider manages: message encryption (IRM, OME), mail flow rules, connectors and domains, and
// Exchange Online Protection and Defender for Office 365 policies. Callers get typed objects and
// never read cmdlet output themselves.
//
// The pattern, per object kind:
//   - Get<Kind> reads an object every tenant has (a configuration, a default policy).
//   - Find<Kind> reads one that may not exist; a missing object is an *m365.APIError of kind not
//     found (m365.IsNotFound; cmdlets.NilIfNotFound when "missing" is an answer).
//   - List<Kind>s reads them all; FindIn picks one by the id the state recorded or by name.
//   - New<Kind> creates one and returns it (read back by name when the cmdlet output nothing).
//   - Set<Kind> runs Set- with the given parameters and, on success, updates the object passed
//     in to what the tenant now has, so that a caller's state stays true after a partial apply.
//   - Remove<Kind> deletes one; an object already gone is success.
//
// Set- parameters are the cmdlet's own (map keys are parameter names, Identity included), because
// they are the diff the caller computed against what it read: only what differs is sent.
//
// Permissions (app-only): the Office 365 Exchange Online application permission
// Exchange.ManageAsApp, and the Global Reader role for Get- cmdlets or the Exchange Administrator
// role for the others. m365.CommandClient names them in every 403.
package exchange

import (
	"context"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// DefaultIdentity is the identity of a kind's tenant-wide default object: the default outbound
// spam filter policy, remote domain and anti-malware policy.
const DefaultIdentity = "Default"

// Base is what every object read from a cmdlet has.
type Base struct {
	ID   string // The id to record and address it by: cmdlets.ID (Guid, else ImmutableId, Identity, Name).
	Name string

	raw cmdlets.Object // The cmdlet output it was decoded from, for Set- to merge into.
}

func baseOf(o cmdlets.Object) Base {
	return Base{ID: cmdlets.ID(o), Name: cmdlets.String(o, "Name"), raw: o}
}

func (b *Base) base() *Base { return b }

// decoded is an object type of this package: it embeds Base.
type decoded interface{ base() *Base }

// Raw is the cmdlet output the object was decoded from, for properties no field holds.
func (b Base) Raw() cmdlets.Object { return b.raw }

// FindIn returns the object of objs whose recorded id is id or, failing that, whose name is name
// (cmdlets.FindByIDOrName); nil when none is.
func FindIn[T any, P interface {
	*T
	decoded
}](objs []T, id, name string) *T {
	raws := make([]cmdlets.Object, len(objs))
	for i := range objs {
		raws[i] = P(&objs[i]).base().raw
	}
	if i := cmdlets.IndexByIDOrName(raws, id, name); i >= 0 {
		return &objs[i]
	}
	return nil
}

// get runs a Get- cmdlet that outputs one object (identity "" for a singleton configuration).
func get[T any](ctx context.Context, c *m365.Client, cmdlet, identity string, decode func(cmdlets.Object) T) (*T, error) {
	var params map[string]any
	if identity != "" {
		params = map[string]any{"Identity": identity}
	}
	o, err := c.Exchange().InvokeSingle(ctx, cmdlet, params)
	if err != nil {
		return nil, err
	}
	v := decode(o)
	return &v, nil
}

// list runs a Get- cmdlet without parameters and decodes every object it outputs.
func list[T any](ctx context.Context, c *m365.Client, cmdlet string, decode func(cmdlets.Object) T) ([]T, error) {
	objs, err := c.Exchange().Invoke(ctx, cmdlet, nil)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = decode(o)
	}
	return out, nil
}

// set runs a Set- cmdlet and, on success and when obj is not nil, decodes obj again from its
// output merged with params.
func set[T any, P interface {
	*T
	decoded
}](ctx context.Context, c *m365.Client, cmdlet string, params map[string]any, obj P, decode func(cmdlets.Object) T) error {
	if _, err := c.Exchange().Invoke(ctx, cmdlet, params); err != nil {
		return err
	}
	if obj != nil {
		*obj = decode(cmdlets.Merged(obj.base().raw, params))
	}
	return nil
}

// newReadBack runs New-<noun> with params, which name the object, and decodes what it created
// (cmdlets.New reads it back by that name when the cmdlet output nothing).
func newReadBack[T any](ctx context.Context, c *m365.Client, noun string, params map[string]any, decode func(cmdlets.Object) T) (*T, error) {
	name, _ := params["Name"].(string)
	o, err := cmdlets.New(ctx, c.Exchange(), noun, name, params)
	if err != nil {
		return nil, err
	}
	v := decode(o)
	return &v, nil
}

// remove runs Remove-<noun>; an object already gone is success.
func remove(ctx context.Context, c *m365.Client, noun, identity string) error {
	return cmdlets.RemoveIgnoringNotFound(ctx, c.Exchange(), "Remove-"+noun, identity)
}
