package catalog

import (
	"encoding/json"
	"strings"
	"testing"
)

// seedMessages is every error and output quoted in seeds 000 and 001 (```sh/screen blocks and
// the common-errors table), rendered as the docs show them ({{site.data.keyword…}} resolved,
// HTML entities decoded), with the entry it must match.
var seedMessages = []struct {
	seed, msg, want string
	params          map[string]string // expected in the real-id form
}{
	// 000 #cs_credentials
	{"000", "The infrastructure authentication credentials are not authorized for the request.", "E-infra-not-authorized", nil},
	{"000", "We were unable to connect to your Softlayer account.\nCreating a standard cluster requires that you have either a\nPay-As-You-Go account that is linked to an IBM Cloud infrastructure\naccount term or that you have used the Kubernetes service\nCLI to set your Infrastructure API keys.", "E-infra-account-unreachable", nil},
	{"000", "'Item' must be ordered with permission.", "E-item-ordered-with-permission", map[string]string{"item": "Item"}},
	{"000", "The worker node instance '<ID>' can't be found. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", map[string]string{"id": realID, "provider": "classic"}},
	{"000", "The worker node instance can't be found. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", map[string]string{"provider": "classic"}},
	{"000", "The worker node instance can't be identified. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", map[string]string{"provider": "classic"}},
	{"000", "The IAM token exchange request failed with the message: <message>\nIAM token exchange request failed: <message>", "E-iam-token-exchange", map[string]string{"message": "Provided API key could not be found"}},
	{"000", "The cluster could not be configured with the registry. Make sure that you have the Administrator role for Container Registry.", "E-registry-admin-role", nil},
	{"000", "Getting information about the API key owner for cluster <cluster_name>...\nOK\nName                Email\n<user_name>         <name@email.com>", "I-apikey-owner-info", map[string]string{"cluster": "mycluster"}},
	{"000", "OK\nInfrastructure credentials for user name <1234567_name@email.com> set for resource group <resource_group_name>.", "I-credentials-set-manually", map[string]string{"resource_group": "default", "infra_user": "1234567_jane@example.com"}},
	{"000", "FAILED\nNo credentials set for resource group <resource_group_name>.: The user credentials could not be found. (E0051)", "E-no-credentials-set", map[string]string{"resource_group": "default"}},
	// 000 #orphaned
	{"000", "incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account.", "E-orphan-incorrect-account", map[string]string{"provider": "classic"}},
	{"000", "No credentials set for resource group <resource group>.: The user credentials could not be found.", "E-no-credentials-set", map[string]string{"resource_group": "default"}},
	// 000 #vpe-ts
	{"000", "Worker deploy failed due to network communications failing to master or registry endpoints. Please verify your network setup is allowing traffic from this subnet then attempt a worker replace on this worker", "E-vpe-worker-deploy-network", nil},
	{"000", "Pending endpoint gateway creation", "E-vpe-pending-gateway", nil},
	// 000 #cs_totp
	{"000", "Unable to connect to the IBM Cloud account. Ensure that you have a paid account.", "E-paid-account-required", nil},
	{"000", "can't authenticate the infrastructure user: Time-based One Time Password authentication is required to log in with this user.", "E-totp-required", nil},
	{"000", "Infrastructure credentials for user name user@email.com set for resource group default.", "I-credentials-set-manually", map[string]string{"resource_group": "default"}},

	// 001 #common_worker_nodes_issues
	{"001", "Your account is currently prohibited from ordering 'Computing Instances'.", "E-ordering-prohibited", map[string]string{"item": "Computing Instances"}},
	{"001", "Could not place order.", "E-could-not-place-order", nil},
	{"001", "Could not place order. There are insufficient resources behind router 'router_name' to fulfill the request for the following guests: 'worker_id'.", "E-could-not-place-order", map[string]string{"router": "bcr01a.dal10", "guests": "kube-dal10-abc-w2"}},
	{"001", "Could not obtain network VLAN with ID: <vlan id>.", "E-vlan-not-found", map[string]string{"vlan": "2345678"}},
	{"001", "The location provided for this order is invalid.", "E-location-invalid", nil},
	{"001", "The user does not have the necessary IBM Cloud classic infrastructure permissions to add servers", "E-no-permission-add-servers", nil},
	{"001", "The IBM Cloud infrastructure credentials could not be validated.", "E-infra-credentials-not-validated", nil},
	{"001", "'<Provider>' infrastructure request not authorized", "E-infra-not-authorized", map[string]string{"provider": "classic"}},
	{"001", "Worker unable to talk to IBM Cloud Kubernetes Service servers. Please verify your firewall setup is allowing traffic from this worker.", "E-worker-firewall", nil},
	{"001", "The worker did not respond to the soft reboot request. A hard reboot might be necessary.", "E-soft-reboot-unresponsive", nil},
	{"001", "Cannot create IMS portal token, as no IMS account is linked to the selected BSS account", "E-ims-account-not-linked", nil},
	{"001", "Provided user not found or active", "E-user-not-found-or-active", nil},
	{"001", "User account is currently cancel_pending.", "E-user-cancel-pending", nil},
	{"001", "The worker node instance '<ID>' cannot be found. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", map[string]string{"id": realID}},
	{"001", "The worker node instance cannot be found. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", nil},
	{"001", "The worker node instance cannot be identified. Review '<provider>' infrastructure user permissions.", "E-instance-not-found", nil},
	// 001 #cs_credentials
	{"001", "We were unable to connect to your IBM Cloud infrastructure account.\nCreating a standard cluster requires that you have either a\nPay-As-You-Go account that is linked to an IBM Cloud infrastructure\naccount term or that you have used the IBM Cloud Kubernetes Service\nCLI to set your IBM Cloud Infrastructure API keys.", "E-infra-account-unreachable", nil},
	{"001", "The cluster could not be configured with the registry. Make sure that you have the Administrator role for IBM Cloud Container Registry.", "E-registry-admin-role", nil},
	{"001", "FAILED\nThe specified worker node could not be found. (E0011)", "I-worker-not-found", nil},
	// 001 #suspended
	{"001", "SoftLayerAPIError(SoftLayer_Exception_Public): Could not obtain network VLAN with id #123456.", "E-vlan-not-found", map[string]string{"vlan": "2345678"}},
	// 001 #bm_machine_id
	{"001", "The worker node instance ID changed. Reload the worker node if bare metal hardware was serviced.", "E-bare-metal-id-changed", nil},
}

