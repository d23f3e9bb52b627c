// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Setting is one access setting: the provider attribute that sets it and the environment
// variable it falls back to. The provider and the drift CLI both resolve a Config through
// ResolveConfig, so that they authenticate exactly alike.
type Setting struct {
	Attribute string
	Env       string
}

// The access settings. The names are those of the azurerm/azuread providers (ARM_*) plus the
// HIPAA_* endpoint overrides devtenant's env.sh exports.
var (
	SettingEnvironment               = Setting{"environment", "ARM_ENVIRONMENT"}
	SettingAuthorityHost             = Setting{"endpoints.authority", "HIPAA_AUTHORITY_HOST"}
	SettingGraphEndpoint             = Setting{"endpoints.graph", "HIPAA_GRAPH_ENDPOINT"}
	SettingExchangeEndpoint          = Setting{"endpoints.exchange", "HIPAA_EXCHANGE_ENDPOINT"}
	SettingComplianceEndpoint        = Setting{"endpoints.compliance", "HIPAA_COMPLIANCE_ENDPOINT"}
	SettingSharePointAdminEndpoint   = Setting{"endpoints.sharepoint_admin", "HIPAA_SHAREPOINT_ADMIN_ENDPOINT"}
	SettingTenantID                  = Setting{"tenant_id", "ARM_TENANT_ID"}
	SettingClientID                  = Setting{"client_id", "ARM_CLIENT_ID"}
	SettingClientSecret              = Setting{"client_secret", "ARM_CLIENT_SECRET"}
	SettingClientCertificatePath     = Setting{"client_certificate_path", "ARM_CLIENT_CERTIFICATE_PATH"}
	SettingClientCertificatePassword = Setting{"client_certificate_password", "ARM_CLIENT_CERTIFICATE_PASSWORD"}
	SettingUseOIDC                   = Setting{"use_oidc", "ARM_USE_OIDC"}
	SettingOIDCToken                 = Setting{"oidc_token", "ARM_OIDC_TOKEN"}
	SettingOIDCTokenFilePath         = Setting{"oidc_token_file_path", "ARM_OIDC_TOKEN_FILE_PATH"}
	SettingUseMSI                    = Setting{"use_msi", "ARM_USE_MSI"}
	SettingUseCLI                    = Setting{"use_cli", "ARM_USE_CLI"}
	SettingEmergencyAccessUserIDs    = Setting{"emergency_access_user_ids", "HIPAA_EMERGENCY_ACCESS_USER_IDS"}
	SettingEmergencyAccessGroupIDs   = Setting{"emergency_access_group_ids", "HIPAA_EMERGENCY_ACCESS_GROUP_IDS"}
)

// Values supplies the value of each setting. The provider answers from its configuration and
// falls back to the environment; the CLI answers from the environment alone (EnvValues).
type Values interface {
	String(s Setting) string
	Bool(s Setting) (bool, error)
}

// ResolveConfig builds the Config of the settings, the one mapping from settings to Config.
func ResolveConfig(v Values, userAgent string) (Config, error) {
	var errs []error
	b := func(s Setting) bool {
		x, err := v.Bool(s)
		if err != nil {
			errs = append(errs, err)
		}
		return x
	}
	cfg := Config{
		Environment: Environment(v.String(SettingEnvironment)),
		Endpoints: Endpoints{
			Authority:       v.String(SettingAuthorityHost),
			Graph:           v.String(SettingGraphEndpoint),
			Exchange:        v.String(SettingExchangeEndpoint),
			Compliance:      v.String(SettingComplianceEndpoint),
			SharePointAdmin: v.String(SettingSharePointAdminEndpoint),
		},
		Credentials: Credentials{
			TenantID:                  v.String(SettingTenantID),
			ClientID:                  v.String(SettingClientID),
			ClientSecret:              v.String(SettingClientSecret),
			ClientCertificatePath:     v.String(SettingClientCertificatePath),
			ClientCertificatePassword: v.String(SettingClientCertificatePassword),
			UseOIDC:                   b(SettingUseOIDC),
			OIDCToken:                 v.String(SettingOIDCToken),
			OIDCTokenFilePath:         v.String(SettingOIDCTokenFilePath),
			UseMSI:                    b(SettingUseMSI),
			UseCLI:                    b(SettingUseCLI),
		},
		UserAgent: userAgent,
	}
	return cfg, errors.Join(errs...)
}

// EnvValues reads settings from environment variables through getenv (os.Getenv in production).
type EnvValues func(string) string

// String implements Values.
func (e EnvValues) String(s Setting) string { return e(s.Env) }

// Bool implements Values: empty is false, otherwise strconv.ParseBool.
func (e EnvValues) Bool(s Setting) (bool, error) {
	return ParseEnvBool(s.Env, e(s.Env))
}

// IDs reads a comma-separated list of ids.
func (e EnvValues) IDs(s Setting) []string { return SplitIDs(e(s.Env)) }

// ParseEnvBool parses the value of a boolean environment variable; empty means false.
func ParseEnvBool(name, value string) (bool, error) {
	if value == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(value)
	if err != nil {
		return false, fmt.Errorf("%s=%s is not a boolean; use true or false", name, strconv.Quote(value))
	}
	return b, nil
}

// ConfigFromEnv is the Config of the environment alone: how the drift CLI authenticates.
func ConfigFromEnv(getenv func(string) string, userAgent string) (Config, error) {
	return ResolveConfig(EnvValues(getenv), userAgent)
}

// SplitIDs splits a comma-separated list, dropping blanks.
func SplitIDs(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
