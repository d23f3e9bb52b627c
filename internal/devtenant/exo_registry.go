// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant/store"
)

// nounDef describes one kind of Exchange or Security & Compliance object and the Get-, Set-,
// New- and Remove- cmdlets that manage it. Objects are stored as the Get- cmdlet returns them.
type nounDef struct {
	noun      string
	svc       string
	license   string // Service plan the cmdlets need (else they do not exist for the tenant).
	singleton bool   // One object per tenant; Set- needs no Identity.
	verbs     []string
	params    []cmdParam // Settable with Set- and New-.
	newParams []cmdParam // Only on New- (Name is implied).
	getParams []cmdParam // Extra Get- filters, accepted and ignored.
	required  []string   // Mandatory New- parameters besides Name.
	renamable bool       // Set- accepts Name.
	// prioritized: the objects' Priority values stay 0..n-1 without gaps or duplicates. A rule
	// given an existing rule's priority goes before it, and the rules after it move down by one
	// (New-/Set-SafeLinksRule, -MalwareFilterRule, -TransportRule, parameter Priority).
	prioritized bool
	// defaultName is the Name of an object created without one (the ATP Built-In Protection Rule).
	defaultName string
	// guidIdentity: Identity is the object's Guid rather than its Name (compliance policies).
	guidIdentity bool
	// build returns the properties of a new object named name, before parameters apply.
	build func(st *store.State, name string) map[string]any
	// validate checks an object after parameters apply; list holds the other objects of the noun.
	validate func(st *store.State, obj map[string]any, others []map[string]any) *exoError
	// beforeRemove refuses a removal (e.g. a policy still used by a rule).
	beforeRemove func(st *store.State, obj map[string]any) *exoError
}

func (n *nounDef) hasVerb(v string) bool {
	return slices.ContainsFunc(n.verbs, func(x string) bool { return strings.EqualFold(x, v) })
}

var commonParams = []cmdParam{ps("ErrorAction"), ps("WarningAction"), psw("Verbose"), psw("Debug")}