const realID = "kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w1"

// realValues turns the docs' placeholders into what real output carries.
var realValues = strings.NewReplacer(
	"<ID>", realID,
	"<provider>", "classic", "<Provider>", "classic",
	"<message>", "Provided API key could not be found",
	"<vlan id>", "2345678", "#123456", "#2345678",
	"<resource_group_name>", "default", "<resource group>", "default",
	"'router_name'", "'bcr01a.dal10'", "'worker_id'", "'kube-dal10-abc-w2'",
	"<cluster_name>", "mycluster", "<1234567_name@email.com>", "1234567_jane@example.com",
	"<user_name>", "jane", "<name@email.com>", "jane@example.com",
)

// noisy returns msg the ways users paste it.
func noisy(msg string) map[string]string {
	body, _ := json.Marshal(msg) // escapes <, >, &, newlines: the matcher must decode them
	words := strings.Split(msg, " ")
	for i := 3; i < len(words); i += 4 {
		words[i] = "\n" + words[i]
	}
	curly := []rune{}
	open := true
	for _, r := range msg {
		switch r {
		case '\'':
			if open {
				r = '‘'
			} else {
				r = '’'
			}
			open = !open
		case '"':
			r = '“'
		}
		curly = append(curly, r)
	}
	runes := []rune(msg)
	return map[string]string{
		"plain":     msg,
		"prefix":    "'classic' infrastructure exception: " + msg,
		"terraform": "╷\n│ Error: " + strings.ReplaceAll(msg, "\n", "\n│ ") + "\n│ \n│   with ibm_container_cluster.cluster,\n│   on main.tf line 12, in resource \"ibm_container_cluster\" \"cluster\":\n╵",
		"json":      `Request failed with status code: 409, ServerErrorResponse: {"incidentID":"6c2bd3c0-7a1d-4bd7-8d9e-1a2b3c4d5e6f,586fe36e84cf9fb2-IAD","code":"E9999","description":` + string(body) + `,"type":"Provisioning","recoveryCLI":"Contact support."}`,
		"timestamp": "2024-05-29T10:11:12.123Z ERROR [req-8f1c2a] " + msg,
		"linebreak": strings.Join(words, " "),
		"upper":     strings.ToUpper(msg),
		"curly":     string(curly),
		"realid":    realValues.Replace(msg),
		"truncated": string(runes[:len(runes)*8/10]),
	}
}

