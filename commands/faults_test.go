package commands

import (
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// The fault matrix: every read endpoint `check -c` uses, failing in every
// way IBM Cloud can fail. The run must end with the affected checks unknown
// or skipped, every other check exactly as on a healthy run, the exit code
// that matches the findings, no secret in any output and no write call.
// Faults that a retry or a refresh can absorb must leave no trace at all.
func TestTableFaults(t *testing.T) {
	heavyTable(t)
	type endpoint struct {
		scenario, cluster, service, path string
		affected                         []string // checks that read it
	}
	endpoints := []endpoint{
		{"healthy-classic", "mycluster", "iks", `/v1/clusters/[^/]+/workers$`, []string{"workers.state", "workers.message", "workers.duplicate-ip", "workers.version", "infra.orphan", "credentials.registry"}},
		{"healthy-classic", "mycluster", "iks", `^/v1/versions$`, []string{"cluster.version", "workers.version"}},
		{"healthy-classic", "mycluster", "iks", `/workerpools$`, []string{"infra.vlan"}},
		{"healthy-classic", "mycluster", "iks", `/clusterkeyowner$`, []string{"apikey.owner"}},
		{"healthy-classic", "mycluster", "iks", `^/v1/credentials$`, []string{"credentials.manual", "infra.orphan", "infra.vlan"}},
		{"healthy-classic", "mycluster", "iks", `^/v1/infra-permissions$`, []string{"apikey.permissions"}},
		{"healthy-classic", "mycluster", "resource-manager", `/resource_groups`, nil},
		{"healthy-classic", "mycluster", "user-management", `/users`, []string{"apikey.owner"}},
		{"healthy-classic", "mycluster", "iam", `/settings/identity$`, []string{"account.totp"}},
		{"healthy-classic", "mycluster", "account-management", `/v4/accounts/`, []string{"account.paid"}},
		{"healthy-classic", "mycluster", "softlayer", `getVirtualGuests`, []string{"infra.orphan"}},
		{"healthy-classic", "mycluster", "softlayer", `getNetworkVlans`, []string{"infra.vlan"}},
		{"healthy-vpc", "vpc-dev", "vpc", `/endpoint_gateways`, []string{"vpc.vpe-gateway"}},
		{"healthy-vpc", "vpc-dev", "iam", `^/v1/policies$`, []string{"apikey.permissions"}},
		{"healthy-vpc", "vpc-dev", "iam", `^/v2/groups$`, []string{"apikey.permissions"}},
		{"healthy-vpc", "vpc-dev", "iks", `^/v2/getWorkers$`, []string{"workers.state", "workers.message", "workers.duplicate-ip", "workers.version", "vpc.vpe-gateway", "credentials.registry"}},
		{"healthy-vpc", "vpc-dev", "vpc", `/subnets$`, []string{"vpc.vpe-gateway"}},
	}
	kinds := []struct {
		name    string
		fault   sim.Fault
		absorbs bool // a retry or a token refresh makes the run succeed
	}{
		{"401-expired", sim.Fault{Kind: sim.FaultExpired}, false},
		{"403", sim.Fault{Kind: sim.FaultStatus, Status: 403}, false},
		{"404", sim.Fault{Kind: sim.FaultStatus, Status: 404}, false},
		{"429-once", sim.Fault{Kind: sim.FaultStatus, Status: 429, RetryAfter: 1, Count: 1}, true},
		{"500", sim.Fault{Kind: sim.FaultStatus, Status: 500}, false},
		{"503-once", sim.Fault{Kind: sim.FaultStatus, Status: 503, Count: 1}, true},
		{"503", sim.Fault{Kind: sim.FaultStatus, Status: 503}, false},
		{"reset", sim.Fault{Kind: sim.FaultReset}, false},
		{"hang", sim.Fault{Kind: sim.FaultHang}, false},
		{"malformed", sim.Fault{Kind: sim.FaultMalformed}, false},
		{"empty", sim.Fault{Kind: sim.FaultEmpty}, false},
		{"huge", sim.Fault{Kind: sim.FaultHuge, Size: 1 << 20}, true},
	}
	baseline := map[string]map[string][]string{}
	for _, sc := range []string{"healthy-classic", "healthy-vpc"} {
		w := newWorld(t, sc, session{})
		cl := map[string]string{"healthy-classic": "mycluster", "healthy-vpc": "vpc-dev"}[sc]
		stdout, _, code := w.run(t, "en_US", "check", "-c", cl, "--output", "json")
		if code != 0 {
			t.Fatalf("%s baseline exit %d", sc, code)
		}
		baseline[sc] = statuses(t, stdout)
	}
	goroutines := runtime.NumGoroutine()
	// The rows run side by side, each on its own simulator; the group
	// returns when every row is done.
	t.Run("rows", func(t *testing.T) {
		for _, e := range endpoints {
			for _, k := range kinds {
				t.Run(e.service+e.path+"/"+k.name, func(t *testing.T) {
					t.Parallel()
					w := newWorld(t, e.scenario, session{})
					f := k.fault
					f.Service, f.Path = e.service, e.path
					if err := w.srv.SetFaults(f); err != nil {
						t.Fatal(err)
					}
					w.env["KS_DOCTOR_RETRIES"], w.env["KS_DOCTOR_RETRY_WAIT"] = "2", "5ms"
					args := []string{"check", "-c", e.cluster, "--output", "json"}
					if k.name == "hang" {
						args = append(args, "--timeout", "1s")
					}
					stdout, stderr, code := w.run(t, "en_US", args...)
					w.noSecrets(t, stdout, stderr)
					w.readOnly(t)
					got := statuses(t, stdout)
					for check, want := range baseline[e.scenario] {
						affected := slices.Contains(e.affected, check)
						// The simulator pads a huge answer with a string
						// property; the versions answer is a map of lists,
						// which no string fits: that read fails, as it should.
						absorbs := k.absorbs && !(k.name == "huge" && e.path == `^/v1/versions$`)
						switch {
						case absorbs || !affected:
							if !slices.Equal(got[check], want) {
								t.Errorf("%s: %v, want %v as on a healthy run", check, got[check], want)
							}
						default:
							for _, st := range got[check] {
								if st != "unknown" && st != "skipped" && !(k.name == "404" && check == "credentials.manual") {
									t.Errorf("%s: %v, want unknown or skipped", check, got[check])
								}
							}
						}
					}
					want := 0
					for _, sts := range got {
						for _, st := range sts {
							switch {
							case st == "fail":
								want = 1
							case st == "unknown" && want == 0:
								want = 3
							}
						}
					}
					// A hang is cut by --timeout: the run is incomplete, which
					// is exit 3 unless something failed.
					if k.name == "hang" && want == 0 {
						want = 3
					}
					if code != want {
						t.Errorf("exit %d, want %d for these findings\n%s", code, want, stderr)
					}
					if incomplete := strings.Contains(stdout, `"incomplete": true`); incomplete != (k.name == "hang") {
						t.Errorf("incomplete is %v after a %s", incomplete, k.name)
					}
				})
			}
		}
	})
	// Reads that were cut off (hangs, resets) must not leave goroutines
	// behind once their servers are gone.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines+20 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+20 {
		t.Errorf("%d goroutines left, %d before the matrix", n, goroutines)
	}
}

