// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package m365

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestEndpointsFor(t *testing.T) {
	e, err := EndpointsFor("", Endpoints{})
	if err != nil || e.Graph != "https://graph.microsoft.com" || e.Authority != "https://login.microsoftonline.com/" {
		t.Fatalf("public defaults: %+v %v", e, err)
	}
	e, _ = EndpointsFor(EnvironmentUSGovernment, Endpoints{})
	if e.Graph != "https://graph.microsoft.us" {
		t.Fatalf("usgovernment graph = %q", e.Graph)
	}
	e, _ = EndpointsFor(EnvironmentPublic, Endpoints{Authority: "https://127.0.0.1:8443", Graph: "https://127.0.0.1:8443/"})
	if e.Authority != "https://127.0.0.1:8443/" || e.Graph != "https://127.0.0.1:8443" {
		t.Fatalf("overrides not normalised: %+v", e)
	}
	if _, err := EndpointsFor("mars", Endpoints{}); err == nil {
		t.Fatal("unknown environment accepted")
	}
}

func TestScope(t *testing.T) {
	if got := Scope("https://graph.microsoft.com"); got != "https://graph.microsoft.com/.default" {
		t.Fatal(got)
	}
	if got := Scope("https://127.0.0.1:9/exo/"); got != "https://127.0.0.1:9/exo/.default" {
		t.Fatal(got)
	}
}

func TestNewClient_rejectsPlainHTTPAndMissingCredential(t *testing.T) {
	_, err := NewClient(Config{Endpoints: Endpoints{Graph: "http://127.0.0.1:1"}, Credentials: Credentials{TenantID: "t", ClientID: "c", ClientSecret: "s"}})
	if err == nil {
		t.Fatal("http:// Graph endpoint accepted")
	}
	_, err = NewClient(Config{Endpoints: Endpoints{Exchange: "http://127.0.0.1:1/exo"}, Credentials: Credentials{TenantID: "t", ClientID: "c", ClientSecret: "s"}})
	if err == nil {
		t.Fatal("http:// Exchange endpoint accepted")
	}
	_, err = NewClient(Config{Credentials: Credentials{TenantID: "t", ClientID: "c"}})
	if err == nil {
		t.Fatal("no credential accepted")
	}
}

func TestWriteGate_serialisesAndSpaces(t *testing.T) {
	old := ConditionalAccessWriteSpacing
	ConditionalAccessWriteSpacing = 50 * time.Millisecond
	defer func() { ConditionalAccessWriteSpacing = old }()

	g := gateFor(t.Name())
	var mu sync.Mutex
	var starts []time.Time
	running := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = g.do(context.Background(), func(context.Context) error {
				mu.Lock()
				running++
				if running > 1 {
					t.Error("two writes ran at once")
				}
				starts = append(starts, time.Now())
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
				mu.Lock()
				running--
				mu.Unlock()
				return nil
			})
		}()
	}
	wg.Wait()
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 45*time.Millisecond {
			t.Errorf("writes %d and %d only %v apart", i-1, i, gap)
		}
	}
	if gateFor(t.Name()) != g {
		t.Error("the gate of a tenant must be shared")
	}
}