// paramsFor lists the parameters the verb's cmdlet accepts.
func (n *nounDef) paramsFor(verb string) []cmdParam {
	out := slices.Clone(commonParams)
	switch verb {
	case "Get":
		out = append(out, ps("Identity"), cmdParam{name: "ResultSize", typ: tResultSize})
		out = append(out, n.getParams...)
	case "Set":
		out = append(out, ps("Identity"), psw("Confirm"), psw("WhatIf"))
		out = append(out, n.params...)
		if n.renamable {
			out = append(out, ps("Name"))
		}
	case "New":
		out = append(out, ps("Name"), psw("Confirm"), psw("WhatIf"))
		out = append(out, n.newParams...)
		out = append(out, n.params...)
	case "Remove", "Enable", "Disable":
		out = append(out, ps("Identity"), psw("Confirm"), psw("WhatIf"))
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

func allNouns() []*nounDef {
	return []*nounDef{nounOrgConfig, nounAdminAuditLog, nounIRM, nounOME, nounAcceptedDomain, nounTransportRule,
		nounOutboundSpam, nounRemoteDomain, nounMalwareFilter, nounMalwareFilterRule, nounHostedContentFilter, nounAntiPhish,
		nounEOPProtectionRule, nounOutboundConnector, nounSafeLinksPolicy, nounSafeLinksRule, nounSafeAttachmentPolicy,
		nounSafeAttachmentRule, nounATPProtectionRule, nounATPEvaluationRule, nounBuiltInRule, nounAtpPolicy,
		nounUALRetention, nounProtectionAlert, nounDlpPolicy, nounDlpRule}
}

func nounByName(name string) *nounDef {
	for _, n := range allNouns() {
		if strings.EqualFold(n.noun, name) {
			return n
		}
	}
	return nil
}

// cmdletNames lists every cmdlet of svc, for EXOModuleFile.
func (s *Server) cmdletNames(svc string) []string {
	var out []string
	for _, n := range allNouns() {
		if n.svc == svc {
			for _, v := range n.verbs {
				out = append(out, v+"-"+n.noun)
			}
		}
	}
	return out
}

func exoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// baseObject holds the properties every Exchange configuration object has.
func baseObject(st *store.State, n *nounDef, name string, now time.Time) map[string]any {
	guid := store.NewGUID()
	org := st.Domain
	ts := exoTime(now)
	identity := name
	if n.guidIdentity {
		identity = guid
	}
	return map[string]any{
		"Name": name, "Identity": identity, "Id": identity, "Guid": guid, "ExchangeObjectId": guid, "ImmutableId": guid,
		"DistinguishedName": "CN=" + name + ",CN=" + n.noun + ",CN=Configuration,CN=" + org + ",CN=ConfigurationUnits,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM",
		"OrganizationId":    "NAMPR01A001.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/" + org + " - NAMPR01A001.PROD.OUTLOOK.COM/ConfigurationUnits/" + org + "/Configuration",
		"WhenCreated":       ts, "WhenChanged": ts, "WhenCreatedUTC": ts, "WhenChangedUTC": ts,
		"IsValid": true, "ObjectState": "Unchanged", "ExchangeVersion": "0.20 (15.0.0.0)", "OriginatingServer": exoServerName,
	}
}

// newCmdletObject builds an object the way New- does; seeds use it too.
func newCmdletObject(st *store.State, n *nounDef, params map[string]any, now time.Time) (map[string]any, *exoError) {
	name, _ := params["Name"].(string)
	if name == "" && n.defaultName != "" {
		name = n.defaultName
		params = maps.Clone(params)
		params["Name"] = name
	}
	var missing []string
	if name == "" {
		missing = append(missing, "Name")
	}
	for _, r := range n.required {
		if params[r] == nil {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return nil, missingMandatory(missing)
	}
	others := st.Admin.Cmdlets[n.noun]
	for _, o := range others {
		if strings.EqualFold(o["Name"].(string), name) {
			return nil, &exoError{status: http.StatusBadRequest, exception: exAlreadyExists,
				human: "The object '" + name + "' already exists. Use a different name."}
		}
	}
	obj := baseObject(st, n, name, now)
	if n.build != nil {
		maps.Copy(obj, n.build(st, name))
	}
	for k, v := range params {
		if settable(k) {
			obj[k] = v
		}
	}
	if n.validate != nil {
		if err := n.validate(st, obj, others); err != nil {
			return nil, err
		}
	}
	return obj, nil
}

// matchIdentity matches an -Identity value the way Exchange resolves it: name, GUID or
// distinguished name, case-insensitively.
func matchIdentity(obj map[string]any, id string) bool {
	for _, k := range []string{"Name", "Identity", "Guid", "ExchangeObjectId", "DistinguishedName"} {
		if v, ok := obj[k].(string); ok && strings.EqualFold(v, id) {
			return true
		}
	}
	return false
}

func (c *exoCall) list() []map[string]any { return c.s.Store.State.Admin.Cmdlets[c.noun.noun] }

func (c *exoCall) find(id string) int {
	for i, o := range c.list() {
		if matchIdentity(o, id) {
			return i
		}
	}
	return -1
}

func (c *exoCall) run() *exoError {
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

func (c *exoCall) get() *exoError {
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
		return exoNotFound(id)
	}
	if state, ok := c.params["State"].(string); ok {
		items = slices.DeleteFunc(items, func(o map[string]any) bool { return !strings.EqualFold(fmt.Sprint(o["State"]), state) })
	}
	if n, ok := c.params["ResultSize"].(int64); ok && int(n) < len(items) {
		items = items[:n]
	}
	return c.writeValue(items, true)
}

func (c *exoCall) locate() (int, *exoError) {
	id, _ := c.params["Identity"].(string)
	if id == "" {
		if c.noun.singleton && len(c.list()) > 0 {
			return 0, nil
		}
		return -1, missingMandatory([]string{"Identity"})
	}
	i := c.find(id)
	if i < 0 {
		return -1, exoNotFound(id)
	}
	return i, nil
}

func (c *exoCall) set() *exoError {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	i, err := c.locate()
	if err != nil {
		return err
	}
	list := c.list()
	cur := list[i]
	obj := maps.Clone(cur)
	for k, v := range c.params {
		if settable(k) {
			obj[k] = v
		}
	}
	if name, ok := c.params["Name"].(string); ok && c.noun.renamable && !strings.EqualFold(name, cur["Name"].(string)) {
		for j, o := range list {
			if j != i && strings.EqualFold(o["Name"].(string), name) {
				return &exoError{status: http.StatusBadRequest, exception: exAlreadyExists, human: "The object '" + name + "' already exists. Use a different name."}
			}
		}
		if !c.noun.guidIdentity {
			obj["Identity"], obj["Id"] = name, name
		}
	}
	if c.noun.validate != nil {
		others := slices.Delete(slices.Clone(list), i, i+1)
		if err := c.noun.validate(c.s.Store.State, obj, others); err != nil {
			return err
		}
	}
	if reflect.DeepEqual(obj, cur) {
		c.warnings = append(c.warnings, "The command completed successfully but no settings of '"+cur["Identity"].(string)+"' have been modified.")
		return c.writeValue(nil, false)
	}
	ts := exoTime(c.now)
	obj["WhenChanged"], obj["WhenChangedUTC"] = ts, ts
	list[i] = obj
	if c.noun.prioritized {
		c.s.Store.State.Admin.Cmdlets[c.noun.noun] = placeByPriority(list, i)
	}
	if err := c.s.Store.SaveLocked(); err != nil {
		return &exoError{status: http.StatusInternalServerError, exception: exTransient, human: "Persisting the tenant failed: " + err.Error()}
	}
	return c.writeValue(nil, false)
}

func (c *exoCall) create() *exoError {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	obj, err := newCmdletObject(c.s.Store.State, c.noun, c.params, c.now)
	if err != nil {
		return err
	}
	c.s.Store.State.Admin.Cmdlets[c.noun.noun] = append(c.list(), obj)
	if c.noun.prioritized {
		c.s.Store.State.Admin.Cmdlets[c.noun.noun] = placeByPriority(c.list(), len(c.list())-1)
	}
	if err := c.s.Store.SaveLocked(); err != nil {
		return &exoError{status: http.StatusInternalServerError, exception: exTransient, human: "Persisting the tenant failed: " + err.Error()}
	}
	return c.writeValue([]map[string]any{obj}, false)
}

func (c *exoCall) remove() *exoError {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	i, err := c.locate()
	if err != nil {
		return err
	}
	list := c.list()
	if c.noun.beforeRemove != nil {
		if err := c.noun.beforeRemove(c.s.Store.State, list[i]); err != nil {
			return err
		}
	}
	c.s.Store.State.Admin.Cmdlets[c.noun.noun] = slices.Delete(slices.Clone(list), i, i+1)
	if c.noun.prioritized {
		renumber(c.list())
	}
	if err := c.s.Store.SaveLocked(); err != nil {
		return &exoError{status: http.StatusInternalServerError, exception: exTransient, human: "Persisting the tenant failed: " + err.Error()}
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// setState is Enable- and Disable-: the rule's State becomes Enabled or Disabled.
func (c *exoCall) setState(enabled bool) *exoError {
	c.s.Store.Mu.Lock()
	defer c.s.Store.Mu.Unlock()
	i, err := c.locate()
	if err != nil {
		return err
	}
	cur := c.list()[i]
	want := map[bool]string{true: "Enabled", false: "Disabled"}[enabled]
	if cur["State"] == want {
		c.warnings = append(c.warnings, "The command completed successfully but no settings of '"+fmt.Sprint(cur["Identity"])+"' have been modified.")
		return c.writeValue(nil, false)
	}
	obj := maps.Clone(cur)
	ts := exoTime(c.now)
	obj["State"], obj["WhenChanged"], obj["WhenChangedUTC"] = want, ts, ts
	c.list()[i] = obj
	if err := c.s.Store.SaveLocked(); err != nil {
		return &exoError{status: http.StatusInternalServerError, exception: exTransient, human: "Persisting the tenant failed: " + err.Error()}
	}
	return c.writeValue(nil, false)
}

// placeByPriority moves list[i] to the position its Priority asks for among the others (ordered
// by priority) and renumbers all 0..n-1; the result is in priority order, as Get- lists rules.
func placeByPriority(list []map[string]any, i int) []map[string]any {
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
