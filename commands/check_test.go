package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// The seed-000 session stories on the bundled healthy classic scenario
// (cluster mycluster in us-south, resource group team-a; default group
// "default"), each rendered in English, Japanese and JSON.
func TestCheckGolden(t *testing.T) {
	t.Parallel() // worlds of its own; golden files are read from the package directory, which only sequential tests leave
	for _, c := range []struct {
		name    string
		session session
		args    []string
		code    int
	}{
		{"healthy", session{}, []string{"check", "-c", "mycluster"}, 0},
		{"rg-mismatch", session{group: "default"}, []string{"check", "-c", "mycluster"}, 0},
		{"no-rg-targeted", session{noGroup: true}, []string{"check", "-c", "mycluster"}, 0},
		{"region-mismatch", session{region: "eu-de"}, []string{"check", "-c", "mycluster"}, 0},
		{"not-logged-in", session{loggedOut: true}, []string{"check", "-c", "mycluster"}, 2},
		{"unknown-cluster", session{}, []string{"check", "-c", "nosuchcluster"}, 2},
		{"create", session{noGroup: true}, []string{"check"}, 0},
	} {
		for _, v := range []struct {
			suffix, locale string
			json           bool
		}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
			t.Run(c.name+"/"+v.suffix, func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, "healthy-classic", c.session)
				args := c.args
				if v.json {
					args = append(append([]string{}, args...), "--output", "json")
				}
				stdout, stderr, code := w.run(t, v.locale, args...)
				if code != c.code {
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
				}
				if v.json && code != 2 && !json.Valid([]byte(stdout)) {
					t.Errorf("stdout is not one JSON document:\n%s", stdout)
				}
				if code == 2 && stdout != "" {
					t.Errorf("an error must leave stdout empty, got %q", stdout)
				}
				golden(t, "check-"+c.name+"-"+v.suffix, stdout, stderr, code)
				w.noSecrets(t, stdout, stderr)
				w.readOnly(t)
			})
		}
	}
}

// --fail-on warn turns the resource-group warning into exit 1.
func TestCheckFailOnWarn(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{group: "default"})
	_, _, code := w.run(t, "en_US", "check", "-c", "mycluster", "--fail-on", "warn")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}

