// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// startExchange starts a tenant and signs the writer in to Exchange Online: the tenant, the EXO
// endpoint and the token.
func startExchange(t *testing.T, opts Options) (*testTenant, string, string) {
	t.Helper()
	tt := startTenant(t, opts)
	exo := tt.Env()["HIPAA_EXCHANGE_ENDPOINT"]
	return tt, exo, tt.adminToken(false, exo)
}

// startCompliance starts a tenant and signs the writer in to Security & Compliance: the tenant,
// the token and the InvokeCommand base the client discovers.
func startCompliance(t *testing.T, opts Options) (*testTenant, string, string) {
	t.Helper()
	tt := startTenant(t, opts)
	tok := tt.adminToken(false, tt.Env()["HIPAA_COMPLIANCE_ENDPOINT"])
	return tt, tok, discoverIPPS(t, tt, tok)
}

// adminToken gets a client-secret token of the writer (reader=false) or reader app for resource
// (Graph, Exchange, Security & Compliance, SharePoint).
func (tt *testTenant) adminToken(reader bool, resource string) string {
	tt.t.Helper()
	env := tt.Env()
	id, secret := env["ARM_CLIENT_ID"], env["HIPAA_DEVTENANT_CLIENT_SECRET"]
	if reader {
		id, secret = env["HIPAA_DEVTENANT_READER_CLIENT_ID"], env["HIPAA_DEVTENANT_READER_CLIENT_SECRET"]
	}
	r := tt.tokenRequest(url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {resource + "/.default"}})
	if r.status != http.StatusOK {
		tt.t.Fatalf("token for %s: %d %v", resource, r.status, r.body)
	}
	return r.body["access_token"].(string)
}

// invoke runs one cmdlet against base (the EXO endpoint or the discovered IPPS base).
func (tt *testTenant) invoke(base, token, cmdlet string, params map[string]any, headers ...string) apiResult {
	tt.t.Helper()
	tid := tt.Env()["ARM_TENANT_ID"]
	if params == nil {
		params = map[string]any{}
	}
	body := map[string]any{"CmdletInput": map[string]any{"CmdletName": cmdlet, "Parameters": params}}
	u := base
	if !strings.Contains(u, "InvokeCommand") {
		u = base + "/adminapi/beta/" + tid + "/InvokeCommand"
	}
	h := append([]string{"X-ResponseFormat", "json", "X-AnchorMailbox", "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + tid}, headers...)
	return tt.do("POST", u, token, body, h...)
}

func (r apiResult) values() []map[string]any {
	arr, _ := r.body["value"].([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, v := range arr {
		out = append(out, v.(map[string]any))
	}
	return out
}

// exoDetail returns the "|"-split parts of error.details[0].message.
func (r apiResult) exoDetail() []string {
	e, _ := r.body["error"].(map[string]any)
	d, _ := e["details"].([]any)
	if len(d) == 0 {
		return nil
	}
	m, _ := d[0].(map[string]any)["message"].(string)
	return strings.Split(m, "|")
}

// doRaw is do for answers that are not JSON objects (CSOM arrays).
func (tt *testTenant) doRaw(method, u, token, body string, headers ...string) apiResult {
	tt.t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		tt.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	return tt.send(req, headers...)
}
