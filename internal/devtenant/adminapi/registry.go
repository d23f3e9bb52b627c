// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package adminapi

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/pipeline"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// nounDef describes one kind of Exchange or Security & Compliance object and the Get-, Set-,
// New- and Remove- cmdlets that manage it. Objects are stored as the Get- cmdlet returns them.
type Noun struct {
	Name      string
	Svc       string
	License   string // Service plan the cmdlets need (else they do not exist for the tenant).
	Singleton bool   // One object per tenant; Set- needs no Identity.
	Verbs     []string
	Params    []Param  // Settable with Set- and New-.
	NewParams []Param  // Only on New- (Name is implied).
	GetParams []Param  // Extra Get- filters, accepted and ignored.
	Required  []string // Mandatory New- parameters besides Name.
	Renamable bool     // Set- accepts Name.
	// Prioritized: the objects' Priority values stay 0..n-1 without gaps or duplicates. A rule
	// given an existing rule's priority goes before it, and the rules after it move down by one
	// (New-/Set-SafeLinksRule, -MalwareFilterRule, -TransportRule, parameter Priority).
	Prioritized bool
	// DefaultName is the Name of an object created without one (the ATP Built-In Protection Rule).
	DefaultName string
	// GUIDIdentity: Identity is the object's Guid rather than its Name (compliance policies).
	GUIDIdentity bool
	// Build returns the properties of a new object named name, before parameters apply.
	Build func(st *store.State, name string) map[string]any
	// Validate checks an object after parameters apply; list holds the other objects of the noun.
	Validate func(st *store.State, obj map[string]any, others []map[string]any) *Error
	// BeforeRemove refuses a removal (e.g. a policy still used by a rule).
	BeforeRemove func(st *store.State, obj map[string]any) *Error
}

func (n *Noun) hasVerb(v string) bool {
	return slices.ContainsFunc(n.Verbs, func(x string) bool { return strings.EqualFold(x, v) })
}

var commonParams = []Param{Str("ErrorAction"), Str("WarningAction"), psw("Verbose"), psw("Debug")}

// paramsFor lists the parameters the verb's cmdlet accepts.
func (n *Noun) paramsFor(verb string) []Param {
	out := slices.Clone(commonParams)
	switch verb {
	case "Get":
		out = append(out, Str("Identity"), Param{Name: "ResultSize", typ: tResultSize})
		out = append(out, n.GetParams...)
	case "Set":
		out = append(out, Str("Identity"), psw("Confirm"), psw("WhatIf"))
		out = append(out, n.Params...)
		if n.Renamable {
			out = append(out, Str("Name"))
		}
	case "New":
		out = append(out, Str("Name"), psw("Confirm"), psw("WhatIf"))
		out = append(out, n.NewParams...)
		out = append(out, n.Params...)
	case "Remove", "Enable", "Disable":
		out = append(out, Str("Identity"), psw("Confirm"), psw("WhatIf"))
	}
	return out
}

// settable reports whether a bound parameter is an object property (not a control parameter).
func settable(name string) bool {
	switch name {
	case "Identity", "Confirm", "WhatIf", "ErrorAction", "WarningAction", "Verbose", "Debug", "ResultSize":
		return false
	}
	return true
}

// adminService is the InvokeCommand endpoint the Exchange Online and Security & Compliance
// admin APIs share: authentication, cmdlet lookup, parameter binding, faults and the generic
// Get-, Set-, New- and Remove- behaviour of every noun. The nouns themselves are defined by
// the service that owns them.
type Service struct {
	*pipeline.Tenant
	Nouns []*Noun // Both services', in the order EXOModuleFile lists them.
}

func (s *Service) nounByName(name string) *Noun {
	for _, n := range s.Nouns {
		if strings.EqualFold(n.Name, name) {
			return n
		}
	}
	return nil
}

// CmdletNames lists every cmdlet of svc, for EXOModuleFile.
func (s *Service) CmdletNames(svc string) []string {
	var out []string
	for _, n := range s.Nouns {
		if n.Svc == svc {
			for _, v := range n.Verbs {
				out = append(out, v+"-"+n.Name)
			}
		}
	}
	return out
}

func exoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// BaseObject holds the properties every Exchange configuration object has.
func BaseObject(st *store.State, n *Noun, name string, now time.Time) map[string]any {
	guid := store.NewGUID()
	org := st.Domain
	ts := exoTime(now)
	identity := name
	if n.GUIDIdentity {
		identity = guid
	}
	return map[string]any{
		"Name": name, "Identity": identity, "Id": identity, "Guid": guid, "ExchangeObjectId": guid, "ImmutableId": guid,
		"DistinguishedName": "CN=" + name + ",CN=" + n.Name + ",CN=Configuration,CN=" + org + ",CN=ConfigurationUnits,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM",
		"OrganizationId":    "NAMPR01A001.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/" + org + " - NAMPR01A001.PROD.OUTLOOK.COM/ConfigurationUnits/" + org + "/Configuration",
		"WhenCreated":       ts, "WhenChanged": ts, "WhenCreatedUTC": ts, "WhenChangedUTC": ts,
		"IsValid": true, "ObjectState": "Unchanged", "ExchangeVersion": "0.20 (15.0.0.0)", "OriginatingServer": exoServerName,
	}
}

// newCmdletObject builds an object the way New- does; seeds use it too.
func NewObject(st *store.State, n *Noun, params map[string]any, now time.Time) (map[string]any, *Error) {
	name, _ := params["Name"].(string)
	if name == "" && n.DefaultName != "" {
		name = n.DefaultName
		params = maps.Clone(params)
		params["Name"] = name
	}
	var missing []string
	if name == "" {
		missing = append(missing, "Name")
	}
	for _, r := range n.Required {
		if params[r] == nil {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, missingMandatory(missing)
	}
	others := st.Admin.Cmdlets[n.Name]
	for _, o := range others {
		if strings.EqualFold(store.String(o, "Name"), name) {
			return nil, alreadyExists(name)
		}
	}
	obj := BaseObject(st, n, name, now)
	if n.Build != nil {
		maps.Copy(obj, n.Build(st, name))
	}
	for k, v := range params {
		if settable(k) {
			obj[k] = v
		}
	}
	if n.Validate != nil {
		if err := n.Validate(st, obj, others); err != nil {
			return nil, err
		}
	}
	return obj, nil
}

// MatchIdentity matches an -Identity value the way Exchange resolves it: name, GUID or
// distinguished name, case-insensitively.
func MatchIdentity(obj map[string]any, id string) bool {
	for _, k := range []string{"Name", "Identity", "Guid", "ExchangeObjectId", "DistinguishedName"} {
		if v, ok := obj[k].(string); ok && strings.EqualFold(v, id) {
			return true
		}
	}
	return false
}

func (c *call) list() []map[string]any { return c.s.Store.State.Admin.Cmdlets[c.noun.Name] }

func (c *call) find(id string) int {
	for i, o := range c.list() {
		if MatchIdentity(o, id) {
			return i
		}
	}
	return -1
}

func (c *call) run() *Error {
	switch c.verb {
	case "Get":
		return c.get()
	case "Set":
		return c.set()
	case "New":
		return c.create()
	case "Remove":
		return c.remove()
	case "Enable", "Disable":
		return c.setState(c.verb == "Enable")
	}
	return commandNotFound(c.cmdlet)
}

func (c *call) get() *Error {
	c.s.Store.Mu.RLock()
	all := c.list()
	var items []map[string]any
	if id, ok := c.params["Identity"].(string); ok && id != "" {
		if i := c.find(id); i >= 0 {
			items = []map[string]any{all[i]}
		}
	} else {
		items = slices.Clone(all)
	}
	c.s.Store.Mu.RUnlock()
	if id, ok := c.params["Identity"].(string); ok && id != "" && len(items) == 0 {
		return NotFound(id)
	}
	if state, ok := c.params["State"].(string); ok {
		items = slices.DeleteFunc(items, func(o map[string]any) bool { return !strings.EqualFold(fmt.Sprint(o["State"]), state) })
	}
	if n, ok := c.params["ResultSize"].(int64); ok && int(n) < len(items) {
		items = items[:n]
	}
	return c.writeValue(items, true)
}

func (c *call) locate() (int, *Error) {
	id, _ := c.params["Identity"].(string)
	if id == "" {
		if c.noun.Singleton && len(c.list()) > 0 {
			return 0, nil
		}
		return -1, missingMandatory([]string{"Identity"})
	}
	i := c.find(id)
	if i < 0 {
		return -1, NotFound(id)
	}
	return i, nil
}

func (c *call) set() *Error {
	return c.onTarget(func(list []map[string]any, i int) *Error {
		cur := list[i]
		obj := maps.Clone(cur)
		for k, v := range c.params {
			if settable(k) {
				obj[k] = v
			}
		}
		if name, ok := c.params["Name"].(string); ok && c.noun.Renamable && !strings.EqualFold(name, store.String(cur, "Name")) {
			for j, o := range list {
				if j != i && strings.EqualFold(store.String(o, "Name"), name) {
					return alreadyExists(name)
				}
			}
			if !c.noun.GUIDIdentity {
				obj["Identity"], obj["Id"] = name, name
			}
		}
		if c.noun.Validate != nil {
			others := slices.Delete(slices.Clone(list), i, i+1)
			if err := c.noun.Validate(c.s.Store.State, obj, others); err != nil {
				return err
			}
		}
		if reflect.DeepEqual(obj, cur) {
			c.warnings = append(c.warnings, "The command completed successfully but no settings of '"+store.String(cur, "Identity")+"' have been modified.")
			return c.writeValue(nil, false)
		}
		ts := exoTime(c.now)
		obj["WhenChanged"], obj["WhenChangedUTC"] = ts, ts
		list[i] = obj
		if c.noun.Prioritized {
			c.s.Store.State.Admin.Cmdlets[c.noun.Name] = PlaceByPriority(list, i)
		}
		if err := c.persist(); err != nil {
			return err
		}
		return c.writeValue(nil, false)
	})
}

func (c *call) create() *Error {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	obj, err := NewObject(c.s.Store.State, c.noun, c.params, c.now)
	if err != nil {
		return err
	}
	c.s.Store.State.Admin.Cmdlets[c.noun.Name] = append(c.list(), obj)
	if c.noun.Prioritized {
		c.s.Store.State.Admin.Cmdlets[c.noun.Name] = PlaceByPriority(c.list(), len(c.list())-1)
	}
	if err := c.persist(); err != nil {
		return err
	}
	return c.writeValue([]map[string]any{obj}, false)
}

func (c *call) remove() *Error {
	return c.onTarget(func(list []map[string]any, i int) *Error {
		if c.noun.BeforeRemove != nil {
			if err := c.noun.BeforeRemove(c.s.Store.State, list[i]); err != nil {
				return err
			}
		}
		c.s.Store.State.Admin.Cmdlets[c.noun.Name] = slices.Delete(slices.Clone(list), i, i+1)
		if c.noun.Prioritized {
			renumber(c.list())
		}
		if err := c.persist(); err != nil {
			return err
		}
		c.w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// setState is Enable- and Disable-: the rule's State becomes Enabled or Disabled.
func (c *call) setState(enabled bool) *Error {
	return c.onTarget(func(list []map[string]any, i int) *Error {
		cur := list[i]
		want := map[bool]string{true: "Enabled", false: "Disabled"}[enabled]
		if cur["State"] == want {
			c.warnings = append(c.warnings, "The command completed successfully but no settings of '"+fmt.Sprint(cur["Identity"])+"' have been modified.")
			return c.writeValue(nil, false)
		}
		obj := maps.Clone(cur)
		ts := exoTime(c.now)
		obj["State"], obj["WhenChanged"], obj["WhenChangedUTC"] = want, ts, ts
		list[i] = obj
		if err := c.persist(); err != nil {
			return err
		}
		return c.writeValue(nil, false)
	})
}

// PlaceByPriority moves list[i] to the position its Priority asks for among the others (ordered
// by priority) and renumbers all 0..n-1; the result is in priority order, as Get- lists rules.
func PlaceByPriority(list []map[string]any, i int) []map[string]any {
	obj := list[i]
	rest := slices.Delete(slices.Clone(list), i, i+1)
	sortByPriority(rest)
	at, _ := obj["Priority"].(int64)
	at = min(max(at, 0), int64(len(rest)))
	out := slices.Insert(rest, int(at), obj)
	renumber(out)
	return out
}

func sortByPriority(list []map[string]any) {
	sort.SliceStable(list, func(a, b int) bool {
		pa, _ := list[a]["Priority"].(int64)
		pb, _ := list[b]["Priority"].(int64)
		return pa < pb
	})
}

// renumber gives the rules, in their current order, the priorities 0..n-1.
func renumber(list []map[string]any) {
	for j, o := range list {
		o["Priority"] = int64(j)
	}
}

var GetSet = []string{"Get", "Set"}

// TimeLike lets seed helpers take a fixed time.
type TimeLike struct{ At time.Time }

func (t TimeLike) T() time.Time { return t.At }

var CRUD = []string{"Get", "New", "Set", "Remove"}

func ToStrings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// onTarget runs f under the store's write lock on the object the call's Identity names, with
// the noun's objects and the target's index.
func (c *call) onTarget(f func(list []map[string]any, i int) *Error) *Error {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	i, err := c.locate()
	if err != nil {
		return err
	}
	return f(c.list(), i)
}

// persist saves the tenant after a cmdlet's write; callers hold the write lock.
func (c *call) persist() *Error {
	if err := c.s.Store.SaveLocked(); err != nil {
		return &Error{Status: http.StatusInternalServerError, Exception: exTransient, Human: "Persisting the tenant failed: " + err.Error()}
	}
	return nil
}
