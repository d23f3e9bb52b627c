// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
	"github.com/hipaa365/terraform-provider-hipaa/internal/devtenant"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The speed target: a full assessment of a 10,000-user tenant whose every request takes
// 50 ms finishes within 1.5x of the round trips its data dependencies force, done one after the
// other. Run with `make bench`.

const (
	benchUsers   = 10000
	benchLatency = 50 * time.Millisecond
	// registrationPage is the $top the registration source asks for (snapshot.Specs).
	registrationPage = 999
	// seedRows is what the compliant seed has besides --users: break-glass + 16 clinic accounts.
	seedRows = 17
)

// naiveChecks is each automated control with the sources it reads, as a collector that knows
// nothing of batching or sharing would fetch them: once per control that needs them.
var naiveChecks = [][]snapshot.SourceID{
	{snapshot.GraphConditionalAccessPolicies}, {snapshot.GraphConditionalAccessPolicies}, {snapshot.GraphConditionalAccessPolicies},
	{snapshot.GraphConditionalAccessPolicies}, {snapshot.GraphConditionalAccessPolicies},
	{snapshot.GraphConditionalAccessPolicies, snapshot.GraphSecurityDefaults}, {snapshot.GraphConditionalAccessPolicies},
	{snapshot.GraphAuthenticationMethods}, {snapshot.GraphAuthenticationMethods}, {snapshot.GraphUserRegistrationDetails},
	{snapshot.GraphRoleAssignments}, {snapshot.GraphRoleAssignments, snapshot.GraphRoleEligibilitySchedules}, {snapshot.GraphAccessReviews},
	{snapshot.GraphSharePointSettings}, {snapshot.GraphSharePointSettings}, {snapshot.SharePointTenant}, {snapshot.SharePointTenant},
	{snapshot.SharePointTenant}, {snapshot.GraphSharePointSettings}, {snapshot.GraphSharePointSettings},
	{snapshot.GraphAuthorizationPolicy}, {snapshot.GraphAuthorizationPolicy},
	{snapshot.ExchangeAdminAuditLogConfig}, {snapshot.ExchangeOrganizationConfig}, {snapshot.ComplianceAuditRetentionPolicies, snapshot.GraphSubscribedSkus},
	{snapshot.ExchangeOutboundSpamPolicies, snapshot.ExchangeRemoteDomains}, {snapshot.ExchangeIRMConfiguration, snapshot.ExchangeOMEConfiguration},
	{snapshot.ExchangeTransportRules}, {snapshot.ExchangeMalwareFilterPolicies},
	{snapshot.ExchangeSafeLinksPolicies, snapshot.ExchangeSafeLinksRules, snapshot.GraphSubscribedSkus},
	{snapshot.ExchangeSafeAttachmentPolicies, snapshot.ExchangeSafeAttachmentRules, snapshot.GraphSubscribedSkus},
	{snapshot.ComplianceDlpPolicies, snapshot.ComplianceDlpRules}, {snapshot.ComplianceProtectionAlerts},
	{snapshot.GraphDeviceCompliancePolicies, snapshot.GraphSubscribedSkus}, {snapshot.GraphManagedAppPolicies, snapshot.GraphSubscribedSkus},
	{snapshot.GraphSecureScores}, {snapshot.GraphSubscribedSkus, snapshot.GraphOrganization},
	{snapshot.GraphGraphServicePrincipal, snapshot.GraphGraphAppRoleAssignedTo, snapshot.GraphServicePrincipals},
}

// collectNaive is the reference the benchmark compares with: one request at a time, one source
// per check per request, every page kept in memory, nothing shared.
func collectNaive(ctx context.Context, c *m365.Client) (map[snapshot.SourceID][]byte, error) {
	out := map[snapshot.SourceID][]byte{}
	for _, check := range naiveChecks {
		for _, id := range check {
			spec := snapshot.Specs[id]
			var body []byte
			switch spec.Kind {
			case snapshot.KindGraph:
				var pages []json.RawMessage
				for next := spec.Path; next != ""; {
					status, raw, err := c.GraphGet(ctx, next)
					if err != nil {
						return nil, err
					}
					if status != 200 {
						return nil, fmt.Errorf("%s: HTTP %d", id, status)
					}
					pages = append(pages, raw)
					var pg struct {
						Next string `json:"@odata.nextLink"`
					}
					_ = json.Unmarshal(raw, &pg)
					next = pg.Next
				}
				body, _ = json.Marshal(pages)
			case snapshot.KindExchange, snapshot.KindCompliance:
				cc := c.Exchange()
				if spec.Kind == snapshot.KindCompliance {
					cc = c.Compliance()
				}
				objs, err := cc.Invoke(ctx, spec.Cmdlet, nil)
				if err != nil && !m365.IsUnavailable(err) {
					return nil, err
				}
				body, _ = json.Marshal(objs)
			case snapshot.KindSharePoint:
				sp, err := c.SharePointAdmin(ctx)
				if err != nil {
					return nil, err
				}
				t, err := sp.Tenant(ctx)
				if err != nil {
					return nil, err
				}
				body, _ = json.Marshal(t)
			}
			out[id] = body
		}
	}
	return out, nil
}

