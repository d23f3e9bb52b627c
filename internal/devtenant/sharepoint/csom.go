// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CSOM ProcessQuery ([MS-CSOM]): the request is XML, the answer a JSON array whose first element
// is the response header. Errors are reported in ErrorInfo of a 200 answer; actions run in order
// and stop at the first failure (earlier ones stay applied).

const tenantTypeID = "{268004ae-ef6b-4e9b-8425-127220d84719}"

type csomRequest struct {
	XMLName xml.Name     `xml:"Request"`
	Actions csomActions  `xml:"Actions"`
	Paths   csomObjPaths `xml:"ObjectPaths"`
}

type csomActions struct {
	Items []csomAction `xml:",any"`
}

type csomAction struct {
	XMLName      xml.Name
	ID           string        `xml:"Id,attr"`
	ObjectPathID string        `xml:"ObjectPathId,attr"`
	Name         string        `xml:"Name,attr"`
	Parameter    *csomParam    `xml:"Parameter"`
	Query        *csomQuerySel `xml:"Query"`
}

type csomParam struct {
	Type  string `xml:"Type,attr"`
	Value string `xml:",chardata"`
}

type csomQuerySel struct {
	SelectAllProperties string `xml:"SelectAllProperties,attr"`
	Properties          struct {
		Items []struct {
			Name string `xml:"Name,attr"`
		} `xml:"Property"`
	} `xml:"Properties"`
}

type csomObjPaths struct {
	Items []struct {
		XMLName xml.Name
		ID      string `xml:"Id,attr"`
		TypeID  string `xml:"TypeId,attr"`
	} `xml:",any"`
}

func csomHeader(corr string, errInfo any) map[string]any {
	return map[string]any{"SchemaVersion": "15.0.0.0", "LibraryVersion": spoLibraryVersion, "ErrorInfo": errInfo, "TraceCorrelationId": corr}
}

func csomError(corr string, code int, typ, msg string) []any {
	return []any{csomHeader(corr, map[string]any{"ErrorMessage": msg, "ErrorValue": nil, "TraceCorrelationId": corr, "ErrorCode": code, "ErrorTypeName": typ})}
}

func writeCSOM(w http.ResponseWriter, status int, _ string, body []any) {
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func argError(corr, msg string) []any {
	return csomError(corr, -2147024809, "System.ArgumentException", msg)
}

func (s *Service) processQuery(w http.ResponseWriter, r *http.Request, corr string) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var req csomRequest
	if err := xml.Unmarshal(raw, &req); err != nil {
		writeCSOM(w, http.StatusOK, corr, csomError(corr, -1, "Microsoft.SharePoint.Client.InvalidClientQueryException", "The request XML is invalid: "+err.Error()))
		return
	}
	tenantPaths := map[string]bool{}
	for _, p := range req.Paths.Items {
		if p.XMLName.Local == "Constructor" && strings.EqualFold(p.TypeID, tenantTypeID) {
			tenantPaths[p.ID] = true
		}
	}
	out := []any{nil}
	var errBody []any
	s.Store.Mu.Lock()
	t := s.Store.State.Admin.SPOTenant
	changed := false
	for _, a := range req.Actions.Items {
		if !tenantPaths[a.ObjectPathID] {
			errBody = csomError(corr, -1, "Microsoft.SharePoint.Client.InvalidClientQueryException", fmt.Sprintf("The object path '%s' is not valid. Only the Tenant constructor (TypeId %s) is supported here.", a.ObjectPathID, tenantTypeID))
			break
		}
		switch a.XMLName.Local {
		case "ObjectPath":
			out = append(out, json.Number(a.ID), map[string]any{"IsNull": false})
		case "SetProperty":
			if e := applySPOProperty(t, a, corr); e != nil {
				errBody = e
			} else {
				changed = true
			}
		case "Method":
			if a.Name != "Update" {
				errBody = csomError(corr, -1, "Microsoft.SharePoint.Client.InvalidClientQueryException", fmt.Sprintf("Method \"%s\" does not exist.", a.Name))
			}
		case "Query":
			out = append(out, json.Number(a.ID), csomQueryResult(t, a.Query))
		default:
			errBody = csomError(corr, -1, "Microsoft.SharePoint.Client.InvalidClientQueryException", fmt.Sprintf("The action '%s' is not supported.", a.XMLName.Local))
		}
		if errBody != nil {
			break
		}
	}
	var serr error
	if changed {
		rec := s.Store.State.Admin.SharePointSettings
		g := maps.Clone(rec.Cur)
		mirrorSPOToGraph(t, g)
		rec.Write(time.Now(), s.Faults().ReplicationDelay(), g)
		serr = s.Store.SaveLocked()
	}
	s.Store.Mu.Unlock()
	if serr != nil {
		errBody = csomError(corr, -2146233088, "Microsoft.SharePoint.SPException", "Persisting the tenant failed: "+serr.Error())
	}
	if errBody != nil {
		writeCSOM(w, http.StatusOK, corr, errBody)
		return
	}
	out[0] = csomHeader(corr, nil)
	writeCSOM(w, http.StatusOK, corr, out)
}

func applySPOProperty(t map[string]any, a csomAction, corr string) []any {
	p, ok := spoProps[a.Name]
	if !ok {
		if _, readOnly := t[a.Name]; readOnly {
			return argError(corr, fmt.Sprintf("The property '%s' cannot be set; it is read-only.", a.Name))
		}
		return csomError(corr, -1, "Microsoft.SharePoint.Client.InvalidClientQueryException", fmt.Sprintf("Field or property \"%s\" does not exist.", a.Name))
	}
	if a.Parameter == nil {
		return argError(corr, fmt.Sprintf("No value was specified for property '%s'.", a.Name))
	}
	typ, val := a.Parameter.Type, strings.TrimSpace(a.Parameter.Value)
	if typ != p.typ && (p.typ != "Enum" || typ != "Int32") {
		return argError(corr, fmt.Sprintf("Cannot convert a value of type '%s' to property '%s' of type '%s'.", typ, a.Name, p.typ))
	}
	switch p.typ {
	case "Boolean":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return argError(corr, fmt.Sprintf("'%s' is not a valid Boolean value for property '%s'.", val, a.Name))
		}
		t[a.Name] = b
	case "String":
		t[a.Name] = a.Parameter.Value
	default:
		n, err := strconv.ParseInt(val, 10, 32)
		if err != nil {
			return argError(corr, fmt.Sprintf("'%s' is not a valid %s value for property '%s'.", val, p.typ, a.Name))
		}
		if (!p.allowNeg || n != -1) && (n < p.min || n > p.max) {
			return argError(corr, fmt.Sprintf("The value %d is out of range for property '%s'; it must be between %d and %d.", n, a.Name, p.min, p.max))
		}
		t[a.Name] = n
	}
	return nil
}

func csomQueryResult(t map[string]any, q *csomQuerySel) map[string]any {
	out := map[string]any{"_ObjectType_": spoTenantType}
	if q == nil || strings.EqualFold(q.SelectAllProperties, "true") || len(q.Properties.Items) == 0 {
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out[k] = t[k]
		}
		return out
	}
	for _, p := range q.Properties.Items {
		if v, ok := t[p.Name]; ok {
			out[p.Name] = v
		}
	}
	return out
}
