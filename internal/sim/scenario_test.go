package sim_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

func TestBundledScenariosLoad(t *testing.T) {
	names := sim.Names()
	for _, want := range []string{"healthy-classic", "healthy-vpc", "apikey-permissions", "apikey-owner-pending-deletion",
		"manual-credentials-other-account", "rg-mismatch", "orphan-cluster1", "orphan-cluster2", "totp-payg", "vpe-missing",
		"vpe-pending", "worker-states", "worker-messages", "vlan-reclaimed", "bare-metal-id-changed", "duplicate-ip"} {
		if !slices.Contains(names, want) {
			t.Errorf("no bundled scenario %s", want)
		}
	}
	canaries := map[string]bool{}
	for _, n := range names {
		sc, err := sim.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		if sc.File != "scenarios/"+n+".yaml" || !strings.HasPrefix(sc.Canary, "KSDOCTORCANARY-") || sc.Session.APIKey == "" || canaries[sc.Canary] {
			t.Errorf("%s: %+v", n, sc)
		}
		canaries[sc.Canary] = true
		// Each names the seed section it models, first thing in the file.
		data, _ := os.ReadFile("scenarios/" + n + ".yaml")
		if !regexp.MustCompile(`^# Seed 00[01] #[a-z_-]+`).Match(data) {
			t.Errorf("%s does not start with the seed section it models", n)
		}
		// Every secret is planted where tests can find it; none is short
		// enough to match by accident.
		for _, s := range sc.Secrets() {
			if len(s) < 20 || !strings.Contains(s, "KSDOCTORCANARY") {
				t.Errorf("%s: weak secret %q", n, s)
			}
		}
	}
	if _, err := sim.Load("no-such-scenario"); err == nil || !strings.Contains(err.Error(), "healthy-classic") {
		t.Errorf("unknown name: %v", err)
	}
}