// An expired access token in config.json is refreshed through the CLI SDK
// (against the simulator's IAM) and the run succeeds.
func TestCheckRefreshesExpiredToken(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{expired: true})
	stdout, stderr, code := w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	var doc struct {
		Findings []struct {
			Check, Status string
			Params        map[string]string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Findings[0].Check != "session.login" || doc.Findings[0].Status != "ok" {
		t.Errorf("first finding %+v", doc.Findings[0])
	}
	refreshed := false
	for _, r := range w.srv.Requests() {
		if strings.HasSuffix(r.Path, "/identity/token") && r.Status == 200 {
			refreshed = true
		}
	}
	if !refreshed {
		t.Error("no token refresh reached the simulator")
	}
	w.noSecrets(t, stdout, stderr)
}

func TestCheckUsageErrors(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, args := range [][]string{
		{"check", "-c", "mycluster", "--only", "session.nope"},
		{"check", "-c", "mycluster", "--output", "yaml"},
		{"check", "-c", "mycluster", "--fail-on", "info"},
		{"check", "-c", "mycluster", "--timeout", "soon"},
		{"check", "--bogus"},
		{"check", "extra-arg"},
		{"nosuchverb"},
	} {
		stdout, stderr, code := w.run(t, "ja_JP", args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "失敗") || !strings.Contains(stderr, "使用法") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if len(w.srv.Requests()) != 0 {
		t.Errorf("usage errors must not reach IBM Cloud: %d requests", len(w.srv.Requests()))
	}
}

func TestChecksCatalog(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, v := range []struct {
		suffix, locale string
		args           []string
	}{
		{"en", "en_US", []string{"checks"}}, {"ja", "ja_JP", []string{"checks"}}, {"json", "en_US", []string{"checks", "--output", "json"}},
	} {
		stdout, stderr, code := w.run(t, v.locale, v.args...)
		golden(t, "checks-"+v.suffix, stdout, stderr, code)
	}
	if len(w.srv.Requests()) != 0 {
		t.Error("checks must not call IBM Cloud")
	}
}

// --concurrency 1 reads one thing after another and reaches exactly the
// same findings, with the same number of requests: concurrency changes the
// time, never the answer or the reads.
func TestCheckConcurrencyOne(t *testing.T) {
	var outs []string
	var counts []int
	for _, n := range []string{"8", "1"} {
		w := newWorld(t, "orphan-cluster1", session{})
		stdout, _, _ := w.run(t, "en_US", "check", "-c", "Cluster1", "--concurrency", n, "--output", "json")
		outs = append(outs, durations.ReplaceAllString(stdout, ""))
		counts = append(counts, len(w.srv.Requests()))
	}
	if outs[0] != outs[1] || counts[0] != counts[1] {
		t.Errorf("concurrency changed the result: %d vs %d requests", counts[0], counts[1])
	}
}

// check -c reads each thing once: on a 50-worker cluster no request (method,
// path and query) is made twice, and the worker devices are found with one
// filtered call, not one per worker.
func TestCheckReadsOnce(t *testing.T) {
	w := newWorld(t, "fleet:clusters=1,workers=50,seed=1", session{})
	if _, stderr, code := w.run(t, "en_US", "check", "-c", "fleet-0001"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	seen := map[string]bool{}
	softlayer := 0
	for _, r := range w.srv.Requests() {
		b, _ := json.Marshal(r.Query)
		key := r.Method + " " + r.Path + " " + string(b)
		if seen[key] {
			t.Errorf("read twice: %s", key)
		}
		seen[key] = true
		if r.Service == "softlayer" {
			softlayer++
		}
	}
	// One listing each of virtual guests and bare metal (a flavor does not
	// tell which a worker is), the caller's device visibility (is "not
	// found" evidence?), and the VLANs: never one call per worker.
	if softlayer > 4 {
		t.Errorf("%d SoftLayer calls for 50 workers: devices are looked up one by one", softlayer)
	}
	t.Logf("%d requests", len(w.srv.Requests()))
}

// --help is wholly in the session's language: headings, options, value
// placeholders in the SDK's style, and defaults.
func TestHelpIsTranslated(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	stdout, _, code := w.run(t, "ja_JP", "check", "--help")
	if code != 0 || !strings.Contains(stdout, "使用法:") || !strings.Contains(stdout, "--cluster CLUSTER") || !strings.Contains(stdout, "(デフォルト: 8)") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	for _, english := range []string{"Usage:", "Flags:", "(default", " string ", " int "} {
		if strings.Contains(stdout, english) {
			t.Errorf("%q in the Japanese help:\n%s", english, stdout)
		}
	}
}

// Each usage error names the values that are allowed, in the session's
// language, with exit 2, nothing on stdout and no request to IBM Cloud.
func TestUsageErrorsNameTheAllowedValues(t *testing.T) {
	w := newWorld(t, "orphan-cluster1", session{})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "-c", "Cluster1", "--output", "yaml"}, "--output yaml: use json, text"},
		{[]string{"check", "-c", "Cluster1", "--fail-on", "info"}, "--fail-on info: use fail, warn"},
		{[]string{"check", "-c", "Cluster1", "--concurrency", "0"}, "--concurrency 0: use a whole number from 1 to 64"},
		{[]string{"check", "-c", "Cluster1", "--timeout", "soon"}, "--timeout soon: use a positive duration, for example 90s or 5m"},
		{[]string{"check", "-c", ""}, "leave out -c to check whether a cluster can be created"},
		{[]string{"check", "-c", "  "}, "leave out -c to check whether a cluster can be created"},
		{[]string{"check", "-c", "Cluster1", "--only", "session.nope"}, "unknown check session.nope; the checks are: session.login, "},
		{[]string{"check", "-c", "Cluster1", "--only", "session.login", "--skip", "session.login"}, "check session.login is named by both --only and --skip"},
		{[]string{"orphan", "-r", "xx-nowhere"}, "--region xx-nowhere: use au-syd, br-sao, "},
		{[]string{"orphan", "-r", ""}, "us-south"},
		{[]string{"orphan", "--concurrency", "99"}, "--concurrency 99: use a whole number from 1 to 64"},
		{[]string{"gather", "-c", "Cluster1", "--timeout", "-1s"}, "--timeout -1s: use a positive duration"},
	} {
		stdout, stderr, code := w.run(t, "en_US", c.args...)
		if code != 2 || stdout != "" || !strings.HasPrefix(stderr, "FAILED\nIncorrect usage: ") || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", c.args, code, stdout, stderr, c.want)
		}
	}
	_, stderr, _ := w.run(t, "ja_JP", "orphan", "-r", "xx-nowhere")
	if !strings.Contains(stderr, "--region xx-nowhere: au-syd, br-sao,") || !strings.Contains(stderr, "を指定してください") {
		t.Errorf("Japanese: %q", stderr)
	}
	if n := len(w.srv.Requests()); n != 0 {
		t.Errorf("usage errors must not reach IBM Cloud: %d requests", n)
	}
}

