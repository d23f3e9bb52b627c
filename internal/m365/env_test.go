// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"reflect"
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"ARM_ENVIRONMENT": "usgovernment", "HIPAA_AUTHORITY_HOST": "https://127.0.0.1:1/", "HIPAA_GRAPH_ENDPOINT": "https://127.0.0.1:1",
		"HIPAA_EXCHANGE_ENDPOINT": "https://127.0.0.1:1/exo", "HIPAA_COMPLIANCE_ENDPOINT": "https://127.0.0.1:1/ipps",
		"HIPAA_SHAREPOINT_ADMIN_ENDPOINT": "https://127.0.0.1:1/spo", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c",
		"ARM_CLIENT_SECRET": "s", "ARM_CLIENT_CERTIFICATE_PATH": "/p", "ARM_CLIENT_CERTIFICATE_PASSWORD": "pw",
		"ARM_USE_OIDC": "true", "ARM_OIDC_TOKEN": "tok", "ARM_OIDC_TOKEN_FILE_PATH": "/f", "ARM_USE_MSI": "1", "ARM_USE_CLI": "false",
	}
	got, err := ConfigFromEnv(func(k string) string { return env[k] }, "ua")
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Environment: EnvironmentUSGovernment,
		Endpoints: Endpoints{Authority: "https://127.0.0.1:1/", Graph: "https://127.0.0.1:1", Exchange: "https://127.0.0.1:1/exo",
			Compliance: "https://127.0.0.1:1/ipps", SharePointAdmin: "https://127.0.0.1:1/spo"},
		Credentials: Credentials{TenantID: "t", ClientID: "c", ClientSecret: "s", ClientCertificatePath: "/p", ClientCertificatePassword: "pw",
			UseOIDC: true, OIDCToken: "tok", OIDCTokenFilePath: "/f", UseMSI: true},
		UserAgent: "ua",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ConfigFromEnv =\n%+v\nwant\n%+v", got, want)
	}
}

func TestConfigFromEnv_invalidBooleans(t *testing.T) {
	env := map[string]string{"ARM_USE_OIDC": "yes", "ARM_USE_CLI": "maybe"}
	_, err := ConfigFromEnv(func(k string) string { return env[k] }, "")
	if err == nil || !strings.Contains(err.Error(), `ARM_USE_OIDC="yes" is not a boolean`) || !strings.Contains(err.Error(), `ARM_USE_CLI="maybe"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestSplitIDs(t *testing.T) {
	if got := SplitIDs(" a, ,b,"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Fatalf("SplitIDs = %v", got)
	}
	if got := EnvValues(func(string) string { return "" }).IDs(SettingEmergencyAccessUserIDs); got != nil {
		t.Fatalf("empty = %v", got)
	}
}
