package catalog

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrappedForms(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"code E0051 alone", "E0051", "E-no-credentials-set"},
		{"code G0004 in CLI output", "FAILED\nSomething new happened. (G0004)\n\nIncident ID: 9b8fd6b3", "E-cluster-not-found-target"},
		{"code E0008", "error code E0008", "E-cluster-not-found-target"},
		{"code A0003", `{"incidentID":"1","code":"A0003","description":"x","type":"Authentication"}`, "E-iam-token-unverified"},
		{"code P0005 with unknown text", `{"code":"P0005","description":"brand new wording"}`, "E-iam-token-exchange"},
		{"code E0057", "(E0057)", "E-paid-account-required"},
		{"SoftLayer JSON", `{"error":"Could not obtain network VLAN with id #2345678.","code":"SoftLayer_Exception_Public"}`, "E-vlan-not-found"},
		{"SoftLayer type alone", "SoftLayer_Exception_User_Customer_InvalidUserStatus: (HTTP 500)", "E-user-cancel-pending"},
		{"SoftLayer location", "SoftLayer_Exception_Order_InvalidLocation: The location provided for this order is invalid. (HTTP 500)", "E-location-invalid"},
		{"IAM JSON", `{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found","context":{"requestId":"abc"}}`, "E-iam-token-exchange"},
		{"xmlrpc fault", `<Fault SoftLayer_Exception_Public: 'Could not obtain network vlan with id #186.'>`, "E-vlan-not-found"},
		{"doubly escaped JSON", `"{\\\"description\\\":\\\"Pending endpoint gateway creation\\\"}"`, "E-vpe-pending-gateway"},
		{"ANSI colours", "\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mPending endpoint \x1b[0mgateway creation", "E-vpe-pending-gateway"},
		{"full width", "Ｐｅｎｄｉｎｇ　ｅｎｄｐｏｉｎｔ　ｇａｔｅｗａｙ　ｃｒｅａｔｉｏｎ", "E-vpe-pending-gateway"},
		{"invalid UTF-8 inside", "Pending endpoint \xff\xfe gateway creation", "E-vpe-pending-gateway"},
		{"CRLF and tabs", "Could not place order.\r\n\tThere are insufficient resources behind router 'bcr01a.dal10'\r\n\tto fulfill the request for the following guests: 'kube-1'.", "E-could-not-place-order"},
		{"HTML entities", "Could not obtain network VLAN with ID: <code>&lt;vlan id&gt;</code>.", "E-vlan-not-found"},
		{"2019 prefix", "IBM Cloud Infrastructure Exception: Your account is currently prohibited from ordering 'Computing Instances'.", "E-ordering-prohibited"},
		{"operation status", "Infrastructure operation: Cloud Template Transfer", "W-status-infra-operation"},
		{"IAM wraps IMS", "IAM token exchange request failed: Cannot create IMS portal token, as no IMS account is linked to the selected BSS account", "E-iam-token-exchange E-ims-account-not-linked"},
		{"VPC subnet", "Unable to create cluster. The 'vpc-gen2' infrastructure operation failed with the message: the provided token is not authorized to view the specified subnet (ID:0717-abc) in this account", "E-vpc-subnet-not-authorized"},
		{"2019 can not", "Cannot authenticate the infrastructure user: Time-based One Time Password authentication is required to log in with this user.", "E-totp-required"},
	}
	for _, c := range cases {
		if got := ids(Match(c.text)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParams(t *testing.T) {
	h, ok := Best(`{"error":"Could not obtain network VLAN with id #2345678.","code":"SoftLayer_Exception_Public"}`)
	if !ok || h.Params["vlan"] != "2345678" {
		t.Errorf("vlan: %v", h)
	}
	h, _ = Best("E0051")
	if h.Params["code"] != "E0051" || h.Confidence >= 0.95 {
		t.Errorf("code alone: %+v", h)
	}
	h, _ = Best("The 'vpc-gen2' infrastructure operation failed with the message: the provided token is not authorized to view the specified subnet (ID:0717-abc) in this account")
	if h.Params["subnet"] != "0717-abc" || h.Params["provider"] != "vpc-gen2" {
		t.Errorf("subnet: %v", h.Params)
	}
}

func TestWorkerStates(t *testing.T) {
	// Seed 001's worker state table, as users meet it.
	for state, id := range map[string]string{
		"Critical": "W-state-critical", "Deployed": "W-state-deployed", "Deploying": "W-state-deploying",
		"Normal": "W-state-normal", "Provisioning": "W-state-provisioning", "Provision_failed": "W-state-provision-failed",
		"Reloading": "W-state-reloading", "Reloading_failed": "W-state-reloading-failed", "Reload_pending": "W-state-reload-pending",
		"Unknown": "W-state-unknown", "Warning": "W-state-warning",
	} {
		for _, text := range []string{state, "`" + state + "`", "State:   " + state, `{"state": "` + strings.ToLower(state) + `"}`} {
			if got := ids(Match(text)); got != id {
				t.Errorf("%q: got %q, want %s", text, got, id)
			}
		}
	}
	ls := "ID                                                 Public IP       Private IP       Flavor         State     Status   Zone   Version\n" +
		"kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1   169.xx.xxx.xxx  10.xxx.xx.xxx    b3c.4x16       normal    Ready    dal10      1.16.8\n" +
		"kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w2   161.202.232.206 10.129.78.46     b3c.16x64      critical  Unknown  dal10      1.16.8\n" +
		"kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w3   -               10.129.78.47     b3c.16x64      provision_failed  -  dal10      1.16.8\n"
	hits := Match(ls)
	if got := ids(hits); got != "W-state-critical W-state-provision-failed" {
		t.Fatalf("worker ls: %s", got)
	}
	if hits[0].Params["id"] != "kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w2" {
		t.Errorf("worker ls id: %v", hits[0].Params)
	}
	if got := ids(Match("NAME          STATUS     ROLES    AGE   VERSION\n10.240.0.10   NotReady   <none>   5d    v1.28.4+IKS")); got != "W-node-notready" {
		t.Errorf("kubectl get nodes: %s", got)
	}
	if got := ids(Match("Status: Out of disk")); got != "W-status-out-of-capacity" {
		t.Errorf("out of disk: %s", got)
	}
}

func TestRepeatsMerge(t *testing.T) {
	one := "Pending endpoint gateway creation\n"
	if hits := Match(strings.Repeat(one, 50)); len(hits) != 1 {
		t.Errorf("repeats: %d hits", len(hits))
	}
	two := "The worker node instance 'kube-a' can't be found. Review 'classic' infrastructure user permissions.\n" +
		"The worker node instance 'kube-b' can't be found. Review 'classic' infrastructure user permissions.\n"
	hits := Match(two)
	if len(hits) != 2 || hits[0].Params["id"] != "kube-a" || hits[1].Params["id"] != "kube-b" {
		t.Errorf("two workers: %+v", hits)
	}
}

// Ordinary CLI, Terraform and log output must not look like a known error.
func TestNoFalsePositives(t *testing.T) {
	for _, text := range []string{
		"",
		"hello world",
		"'classic' infrastructure exception:",
		"FAILED\n\nIncident ID: 9b8fd6b3-bd93-4449-90df-1f28ef7ff303",
		noise,
		"Error: could not find the requested resource; the worker node was not ready; request failed: context deadline exceeded",
		"The specified key does not exist. Could not resolve host: example.com. Permission denied (publickey).",
		"Your worker node ran out of capacity.",
	} {
		if hits := Match(text); len(hits) != 0 {
			t.Errorf("%.40q: unexpected %s (%q)", text, ids(hits), hits[0].Excerpt)
		}
	}
}

func TestBounds(t *testing.T) {
	long := "The IAM token exchange request failed with the message: " + strings.Repeat("x", 5000)
	h, ok := Best(long)
	if !ok || len(h.Excerpt) > MaxExcerpt || len(h.Params["message"]) > MaxExcerpt || !utf8.ValidString(h.Excerpt) {
		t.Errorf("bounds: %d %d", len(h.Excerpt), len(h.Params["message"]))
	}
	// Past MaxInput nothing is read.
	big := strings.Repeat("a", MaxInput) + " Pending endpoint gateway creation"
	if hits := Match(big); len(hits) != 0 {
		t.Errorf("read past MaxInput")
	}
	// Japanese runes at the cut must not be split.
	if s := clip(strings.Repeat("資格情報", 100)); !utf8.ValidString(s) || len(s) > MaxExcerpt {
		t.Errorf("clip: %d", len(s))
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  a \t b  \r\n\r\n  c  ":           "a b\nc",
		"‘Item’ “x” — ｙ":                    `'Item' "x" - y`,
		`\u003cID\u003e \"q\" a\nb \u2019`:  "<ID> \"q\" a\nb '",
		"╷\n│ Error: x\n╵":                  "Error: x",
		"a\u200bb\u00a0c…":                  "ab c...",
		"&lt;vlan id&gt; &amp;":             "<vlan id> &",
		"\x1b[31mred\x1b[0m \x1b]0;t\x07ok": "red ok",
		"bad \xff\xfe byte":                 "bad byte",
		`\ud83d\ude00 \ud800`:               "😀",
		`C:\dir`:                            `C:\dir`,
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// noise is output that carries none of the catalog's errors.
const noise = `$ ibmcloud ks cluster ls
OK
Name        ID                     State    Created        Workers   Location   Version        Resource Group Name   Provider
mycluster   cr9b7371a7fcbe46d08e   normal   2 months ago   3         Dallas     1.28.4_1530    default               classic
$ ibmcloud ks worker ls -c mycluster
ID                                                 Public IP       Private IP       Flavor         State     Status   Zone   Version
kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1   169.61.1.2      10.94.1.2        b3c.4x16       normal    Ready    dal10  1.28.4_1530
$ kubectl get pods -A
NAMESPACE     NAME                                  READY   STATUS             RESTARTS   AGE
default       web-6d4cf56db6-2xk9p                  1/1     Running            0          3d
default       job-28391-abcde                       0/1     Error              2          1h
kube-system   calico-node-7k2lp                     1/1     Running            0          10d
Terraform will perform the following actions:
  # ibm_container_vpc_worker_pool.pool will be updated in-place
  ~ resource "ibm_container_vpc_worker_pool" "pool" {
      ~ worker_count = 2 -> 3
    }
Plan: 0 to add, 1 to change, 0 to destroy.
2024-05-29T10:11:12Z INFO controller reconciled object kind=Deployment status=ok
2024-05-29T10:11:13Z WARN retrying request after 429 Too Many Requests
goroutine 1 [running]:
main.main()
	/src/main.go:12 +0x1d
`

// Seed 001 #cs_ssh_worker: an SSH login to a worker by password, or a
// connection to its port 22 that never opens.
func TestSSHToAWorker(t *testing.T) {
	for _, text := range []string{
		"jane@10.176.1.5: Permission denied (publickey,password).",
		"ssh: connect to host 10.176.1.5 port 22: Connection timed out",
	} {
		hits := Match(text)
		if len(hits) == 0 || hits[0].Entry.ID != "E-ssh-worker" {
			t.Errorf("%q: %+v, want E-ssh-worker", text, hits)
		}
	}
	if hits := Match("git@github.com: Permission denied (publickey)."); len(hits) != 0 {
		t.Errorf("a git key error is no worker SSH: %+v", hits)
	}
}
