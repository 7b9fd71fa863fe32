package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// iamProxy stands between ks-doctor and the simulator's IAM: every token
// request is shown to hook first (which may hold it) and then forwarded,
// unless hook says drop (the request then hangs until the client leaves).
type iamProxy struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hook func(form url.Values) (forward bool)
}

func (p *iamProxy) setHook(h func(url.Values) bool) {
	p.mu.Lock()
	p.hook = h
	p.mu.Unlock()
}

func newIAMProxy(t *testing.T, simEnv []string) *iamProxy {
	t.Helper()
	target, _ := url.Parse(envValue(simEnv, "KS_DOCTOR_IAM_URL"))
	if target == nil || target.Host == "" {
		t.Fatal("no IAM URL in the simulator's env")
	}
	p := &iamProxy{hook: func(url.Values) bool { return true }}
	rp := httputil.NewSingleHostReverseProxy(target)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/identity/token") {
			body, _ := readAll(r)
			form, _ := url.ParseQuery(string(body))
			p.mu.Lock()
			hook := p.hook
			p.mu.Unlock()
			if !hook(form) {
				<-r.Context().Done()
				return
			}
			r.Body = nopCloser{bytes.NewReader(body)}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// env points ks-doctor's IAM (its own override and the CLI SDK's) at the proxy.
func (p *iamProxy) env(simEnv []string) []string {
	return withEnv(withEnv(simEnv, "KS_DOCTOR_IAM_URL", p.srv.URL), "IAM_ENDPOINT", p.srv.URL)
}

func readAll(r *http.Request) ([]byte, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	return b.Bytes(), err
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// started is a ks-doctor process the test signals.
type started struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{}
}

func start(t *testing.T, bin string, env []string, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	s.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "IBMCLOUD_PLUGIN_NAMESPACE=ks-doctor", "LANG=C"}, env...)
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
	return s
}

// wait waits for the process to end within d and returns its exit code.
func (s *started) wait(t *testing.T, d time.Duration, what string) int {
	t.Helper()
	select {
	case <-s.done:
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("%s: still running %v later\nstderr: %s", what, d, s.stderr.String())
		return -1
	}
}

// Signals and hung token requests, through the built binary (one build for
// every case: builds dominate the cost).
func TestSignals(t *testing.T) {
	t.Parallel() // processes and simulators of its own
	dir := t.TempDir()
	ksd := build(t, dir, "./plugin", "ks-doctor")
	simBin := build(t, dir, "./cmd/ks-doctor-sim", "ks-doctor-sim")
	t.Run("hung token endpoint", func(t *testing.T) { testHungTokenEndpoint(t, ksd, simBin) })
	t.Run("interrupt during exchange", func(t *testing.T) { testInterruptDuringTokenExchange(t, ksd, simBin) })
	t.Run("second interrupt", func(t *testing.T) { testSecondInterruptExitsAtOnce(t, ksd, simBin) })
}

// An expired token and an IAM token endpoint that never answers: the run
// ends by --timeout with a clear message, and within a second of Ctrl-C.
func testHungTokenEndpoint(t *testing.T, ksd, simBin string) {
	simEnv, _ := startSim(t, simBin, "--scenario", "healthy-classic", "--group", "default", "--expired-token")
	proxy := newIAMProxy(t, simEnv)
	arrived := make(chan struct{}, 4)
	proxy.setHook(func(url.Values) bool {
		arrived <- struct{}{}
		return false // hang
	})
	env := proxy.env(simEnv)

	t.Run("timeout", func(t *testing.T) {
		began := time.Now()
		p := start(t, ksd, env, "check", "-c", "mycluster", "--timeout", "2s")
		code := p.wait(t, 10*time.Second, "--timeout 2s")
		if took := time.Since(began); took > 4*time.Second {
			t.Errorf("took %v with --timeout 2s", took)
		}
		if code != 2 || !strings.Contains(p.stderr.String(), "could not be refreshed in time") {
			t.Errorf("exit %d, stderr %q", code, p.stderr.String())
		}
		<-arrived
	})
	t.Run("interrupt", func(t *testing.T) {
		p := start(t, ksd, env, "check", "-c", "mycluster")
		<-arrived // the refresh is at IAM, so the signal handler is installed
		p.cmd.Process.Signal(os.Interrupt)
		code := p.wait(t, time.Second, "Ctrl-C during a hung refresh")
		if code != 2 || !strings.Contains(p.stderr.String(), "Interrupted") {
			t.Errorf("exit %d, stderr %q", code, p.stderr.String())
		}
	})
}

// Ctrl-C while an account-bound token exchange is at IAM: the walk stops
// within a second, prints what it has marked incomplete (exit 3), the
// exchange's answer is handed back to config.json, and the next run works
// without logging in again.
func testInterruptDuringTokenExchange(t *testing.T, ksd, simBin string) {
	simEnv, _ := startSim(t, simBin, "--scenario", "orphan-cluster1")
	proxy := newIAMProxy(t, simEnv)
	arrived, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	proxy.setHook(func(form url.Values) bool {
		if form.Get("account") != "" {
			once.Do(func() {
				close(arrived)
				<-release
			})
		}
		return true
	})
	env := proxy.env(simEnv)
	p := start(t, ksd, env, "orphan", "--output", "json")
	<-arrived
	p.cmd.Process.Signal(os.Interrupt)
	close(release) // IAM answers after the user pressed Ctrl-C
	code := p.wait(t, time.Second, "Ctrl-C during an exchange")
	var doc struct{ Incomplete bool }
	if code != 3 || json.Unmarshal(p.stdout.Bytes(), &doc) != nil || !doc.Incomplete {
		t.Errorf("exit %d, want 3 with a document marked incomplete\nstdout: %.500s\nstderr: %s", code, p.stdout.String(), p.stderr.String())
	}
	proxy.setHook(func(url.Values) bool { return true })
	// The next run spends the saved refresh token in its own exchanges: it
	// works only if the interrupted run handed a live one back.
	stdout, stderr, code := run(t, ksd, env, "orphan", "--output", "json")
	doc.Incomplete = true
	if json.Unmarshal([]byte(stdout), &doc); code > 1 || doc.Incomplete || stderr != "" {
		t.Errorf("the next run: exit %d, incomplete %v\nstderr: %s", code, doc.Incomplete, stderr)
	}
}

// A second Ctrl-C ends the process at once with 130, even while the first
// one is still being honoured (here: handing the session back).
func testSecondInterruptExitsAtOnce(t *testing.T, ksd, simBin string) {
	simEnv, _ := startSim(t, simBin, "--scenario", "orphan-cluster1")
	proxy := newIAMProxy(t, simEnv)
	first, handBack := make(chan struct{}), make(chan struct{})
	var n int
	var mu sync.Mutex
	proxy.setHook(func(form url.Values) bool {
		mu.Lock()
		n++
		k := n
		mu.Unlock()
		switch k {
		case 1:
			close(first)
			return true
		case 2:
			close(handBack) // the first signal was honoured: the walk ended, the session is being handed back
			return false
		}
		return false
	})
	p := start(t, ksd, proxy.env(simEnv), "orphan", "--output", "json")
	<-first
	p.cmd.Process.Signal(os.Interrupt)
	<-handBack
	p.cmd.Process.Signal(os.Interrupt)
	if code := p.wait(t, 500*time.Millisecond, "second Ctrl-C"); code != ExitSecondInterrupt {
		t.Errorf("exit %d, want %d", code, ExitSecondInterrupt)
	}
}
