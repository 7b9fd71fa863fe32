package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Every bundled scenario that models a runbook of seeds 000/001 makes the
// built binary reach that runbook's finding, end to end: the simulator
// binary serves the scenario, ks-doctor runs as the CLI would run it, in
// English, Japanese and JSON, against golden files.
func TestScenarios(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	for _, c := range []struct {
		scenario, cluster string
		check, status     string // the finding the runbook reaches
		code              int
	}{
		{"healthy-classic", "", "infra.orphan", "ok", 0},
		{"healthy-vpc", "", "vpc.vpe-gateway", "ok", 0},
		{"apikey-permissions", "", "apikey.permissions", "fail", 1},
		{"apikey-owner-pending-deletion", "", "apikey.owner", "fail", 1},
		{"manual-credentials-other-account", "", "credentials.manual", "warn", 1},
		{"rg-mismatch", "", "session.resource-group", "warn", 1},
		{"orphan-cluster1", "Cluster1", "infra.orphan", "fail", 1},
		{"orphan-cluster2", "Cluster2", "infra.orphan", "fail", 1},
		{"totp-payg", "", "account.totp", "fail", 1},
		{"vpe-missing", "", "vpc.vpe-gateway", "fail", 1},
		{"vpe-pending", "", "vpc.vpe-gateway", "fail", 1},
		{"worker-states", "", "workers.state", "fail", 1},
		{"worker-messages", "", "workers.message", "fail", 1},
		{"vlan-reclaimed", "", "infra.vlan", "fail", 1},
		{"bare-metal-id-changed", "", "workers.message", "fail", 1},
		{"duplicate-ip", "", "workers.duplicate-ip", "warn", 0},
		// Partial answers (reference/partial-answers.md): what this caller
		// cannot see is unknown, never a failure with a destructive fix.
		{"restricted-user-list", "", "apikey.owner", "unknown", 3},
		{"limited-classic-user", "", "infra.orphan", "unknown", 3},
		{"policies-hidden", "", "apikey.permissions", "unknown", 3},
		{"provisioning-workers", "", "infra.orphan", "ok", 1},
		// Red Hat OpenShift and Satellite clusters reach their Kubernetes
		// twins' findings; no classic verdict on Satellite.
		{"openshift-classic-orphan", "OCPCluster1", "infra.orphan", "fail", 1},
		{"openshift-vpc-vpe-missing", "", "vpc.vpe-gateway", "fail", 1},
		{"satellite-failed-worker", "", "workers.state", "fail", 1},
		// Seed 001 "Keep your cluster environment up to date" and, with a
		// kubeconfig for the cluster, the runbooks only its own API shows.
		{"version-unsupported", "", "cluster.version", "fail", 1},
		{"stale-nodes", "", "calico.stale-node", "warn", 0},
		// Without access to the cluster's API the in-cluster checks are
		// skipped and the exit is what the IBM Cloud side decides: an
		// expired IAM id-token (never refreshed), a role that may not list
		// nodes (403).
		{"kubeconfig-expired", "", "nodes.duplicate", "skipped", 0},
		{"nodes-forbidden", "", "calico.stale-node", "skipped", 0},
	} {
		t.Run(c.scenario, func(t *testing.T) {
			t.Parallel()
			sc, err := sim.Load(c.scenario)
			if err != nil {
				t.Fatal(err)
			}
			cluster := c.cluster
			if cluster == "" {
				cluster = sc.Clusters[0].Name
			}
			var outputs, logs []string
			secrets := sc.Secrets()
			for _, v := range []struct {
				suffix, lang string
				json         bool
			}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
				// The CLI's locale (`ibmcloud config --locale`) decides the language.
				env, logPath := startSim(t, simBin, "--scenario", c.scenario, "--locale", v.lang)
				logs = append(logs, logPath)
				args := []string{"check", "-c", cluster}
				if v.json {
					args = append(args, "--output", "json")
				}
				kubeconfig, _ := os.ReadFile(envValue(env, "KUBECONFIG"))
				stdout, stderr, code := run(t, ksd, env, args...)
				outputs = append(outputs, stdout, stderr)
				secrets = append(secrets, kubeconfigSecrets(kubeconfig)...)
				if after, _ := os.ReadFile(envValue(env, "KUBECONFIG")); !bytes.Equal(after, kubeconfig) {
					t.Errorf("%s: the kubeconfig was written", v.suffix)
				}
				if code != c.code {
					t.Errorf("%s: exit %d, want %d\n%s%s", v.suffix, code, c.code, stdout, stderr)
				}
				scenarioGolden(t, c.scenario+"-"+v.suffix, stdout, stderr, code)
				if v.json {
					var doc struct {
						Findings []struct{ Check, Status string }
					}
					if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
						t.Fatal(err)
					}
					reached := false
					for _, f := range doc.Findings {
						reached = reached || f.Check == c.check && f.Status == c.status
					}
					if !reached {
						t.Errorf("the runbook's finding %s=%s is missing: %+v", c.check, c.status, doc.Findings)
					}
					noFailWithoutEvidence(t, c.scenario, stdout)
				}
			}
			for _, l := range logs {
				logData, _ := os.ReadFile(l)
				if strings.Contains(string(logData), `"violation":true`) {
					t.Errorf("a mutating call reached the simulator")
				}
				outputs = append(outputs, string(logData))
			}
			for _, o := range outputs {
				for _, s := range secrets {
					if strings.Contains(o, s) {
						t.Errorf("secret %q leaked", s)
					}
				}
			}
		})
	}
}

