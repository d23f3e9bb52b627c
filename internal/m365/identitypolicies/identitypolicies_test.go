// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package identitypolicies_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/acctest/devtenanttest"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/identitypolicies"
)

// startTenant runs devtenant in-process with the noncompliant seed (everyone may invite guests,
// SMS and voice on, security defaults off) and returns it with a client of its writer app.
func startTenant(t *testing.T) (*devtenant.Server, *m365.Client) {
	t.Helper()
	return devtenanttest.Start(t, "noncompliant")
}

func TestAuthorizationUpdateReadsBack(t *testing.T) {
	ctx := context.Background()
	_, c := startTenant(t)
	p, err := identitypolicies.GetAuthorization(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetAllowInvitesFrom(); got == nil || got.String() != "everyone" {
		t.Fatalf("allowInvitesFrom = %v, want the seed's everyone", got)
	}
	patch := models.NewAuthorizationPolicy()
	admins := models.ADMINSANDGUESTINVITERS_ALLOWINVITESFROM
	patch.SetAllowInvitesFrom(&admins)
	if err := identitypolicies.UpdateAuthorization(ctx, c, patch); err != nil {
		t.Fatal(err)
	}
	last, err := identitypolicies.WaitForAuthorization(ctx, c, func(p models.AuthorizationPolicyable) bool {
		return p.GetAllowInvitesFrom() != nil && *p.GetAllowInvitesFrom() == admins
	})
	if err != nil || last == nil || *last.GetAllowInvitesFrom() != admins {
		t.Fatalf("after the wait: %v, %v", last, err)
	}
}

// A refused write names the object and the permission to grant.
func TestAuthorizationForbiddenNamesPermission(t *testing.T) {
	srv, c := startTenant(t)
	srv.Faults().FailNext("PATCH", "/v1.0/policies/authorizationPolicy", http.StatusForbidden, 1)
	err := identitypolicies.UpdateAuthorization(context.Background(), c, models.NewAuthorizationPolicy())
	if !m365.IsForbidden(err) || !strings.Contains(err.Error(), "Policy.ReadWrite.Authorization") ||
		!strings.Contains(err.Error(), identitypolicies.AuthorizationObject) {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthenticationMethods(t *testing.T) {
	ctx := context.Background()
	srv, c := startTenant(t)
	ids := []string{identitypolicies.MethodSMS, identitypolicies.MethodVoice, identitypolicies.MethodFido2, identitypolicies.MethodAuthenticator}
	configs, err := identitypolicies.GetAuthenticationMethods(ctx, c, ids)
	if err != nil {
		t.Fatal(err)
	}
	enabled := func(cfg models.AuthenticationMethodConfigurationable) bool {
		return cfg != nil && cfg.GetState() != nil && *cfg.GetState() == models.ENABLED_AUTHENTICATIONMETHODSTATE
	}
	if len(configs) != 4 || !enabled(configs[identitypolicies.MethodSMS]) {
		t.Fatalf("configs = %v, want four with SMS on (the seed)", configs)
	}
	body := models.NewSmsAuthenticationMethodConfiguration()
	off := models.DISABLED_AUTHENTICATIONMETHODSTATE
	body.SetState(&off)
	if err := identitypolicies.UpdateAuthenticationMethod(ctx, c, identitypolicies.MethodSMS, body); err != nil {
		t.Fatal(err)
	}
	err = identitypolicies.WaitForAuthenticationMethods(ctx, c, ids, func(m map[string]models.AuthenticationMethodConfigurationable) (bool, error) {
		return !enabled(m[identitypolicies.MethodSMS]), nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A read that fails names the configuration and the read permission.
	srv.Faults().FailNext("GET", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Voice", http.StatusForbidden, 1)
	_, err = identitypolicies.GetAuthenticationMethods(ctx, c, ids)
	if !m365.IsForbidden(err) || !strings.Contains(err.Error(), "Policy.Read.AuthenticationMethod") ||
		!strings.Contains(err.Error(), identitypolicies.AuthenticationMethodObject(identitypolicies.MethodVoice)) {
		t.Fatalf("err = %v", err)
	}
}

func TestSecurityDefaults(t *testing.T) {
	ctx := context.Background()
	_, c := startTenant(t)
	on, err := identitypolicies.SecurityDefaultsEnabled(ctx, c)
	if err != nil || on {
		t.Fatalf("enabled = %v, %v; want the seed's off", on, err)
	}
	for _, want := range []bool{true, false} {
		if err := identitypolicies.SetSecurityDefaults(ctx, c, want); err != nil {
			t.Fatalf("setting %v: %v", want, err)
		}
		if got, err := identitypolicies.SecurityDefaultsEnabled(ctx, c); err != nil || got != want {
			t.Fatalf("after setting %v: %v, %v", want, got, err)
		}
	}
}
