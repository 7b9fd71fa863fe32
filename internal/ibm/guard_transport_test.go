package ibm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
)

func validPair() cliconfig.Pair {
	return cliconfig.Pair{Access: "Bearer " + jwtFor(time.Now().Add(time.Hour), "acct-own", "", "t"), Refresh: "refresh-0"}
}

// serve answers every request with h and counts them.
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// A redirect to another port of the same host never receives the token,
// and the read fails without retries.
func TestRedirectToAnotherPortGetsNoToken(t *testing.T) {
	var leaked atomic.Value
	other, otherHits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get("Authorization"); a != "" {
			leaked.Store(a)
		}
		w.Write([]byte(`{"id":"x"}`))
	})
	api, apiHits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, api.URL, pairSource(validPair()), nil, Options{RetryWait: time.Millisecond})
	_, err := c.Cluster(context.Background(), "mycluster")
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Errorf("err %v, want a RedirectError", err)
	}
	if v := leaked.Load(); v != nil || otherHits.Load() != 0 {
		t.Errorf("the other port was called %d times, Authorization %v", otherHits.Load(), v)
	}
	if n := apiHits.Load(); n != 1 {
		t.Errorf("%d requests, want 1 (no retry of a refused redirect)", n)
	}
}

// A request with credentials to an origin that is not configured is refused
// at the bottom of the stack, whoever built the request (softlayer-go).
func TestCredentialsOnlyToConfiguredOrigins(t *testing.T) {
	ep := Endpoints{IAM: "https://iam.cloud.ibm.com", IKS: "https://containers.cloud.ibm.com/global", VPC: "https://{region}.iaas.cloud.ibm.com/v1",
		SoftLayer: "http://127.0.0.1:8080/softlayer/rest/v3.1"}
	g := credGuard{next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	}), allow: originsOf(ep)}
	for url, ok := range map[string]bool{
		"https://iam.cloud.ibm.com/identity/token":        true,
		"https://iam.cloud.ibm.com:443/x":                 true,
		"https://us-south.iaas.cloud.ibm.com/v1/subnets":  true,
		"http://127.0.0.1:8080/softlayer/rest/v3.1/x":     true,
		"http://127.0.0.1:8081/softlayer/rest/v3.1/x":     false,
		"https://iam.cloud.ibm.com:8443/x":                false,
		"http://iam.cloud.ibm.com/x":                      false,
		"https://evil.example/.iaas.cloud.ibm.com/v1":     false,
		"https://a.b.iaas.cloud.ibm.com.evil.example/v1":  false,
		"https://containers.cloud.ibm.com.evil.example/x": false,
	} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer x")
		_, err := g.RoundTrip(req)
		var ce *CredentialError
		if got := !errors.As(err, &ce); got != ok {
			t.Errorf("%s: allowed %v, want %v (%v)", url, got, ok, err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A body of 1 GiB, streamed without a length: the read stops at the cap
// with a clear error, quickly, without holding the body in memory.
func TestHugeBodyIsCut(t *testing.T) {
	api, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"`))
		buf := []byte(strings.Repeat("x", 64<<10))
		for sent := 0; sent < 1<<30; sent += len(buf) {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	})
	c := newTestClient(t, api.URL, pairSource(validPair()), nil, Options{MaxBody: 1 << 20, Retries: -1})
	start := time.Now()
	_, err := c.Cluster(context.Background(), "mycluster")
	// go-sdk-core flattens the error into its message.
	if err == nil || !strings.Contains(err.Error(), "response body larger than 1 MiB") {
		t.Errorf("err %v, want the body cap's error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestDeclaredHugeBodyIsNotRead(t *testing.T) {
	var inner io.ReadCloser = io.NopCloser(strings.NewReader(""))
	g := capBody{max: 10, next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, ContentLength: 11, Body: inner}, nil
	})}
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/x", nil)
	if _, err := g.RoundTrip(req); err == nil {
		t.Error("a declared oversize body was accepted")
	}
}

// Retry-After: 3600 is not waited for: the read fails at once, once.
func TestLongRetryAfterFailsFast(t *testing.T) {
	api, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"code":"SIM429","description":"slow down"}`))
	})
	c := newTestClient(t, api.URL, pairSource(validPair()), nil, Options{RetryWait: time.Millisecond})
	start := time.Now()
	_, err := c.Cluster(context.Background(), "mycluster")
	if err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	// The same for the SoftLayer retry.
	rt := slRetry(http.DefaultTransport, 3, time.Millisecond, 10*time.Second)
	req, _ := http.NewRequest(http.MethodGet, api.URL+"/softlayer", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || hits.Load() != 2 {
		t.Errorf("softlayer: %v %v after %d requests", resp, err, hits.Load())
	}
}

// A 200 whose body is null or {} is a failed read, not a crash.
func TestNullAndEmptyObjectBodies(t *testing.T) {
	for _, body := range []string{"null", " {} \n", "{ }", ""} {
		api, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		})
		c := newTestClient(t, api.URL, pairSource(validPair()), nil, Options{Retries: -1})
		if _, err := c.Cluster(context.Background(), "mycluster"); err == nil {
			t.Errorf("%q: no error", body)
		}
		if _, err := c.ResourceGroups(context.Background(), "acct"); err == nil {
			t.Errorf("%q: resource groups: no error", body)
		}
	}
}

func TestTraceIsScrubbed(t *testing.T) {
	var got strings.Builder
	p := TraceLogger(printerFunc(func(s string) { got.WriteString(s) }))
	pair := validPair()
	newSessionAuth(pairSource(pair), nil, nil, time.Second, nil) // notes the session's tokens
	p.Printf("refresh_token=%s token %s", pair.Refresh+"-long-enough", strings.TrimPrefix(pair.Access, "Bearer "))
	AddTraceSecrets("refresh-0-long-enough")
	p.Println("again", pair.Refresh+"-long-enough")
	if strings.Contains(got.String(), "eyJ") || strings.Contains(got.String(), "refresh-0-long-enough") {
		t.Errorf("trace not scrubbed: %s", got.String())
	}
}

type printerFunc func(string)

func (f printerFunc) Print(v ...any) {
	f(strings.TrimSpace(strings.Join(strings.Fields(sprint(v...)), " ")))
}
func (f printerFunc) Printf(format string, v ...any) { f(sprint(v...)) }
func (f printerFunc) Println(v ...any)               { f(sprint(v...)) }

func sprint(v ...any) string {
	var b strings.Builder
	for _, x := range v {
		b.WriteString(x.(string))
	}
	return b.String()
}
