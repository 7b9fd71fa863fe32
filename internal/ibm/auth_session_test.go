package ibm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
)

// jwtFor makes an unsigned JWT the CLI SDK's claim parser reads.
func jwtFor(exp time.Time, account, ims, nonce string) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]any{"id": "IBMid-1", "iam_id": "IBMid-1", "email": "a@example.com", "exp": exp.Unix(), "iat": exp.Add(-time.Hour).Unix(),
		"account": map[string]any{"bss": account, "ims": ims}, "nonce": nonce})
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(claims) + ".sig"
}

// fakeIAM issues token pairs for refresh tokens it honours once, as the
// simulator and IAM's rotation do. hold, when set, blocks each token
// request until it returns.
type fakeIAM struct {
	mu      sync.Mutex
	valid   map[string]string // refresh token → account it is bound to
	n       int
	calls   atomic.Int32
	hold    func(r *http.Request)
	onSpend func(spent string)
}

func newFakeIAM(t *testing.T, refresh ...string) (*fakeIAM, *httptest.Server) {
	f := &fakeIAM{valid: map[string]string{}}
	for _, r := range refresh {
		f.valid[r] = "acct-own"
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// issue adds a refresh token the fake honours.
func (f *fakeIAM) issue(account string) (access, refresh string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	refresh = fmt.Sprintf("refresh-%d", f.n)
	f.valid[refresh] = account
	return jwtFor(time.Now().Add(time.Hour), account, "", refresh), refresh
}

func (f *fakeIAM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if f.hold != nil {
		f.hold(r)
	}
	r.ParseForm()
	if r.URL.Path != "/identity/token" || r.Form.Get("grant_type") != "refresh_token" || r.Header.Get("Authorization") != "Basic Yng6Yng=" {
		http.Error(w, `{"errorCode":"BXNIM0109E","errorMessage":"bad request"}`, http.StatusBadRequest)
		return
	}
	rt := r.Form.Get("refresh_token")
	f.mu.Lock()
	account, ok := f.valid[rt]
	delete(f.valid, rt)
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"errorCode":"BXNIM0407E","errorMessage":"Provided refresh token is invalid"}`)
		return
	}
	if f.onSpend != nil {
		f.onSpend(rt)
	}
	if a := r.Form.Get("account"); a != "" {
		account = a
	}
	access, refresh := f.issue(account)
	json.NewEncoder(w).Encode(map[string]any{"access_token": strings.TrimPrefix(access, ""), "refresh_token": refresh,
		"token_type": "Bearer", "expiration": time.Now().Add(time.Hour).Unix()})
}

type pairSource cliconfig.Pair

func (p pairSource) IAMToken() string        { return p.Access }
func (p pairSource) IAMRefreshToken() string { return p.Refresh }

const unknownKeys = `"FutureKey": {"kept": [1, 2.50]}, "Region": "us-south"`

func writeConfig(t *testing.T, p cliconfig.Pair) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	body := fmt.Sprintf("{\n  \"IAMToken\": %q,\n  \"IAMRefreshToken\": %q,\n  %s\n}\n", p.Access, p.Refresh, unknownKeys)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func expiredPair() cliconfig.Pair {
	return cliconfig.Pair{Access: "Bearer " + jwtFor(time.Now().Add(-time.Hour), "acct-own", "", "old"), Refresh: "refresh-0"}
}

func newTestClient(t *testing.T, iamURL string, src TokenSource, store TokenStore, o Options) *Client {
	t.Helper()
	o.Store = store
	ep := Endpoints{IAM: iamURL, IKS: iamURL, ResourceManager: iamURL, UserManagement: iamURL, AccountManagement: iamURL, SoftLayer: iamURL, VPC: iamURL}
	c, err := New(src, ep, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// An expired token and a token endpoint that never answers: the refresh
// ends with the run's context, not with some client's own patience.
func TestRefreshBoundedByContext(t *testing.T) {
	release := make(chan struct{})
	f, srv := newFakeIAM(t, "refresh-0")
	f.hold = func(r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	defer close(release)
	pair := expiredPair()
	c := newTestClient(t, srv.URL, pairSource(pair), cliconfig.File(writeConfig(t, pair)), Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.EnsureToken(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refresh took %v after the context ended", d)
	}
}

// Eight runs whose token expired refresh together: each succeeds, the
// refresh token is spent once per refresh, and config.json keeps its other
// keys byte for byte.
func TestConcurrentRunsShareOneRefresh(t *testing.T) {
	f, srv := newFakeIAM(t, "refresh-0")
	pair := expiredPair()
	path := writeConfig(t, pair)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each run loaded the same expired pair from config.json.
			c := newTestClient(t, srv.URL, pairSource(pair), cliconfig.File(path), Options{})
			tok, err := c.EnsureToken(context.Background())
			if err == nil && !usable(tok) {
				err = fmt.Errorf("unusable token %q", tok)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d token requests, want 1 (the others use the saved pair)", n)
	}
	b, _ := os.ReadFile(path)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || !strings.Contains(string(b), unknownKeys) {
		t.Errorf("config.json damaged: %v\n%s", err, b)
	}
	saved, _ := cliconfig.Read(context.Background(), path)
	if !usable(saved.Access) || f.valid[saved.Refresh] == "" {
		t.Errorf("saved pair unusable: %+v", saved)
	}
}

// Another process (the CLI itself) spent the saved refresh token and saves
// its new pair a moment later: the run waits for it and uses it instead of
// saying "not logged in".
func TestRotatedRefreshTokenUsesSiblingPair(t *testing.T) {
	f, srv := newFakeIAM(t) // refresh-0 already spent elsewhere
	pair := expiredPair()
	path := writeConfig(t, pair)
	access, refresh := f.issue("acct-own")
	sibling := cliconfig.Pair{Access: "Bearer " + jwtFor(time.Now().Add(-time.Minute), "acct-own", "", "sib"), Refresh: refresh}
	_ = access
	f.onSpend = nil
	refusedOnce := make(chan struct{})
	var once sync.Once
	f.hold = func(r *http.Request) {
		r.ParseForm()
		if r.Form.Get("refresh_token") == "refresh-0" {
			once.Do(func() { close(refusedOnce) })
		}
	}
	go func() {
		<-refusedOnce
		// The sibling's save lands once the lock is free (expired access
		// token, so the run must refresh with the sibling's refresh token).
		cliconfig.Update(context.Background(), path, func(cliconfig.Pair) (cliconfig.Pair, bool, error) { return sibling, true, nil })
	}()
	c := newTestClient(t, srv.URL, pairSource(pair), cliconfig.File(path), Options{})
	tok, err := c.EnsureToken(context.Background())
	if err != nil || !usable(tok) {
		t.Fatalf("token %q err %v", tok, err)
	}
}

// A refresh token IAM refuses, with nothing newer saved: not logged in.
func TestRefusedRefreshIsNotLoggedIn(t *testing.T) {
	_, srv := newFakeIAM(t)
	pair := expiredPair()
	c := newTestClient(t, srv.URL, pairSource(pair), cliconfig.File(writeConfig(t, pair)), Options{})
	c.auth.settle = 50 * time.Millisecond
	if _, err := c.EnsureToken(context.Background()); !errors.Is(err, ErrNotLoggedIn) {
		t.Errorf("err %v", err)
	}
}

// Ctrl-C while an account-bound exchange is at IAM: the caller returns at
// once, the exchange's answer is still recorded, and HandBack binds a pair
// to the session's account and saves it; the saved refresh token works.
func TestInterruptedExchangeIsHandedBack(t *testing.T) {
	f, srv := newFakeIAM(t)
	access, refresh := f.issue("acct-own")
	pair := cliconfig.Pair{Access: "Bearer " + access, Refresh: refresh}
	path := writeConfig(t, pair)
	arrived, release := make(chan struct{}), make(chan struct{})
	var first sync.Once
	f.hold = func(r *http.Request) {
		first.Do(func() {
			close(arrived)
			<-release
		})
	}
	c := newTestClient(t, srv.URL, pairSource(pair), cliconfig.File(path), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.tokenFor(ctx, "acct-other", "12345")
		done <- err
	}()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("tokenFor: %v", err)
	}
	close(release) // IAM answers after the caller left: the pair must not be lost
	if err := c.HandBack(context.WithoutCancel(ctx), "acct-own", ""); err != nil {
		t.Fatalf("HandBack: %v", err)
	}
	saved, err := cliconfig.Read(context.Background(), path)
	if err != nil || saved.Refresh == refresh || f.valid[saved.Refresh] != "acct-own" {
		t.Fatalf("saved %+v (%v); IAM honours %v", saved, err, f.valid)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), unknownKeys) {
		t.Errorf("config.json lost keys:\n%s", b)
	}
	if !WaitDetached(time.Second) {
		t.Error("detached work still running")
	}
}
