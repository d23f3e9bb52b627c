// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package pipeline

import (
	"strings"
	"sync"
)

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func (c *statsCounter) add(f func(*Stats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s.ByRoute == nil {
		c.s.ByRoute = map[string]int64{}
	}
	f(&c.s)
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByRoute = make(map[string]int64, len(c.s.ByRoute))
	for k, v := range c.s.ByRoute {
		out.ByRoute[k] = v
	}
	return out
}

// routeWords are the path segments kept verbatim in Stats keys; everything else becomes {id}.
var routeWords = map[string]bool{
	"v1.0": true, "identity": true, "conditionalAccess": true, "policies": true, "namedLocations": true,
	"identitySecurityDefaultsEnforcementPolicy": true, "authenticationStrengthPolicies": true,
	"users": true, "groups": true, "members": true, "directoryRoles": true, "roleManagement": true,
	"directory": true, "roleAssignments": true, "organization": true, "subscribedSkus": true,
	"$batch": true, "$count": true, "oauth2": true, "v2.0": true, "token": true, "discovery": true,
	"keys": true, "instance": true, ".well-known": true, "openid-configuration": true, "common": true,
	"exo": true, "ipps": true, "spo": true, "admin": true, "sharepoint": true, "settings": true,
	"authorizationPolicy": true, "authenticationMethodsPolicy": true, "authenticationMethodConfigurations": true,
	"_api": true, "SPO.Tenant": true, "_vti_bin": true, "client.svc": true, "ProcessQuery": true,
	"adminapi": true, "beta": true, "EXOModuleFile": true, "InvokeCommand": true, "nam01": true,
	"reports": true, "authenticationMethods": true, "userRegistrationDetails": true, "roleEligibilitySchedules": true,
	"roleAssignmentSchedules": true, "identityGovernance": true, "accessReviews": true, "definitions": true,
	"deviceManagement": true, "deviceCompliancePolicies": true, "deviceAppManagement": true, "managedAppPolicies": true,
	"servicePrincipals": true, "appRoleAssignedTo": true, "security": true, "secureScores": true,
}

func routeKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if !routeWords[s] {
			segs[i] = "{id}"
		}
	}
	return method + " /" + strings.Join(segs, "/")
}