// statuses maps each check of a `check --output json` document to the
// statuses of its findings.
func statuses(t *testing.T, stdout string) map[string][]string {
	t.Helper()
	var doc struct {
		Findings []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, strings.TrimSpace(stdout))
	}
	m := map[string][]string{}
	for _, f := range doc.Findings {
		m[f.Check] = append(m[f.Check], f.Status)
	}
	return m
}

// The orphan walk under the same faults, on the endpoints only it reads
// (the classic cluster list, the accounts list, the account-bound token
// exchange, the device listings): the walk goes on, what could not be read
// is unknown, the JSON stays whole, no secret, no write.
func TestTableOrphanFaults(t *testing.T) {
	heavyTable(t)
	for _, e := range []struct{ service, path string }{
		{"iks", `^/v2/classic/getClusters$`},
		{"iks", `/v1/clusters/[^/]+/workers$`},
		{"iks", `^/v1/credentials$`},
		{"account-management", `/coe/v2/accounts`},
		{"iam", `^/identity/token$`},
		{"softlayer", `getVirtualGuests`},
		{"softlayer", `getHardware`},
	} {
		for _, f := range []sim.Fault{
			{Kind: sim.FaultStatus, Status: 403}, {Kind: sim.FaultStatus, Status: 500},
			{Kind: sim.FaultReset}, {Kind: sim.FaultMalformed}, {Kind: sim.FaultEmpty},
		} {
			t.Run(fmt.Sprintf("%s%s/%s%d", e.service, e.path, f.Kind, f.Status), func(t *testing.T) {
				w := newWorld(t, "orphan-cluster1", session{})
				f.Service, f.Path = e.service, e.path
				if err := w.srv.SetFaults(f); err != nil {
					t.Fatal(err)
				}
				w.env["KS_DOCTOR_RETRIES"], w.env["KS_DOCTOR_RETRY_WAIT"] = "1", "5ms"
				stdout, stderr, code := w.run(t, "en_US", "orphan", "--output", "json")
				if code != 1 && code != 3 {
					t.Errorf("exit %d, want 1 (an orphan still found) or 3 (unknown)\n%s", code, stderr)
				}
				if !json.Valid([]byte(stdout)) {
					t.Errorf("not one JSON document: %s", stdout)
				}
				w.noSecrets(t, stdout, stderr)
				w.readOnly(t)
			})
		}
	}
}
