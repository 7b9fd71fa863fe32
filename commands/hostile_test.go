package commands

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/hostile"
	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// The hostile table: every read endpoint ks-doctor uses, answered in every
// hostile way internal/hostile knows. Whatever a service sends, the run
// must not crash, leak a credential (output, JSON, trace, or a redirect to
// another port), print a server's control characters, write anything, or
// run unbounded; it ends with the documented exit code for its findings,
// and every check that does not read the endpoint reports what it reports
// on a healthy run. A check "reads" an endpoint when a plain failed read
// of it (HTTP 500) changes that check: measured, not listed by hand.

// surface is one command on one scenario; endpoints are read through it.
type surface struct {
	name     string // for sub-test names
	scenario string
	args     []string // ks-doctor's arguments, --output json added
	expired  bool     // the session's access token is expired: the run refreshes it
}

var (
	classicCheck = surface{"check-classic", "healthy-classic", []string{"check", "-c", "mycluster"}, false}
	vpcCheck     = surface{"check-vpc", "healthy-vpc", []string{"check", "-c", "vpc-dev"}, false}
	refreshCheck = surface{"check-refresh", "healthy-classic", []string{"check", "-c", "mycluster"}, true}
	orphanWalk   = surface{"orphan", "orphan-cluster1", []string{"orphan"}, false}
	// A restricted user list: the owner's own record is read.
	restrictedCheck = surface{"check-restricted", "restricted-user-list", []string{"check", "-c", "billing"}, false}
)

type hostileEndpoint struct {
	on            surface
	service, path string // as sim.Fault and hostile.Rule match them
}

var hostileEndpoints = []hostileEndpoint{
	{classicCheck, "iks", `^/v2/getCluster$`},
	{classicCheck, "iks", `^/v1/clusters/[^/]+/workers$`},
	{classicCheck, "iks", `/workerpools$`},
	{classicCheck, "iks", `/clusterkeyowner$`},
	{classicCheck, "iks", `^/v1/credentials$`},
	{classicCheck, "iks", `^/v1/infra-permissions$`},
	{classicCheck, "resource-manager", `^/v2/resource_groups`},
	{classicCheck, "user-management", `/users$`},
	{restrictedCheck, "user-management", `/users/[^/]+$`},
	{classicCheck, "iam", `/settings/identity$`},
	{classicCheck, "account-management", `^/v4/accounts/`},
	{vpcCheck, "iam", `^/v1/policies$`},
	{vpcCheck, "iam", `^/v2/groups$`},
	{classicCheck, "softlayer", `getVirtualGuests`},
	{classicCheck, "softlayer", `getHardware`},
	{classicCheck, "softlayer", `getNetworkVlans`},
	{classicCheck, "softlayer", `getCurrentUser`},
	{vpcCheck, "iks", `^/v2/getWorkers$`},
	{vpcCheck, "vpc", `/endpoint_gateways$`},
	{vpcCheck, "vpc", `/subnets$`},
	{refreshCheck, "iam", `^/identity/token$`},
	{orphanWalk, "iks", `^/v2/classic/getClusters$`},
	{orphanWalk, "iks", `^/v1/credentials$`},
	{orphanWalk, "account-management", `^/coe/v2/accounts`},
	{orphanWalk, "iam", `^/identity/token$`},
	{orphanWalk, "softlayer", `getVirtualGuests`},
	{orphanWalk, "softlayer", `getHardware`},
}

// hostileKinds: every hostile.Kind, EchoAuth with both statuses.
var hostileKinds = []hostile.Rule{
	{Kind: hostile.Null}, {Kind: hostile.EmptyObject}, {Kind: hostile.HTML},
	{Kind: hostile.EchoAuth, Status: 400}, {Kind: hostile.EchoAuth, Status: 500},
	{Kind: hostile.Redirect}, {Kind: hostile.Drip}, {Kind: hostile.Huge}, {Kind: hostile.RetryAfter},
	{Kind: hostile.Control}, {Kind: hostile.Shell},
}

