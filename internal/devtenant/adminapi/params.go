// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package adminapi

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// PowerShell parameter binding, as the InvokeCommand endpoint performs it before a cmdlet runs:
// names are case-insensitive, values are coerced to the parameter type, and failures answer 400
// with the ParameterBindingException text PowerShell writes.

type ptype int

const (
	tString     ptype = iota
	tBool             // System.Boolean: JSON booleans or the numbers 0 and 1.
	tInt              // System.Int32.
	tEnum             // An enum; literals match case-insensitively.
	tStrList          // MultiValuedProperty of strings; a scalar becomes a one-element list.
	tHashList         // Hashtable[]; each element carries "@odata.type":"#Exchange.GenericHashTable".
	tResultSize       // Unlimited or an Int32.
	tSwitch           // SwitchParameter; true.
)

type psEnum struct {
	typeName string // .NET type, quoted in binding errors.
	values   []string
}

type Param struct {
	Name string
	typ  ptype
	enum *psEnum
	// Min and max bound Int32 values (both zero means unbounded), checked like ValidateRange.
	min, max int64
}

func Str(name string) Param                  { return Param{Name: name, typ: tString} }
func Bool(name string) Param                 { return Param{Name: name, typ: tBool} }
func StrList(name string) Param              { return Param{Name: name, typ: tStrList} }
func HashList(name string) Param             { return Param{Name: name, typ: tHashList} }
func Enum(name string, e *psEnum) Param      { return Param{Name: name, typ: tEnum, enum: e} }
func Int(name string, lo, hi int64) Param    { return Param{Name: name, typ: tInt, min: lo, max: hi} }
func psw(name string) Param                  { return Param{Name: name, typ: tSwitch} }
func EnumOf(typ string, v ...string) *psEnum { return &psEnum{typeName: typ, values: v} }

const (
	ExParameterBinding = "System.Management.Automation.ParameterBindingException"
	ExArgTransform     = "System.Management.Automation.ParameterBindingArgumentTransformationException"
	exValidation       = "System.Management.Automation.ParameterBindingValidationException"
)

func paramNotFound(name string) *Error {
	return BadRequest(ExParameterBinding, "A parameter cannot be found that matches parameter name '%s'.", name)
}

// bindParams validates raw against the cmdlet's parameters and returns them under their
// canonical names with typed values.
func bindParams(params []Param, raw map[string]any) (map[string]any, *Error) {
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		if strings.Contains(k, "@odata.") {
			continue
		}
		var p *Param
		for i := range params {
			if strings.EqualFold(params[i].Name, k) {
				p = &params[i]
				break
			}
		}
		if p == nil {
			return nil, paramNotFound(k)
		}
		if _, dup := out[p.Name]; dup {
			return nil, BadRequest(ExParameterBinding, "Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".", p.Name)
		}
		bv, err := bindValue(p, v)
		if err != nil {
			return nil, err
		}
		out[p.Name] = bv
	}
	return out, nil
}

// psTypeName names a JSON value the way PowerShell prints the source type in conversion errors.
func psTypeName(v any) string {
	switch v.(type) {
	case string:
		return "System.String"
	case bool:
		return "System.Boolean"
	case json.Number, float64, int64:
		return "System.Int64"
	case []any:
		return "System.Object[]"
	case map[string]any:
		return "System.Collections.Hashtable"
	}
	return "System.Object"
}

func psValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "True"
		}
		return "False"
	case []any:
		return "System.Object[]"
	case map[string]any:
		return "System.Collections.Hashtable"
	}
	return fmt.Sprint(v)
}

