package sim_test

// Behaviour knobs (latency, rate limits, faults, token lifetime), driven
// through the official clients like the contract tests.

import (
	"errors"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/resourcemanagerv2"
	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/services"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// startWith serves a bundled scenario with knobs.
func startWith(t *testing.T, name string, opts sim.Options) *sim.Server {
	t.Helper()
	sc, err := sim.Load(name)
	check(t, err)
	srv := sim.New(sc, opts)
	check(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { srv.Close() })
	return srv
}

// entries are the logged requests of one service, in arrival order.
func entries(srv *sim.Server, service string) []sim.LogEntry {
	var out []sim.LogEntry
	for _, e := range srv.Requests() {
		if e.Service == service {
			out = append(out, e)
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort by Seq: lines are logged as requests finish
		for j := i; j > 0 && out[j].Seq < out[j-1].Seq; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func resourceManager(t *testing.T, srv *sim.Server, token string) *resourcemanagerv2.ResourceManagerV2 {
	svc, err := resourcemanagerv2.NewResourceManagerV2(&resourcemanagerv2.ResourceManagerV2Options{URL: env(srv, "KS_DOCTOR_RESOURCE_MANAGER_URL"), Authenticator: auth(token)})
	check(t, err)
	return svc
}

// A 429 with Retry-After is retried by go-sdk-core, after the wait it asks
// for, and the retry succeeds; the log shows both.
func TestRetryAfter429RetriedBySDK(t *testing.T) {
	srv := startWith(t, "healthy-classic", sim.Options{Faults: []sim.Fault{
		{Service: "resource-manager", Path: "^/v2/resource_groups$", Kind: sim.FaultStatus, Status: 429, Count: 1},
	}})
	rm := resourceManager(t, srv, login(t, srv))
	rm.Service.EnableRetries(2, 5*time.Second)
	res, resp, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions())
	if err != nil || resp.StatusCode != 200 || len(res.Resources) != 2 {
		t.Fatalf("after retry: %v %v %+v", err, resp, res)
	}
	log := entries(srv, "resource-manager")
	if len(log) != 2 || log[0].Status != 429 || log[0].Knob != "fault:429" || log[1].Status != 200 || log[1].Knob != "" {
		t.Fatalf("log: %+v", log)
	}
	if gap := log[1].Start.Sub(log[0].Start); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, want Retry-After: 1 honoured", gap)
	}
}

// A hang outlasts the client's timeout; the server ends it on Close and
// leaves no goroutine behind.
func TestHangHitsClientTimeout(t *testing.T) {
	before := runtime.NumGoroutine()
	sc, err := sim.Load("healthy-classic")
	check(t, err)
	srv := sim.New(sc, sim.Options{Faults: []sim.Fault{{Service: "iks", Path: "^/v2/getCluster$", Kind: sim.FaultHang}}})
	check(t, srv.Start("127.0.0.1:0"))
	tr := &http.Transport{}
	k := iks(t, srv, login(t, srv))
	k.Service.SetHTTPClient(&http.Client{Transport: tr, Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, _, err = k.GetCluster(k.NewGetClusterOptions("mycluster"))
	var ne net.Error
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("want a client timeout, got %T %v", err, err)
	}
	if d := time.Since(start); d < 300*time.Millisecond || d > 3*time.Second {
		t.Errorf("timed out after %v", d)
	}
	// Another request is served meanwhile: the hang holds one request only.
	if _, _, err := k.GetClusterWorkers(k.NewGetClusterWorkersOptions("mycluster")); err != nil {
		t.Fatal(err)
	}
	check(t, srv.Close())
	tr.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
	log := entries(srv, "iks")
	if len(log) != 2 || log[0].Status != 0 || log[0].Knob != "fault:hang" || log[0].DurationMs < 250 {
		t.Errorf("log: %+v", log)
	}
}

// Each fault kind through the IKS client: status, code, and how go-sdk-core
// decodes it.
func TestFaultKindsIKS(t *testing.T) {
	srv := startWith(t, "healthy-classic", sim.Options{})
	k := iks(t, srv, login(t, srv))
	workers := func() ([]kubernetesserviceapiv1.Worker, *core.DetailedResponse, error) {
		return k.GetClusterWorkers(k.NewGetClusterWorkersOptions("mycluster"))
	}
	want, _, err := workers()
	check(t, err)
	fault := func(f sim.Fault) {
		t.Helper()
		f.Service, f.Path = "iks", `^/v1/clusters/[^/]+/workers$`
		check(t, srv.SetFaults(f))
	}
	for _, c := range []struct {
		status int
		code   string
	}{{403, "SIM403"}, {404, "SIM404"}, {500, "SIM500"}, {503, "SIM503"}, {429, "SIM429"}} {
		fault(sim.Fault{Kind: sim.FaultStatus, Status: c.status})
		_, resp, err := workers()
		ikscode(t, resp, err, c.status, c.code)
		if got := resp.Headers.Get("Retry-After"); (c.status == 429) != (got == "1") {
			t.Errorf("%d: Retry-After %q", c.status, got)
		}
	}
	fault(sim.Fault{Kind: sim.FaultStatus, Status: 503, RetryAfter: 7, Code: "E_CUSTOM"})
	_, resp, err := workers()
	ikscode(t, resp, err, 503, "E_CUSTOM")
	if resp.Headers.Get("Retry-After") != "7" {
		t.Errorf("Retry-After %q", resp.Headers.Get("Retry-After"))
	}

	fault(sim.Fault{Kind: sim.FaultExpired})
	_, resp, err = workers()
	ikscode(t, resp, err, 401, "A0003")

	fault(sim.Fault{Kind: sim.FaultReset})
	_, resp, err = workers()
	if err == nil || resp != nil || !strings.Contains(err.Error(), "reset") && !strings.Contains(err.Error(), "EOF") {
		t.Errorf("reset: resp %v err %v", resp, err)
	}

	fault(sim.Fault{Kind: sim.FaultMalformed})
	_, resp, err = workers()
	var sp *core.SDKProblem
	if !errors.As(err, &sp) || resp == nil || resp.StatusCode != 200 || len(resp.RawResult) == 0 || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("malformed: resp %v err %v", resp, err)
	}

	// go-sdk-core skips decoding an empty body; the generated client then
	// refuses to unmarshal nothing.
	fault(sim.Fault{Kind: sim.FaultEmpty})
	got, resp, err := workers()
	if !errors.As(err, &sp) || resp == nil || resp.StatusCode != 200 || got != nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("empty: %v %v %v", got, resp, err)
	}

	fault(sim.Fault{Kind: sim.FaultHuge, Size: 3 << 20})
	got, _, err = workers()
	if err != nil || len(got) != len(want) || *got[0].ID != *want[0].ID {
		t.Errorf("huge: %d workers, %v", len(got), err)
	}

	// A hang with a limit serves the request after it.
	fault(sim.Fault{Kind: sim.FaultHang, Hang: 150 * time.Millisecond})
	start := time.Now()
	if got, _, err = workers(); err != nil || len(got) != len(want) || time.Since(start) < 150*time.Millisecond {
		t.Errorf("slow: %d workers after %v, %v", len(got), time.Since(start), err)
	}

	// Count: the first matches fail, then the endpoint works again.
	fault(sim.Fault{Kind: sim.FaultStatus, Status: 500, Count: 2})
	for i, wantErr := range []bool{true, true, false} {
		if _, _, err := workers(); (err != nil) != wantErr {
			t.Errorf("request %d: %v", i, err)
		}
	}
	// Another endpoint was never affected.
	if _, _, err := k.GetCluster(k.NewGetClusterOptions("mycluster")); err != nil {
		t.Error(err)
	}

	var knobs []string
	var huge int64
	for _, e := range entries(srv, "iks") {
		if e.Knob != "" {
			knobs = append(knobs, e.Knob)
		}
		if e.Knob == "fault:huge" {
			huge = e.Bytes
		}
	}
	wantKnobs := "fault:403 fault:404 fault:500 fault:503 fault:429 fault:503 fault:expired fault:reset fault:malformed fault:empty fault:huge fault:hang fault:500 fault:500"
	// Go's transport retries a GET once when a reused connection is reset.
	if got := strings.ReplaceAll(strings.Join(knobs, " "), "fault:reset fault:reset", "fault:reset"); got != wantKnobs {
		t.Errorf("knobs logged:\n%s\nwant\n%s", got, wantKnobs)
	}
	if huge < 3<<20 {
		t.Errorf("huge body logged with %d bytes", huge)
	}
}

// The same faults through softlayer-go and a platform client: each in its
// service's own error shape.
func TestFaultKindsSoftLayerAndPlatform(t *testing.T) {
	srv := startWith(t, "orphan-cluster1", sim.Options{})
	tok := login(t, srv)
	acct := services.GetAccountService(slBearer(srv, tok))
	guests := func() ([]datatypes.Virtual_Guest, error) { return acct.Mask("id;hostname").GetVirtualGuests() }
	want, err := guests()
	check(t, err)
	sl := func(f sim.Fault) {
		t.Helper()
		f.Service, f.Path = "softlayer", "getVirtualGuests"
		check(t, srv.SetFaults(f))
	}
	for _, c := range []struct {
		f         sim.Fault
		status    int
		exception string
	}{
		{sim.Fault{Kind: sim.FaultStatus, Status: 429}, 429, "SoftLayer_Exception_WebService_RateLimitExceeded"},
		{sim.Fault{Kind: sim.FaultStatus, Status: 403}, 403, "SoftLayer_Exception_PermissionDenied"},
		{sim.Fault{Kind: sim.FaultStatus, Status: 404}, 404, "SoftLayer_Exception_ObjectNotFound"},
		{sim.Fault{Kind: sim.FaultStatus, Status: 503}, 503, "SoftLayer_Exception_Public"},
		{sim.Fault{Kind: sim.FaultExpired}, 500, "SoftLayer_Exception_Account_Authentication_AccessTokenValidation"},
	} {
		sl(c.f)
		_, err := guests()
		slErr(t, err, c.status, c.exception)
	}
	sl(sim.Fault{Kind: sim.FaultMalformed})
	if _, err := guests(); err == nil {
		t.Error("malformed body decoded")
	}
	sl(sim.Fault{Kind: sim.FaultReset})
	if _, err := guests(); err == nil {
		t.Error("reset connection answered")
	}
	sl(sim.Fault{Kind: sim.FaultHuge}) // the default 20 MiB
	got, err := guests()
	if err != nil || len(got) != len(want) || *got[0].Hostname != *want[0].Hostname {
		t.Errorf("huge: %d guests, %v", len(got), err)
	}

	rm := resourceManager(t, srv, tok)
	for _, c := range []struct {
		f            sim.Fault
		status       int
		code         string
		retryAfter   string
		fromSDKError bool
	}{
		{sim.Fault{Kind: sim.FaultExpired}, 401, "not_authorized", "", true},
		{sim.Fault{Kind: sim.FaultStatus, Status: 403}, 403, "forbidden", "", true},
		{sim.Fault{Kind: sim.FaultStatus, Status: 429, RetryAfter: 3}, 429, "SIM429", "3", true},
	} {
		c.f.Service = "resource-manager"
		check(t, srv.SetFaults(c.f))
		_, resp, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions())
		body := problem(t, resp, err, c.status)
		errs, _ := body["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["code"] != c.code || resp.Headers.Get("Retry-After") != c.retryAfter {
			t.Errorf("%v: body %v, Retry-After %q", c.f, body, resp.Headers.Get("Retry-After"))
		}
	}
	check(t, srv.SetFaults())
	if _, _, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions()); err != nil {
		t.Errorf("faults cleared: %v", err)
	}
}