// reference is what a surface gives healthy and with one endpoint failing.
type reference struct {
	healthy runOutcome
	failed  map[string]runOutcome // by endpoint: a 500 on it
}

type runOutcome struct {
	res      runResult
	statuses map[string][]string // nil: stdout was not a findings document
}

// hostileWorkers rows run at once: children mostly wait (drips, retries,
// loopback I/O), so more than the two cores.
const hostileWorkers = 6

func TestTableHostileAnswers(t *testing.T) {
	heavyTable(t)
	refs := references(t)
	type row struct {
		name string
		e    hostileEndpoint
		rule hostile.Rule
		rec  *recorder
	}
	var rows []*row
	for _, e := range hostileEndpoints {
		for _, k := range hostileKinds {
			name := fmt.Sprintf("%s/%s%s/%s", e.on.name, e.service, e.path, k.Kind)
			if k.Status != 0 {
				name += fmt.Sprint(k.Status)
			}
			rule := k
			rule.Service, rule.Path = e.service, e.path
			rows = append(rows, &row{name: name, e: e, rule: rule, rec: newRecorder(t)})
		}
	}
	// Sub-tests of a parallel table share -test.parallel (GOMAXPROCS, 2
	// here) with everything else; a pool runs the rows, sub-tests report.
	work := make(chan *row)
	var wg sync.WaitGroup
	for range hostileWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				r.rec.do(func() { hostileRow(r.rec, r.e, r.rule, refs[r.e.on.name]) })
			}
		}()
	}
	for _, r := range rows {
		work <- r
	}
	close(work)
	wg.Wait()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) { r.rec.report(t) })
	}
}

