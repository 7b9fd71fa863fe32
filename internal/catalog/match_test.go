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

// kubectl with the kubeconfig of `ibmcloud ks cluster config` (seed 001 and the in-cluster
// checks): the version skew warning, 401, RBAC denials and an API server out of reach, as
// kubectl prints them (with its memcache.go lines, colours, CRLF) and as IBM's docs quote them.
func TestClusterAccess(t *testing.T) {
	const (
		skew    = "E-kubectl-version-skew"
		unauth  = "E-kubectl-unauthorized"
		rbac    = "E-kubectl-rbac-forbidden"
		unreach = "E-kube-api-unreachable"
	)
	memcache := func(host, err string) string {
		return `E0612 10:11:12.123456   41234 memcache.go:265] couldn't get current server API group list: Get "https://` + host + `/api?timeout=32s": ` + err + "\n"
	}
	cases := []struct {
		name, text, want string
		params           map[string]string
		conf             float64 // at least
	}{
		// k8s.io/kubectl pkg/cmd/version/skew_warning.go
		{"skew WARNING", "WARNING: version difference between client (1.28) and server (1.31) exceeds the supported minor version skew of +/-1",
			skew, map[string]string{"client": "1.28", "server": "1.31"}, 0.95},
		{"skew in kubectl version", "Client Version: v1.35.0\nKustomize Version: v5.7.1\nServer Version: v1.31.6+IKS\nWarning: version difference between client (1.35) and server (1.31) exceeds the supported minor version skew of +/-1\n",
			skew, map[string]string{"client": "1.35", "server": "1.31"}, 0.95},
		{"skew --check-version-skew", `error: checkVersionSkew: "version difference between client (1.29) and server (1.32) exceeds the supported minor version skew of +/-1\n"`,
			skew, map[string]string{"client": "1.29", "server": "1.32"}, 0.95},
		{"skew wrapped, coloured", "\x1b[33mWARNING: version difference between client (1.26) and\r\nserver (1.30) exceeds the supported minor version skew of +/-1\x1b[0m",
			skew, map[string]string{"client": "1.26", "server": "1.30"}, 0.95},

		// kubectl pkg/cmd/util/helpers.go StandardErrorMessage
		{"401", "error: You must be logged in to the server (Unauthorized)", unauth, map[string]string{"message": "Unauthorized"}, 0.9},
		{"401 newer wording", "$ kubectl get pods\nerror: You must be logged in to the server (the server has asked for the client to provide credentials)\n",
			unauth, map[string]string{"message": "the server has asked for the client to provide credentials"}, 0.9},
		{"401 red", "\x1b[31merror: You must be logged in to the server (Unauthorized)\x1b[0m\r\n", unauth, map[string]string{"message": "Unauthorized"}, 0.9},
		{"refresh token refused", "Unable to connect to the server: failed to refresh token: oauth2: cannot fetch token: 400 Bad Request\nResponse: {\"errorCode\":\"BXNIM0408E\",\"errorMessage\":\"Provided refresh token is expired\",\"context\":{\"requestId\":\"9d2c\",\"requestType\":\"incoming.Identity_Token\"}}",
			unauth, map[string]string{"status": "400"}, 0.9},
		{"refresh token, body pretty-printed", "Unable to connect to the server: failed to refresh token: oauth2: cannot fetch token: 400 Bad Request\nResponse: {\n  \"errorCode\": \"BXNIM0408E\",\n  \"errorMessage\": \"Provided refresh token is expired\"\n}",
			unauth, map[string]string{"status": "400"}, 0.9},

		// apiserver responsewriters/errors.go forbiddenMessage
		{"forbidden cluster scope", `Error from server (Forbidden): nodes is forbidden: User "IAM#jane@example.com" cannot list resource "nodes" in API group "" at the cluster scope`,
			rbac, map[string]string{"user": "IAM#jane@example.com", "user_email": "jane@example.com", "verb": "list", "resource": "nodes"}, 0.95},
		{"forbidden namespace", `Error from server (Forbidden): pods "web-6d4cf56db6-2xk9p" is forbidden: User "IAM#Jane.Doe@example.com" cannot create resource "pods/exec" in API group "" in the namespace "default"`,
			rbac, map[string]string{"user": "IAM#Jane.Doe@example.com", "verb": "create", "resource": "pods/exec", "namespace": "default"}, 0.95},
		{"forbidden apply, service ID", "deployment.apps/web unchanged\nError from server (Forbidden): error when creating \"deploy.yaml\": deployments.apps is forbidden: User \"IAM#iam-ServiceId-0a1b2c3d-1111-2222-3333-444455556666\" cannot create resource \"deployments\" in API group \"apps\" in the namespace \"dev\"",
			rbac, map[string]string{"user": "IAM#iam-ServiceId-0a1b2c3d-1111-2222-3333-444455556666", "verb": "create", "resource": "deployments", "api_group": "apps", "namespace": "dev"}, 0.95},
		{"forbidden as IBM's docs print it", `Error from server (Forbidden): pods.metrics.k8s.io is forbidden: User "IAM#myname@example.com" can't list resource "pods" in API group "metrics.k8s.io" in the namespace "mynamespace"`,
			rbac, map[string]string{"verb": "list", "resource": "pods", "api_group": "metrics.k8s.io", "namespace": "mynamespace"}, 0.95},
		{"forbidden path", `Error from server (Forbidden): forbidden: User "IAM#jane@example.com" cannot get path "/metrics"`,
			rbac, map[string]string{"verb": "get", "path": "/metrics"}, 0.95},

		// "Unable to connect to the server: %v"
		{"private endpoint, no such host", "Unable to connect to the server: dial tcp: lookup c100.private.us-south.containers.cloud.ibm.com: no such host",
			unreach, map[string]string{"host": "c100.private.us-south.containers.cloud.ibm.com"}, 0.9},
		{"private endpoint, memcache lines", memcache("c100.private.us-south.containers.cloud.ibm.com:30123", "dial tcp: lookup c100.private.us-south.containers.cloud.ibm.com on 127.0.0.53:53: no such host") +
			memcache("c100.private.us-south.containers.cloud.ibm.com:30123", "dial tcp: lookup c100.private.us-south.containers.cloud.ibm.com on 127.0.0.53:53: no such host") +
			"Unable to connect to the server: dial tcp: lookup c100.private.us-south.containers.cloud.ibm.com on 127.0.0.53:53: no such host\n",
			unreach, map[string]string{"host": "c100.private.us-south.containers.cloud.ibm.com", "port": "30123"}, 0.9},
		{"private endpoint address, timeout", "Unable to connect to the server: dial tcp 166.9.24.11:30123: i/o timeout",
			unreach, map[string]string{"ip": "166.9.24.11", "port": "30123"}, 0.9},
		{"private endpoint, host then address", memcache("c100.private.us-south.containers.cloud.ibm.com:30123", "dial tcp 166.9.24.11:30123: i/o timeout") +
			"Unable to connect to the server: dial tcp 166.9.24.11:30123: i/o timeout",
			unreach, map[string]string{"host": "c100.private.us-south.containers.cloud.ibm.com", "ip": "166.9.24.11", "port": "30123"}, 0.9},
		{"private endpoint, Windows", "Unable to connect to the server: dial tcp 166.9.58.42:31543: connectex: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.",
			unreach, map[string]string{"ip": "166.9.58.42", "port": "31543"}, 0.9},
		{"private VPE endpoint, coloured", "\x1b[31mUnable to connect to the server: dial tcp: lookup a1b2c3d4e5f6.vpe.private.eu-de.containers.cloud.ibm.com: no such host\x1b[0m",
			unreach, map[string]string{"host": "a1b2c3d4e5f6.vpe.private.eu-de.containers.cloud.ibm.com"}, 0.9},
		{"public endpoint", "Unable to connect to the server: dial tcp: lookup c115.jp-tok.containers.cloud.ibm.com: i/o timeout",
			unreach, map[string]string{"host": "c115.jp-tok.containers.cloud.ibm.com"}, 0.8},
		{"generic", "Unable to connect to the server: dial tcp 10.0.0.5:6443: i/o timeout", unreach, nil, 0.6},
		{"generic TLS", "Unable to connect to the server: net/http: TLS handshake timeout", unreach, nil, 0.6},
	}
	text := map[string]string{}
	for _, c := range cases {
		text[c.name] = c.text
		hits := Match(c.text)
		if got := ids(hits); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			continue
		}
		h := hits[0]
		topic := "cluster_access"
		if c.want == skew {
			topic = "kubectl_skew"
		}
		if h.Confidence < c.conf || h.Entry.Topic != topic {
			t.Errorf("%s: confidence %.2f (want at least %.2f), topic %s", c.name, h.Confidence, c.conf, h.Entry.Topic)
		}
		for k, v := range c.params {
			if h.Params[k] != v {
				t.Errorf("%s: params[%s] = %q, want %q (%v)", c.name, k, h.Params[k], v, h.Params)
			}
		}
	}
	// A private endpoint is worth more than a bare connection error.
	if p, g := Match(text["private endpoint address, timeout"])[0].Confidence, Match(text["generic"])[0].Confidence; p <= g {
		t.Errorf("private %.2f <= generic %.2f", p, g)
	}
	// The RBAC user's e-mail fills the IAM command; a service ID fills nothing.
	h, _ := Best(text["forbidden cluster scope"])
	if fix := h.Entry.FixWith(h.Params); fix[2] != "ibmcloud iam user-policies jane@example.com" {
		t.Errorf("rbac fix: %q", fix)
	}
	if h, _ := Best(text["forbidden apply, service ID"]); h.Params["user_email"] != "" {
		t.Errorf("service ID as e-mail: %v", h.Params)
	}
	// The IAM body of a refused refresh token belongs to this hit, not to a second one.
	if hits := Match(text["refresh token refused"]); len(hits) != 1 || hits[0].Code != "BXNIM0408E" {
		t.Errorf("refresh token: %+v", hits)
	}

	for _, s := range []string{
		// not IKS's IAM users: a service account's denial, another product's
		`Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" in the namespace "prod"`,
		// the TLS certificate, not the network
		"Unable to connect to the server: x509: certificate signed by unknown authority",
		// the CLI's own IAM endpoint, not a cluster's API server
		"FAILED\nCould not refresh IAM token: Post \"https://iam.cloud.ibm.com/identity/token\": dial tcp 104.95.208.175:443: i/o timeout",
		"Server: https://c100.private.us-south.containers.cloud.ibm.com:30123",
		"The version difference between the two releases is small.",
		"Client Version: v1.31.2\nKustomize Version: v5.4.2\nServer Version: v1.31.6+IKS",
	} {
		for _, h := range Match(s) {
			if h.Entry.Topic == "cluster_access" || h.Entry.Topic == "kubectl_skew" {
				t.Errorf("%.50q: unexpected %s (%q)", s, h.Entry.ID, h.Excerpt)
			}
		}
	}
}