// "Incorrect usage" is for usage errors only: a session error, an unknown
// cluster or a failed write is reported as what it is.
func TestOnlyUsageErrorsSayIncorrectUsage(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	out := newWorld(t, "healthy-classic", session{loggedOut: true})
	for _, c := range []struct {
		w    *world
		args []string
	}{
		{out, []string{"check", "-c", "mycluster"}},
		{out, []string{"orphan"}},
		{w, []string{"check", "-c", "nosuchcluster"}},
		{w, []string{"orphan", "-g", "nosuchgroup"}},
	} {
		_, stderr, code := c.w.run(t, "en_US", c.args...)
		if code != 2 || !strings.HasPrefix(stderr, "FAILED\n") || strings.Contains(stderr, "Incorrect usage") {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, stderr)
		}
	}
}

// A stdout that cannot be written (closed pipe, full disk) is an I/O error
// on stderr with exit 2, whatever the findings said; never a success and
// never "Incorrect usage".
func TestStdoutWriteFailure(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, args := range [][]string{
		{"check", "-c", "mycluster"},
		{"check", "-c", "mycluster", "--output", "json"},
		{"checks"},
		{"explain", "E0051"},
	} {
		for _, locale := range []string{"en_US", "ja_JP"} {
			_, stderr, code := w.runWith(t, runOpts{locale: locale, stdout: failingWriter{syscall.EPIPE}}, args...)
			want := map[string]string{"en_US": "Could not write the output: broken pipe", "ja_JP": "出力を書き込めませんでした: 「broken pipe」"}[locale]
			if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "Incorrect usage") || strings.Contains(stderr, "使用法") {
				t.Errorf("%q %s: exit %d, stderr %q", args, locale, code, stderr)
			}
		}
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

// panickyWriter stands for any bug: the run panics while it prints.
type panickyWriter struct{}

func (panickyWriter) Write([]byte) (int, error) {
	panic("renderer bug: index out of range [3] with length 3")
}

// A panic anywhere in a command is a localized internal error on stderr
// (exit 2, nothing on stdout); the Go stack only with IBMCLOUD_TRACE.
func TestPanicIsAnInternalError(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	for _, locale := range []string{"en_US", "ja_JP"} {
		stdout, stderr, code := w.runWith(t, runOpts{locale: locale, stdout: panickyWriter{}}, "check", "-c", "mycluster")
		want := map[string]string{"en_US": "Internal error: ks-doctor stopped unexpectedly (renderer bug", "ja_JP": "内部エラー"}[locale]
		if code != 2 || stdout != "" || !strings.Contains(stderr, want) || strings.Contains(stderr, "goroutine ") {
			t.Errorf("%s: exit %d, stderr %q", locale, code, stderr)
		}
	}
	_, stderr, code := w.runWith(t, runOpts{locale: "en_US", stdout: panickyWriter{}, trace: "true"}, "checks")
	if code != 2 || !strings.Contains(stderr, "goroutine ") || !strings.Contains(stderr, "Internal error") {
		t.Errorf("with IBMCLOUD_TRACE: exit %d, stderr %q", code, stderr)
	}
}

// Ctrl-C before or during the reads: check prints what it has, marked
// incomplete (JSON "incomplete": true, a line in text), and exits 3 — or 1
// when what was read already fails.
func TestCheckInterrupted(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stdout, stderr, code := w.runWith(t, runOpts{locale: "en_US", ctx: ctx}, "check", "-c", "mycluster", "--output", "json")
	var doc struct {
		Incomplete *bool
		Findings   []struct{ Check, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not one JSON document (%v): %q; stderr %q", err, stdout, stderr)
	}
	if code != 3 || doc.Incomplete == nil || !*doc.Incomplete || len(doc.Findings) == 0 {
		t.Errorf("exit %d, incomplete %v, %d findings; stderr %q", code, doc.Incomplete, len(doc.Findings), stderr)
	}
	for _, f := range doc.Findings {
		if f.Status == "fail" || f.Status == "warn" {
			t.Errorf("%s is %s on reads that never happened", f.Check, f.Status)
		}
	}
	for locale, line := range map[string]string{
		"en_US": "The run was interrupted or ran out of time: these results are incomplete.",
		"ja_JP": "実行が中断されたか、時間切れになりました。この結果は不完全です。",
	} {
		stdout, _, code := w.runWith(t, runOpts{locale: locale, ctx: ctx}, "check", "-c", "mycluster")
		if code != 3 || !strings.Contains(stdout, line) {
			t.Errorf("%s: exit %d\n%s", locale, code, stdout)
		}
	}
	// A complete run says so too.
	stdout, _, _ = w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	if !strings.Contains(stdout, `"incomplete": false`) {
		t.Errorf("no \"incomplete\": false in a complete run:\n%s", stdout)
	}
	w.readOnly(t)
}

// echoFront stands in front of the simulator's IKS API and answers the
// requests whose path matches with a 500 in IKS's error shape whose
// description echoes the request's Authorization header, the session's
// refresh token and terminal control sequences: a server that repeats
// secrets and tries to repaint the user's terminal.
func echoFront(t *testing.T, w *world, path *regexp.Regexp) {
	t.Helper()
	target, err := url.Parse(w.env["KS_DOCTOR_SIM_URL"])
	if err != nil {
		t.Fatal(err)
	}
	refresh := w.secrets(t)[len(w.secrets(t))-1]
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !path.MatchString(r.URL.Path) {
			proxy.ServeHTTP(rw, r)
			return
		}
		body, _ := json.Marshal(map[string]string{"incidentID": "echo-1", "code": "E0000", "type": "General",
			"description": "rejected " + r.Header.Get("Authorization") + " (refresh " + refresh + ")" + echoControls})
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusInternalServerError)
		rw.Write(body)
	}))
	t.Cleanup(front.Close)
	w.env["KS_DOCTOR_IKS_URL"] = front.URL + sim.PrefixIKS
	w.env["KS_DOCTOR_RETRIES"] = "0"
}