func TestSeedMessages(t *testing.T) {
	for _, sm := range seedMessages {
		if _, ok := Lookup(sm.want); !ok {
			t.Fatalf("unknown entry %s", sm.want)
		}
		plain, _ := Best(sm.msg)
		for form, text := range noisy(sm.msg) {
			hits := Match(text)
			if len(hits) == 0 {
				t.Errorf("%s %s: no match for %q", sm.want, form, text)
				continue
			}
			for _, h := range hits {
				if h.Entry.ID != sm.want {
					t.Errorf("%s %s: got %s (%q) in %q", sm.want, form, h.Entry.ID, h.Excerpt, text)
				}
				if h.Confidence <= 0 || h.Confidence > 1 {
					t.Errorf("%s %s: confidence %v", sm.want, form, h.Confidence)
				}
			}
			best, _ := Best(text)
			switch form {
			case "truncated":
				if best.Confidence > plain.Confidence {
					t.Errorf("%s: truncated confidence %v > full %v", sm.want, best.Confidence, plain.Confidence)
				}
			case "realid":
				for k, v := range sm.params {
					if got := best.Params[k]; got != v {
						t.Errorf("%s realid: params[%s] = %q, want %q (all %v)", sm.want, k, got, v, best.Params)
					}
				}
				for k, v := range best.Params {
					if strings.HasPrefix(v, "<") {
						t.Errorf("%s realid: placeholder kept as value %s=%q", sm.want, k, v)
					}
				}
			case "prefix":
				if !strings.Contains(sm.msg, "\n") && best.Params["provider"] != "classic" {
					t.Errorf("%s prefix: provider = %q", sm.want, best.Params["provider"])
				}
			case "plain":
				for k, v := range best.Params {
					if strings.HasPrefix(v, "<") || v == "ID" {
						t.Errorf("%s: doc placeholder kept as value %s=%q", sm.want, k, v)
					}
				}
			}
		}
	}
}

func TestTruncationLowersConfidence(t *testing.T) {
	msg := "The worker did not respond to the soft reboot request. A hard reboot might be necessary."
	full, _ := Best(msg)
	cut, ok := Best(msg[:len(msg)*6/10])
	if !ok || cut.Entry.ID != full.Entry.ID || cut.Confidence >= full.Confidence {
		t.Fatalf("full %v, cut %v %v", full.Confidence, ok, cut)
	}
	if _, ok := Best("The worker did not"); ok {
		t.Errorf("a head of four words must not be enough")
	}
}

func TestThreeErrorsInOrder(t *testing.T) {
	paste := "2024-05-29T10:00:00Z worker kube-a: 'vpc-gen2' infrastructure exception: Pending endpoint gateway creation\n" +
		"$ ibmcloud ks credential get --region us-south\nFAILED\n" +
		"No credentials set for resource group default.: The user credentials could not be found. (E0051)\n\nIncident ID: 9b8fd6b3-bd93-4449-90df-1f28ef7ff303\n" +
		"╷\n│ Error: incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer\n│ match the worker node instance infrastructure account.\n╵\n"
	got := ids(Match(paste))
	want := "E-vpe-pending-gateway E-no-credentials-set E-orphan-incorrect-account"
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	hits := Match(paste)
	if hits[0].Params["provider"] != "vpc-gen2" || hits[2].Params["provider"] != "classic" {
		t.Errorf("providers: %v %v", hits[0].Params, hits[2].Params)
	}
}

func ids(hits []Hit) string {
	var s []string
	for _, h := range hits {
		s = append(s, h.Entry.ID)
	}
	return strings.Join(s, " ")
}
