package sim

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The route table keeps to what router.go relies on: reads only (but the
// token grant), every path under its service's prefix, no pattern that
// would make ServeMux redirect (a trailing slash, a {name...} wildcard),
// SoftLayer patterns in the /Service/getter form the adapter produces.
func TestRouteTable(t *testing.T) {
	seen := map[string]bool{}
	for _, rt := range routes {
		method, p, ok := strings.Cut(rt.pattern, " ")
		if !ok || seen[rt.pattern] {
			t.Errorf("%q: want one \"METHOD /path\" pattern per route", rt.pattern)
		}
		seen[rt.pattern] = true
		if method != http.MethodGet && rt.pattern != "POST "+PrefixIAM+"/identity/token" {
			t.Errorf("%q: the simulator is read-only; only the token grant may be a POST", rt.pattern)
		}
		svc := serviceOf(p)
		if svc == nil {
			t.Errorf("%q: under no service prefix", rt.pattern)
			continue
		}
		if strings.HasSuffix(p, "/") || strings.Contains(p, "...}") {
			t.Errorf("%q: ServeMux would redirect to or from this pattern", rt.pattern)
		}
		if svc.prefix == PrefixSoftLayer {
			seg := strings.Split(strings.TrimPrefix(p, PrefixSoftLayer+"/"), "/")
			if len(seg) != 2 || !strings.HasPrefix(seg[1], "get") {
				t.Errorf("%q: SoftLayer routes are /Service/getMethod", rt.pattern)
			}
		}
	}
}

// What happens around the route table (router.go): requests ServeMux alone
// would answer with its own redirect or 405, SoftLayer's path forms, the
// read-only refusal and each service's unrouted answer after its gate.
func TestRoutingAroundTheTable(t *testing.T) {
	sc, err := Load("orphan-cluster1")
	if err != nil {
		t.Fatal(err)
	}
	srv := New(sc, Options{})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tok, _ := srv.issueSession(false)
	cl := sc.Cluster("Cluster1")
	jane := sc.InfraAccountByID("1446722").user("1446722_jane.doe@example.com")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(jane.Username+":"+jane.APIKeys[0]))
	sl := PrefixSoftLayer
	cases := []struct {
		method, path, auth string
		status             int
		code               string // the error code, in the service's own shape
		violation          bool
	}{
		{"GET", PrefixIKS + "/v1/clusters/" + cl.ID, "iam", 200, "", false},
		{"GET", PrefixIKS + "//v1/clusters", "iam", 404, "SIM404", false}, // not ServeMux's redirect
		{"GET", PrefixIKS + "/v1/clusters/" + cl.ID + "/", "iam", 404, "SIM404", false},
		{"GET", PrefixIKS + "/v3/nothing", "", 401, "A0003", false}, // the gate comes first
		{"DELETE", PrefixIKS + "/v3/nothing", "", 405, "SIM405", true},
		{"HEAD", PrefixIKS + "/v1/clusters", "iam", 200, "", false},
		{"GET", PrefixIAM + "/identity/token", "iam", 404, "SIM404", false}, // not ServeMux's 405
		{"GET", PrefixIAM + "/identity/token", "", 401, "SIM401", false},
		{"PUT", PrefixIAM + "/identity/token", "", 405, "SIM405", true},
		{"GET", PrefixUserManagement + "/v2/accounts/" + sc.Account.ID + "/other", "", 401, "not_authorized", false},
		{"GET", sl + "/SoftLayer_Account.json", "basic", 200, "", false},
		{"GET", sl + "/SoftLayer_Account/getObject", "basic", 200, "", false},
		{"GET", sl + "/SoftLayer_Account/123/getHardware.json", "basic", 200, "", false}, // the id means nothing to an account method
		{"GET", sl + "/SoftLayer_User_Customer.json", "basic", 404, slNotFound, false},
		{"GET", sl + "/SoftLayer_Account/getNothing.json", "basic", 404, "SoftLayer_Exception_Public", false},
		{"GET", sl + "/SoftLayer_Virtual_Guest/1/2/getObject.json", "basic", 404, "SIM404", false},
		{"GET", sl + "/SoftLayer_Virtual_Guest/1/powerOff", "", 405, "SIM405", true}, // a state change sent as GET
		{"POST", sl + "/SoftLayer_Account.json", "basic", 405, "SIM405", true},
		{"GET", sl + "/SoftLayer_Nothing.json", "", 401, slInvalidLogin, false},
		{"GET", PrefixVPC + "/nowhere/v1/vpcs", "", 404, "not_found", false}, // no endpoint: before authentication
		{"GET", PrefixVPC + "/us-south/v1/nothing?version=2025-01-01&generation=2", "iam", 404, "SIM404", false},
		{"GET", PrefixKube + "/" + cl.ID + "/other", "kube", 404, "NotFound", false},
		{"GET", PrefixKube + "/" + cl.ID + "/version", "", 401, "Unauthorized", false},
		{"GET", "/nothing", "iam", 404, "SIM404", false},
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL()+c.path, nil)
		switch c.auth {
		case "iam":
			req.Header.Set("Authorization", "Bearer "+tok)
		case "basic":
			req.Header.Set("Authorization", basic)
		case "kube":
			req.Header.Set("Authorization", "Bearer "+srv.kubeToken(cl))
		}
		logged, before := len(srv.Requests()), len(srv.Violations())
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || (c.code != "" && errorCode(body) != c.code) {
			t.Errorf("%s %s: got %d %s, want %d %s", c.method, c.path, resp.StatusCode, body, c.status, c.code)
		}
		waitForLog(srv, logged)
		if got := len(srv.Violations()) > before; got != c.violation {
			t.Errorf("%s %s: recorded as a violation %v, want %v", c.method, c.path, got, c.violation)
		}
	}
}

// errorCode reads the code of an error body in any service's shape.
func errorCode(body []byte) string {
	var e struct {
		Code, ErrorCode, Reason string
		Errors                  []struct{ Code string }
	}
	json.Unmarshal(body, &e)
	for _, c := range []string{e.Code, e.ErrorCode, e.Reason} {
		if c != "" {
			return c
		}
	}
	if len(e.Errors) > 0 {
		return e.Errors[0].Code
	}
	return ""
}

// waitForLog waits for the request log's next entry: it is written when
// the handler returns, which may be just after the client has the answer.
func waitForLog(srv *Server, logged int) {
	for deadline := time.Now().Add(2 * time.Second); len(srv.Requests()) <= logged && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
}