// N+k rapid requests to one service: k are refused with 429 and
// Retry-After: 1; other services keep their own budget.
func TestRateLimitPerService(t *testing.T) {
	const n, k = 20, 6
	// The simulator's clock stands still: no bucket refills during the
	// test, however slowly a loaded machine sends the requests.
	frozen := time.Now()
	srv := startWith(t, "healthy-classic", sim.Options{RateLimit: n, RateLimits: map[string]float64{"softlayer": 2}, Now: func() time.Time { return frozen }})
	tok := login(t, srv)
	svc := iks(t, srv, tok)
	var mu sync.Mutex
	var wg sync.WaitGroup
	refused := 0
	for range n + k {
		wg.Go(func() {
			_, resp, err := svc.GetCluster(svc.NewGetClusterOptions("mycluster"))
			if err == nil {
				return
			}
			if body, _ := resp.Result.(map[string]any); resp.StatusCode != 429 || body["code"] != "SIM429" || resp.Headers.Get("Retry-After") != "1" {
				t.Errorf("refused with %d %v, Retry-After %q", resp.StatusCode, resp.Result, resp.Headers.Get("Retry-After"))
			}
			mu.Lock()
			refused++
			mu.Unlock()
		})
	}
	wg.Wait()
	if refused != k {
		t.Errorf("%d of %d requests refused, want %d", refused, n+k, k)
	}
	rm := resourceManager(t, srv, tok)
	for range 5 {
		if _, _, err := rm.ListResourceGroups(rm.NewListResourceGroupsOptions()); err != nil {
			t.Fatalf("another service was limited: %v", err)
		}
	}
	acct := services.GetAccountService(slBearer(srv, tok))
	var errs []error
	for range 3 {
		_, err := acct.Mask("id").GetObject()
		errs = append(errs, err)
	}
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("softlayer within its limit: %v", errs)
	}
	slErr(t, errs[2], 429, "SoftLayer_Exception_WebService_RateLimitExceeded")
	limited := 0
	for _, e := range srv.Requests() {
		if e.Knob == "rate-limit" {
			limited++
			if e.Status != 429 {
				t.Errorf("rate-limited entry %+v", e)
			}
		}
	}
	if limited != refused+1 {
		t.Errorf("%d rate-limited log entries, want %d", limited, refused+1)
	}
	// Lifted while serving.
	check(t, srv.SetRateLimit(0, nil))
	if _, err := acct.Mask("id").GetObject(); err != nil {
		t.Error(err)
	}
}