// criticalPath is the number of requests that must go one after the other: signing in (what a
// fresh client sends before its first token), then the longest chain of one service. Graph:
// the first batch, then one more per further page of the registration report. Exchange: its
// token, then the cmdlets in waves of MaxConcurrentCommands. Compliance: token, region
// discovery, waves. SharePoint: token, SPO.Tenant.
func criticalPath(tb testing.TB, srv *devtenant.Server, users int) (rts int, detail string) {
	c := newClient(tb, srv)
	before := srv.Stats().Total
	if _, err := c.Token(context.Background(), c.Endpoints.Graph); err != nil {
		tb.Fatal(err)
	}
	signIn := int(srv.Stats().Total - before)
	exo, ipps := 0, 0
	for _, s := range snapshot.Specs {
		switch s.Kind {
		case snapshot.KindExchange:
			exo++
		case snapshot.KindCompliance:
			ipps++
		}
	}
	waves := func(n int) int { return (n + m365.MaxConcurrentCommands - 1) / m365.MaxConcurrentCommands }
	pages := (users + seedRows + registrationPage - 1) / registrationPage
	graph := signIn + pages // The first page rides in the first batch.
	chains := map[string]int{"graph": graph, "exchange": signIn + 1 + waves(exo), "compliance": signIn + 2 + waves(ipps), "sharepoint": signIn + 2}
	for _, v := range chains {
		rts = max(rts, v)
	}
	return rts, fmt.Sprintf("sign-in %d, graph %d (1 batch + %d more registration pages), exchange %d, compliance %d, sharepoint %d",
		signIn, graph, pages-1, chains["exchange"], chains["compliance"], chains["sharepoint"])
}

func benchTenant(b *testing.B) *devtenant.Server {
	srv, _ := startTenant(b, "compliant", benchUsers, benchLatency)
	return srv
}

func BenchmarkCollectFull(b *testing.B) {
	srv := benchTenant(b)
	rts, detail := criticalPath(b, srv, benchUsers)
	target := time.Duration(rts) * benchLatency
	perOp := benchCollections(b, srv, target, func(c *m365.Client) error {
		snap, err := Collect(context.Background(), c, AllSources(), Options{})
		if err != nil {
			return err
		}
		for id := range snapshot.Specs {
			if !snap.Has(id) {
				return fmt.Errorf("%s: %s", id, snap.Sources[id].Error)
			}
		}
		return nil
	})
	b.Logf("target: %d sequential round trips (%s) x %s = %s; measured %s per collection = %.2fx the target (goal <= 1.5x)",
		rts, detail, benchLatency, target, perOp.Round(time.Millisecond), float64(perOp)/float64(target))
}

func BenchmarkCollectNaive(b *testing.B) {
	srv := benchTenant(b)
	rts, _ := criticalPath(b, srv, benchUsers)
	target := time.Duration(rts) * benchLatency
	perOp := benchCollections(b, srv, target, func(c *m365.Client) error {
		_, err := collectNaive(context.Background(), c)
		return err
	})
	b.Logf("naive: %s per collection = %.2fx the target of %s", perOp.Round(time.Millisecond), float64(perOp)/float64(target), target)
}

// benchCollections times collect, each run with a new client (nothing cached, tokens fetched
// again), reports requests per run and the ratio to target, and returns the time per run.
func benchCollections(b *testing.B, srv *devtenant.Server, target time.Duration, collect func(*m365.Client) error) time.Duration {
	b.ReportAllocs()
	b.ResetTimer()
	var requests int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := newClient(b, srv)
		before := srv.Stats().Total
		b.StartTimer()
		err := collect(c)
		b.StopTimer()
		requests += srv.Stats().Total - before
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(float64(target.Milliseconds()), "target-ms")
	b.ReportMetric(float64(perOp)/float64(target), "x-target")
	return perOp
}

// TestCollectRequestBudget holds the collector to the batching rule: the Graph sources cost
// ceil(n/20) batches plus one per further page of the registration report; each cmdlet one
// request; plus region discovery, SPO.Tenant and signing in to the four services.
func TestCollectRequestBudget(t *testing.T) {
	const users = 2500
	srv, _ := startTenant(t, "compliant", users, 0)
	fresh := newClient(t, srv)
	before := srv.Stats().Total
	if _, err := fresh.Token(context.Background(), fresh.Endpoints.Graph); err != nil {
		t.Fatal(err)
	}
	signIn := int(srv.Stats().Total - before) // Metadata discovery + the first token.

	graph, cmdlets, spo := 0, 0, 0
	for _, s := range snapshot.Specs {
		switch s.Kind {
		case snapshot.KindGraph:
			graph++
		case snapshot.KindSharePoint:
			spo++
		default:
			cmdlets++
		}
	}
	pages := (users + seedRows + registrationPage - 1) / registrationPage
	budget := signIn + 3 /* Exchange, Compliance, SharePoint tokens */ +
		int(math.Ceil(float64(graph)/m365.MaxGraphBatch)) + (pages - 1) + cmdlets + 1 /* discovery */ + spo

	c := newClient(t, srv)
	before = srv.Stats().Total
	snap, err := Collect(context.Background(), c, AllSources(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	used := int(srv.Stats().Total - before)
	if used > budget {
		t.Errorf("full collection made %d requests, budget %d", used, budget)
	}
	var batches int64
	for k, v := range srv.Stats().ByRoute {
		if strings.HasSuffix(k, "/$batch") {
			batches += v
		}
	}
	var reg snapshot.RegistrationSummary
	if err := snap.Decode(snapshot.GraphUserRegistrationDetails, &reg); err != nil || reg.Pages != pages {
		t.Errorf("registration pages %d, want %d (%v)", reg.Pages, pages, err)
	}
	t.Logf("%d requests (budget %d: sign-in %d, %d Graph sources, %d registration pages, %d cmdlets); %d $batch requests",
		used, budget, signIn, graph, pages, cmdlets, batches)
}