const echoControls = "\r  ✓ fixed\x1b[2J"

// What a hostile server echoes is masked (the session's tokens, even in a
// form no pattern knows) and made harmless (control characters) in text
// output and on stderr; JSON keeps the control characters, escaped, but
// never a secret. The gather archive uses the same scrubber.
func TestServerEchoIsScrubbedAndSafe(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	echoFront(t, w, regexp.MustCompile(`/workers$`))
	text, stderr, code := w.run(t, "en_US", "check", "-c", "mycluster")
	if code != 3 || !strings.Contains(text, "[REDACTED]") || !strings.Contains(text, `\r  ✓ fixed\x1b[2J`) {
		t.Errorf("exit %d: the echo is not shown masked and escaped:\n%s", code, text)
	}
	if strings.ContainsAny(text+stderr, "\r\x1b") {
		t.Errorf("a control character reached the terminal:\n%q", text)
	}
	js, stderr2, _ := w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	if !json.Valid([]byte(js)) || !strings.Contains(js, `\r  ✓ fixed\u001b[2J`) || !strings.Contains(js, "[REDACTED]") {
		t.Errorf("JSON must keep the value, escaped, and mask the secrets:\n%s", js)
	}
	w.noLeaks(t, []byte(text), []byte(stderr), []byte(js), []byte(stderr2))

	// On stderr: an error message that quotes the server.
	g := newWorld(t, "healthy-classic", session{})
	echoFront(t, g, regexp.MustCompile(`/getCluster$`))
	dir := t.TempDir()
	out, errOut, code := g.gather(t, dir, "en_US", "-c", "mycluster", "-q")
	if code != 0 {
		t.Fatalf("gather exit %d: %s", code, errOut)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("archives: %v", files)
	}
	a := openArchive(t, filepath.Join(dir, files[0].Name()))
	if !bytes.Contains(a.files["cluster.json"], []byte("[REDACTED]")) {
		t.Errorf("cluster.json does not show the masked echo:\n%s", a.files["cluster.json"])
	}
	g.noLeaks(t, append(a.raw, []byte(out), []byte(errOut))...)
	g.readOnly(t)
	w.readOnly(t)
}

// A worker message with a carriage return and an ESC sequence (the brief's
// hostile example) renders harmlessly in text, in both languages, and
// intact in JSON.
func TestWorkerMessageControlCharacters(t *testing.T) {
	sc, err := sim.Load("healthy-classic")
	if err != nil {
		t.Fatal(err)
	}
	msg := "Worker unreachable" + echoControls + "\x1b]0;pwned\x07"
	sc.Clusters[0].Workers[0].State, sc.Clusters[0].Workers[0].Message = "critical", msg
	w := newWorldOf(t, sc, sim.Options{}, session{})
	for _, locale := range []string{"en_US", "ja_JP"} {
		text, stderr, _ := w.run(t, locale, "check", "-c", "mycluster")
		if strings.ContainsAny(text+stderr, "\r\x1b\x07") {
			t.Errorf("%s: a control character reached the terminal:\n%q", locale, text)
		}
		if !strings.Contains(text, `Worker unreachable\r  ✓ fixed\x1b[2J\x1b]0;pwned\x07`) {
			t.Errorf("%s: the message is not shown, escaped:\n%s", locale, text)
		}
	}
	js, _, _ := w.run(t, "en_US", "check", "-c", "mycluster", "--output", "json")
	var doc struct{ Findings []struct{ Raw string } }
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range doc.Findings {
		found = found || f.Raw == msg
	}
	if !found {
		t.Errorf("JSON does not keep the message as IBM Cloud sent it:\n%s", js)
	}
}