// Latency applies to every request, token endpoint included, and
// concurrent requests wait side by side.
func TestLatencyConcurrent(t *testing.T) {
	const latency = 100 * time.Millisecond
	srv := startWith(t, "healthy-classic", sim.Options{Latency: latency})
	start := time.Now()
	tok := login(t, srv)
	if d := time.Since(start); d < latency {
		t.Errorf("token in %v", d)
	}
	svc := iks(t, srv, tok)
	start = time.Now()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, _, err := svc.GetCluster(svc.NewGetClusterOptions("mycluster")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d < latency || d > 5*latency {
		t.Errorf("10 concurrent requests took %v with %v latency each", d, latency)
	}
	for _, e := range srv.Requests() {
		if e.LatencyMs != 100 || e.DurationMs < 100 {
			t.Errorf("entry %+v", e)
		}
	}

	srv.SetLatency(20*time.Millisecond, 30*time.Millisecond)
	before := len(srv.Requests())
	for range 5 {
		svc.GetCluster(svc.NewGetClusterOptions("mycluster"))
	}
	for _, e := range srv.Requests()[before:] {
		if e.LatencyMs < 20 || e.LatencyMs >= 50 {
			t.Errorf("latency with jitter %vms", e.LatencyMs)
		}
	}
}

func TestTokenLifetimeKnob(t *testing.T) {
	// The simulator's clock, moved by the test: the token expires without
	// the test waiting for it.
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	srv := startWith(t, "healthy-classic", sim.Options{TokenLifetime: 2 * time.Second, Now: now})
	a := &core.IamAuthenticator{ApiKey: srv.Scenario().Session.APIKey, URL: srv.URL() + sim.PrefixIAM}
	resp, err := a.RequestToken()
	check(t, err)
	if resp.ExpiresIn != 2 || resp.Expiration-time.Now().Unix() > 2 {
		t.Errorf("token response %+v", resp)
	}
	svc := iks(t, srv, resp.AccessToken)
	if _, _, err := svc.GetCluster(svc.NewGetClusterOptions("mycluster")); err != nil {
		t.Fatal(err)
	}
	clock.Add(int64(2100 * time.Millisecond))
	_, r, err := svc.GetCluster(svc.NewGetClusterOptions("mycluster"))
	ikscode(t, r, err, 401, "A0003")
}

func TestParseFault(t *testing.T) {
	for spec, want := range map[string]sim.Fault{
		"softlayer:getVirtualGuests=429:2x3":          {Service: "softlayer", Path: "getVirtualGuests", Kind: sim.FaultStatus, Status: 429, RetryAfter: 2, Count: 3},
		"GET iks:^/v1/clusters/[^/]+/workers$=hangx1": {Method: "GET", Service: "iks", Path: "^/v1/clusters/[^/]+/workers$", Kind: sim.FaultHang, Count: 1},
		"=503":                              {Kind: sim.FaultStatus, Status: 503},
		"iam:/identity/token=resetx2":       {Service: "iam", Path: "/identity/token", Kind: sim.FaultReset, Count: 2},
		"/v2/getWorkers=hang:1m30s":         {Path: "/v2/getWorkers", Kind: sim.FaultHang, Hang: 90 * time.Second},
		"vpc:subnets=huge:2MiBx4":           {Service: "vpc", Path: "subnets", Kind: sim.FaultHuge, Size: 2 << 20, Count: 4},
		"user-management:users=expired":     {Service: "user-management", Path: "users", Kind: sim.FaultExpired},
		"x=empty":                           {Path: "x", Kind: sim.FaultEmpty},
		"iam:policies=nullx1":               {Service: "iam", Path: "policies", Kind: sim.FaultNull, Count: 1},
		"softlayer:getHardware=emptyobject": {Service: "softlayer", Path: "getHardware", Kind: sim.FaultEmptyObject},
		"a=b=malformedx10":                  {Path: "a=b", Kind: sim.FaultMalformed, Count: 10},
	} {
		got, err := sim.ParseFault(spec)
		if err != nil || got != want {
			t.Errorf("%s: got %+v %v, want %+v", spec, got, err, want)
			continue
		}
		if again, err := sim.ParseFault(got.String()); err != nil || again != got {
			t.Errorf("%s: String %q does not parse back: %+v %v", spec, got.String(), again, err)
		}
	}
	for _, spec := range []string{"", "nokind", "x=", "x=teapot", "x=200", "x=600", "x=resetx0", "x=reset:1", "(=500",
		"x=hang:soon", "x=huge:2GiB", "x=429:-1", "nosuch:x=500"} {
		if f, err := sim.ParseFault(spec); err == nil {
			t.Errorf("%q accepted: %+v", spec, f)
		}
	}
	if err := (sim.Fault{Service: "nosuch", Kind: sim.FaultReset}).Validate(); err == nil {
		t.Error("unknown service accepted")
	}
	sc, _ := sim.Load("healthy-classic")
	srv := sim.New(sc, sim.Options{})
	if err := srv.SetFaults(sim.Fault{Path: "(", Kind: sim.FaultReset}); err == nil {
		t.Error("bad pattern accepted")
	}
	if err := srv.SetRateLimit(1, map[string]float64{"nosuch": 1}); err == nil {
		t.Error("unknown service rate accepted")
	}
	defer func() {
		if recover() == nil {
			t.Error("New accepted an invalid fault")
		}
	}()
	sim.New(sc, sim.Options{Faults: []sim.Fault{{Kind: "nope"}}})
}
