package hostile

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

// world is one simulator behind one hostile layer.
type world struct {
	srv   *sim.Server
	layer *Layer
	token string
}

func start(t *testing.T, o Options, rules ...Rule) *world {
	t.Helper()
	sc := simtest.Load(t, "healthy-classic")
	srv := simtest.Start(t, sc, sim.Options{})
	l, err := New(srv.Handler(), o, rules...)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return &world{srv: srv, layer: l, token: login(t, srv.URL(), sc.Session.APIKey)}
}

// login gets an access token from the simulator's IAM (apikey grant).
func login(t *testing.T, base, apikey string) string {
	t.Helper()
	resp, err := http.PostForm(base+sim.PrefixIAM+"/identity/token",
		url.Values{"grant_type": {"urn:ibm:params:oauth:grant-type:apikey"}, "apikey": {apikey}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("login: %v %s", err, resp.Status)
	}
	return tok.AccessToken
}

func (w *world) get(t *testing.T, c *http.Client, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.layer.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

const rgPath = sim.PrefixResourceManager + "/v2/resource_groups"

func TestBodies(t *testing.T) {
	for _, c := range []struct {
		kind   Kind
		status int
		want   string
	}{
		{Null, 200, "null\n"},
		{EmptyObject, 200, "{}\n"},
		{HTML, 200, "<!DOCTYPE html>"},
		{RetryAfter, 429, `"errors":[{"code":"RATE"`},
	} {
		w := start(t, Options{}, Rule{Service: "resource-manager", Path: "^/v2/resource_groups$", Kind: c.kind})
		resp, body := w.get(t, http.DefaultClient, rgPath)
		if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %q", c.kind, resp.StatusCode, body)
		}
		if c.kind == RetryAfter && resp.Header.Get("Retry-After") != "999999999" {
			t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
		}
		if w.layer.Hits() != 1 {
			t.Errorf("%s: %d hits", c.kind, w.layer.Hits())
		}
	}
}

// Requests no rule matches reach the simulator untouched.
func TestPassThrough(t *testing.T) {
	w := start(t, Options{}, Rule{Service: "iks", Path: "^/v1/credentials$", Kind: Null})
	resp, body := w.get(t, http.DefaultClient, rgPath)
	if resp.StatusCode != 200 || !strings.Contains(body, `"resources"`) || w.layer.Hits() != 0 {
		t.Errorf("%d %q, %d hits", resp.StatusCode, body, w.layer.Hits())
	}
}

func TestEchoAuth(t *testing.T) {
	for _, c := range []struct {
		service, path, prefix string
		status                int
		shape                 string
	}{
		{"iks", "^/v1/credentials$", sim.PrefixIKS + "/v1/credentials", 400, `"incidentID"`},
		{"resource-manager", "resource_groups", rgPath, 500, `"errors"`},
		{"softlayer", "getCurrentUser", sim.PrefixSoftLayer + "/SoftLayer_Account/getCurrentUser.json", 500, `"code":"SoftLayer_Exception_ECHO"`},
		{"iam", "/settings/identity$", sim.PrefixIAM + "/v1/accounts/x/settings/identity", 400, `"errorCode"`},
	} {
		w := start(t, Options{}, Rule{Service: c.service, Path: c.path, Kind: EchoAuth, Status: c.status})
		resp, body := w.get(t, http.DefaultClient, c.prefix)
		if resp.StatusCode != c.status || !strings.Contains(body, c.shape) || !strings.Contains(body, w.token) {
			t.Errorf("%s: %d %q", c.service, resp.StatusCode, body)
		}
	}
}

// Go's client forwards Authorization to another port of the same host;
// the target must see it, or the detector would prove nothing.
func TestRedirectRecordsCredentials(t *testing.T) {
	w := start(t, Options{}, Rule{Service: "resource-manager", Path: "resource_groups", Kind: Redirect})
	resp, body := w.get(t, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, rgPath)
	if resp.StatusCode != 307 || !strings.HasPrefix(resp.Header.Get("Location"), w.layer.TargetURL()+rgPath) {
		t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if len(w.layer.Received()) != 0 {
		t.Fatal("a client that did not follow was recorded")
	}
	resp, body = w.get(t, http.DefaultClient, rgPath)
	got := w.layer.Received()
	if resp.StatusCode != 200 || !strings.Contains(body, `"resources"`) || len(got) != 1 || got[0].Value != "Bearer "+w.token {
		t.Errorf("followed: %d %q, received %+v", resp.StatusCode, body, got)
	}
}

func TestDripUsesInjectedTick(t *testing.T) {
	ticks := 0
	w := start(t, Options{DripBytes: 7, Tick: func(*http.Request) bool { ticks++; return true }},
		Rule{Service: "resource-manager", Path: "resource_groups", Kind: Drip})
	resp, body := w.get(t, http.DefaultClient, rgPath)
	want := (len(body) + 6) / 7
	if resp.StatusCode != 200 || !json.Valid([]byte(body)) || ticks != want-1 {
		t.Errorf("%d, %d ticks for %d bytes: %q", resp.StatusCode, ticks, len(body), body)
	}
}

func TestHugeStreams(t *testing.T) {
	w := start(t, Options{HugeSize: 3<<20 + 5}, Rule{Service: "resource-manager", Path: "resource_groups", Kind: Huge})
	resp, body := w.get(t, http.DefaultClient, rgPath)
	pad := len(body) - len(strings.TrimLeft(body, " "))
	if resp.StatusCode != 200 || pad != 3<<20+5 || !json.Valid([]byte(body)) {
		t.Errorf("%d, %d bytes of padding", resp.StatusCode, pad)
	}
}

func TestDataRewrite(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		payload string
	}{{Control, ControlPayload}, {Shell, ShellPayload}} {
		w := start(t, Options{}, Rule{Service: "resource-manager", Path: "resource_groups", Kind: c.kind})
		_, body := w.get(t, http.DefaultClient, rgPath)
		var doc struct {
			Resources []struct{ ID, Name string }
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Resources) == 0 {
			t.Fatalf("%s: %v %q", c.kind, err, body)
		}
		for _, g := range doc.Resources {
			if !strings.HasSuffix(g.Name, c.payload) || strings.Contains(g.ID, c.payload) {
				t.Errorf("%s: %+v", c.kind, g)
			}
		}
	}
}

func TestRules(t *testing.T) {
	for _, r := range []Rule{{Service: "nope", Path: "x", Kind: Null}, {Service: "iks", Path: "(", Kind: Null}, {Service: "iks", Path: "x", Kind: "odd"}} {
		if _, err := New(http.NotFoundHandler(), Options{}, r); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if err := (&Layer{}).Start("0.0.0.0:0"); err == nil {
		t.Error("a non-loopback address was accepted")
	}
}