// references runs every surface healthy, and with each of its endpoints
// answering 500 (no retries), all in parallel.
func references(t *testing.T) map[string]*reference {
	refs := map[string]*reference{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var recs []*recorder
	do := func(s surface, f *sim.Fault, t *recorder) {
		defer wg.Done()
		w := newHostileWorld(t, s.scenario, s.expired)
		if f != nil {
			if err := w.srv.SetFaults(*f); err != nil {
				t.Errorf("%v", err)
				return
			}
		}
		front := startLayer(t, w) // no rule: every request reaches the simulator
		dir := t.TempDir()
		env := childEnv(front.Env(w.env, w.srv.URL()), dir, true)
		res := runKsDoctor(t, env, append(append([]string{}, s.args...), "--output", "json"))
		o := outcome(res[0])
		traceLog, _ := os.ReadFile(filepath.Join(dir, "trace.log"))
		if len(traceLog) == 0 {
			t.Errorf("%s: IBMCLOUD_TRACE wrote nothing: the trace is not checked", s.name)
		}
		secrets := append(w.srv.Scenario().Secrets(), sessionTokens(t, w.home)...)
		if leak := leaked(string(traceLog), secrets); leak != "" {
			t.Errorf("%s %v: the trace leaks %s", s.name, f, leak)
		}
		mu.Lock()
		defer mu.Unlock()
		if f == nil {
			refs[s.name].healthy = o
		} else {
			refs[s.name].failed[f.Service+f.Path] = o
		}
	}
	for _, s := range []surface{classicCheck, vpcCheck, refreshCheck, orphanWalk, restrictedCheck} {
		refs[s.name] = &reference{failed: map[string]runOutcome{}}
		wg.Add(1)
		r := newRecorder(t)
		recs = append(recs, r)
		go r.do(func() { do(s, nil, r) })
	}
	for _, e := range hostileEndpoints {
		wg.Add(1)
		r := newRecorder(t)
		recs = append(recs, r)
		go r.do(func() { do(e.on, &sim.Fault{Service: e.service, Path: e.path, Kind: sim.FaultStatus, Status: 500}, r) })
	}
	wg.Wait()
	for _, r := range recs {
		r.report(t)
	}
	if t.Failed() {
		t.FailNow()
	}
	for name, r := range refs {
		if r.healthy.statuses == nil {
			t.Fatalf("%s: the healthy run printed no findings:\n%s", name, r.healthy.res.Stderr)
		}
	}
	return refs
}

// childEnv is the simulated session's environment for a child, retries
// kept short, and with traced the trace written to a file in dir.
func childEnv(env map[string]string, dir string, traced bool) map[string]string {
	out := map[string]string{"KS_DOCTOR_RETRIES": "1", "KS_DOCTOR_RETRY_WAIT": "5ms", EnvMaxBody: strconv.Itoa(2 << 20)}
	if traced {
		out["IBMCLOUD_TRACE"] = filepath.Join(dir, "trace.log")
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// outcome parses a run's findings: check's "findings", or the orphan
// walk's document as a whole (its statuses under "status").
func outcome(res runResult) runOutcome {
	o := runOutcome{res: res}
	var doc struct {
		Findings []struct{ Check, Status string }
		Clusters []struct{ Name, Status string }
	}
	if json.Unmarshal([]byte(res.Stdout), &doc) != nil || doc.Findings == nil && doc.Clusters == nil {
		return o
	}
	o.statuses = map[string][]string{}
	for _, f := range doc.Findings {
		o.statuses[f.Check] = append(o.statuses[f.Check], f.Status)
	}
	for _, c := range doc.Clusters { // the orphan walk: one verdict per cluster
		o.statuses["cluster "+c.Name] = append(o.statuses["cluster "+c.Name], c.Status)
	}
	return o
}

// wantCode is the documented exit code for findings (README, SPEC): 1
// when one failed (for orphan: a cluster orphaned or mixed), else 3 when
// one is unknown, else 0.
func wantCode(st map[string][]string) int {
	code := 0
	for _, sts := range st {
		for _, s := range sts {
			if s == "fail" || s == "orphaned" || s == "mixed" { // orphan: 1 when an orphan is found
				return 1
			}
			if s == "unknown" {
				code = 3
			}
		}
	}
	return code
}

// readsOf are the checks a failed read of the endpoint changes.
func readsOf(ref *reference, e hostileEndpoint) (map[string]bool, bool) {
	failed, ok := ref.failed[e.service+e.path]
	if !ok || failed.statuses == nil {
		return nil, false // the run stops when it cannot read this endpoint
	}
	reads := map[string]bool{}
	for c, want := range ref.healthy.statuses {
		if !slices.Equal(failed.statuses[c], want) {
			reads[c] = true
		}
	}
	return reads, true
}

// hostileRow runs one row.
func hostileRow(t hostileT, e hostileEndpoint, rule hostile.Rule, ref *reference) {
	w := newHostileWorld(t, e.on.scenario, e.on.expired)
	layer := startLayer(t, w, rule)
	dir := t.TempDir()
	env := childEnv(layer.Env(w.env, w.srv.URL()), dir, traced(e, rule))
	before := sessionTokens(t, w.home)
	runs := [][]string{append(append([]string{}, e.on.args...), "--output", "json")}
	if rule.Kind == hostile.Control || rule.Kind == hostile.Shell {
		runs = append(runs, e.on.args) // the text a person reads, too
	}
	res := runKsDoctor(t, env, runs...)
	if layer.Hits() == 0 {
		t.Fatalf("the endpoint was never read: the row proves nothing")
	}
	traceLog, _ := os.ReadFile(filepath.Join(dir, "trace.log"))
	if traced(e, rule) && len(traceLog) == 0 {
		t.Errorf("IBMCLOUD_TRACE wrote nothing: the trace is not checked")
	}
	secrets := append(append(w.srv.Scenario().Secrets(), before...), sessionTokens(t, w.home)...)
	for _, r := range res {
		for where, text := range map[string]string{"stdout": r.Stdout, "stderr": r.Stderr, "trace": string(traceLog)} {
			if leak := leaked(text, secrets); leak != "" {
				t.Errorf("%s leaks %s", where, leak)
			}
		}
		if strings.Contains(r.Stderr, "stopped unexpectedly") {
			t.Errorf("a recovered panic: %s", strings.TrimSpace(r.Stderr))
		}
		if r.Seconds > hostileBound.Seconds() {
			t.Errorf("took %.1fs (bound %s)", r.Seconds, hostileBound)
		}
	}
	if got := layer.Received(); len(got) > 0 {
		t.Errorf("credentials sent to another port after a redirect: %s %s %s", got[0].Method, got[0].Path, got[0].Header)
	}
	if v := w.srv.Violations(); len(v) > 0 {
		t.Errorf("a call that would change something: %s %s", v[0].Method, v[0].Path)
	}
	if len(res) > 1 {
		if c := controlChars(res[1].Stdout + res[1].Stderr); c != "" {
			t.Errorf("the text output holds the server's control character %q", c)
		}
	}
	judge(t, e, rule, ref, outcome(res[0]))
}

// traced tells whether a row runs with IBMCLOUD_TRACE. The trace dumps
// every request and answer; a hostile answer can bring a credential into
// it only by echoing one (EchoAuth), by moving the request (Redirect), or
// on the token endpoint, whose requests carry the refresh token. Request
// dumps of every surface are checked by the references (healthy and 500
// runs, all traced). Tracing every row would double the table's time: the
// trace scrubs every dumped body.
func traced(e hostileEndpoint, rule hostile.Rule) bool {
	return rule.Kind == hostile.EchoAuth || rule.Kind == hostile.Redirect || strings.HasSuffix(e.path, "/identity/token$")
}

// startLayer puts a hostile layer with rules in front of w's simulator.
func startLayer(t hostileT, w *world, rules ...hostile.Rule) *hostile.Layer {
	t.Helper()
	// A huge answer is huge next to the cap the rows give ks-doctor
	// (childEnv): the same behaviour as 72 MiB against 64 MiB, without
	// streaming gigabytes through the race detector.
	layer, err := hostile.New(w.srv.Handler(), hostile.Options{HugeSize: 3 << 20}, rules...)
	if err != nil {
		t.Fatal(err)
	}
	if err := layer.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { layer.Close() })
	return layer
}

// judge compares the run's findings and exit code with the references.
func judge(t hostileT, e hostileEndpoint, rule hostile.Rule, ref *reference, got runOutcome) {
	t.Helper()
	if rule.Kind == hostile.Drip { // slow but whole: nothing may change
		if !maps2Equal(got.statuses, ref.healthy.statuses) || got.res.Code != ref.healthy.res.Code {
			t.Errorf("a slow answer changed the run: exit %d, want %d; %s", got.res.Code, ref.healthy.res.Code, diff(got.statuses, ref.healthy.statuses))
		}
		return
	}
	reads, ok := readsOf(ref, e)
	if !ok { // a failed read of this endpoint stops the run: so may a hostile one
		failed := ref.failed[e.service+e.path]
		if got.statuses == nil && got.res.Code != failed.res.Code {
			t.Errorf("exit %d, want %d as when the read fails\n%s", got.res.Code, failed.res.Code, got.res.Stderr)
		}
		if got.statuses != nil && got.res.Code != wantCode(got.statuses) {
			t.Errorf("exit %d, want %d for its findings", got.res.Code, wantCode(got.statuses))
		}
		return
	}
	if got.statuses == nil {
		t.Errorf("no findings document (exit %d); a failed read of this endpoint gives one\nstderr: %s", got.res.Code, lastLines(got.res.Stderr, 3))
		return
	}
	for c, want := range ref.healthy.statuses {
		if !reads[c] && !slices.Equal(got.statuses[c], want) {
			t.Errorf("%s: %v, want %v as on a healthy run (it does not read this endpoint)", c, got.statuses[c], want)
		}
	}
	if got.res.Code != wantCode(got.statuses) {
		t.Errorf("exit %d, want %d for its findings", got.res.Code, wantCode(got.statuses))
	}
}
