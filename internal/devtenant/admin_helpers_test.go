// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// adminToken gets a client-secret token of the writer (reader=false) or reader app for resource.
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
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := tt.client.Do(req)
	if err != nil {
		tt.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }() // Read to the end below; closing cannot fail the check.
	raw, _ := io.ReadAll(resp.Body)
	return apiResult{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
}