func bindValue(p *Param, v any) (any, *Error) {
	if v == nil {
		switch p.typ {
		case tStrList, tHashList:
			return []any{}, nil
		case tString:
			return nil, nil
		}
		return nil, BadRequest(exValidation, "Cannot bind argument to parameter '%s' because it is null.", p.Name)
	}
	switch p.typ {
	case tString:
		switch v.(type) {
		case []any, map[string]any:
			return nil, BadRequest(ExArgTransform, "Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"System.String\".", p.Name, psTypeName(v))
		}
		return psValue(v), nil
	case tBool, tSwitch:
		switch x := v.(type) {
		case bool:
			return x, nil
		case json.Number:
			if n, err := x.Float64(); err == nil {
				return n != 0, nil
			}
		case float64:
			return x != 0, nil
		}
		return nil, BadRequest(ExArgTransform, "Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"System.Boolean\". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.", p.Name, psTypeName(v))
	case tInt:
		n, ok := toInt32(v)
		if !ok {
			return nil, BadRequest(ExParameterBinding, "Cannot bind parameter '%s'. Cannot convert value \"%s\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\"", p.Name, psValue(v))
		}
		if (p.min != 0 || p.max != 0) && (n < p.min || n > p.max) {
			return nil, BadRequest(exValidation, "Cannot validate argument on parameter '%s'. The %d argument is greater than the maximum allowed range of %d. Supply an argument that is less than or equal to %d and then try the command again.", p.Name, n, p.max, p.max).rangeFix(n, p)
		}
		return n, nil
	case tResultSize:
		if s, ok := v.(string); ok && strings.EqualFold(s, "Unlimited") {
			return "Unlimited", nil
		}
		n, ok := toInt32(v)
		if !ok || n < 1 {
			return nil, BadRequest(ExParameterBinding, "Cannot bind parameter 'ResultSize'. Cannot convert value \"%s\" to type \"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\". Error: \"The value %s is not valid. Valid values are 'Unlimited' or a positive integer.\"", psValue(v), psValue(v))
		}
		return n, nil
	case tEnum:
		s, ok := v.(string)
		if ok {
			for _, e := range p.enum.values {
				if strings.EqualFold(e, s) {
					return e, nil
				}
			}
		}
		return nil, BadRequest(ExParameterBinding, "Cannot bind parameter '%s'. Cannot convert value \"%s\" to type \"%s\". Error: \"Unable to match the identifier name %s to a valid enumerator name. Specify one of the following enumerator names and try again:\r\n%s\"",
			p.Name, psValue(v), p.enum.typeName, psValue(v), strings.Join(p.enum.values, ", "))
	case tStrList:
		return bindEach(v, func(item any) (any, *Error) {
			switch item.(type) {
			case nil, []any, map[string]any:
				return nil, BadRequest(ExArgTransform, "Cannot process argument transformation on parameter '%s'. Cannot convert value \"%s\" to type \"Microsoft.Exchange.Data.MultiValuedProperty`1[System.String]\".", p.Name, psTypeName(item))
			}
			return psValue(item), nil
		})
	case tHashList:
		return bindEach(v, func(item any) (any, *Error) {
			m, ok := item.(map[string]any)
			if !ok || m["@odata.type"] != "#Exchange.GenericHashTable" {
				return nil, BadRequest(ExArgTransform, "Cannot process argument transformation on parameter '%s'. Cannot convert the \"%s\" value of type \"%s\" to type \"System.Collections.Hashtable\".", p.Name, psValue(item), psTypeName(item))
			}
			h := make(map[string]any, len(m))
			for hk, hv := range m {
				if hk != "@odata.type" {
					h[hk] = hv
				}
			}
			return h, nil
		})
	}
	return v, nil
}

// bindEach binds a list parameter item by item; a single value binds as a one-item list, as
// PowerShell binds a scalar to an array parameter.
func bindEach(v any, bind func(item any) (any, *Error)) (any, *Error) {
	arr, ok := v.([]any)
	if !ok {
		arr = []any{v}
	}
	out := make([]any, 0, len(arr))
	for _, item := range arr {
		b, err := bind(item)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// rangeFix rewrites a range error for a value below the minimum, which PowerShell words differently.
func (e *Error) rangeFix(n int64, p *Param) *Error {
	if n < p.min {
		e.Human = fmt.Sprintf("Cannot validate argument on parameter '%s'. The %d argument is less than the minimum allowed range of %d. Supply an argument that is greater than or equal to %d and then try the command again.", p.Name, n, p.min, p.min)
	}
	return e
}

func toInt32(v any) (int64, bool) {
	var f float64
	switch x := v.(type) {
	case json.Number:
		n, err := x.Float64()
		if err != nil {
			return 0, false
		}
		f = n
	case float64:
		f = x
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 32)
		return n, err == nil
	default:
		return 0, false
	}
	if f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		return 0, false
	}
	return int64(f), true
}

// missingMandatory is what a non-interactive PowerShell host reports for absent mandatory parameters.
func missingMandatory(names []string) *Error {
	return BadRequest(ExParameterBinding, "Cannot process command because of one or more missing mandatory parameters: %s.", strings.Join(names, " "))
}

func Hashtable(kv ...string) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}