// broken writes the healthy-classic scenario with one edit applied.
func broken(t *testing.T, old, new string) error {
	t.Helper()
	sc, err := os.ReadFile("scenarios/healthy-classic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sc), old) {
		t.Fatalf("fixture lacks %q", old)
	}
	path := filepath.Join(t.TempDir(), "x.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(sc), old, new, 1)), 0o600)
	_, err = sim.Load(path)
	if err == nil {
		t.Fatalf("%q -> %q accepted", old, new)
	}
	return err
}

func lineOf(t *testing.T, text string) int {
	data, _ := os.ReadFile("scenarios/healthy-classic.yaml")
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("no line with %q", text)
	return 0
}

func TestBrokenScenarioNamesFileLineField(t *testing.T) {
	cases := []struct{ old, new, lineText, want string }{
		{"    region: us-south", "    region: us-nowhere", "    region: us-south", `clusters[0].region: unknown region "us-nowhere"`},
		{"    resourceGroup: team-a", "    resourceGroup: team-b", "    resourceGroup: team-a", `clusters[0].resourceGroup: unknown resource group "team-b"`},
		{"    location: Dallas", "    locaton: Dallas", "    location: Dallas", `clusters[0].locaton: field locaton not found`},
		{"        privateIP: 10.176.43.202", "        privateIP: 10.176.43.999", "privateIP: 10.176.43.202", `clusters[0].workers[1].privateIP: not an IP address`},
		{"  user: jane.doe@example.com", "  user: nobody@example.com", "  user: jane.doe@example.com", `session.user: unknown user "nobody@example.com"`},
		{"  tokenLifetime: 1h", "  tokenLifetime: [1h]", "  tokenLifetime: 1h", `session.tokenLifetime: cannot unmarshal`},
	}
	for _, c := range cases {
		err := broken(t, c.old, c.new)
		msg := err.Error()
		line := lineOf(t, c.lineText)
		if !strings.Contains(msg, fmt.Sprintf("x.yaml:%d: %s", line, c.want)) {
			t.Errorf("want x.yaml:%d: %s\ngot  %s", line, c.want, msg)
		}
	}
	// YAML syntax errors keep file and line too.
	if err := broken(t, "  name: ACME Corp", "  name: [ACME"); !strings.Contains(err.Error(), "x.yaml:") {
		t.Errorf("syntax: %v", err)
	}
}

// The fields added with infrastructure, credentials, policies and VPCs fail
// the same way: file, line and field.
func TestBrokenNewFields(t *testing.T) {
	base, err := os.ReadFile("scenarios/healthy-classic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ extra, lineText, want string }{
		{"credentials:\n  - {region: us-south, resourceGroup: team-a, username: 999_nobody@example.com}\n",
			"999_nobody", `credentials[0].username: unknown infrastructure user "999_nobody@example.com"`},
		{"infraAccounts:\n  - id: \"2093847\"\n    vlans:\n      - {id: 1234, vlanNumber: 1187, networkSpace: PRIVATE, datacenter: dal10}\n",
			"id: 1234,", `infraAccounts[0].vlans[0].id: a VLAN id has 7 digits, got 1234`},
		{"infraAccounts:\n  - id: \"2093847\"\n    users:\n      - {username: 2093847_x@example.com, status: GONE}\n",
			"status: GONE", `infraAccounts[0].users[0].status: unknown value "GONE"`},
		{"vpcs:\n  - name: v\n    region: us-south\n    resourceGroup: default\n    subnets:\n      - {name: s, zone: us-south-1, cidr: 10.0.0.0/24}\n    endpointGateways:\n      - cluster: nope\n",
			"cluster: nope", `vpcs[0].endpointGateways[0].cluster: unknown cluster "nope"`},
		{"vpcs:\n  - name: v\n    region: us-south\n    resourceGroup: default\n    subnets:\n      - {name: s, zone: us-south-1, cidr: 10.0.0.0/24}\n    endpointGateways:\n      - name: g\n        ips: [{subnet: s, address: 10.9.9.9}]\n",
			"10.9.9.9", `vpcs[0].endpointGateways[0].ips[0].address: want an address in 10.0.0.0/24`},
		{"otherAccounts:\n  - {id: 7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21, name: Team, imsAccount: \"2093847\"}\n",
			"name: Team", `otherAccounts[0].imsAccount: infrastructure account 2093847 is already linked to another account`},
		{"accessGroups:\n  - name: ops\n    members: [nobody@example.com]\n", "members: [nobody", `accessGroups[0].members[0]: unknown user "nobody@example.com"`},
		{"accessGroups:\n  - name: ops\n    policies: [{roles: [Boss]}]\n", "roles: [Boss]", `accessGroups[0].policies[0].roles[0]: unknown value "Boss"`},
		{"wire: {poolZoneVlanKeys: PrivateVlan}\n", "wire:", `wire.poolZoneVlanKeys: unknown value "PrivateVlan"`},
		{"vpcz: []\n", "vpcz:", `vpcz: field vpcz not found`},
		// Partial-visibility fields and the newer knobs.
		{"vpcs:\n  - name: v\n    region: us-south\n    resourceGroup: default\n    subnets:\n      - {name: s1, zone: us-south-1, cidr: 10.0.0.0/24}\n      - {name: s2, zone: us-south-1, cidr: 10.0.1.0/24}\n    endpointGateways:\n      - name: g\n        ips: [{subnet: s1, address: 10.0.0.9}, {subnet: s2, address: 10.0.1.9}]\n",
			"subnet: s1, address: 10.0.0.9", `vpcs[0].endpointGateways[0].ips[1]: endpoint gateway "g" holds a second reserved IP in zone us-south-1`},
		{"accessGroups:\n  - name: ops\n    dynamicMembers: [ghost@example.com]\n", "dynamicMembers", `accessGroups[0].dynamicMembers[0]: unknown user "ghost@example.com"`},
		{"accessGroups:\n  - name: ops\n    policies: [{roles: [Viewer], service: iam-groups, serviceType: platform_service}]\n", "serviceType", `accessGroups[0].policies[0].serviceType: serviceType is for policies without a service`},
		{"wire: {softlayerPageOrder: random}\n", "wire:", `wire.softlayerPageOrder: unknown value "random"`},
		{"wire: {policyPageSize: 500}\n", "wire:", `wire.policyPageSize: a page size is 0 (default) to 100, got 500`},
	}
	for _, c := range cases {
		text := string(base) + c.extra
		path := filepath.Join(t.TempDir(), "x.yaml")
		os.WriteFile(path, []byte(text), 0o600)
		_, err := sim.Load(path)
		line := 0
		for i, l := range strings.Split(text, "\n") {
			if strings.Contains(l, c.lineText) {
				line = i + 1
				break
			}
		}
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("x.yaml:%d: %s", line, c.want)) {
			t.Errorf("want x.yaml:%d: %s\ngot  %v", line, c.want, err)
		}
	}
}