var durationMs = regexp.MustCompile(`"durationMs": \d+`)

// kubeconfigSecrets are the credentials in a kubeconfig the simulator
// wrote: the oidc id-token and refresh token, or a static token.
func kubeconfigSecrets(kubeconfig []byte) []string {
	var out []string
	for _, l := range strings.Split(string(kubeconfig), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), ": ")
		if (k == "id-token" || k == "refresh-token" || k == "token") && len(v) > 16 {
			out = append(out, v)
		}
	}
	return out
}

func scenarioGolden(t *testing.T, name, stdout, stderr string, code int) {
	t.Helper()
	got := "exit: " + strconv.Itoa(code) + "\n--- stdout\n" + durationMs.ReplaceAllString(stdout, `"durationMs": 0`) + "--- stderr\n" + stderr
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./plugin -run TestScenarios -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// Seed 000's orphan story through the built binaries: both halves, en, ja
// and JSON, exit 1 (a cluster is orphaned) each time.
func TestOrphanScenarios(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	for _, w := range []struct {
		sc   string
		code int
	}{
		{"orphan-cluster1", 1}, {"orphan-cluster2", 1},
		// A classic user who may see only some devices: the cluster is
		// unknown, and the reason is in the session's language.
		{"limited-classic-user", 3},
	} {
		sc := w.sc
		for _, v := range []struct {
			suffix, lang string
			json         bool
		}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
			env, _ := startSim(t, simBin, "--scenario", sc, "--locale", v.lang)
			args := []string{"orphan"}
			if v.json {
				args = append(args, "--output", "json")
			}
			stdout, stderr, code := run(t, ksd, env, args...)
			if code != w.code {
				t.Errorf("%s %s: exit %d, want %d\n%s", sc, v.suffix, code, w.code, stderr)
			}
			scenarioGolden(t, "orphan-walk-"+sc+"-"+v.suffix, stdout, stderr, code)
		}
	}
}

// noFailWithoutEvidence: the scenarios that model what a caller with limited
// rights sees, or workers that have no device yet, must not fail the checks
// whose fixes reset keys or move credentials; a Satellite cluster gets no
// classic infrastructure verdict at all.
func noFailWithoutEvidence(t *testing.T, scenario, stdout string) {
	t.Helper()
	never := map[string][]string{
		"restricted-user-list":    {"apikey.owner", "apikey.permissions"},
		"limited-classic-user":    {"infra.orphan"},
		"policies-hidden":         {"apikey.permissions", "credentials.registry"},
		"provisioning-workers":    {"infra.orphan"},
		"satellite-failed-worker": {"infra.orphan", "infra.vlan", "apikey.permissions", "credentials.manual", "account.totp", "vpc.vpe-gateway"},
	}[scenario]
	var doc struct {
		Findings []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Findings {
		for _, id := range never {
			if f.Check != id {
				continue
			}
			if f.Status == "fail" || f.Status == "warn" || scenario == "satellite-failed-worker" && f.Status != "skipped" {
				t.Errorf("%s: %s is %s without positive evidence", scenario, id, f.Status)
			}
		}
	}
}
