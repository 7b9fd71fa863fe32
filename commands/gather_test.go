package commands

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/bundle"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// gather runs `ks-doctor gather ARGS` with dir as the working directory,
// where the archive goes by default.
func (w *world) gather(t *testing.T, dir, locale string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	// Only for the run: golden files are found relative to the package.
	back, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := os.Chdir(back); err != nil {
			t.Fatal(err)
		}
	}()
	return w.run(t, locale, append([]string{"gather"}, args...)...)
}

var (
	stamp  = regexp.MustCompile(`\d{8}T\d{6}Z`)
	hashes = regexp.MustCompile(`"sha256": "[0-9a-f]{64}"`)
	sizes  = regexp.MustCompile(`"bytes": \d+`)
)

// normalize removes what changes from run to run: the timestamp in the
// default file name, and the sizes and hashes (check.json holds durations,
// the manifest a creation time). TestGatherArchive checks those for real.
func normalize(s string) string {
	s = stamp.ReplaceAllString(s, "TIMESTAMP")
	s = hashes.ReplaceAllString(s, `"sha256": "SHA256"`)
	return sizes.ReplaceAllString(s, `"bytes": 0`)
}

// archive is a gather archive opened for a test: its files by name (below
// the top directory) and every byte of it, decompressed, for leak scans.
type archive struct {
	top   string
	files map[string][]byte
	raw   [][]byte
}

func openArchive(t *testing.T, path string) archive {
	t.Helper()
	a := archive{files: map[string][]byte{}}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, content []byte, dir bool) {
		first, rest, _ := strings.Cut(strings.TrimSuffix(name, "/"), "/")
		if a.top == "" {
			a.top = first
		}
		if first != a.top {
			t.Errorf("%s lies outside the top directory %s", name, a.top)
		}
		if _, dup := a.files[rest]; dup {
			t.Errorf("%s is in the archive twice", name)
		}
		if !dir {
			a.files[rest] = content
		}
	}
	if strings.HasSuffix(path, ".zip") {
		a.raw = append(a.raw, data) // names, headers and comments are stored as they are
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			content, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			a.raw = append(a.raw, content)
			add(f.Name, content, f.FileInfo().IsDir())
		}
		return a
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(gz) // the whole tar stream: headers, names, padding
	if err != nil {
		t.Fatal(err)
	}
	a.raw = append(a.raw, plain, []byte(gz.Header.Name), []byte(gz.Header.Comment), gz.Header.Extra)
	tr := tar.NewReader(bytes.NewReader(plain))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		add(h.Name, content, h.Typeflag == tar.TypeDir)
	}
	return a
}

// manifest checks manifest.json against the archive: every listed file is
// there with the stated size and SHA-256, and nothing is there unlisted.
func (a archive) manifest(t *testing.T) bundle.Manifest {
	t.Helper()
	var m bundle.Manifest
	if err := json.Unmarshal(a.files[bundle.ManifestName], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	listed := map[string]bool{bundle.ManifestName: true}
	for _, e := range m.Files {
		listed[e.Name] = true
		data, ok := a.files[e.Name]
		if !ok {
			t.Errorf("manifest lists %s, which is not in the archive", e.Name)
			continue
		}
		sum := sha256.Sum256(data)
		if int64(len(data)) != e.Bytes || hex.EncodeToString(sum[:]) != e.SHA256 {
			t.Errorf("%s: %d bytes, sha256 %x; manifest says %d, %s", e.Name, len(data), sum, e.Bytes, e.SHA256)
		}
		if e.Source == "" || (e.Status != bundle.StatusOK && e.Status != bundle.StatusError) || (e.Status == bundle.StatusError) != (e.Error != "") {
			t.Errorf("%s: entry %+v", e.Name, e)
		}
		if !json.Valid(data) {
			t.Errorf("%s is not JSON:\n%s", e.Name, data)
		}
	}
	for name := range a.files {
		if !listed[name] {
			t.Errorf("%s is in the archive but not in the manifest", name)
		}
	}
	if m.SchemaVersion != bundle.SchemaVersion || len(m.Withheld) == 0 || m.CreatedAt == "" {
		t.Errorf("manifest header %+v", m)
	}
	return m
}

// secrets are the scenario's planted secrets and the session's own tokens.
func (w *world) secrets(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(w.home, ".bluemix", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct{ IAMToken, IAMRefreshToken string }
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	out := slices.Clone(w.srv.Scenario().Secrets())
	for _, tok := range []string{strings.TrimPrefix(cfg.IAMToken, "Bearer "), cfg.IAMRefreshToken} {
		if tok == "" {
			t.Fatal("the session has no token: the canary scan would prove nothing")
		}
		out = append(out, tok)
	}
	return out
}

// noLeaks scans every byte given for every secret and for any JWT.
func (w *world) noLeaks(t *testing.T, blobs ...[]byte) {
	t.Helper()
	secrets := w.secrets(t)
	for i, b := range blobs {
		for _, s := range secrets {
			if s != "" && bytes.Contains(b, []byte(s)) {
				t.Errorf("secret %.24q… is in blob %d", s, i)
			}
		}
		if bytes.Contains(b, []byte("eyJ")) {
			t.Errorf("a JWT (eyJ) is in blob %d", i)
		}
	}
}

// unhealthyIDs are the workers of c that workers.json must list: state not
// normal or deployed, a message, or deleted.
func unhealthyIDs(c sim.Cluster) []string {
	var ids []string
	for _, w := range c.Workers {
		st := strings.ToLower(w.State)
		if w.Deleted || (st != "" && st != "normal" && st != "deployed") || strings.TrimSpace(w.Message) != "" {
			ids = append(ids, w.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

var baseFiles = []string{bundle.ManifestName, bundle.FileTarget, bundle.FileCluster, bundle.FileAPIKeyInfo, bundle.FileCredentials, bundle.FilePermissions, bundle.FileWorkers, bundle.FileCheck}

// Every bundled scenario (whatever internal/sim/scenarios holds when the
// test runs), in both formats: the archive is complete, its manifest is
// true, it holds the same findings as `check -c`, workers.json lists exactly
// the unhealthy workers, and no byte of it, decompressed, holds a secret.
func TestGatherArchive(t *testing.T) {
	// Parallel: every run names its archive with an absolute --file, so
	// nothing is written to (or read from) the working directory.
	t.Parallel()
	names := sim.Names()
	if len(names) < 2 {
		t.Fatalf("bundled scenarios: %v", names)
	}
	for i, name := range names {
		sc, err := sim.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Clusters) == 0 {
			continue
		}
		cl := sc.Clusters[0]
		// The archive's bytes do not depend on its container: each
		// scenario is written once, the formats taking turns.
		for _, ext := range []string{[]string{".tar.gz", ".zip"}[i%2]} {
			t.Run(name+ext, func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, name, session{})
				dir := t.TempDir()
				dest := filepath.Join(dir, "support"+ext)
				stdout, stderr, code := w.run(t, "en_US", "gather", "-c", cl.Name, "--file", dest)
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				if first, _, _ := strings.Cut(stdout, "\n"); first != dest {
					t.Errorf("first line of stdout %q, want the path %q", first, dest)
				}
				if left, _ := os.ReadDir(dir); len(left) != 1 {
					t.Errorf("the directory holds %v, want only the archive", left)
				}
				a := openArchive(t, dest)
				if a.top != "support" {
					t.Errorf("top directory %q", a.top)
				}
				m := a.manifest(t)
				want := slices.Clone(baseFiles)
				if targetDiffers(sc, cl) {
					want = append(want, bundle.FileCredentialsTgt, bundle.FilePermissionsTgt)
				}
				for _, f := range want {
					if _, ok := a.files[f]; !ok {
						t.Errorf("%s is missing", f)
					}
				}
				if len(a.files) != len(want) {
					t.Errorf("archive holds %d files, want %d (%v)", len(a.files), len(want), want)
				}
				if m.Cluster.ID != cl.ID || m.Cluster.Query != cl.Name {
					t.Errorf("manifest cluster %+v", m.Cluster)
				}
				for _, e := range m.Files {
					if e.Status != bundle.StatusOK {
						t.Errorf("%s: %s", e.Name, e.Error)
					}
				}

				var workers struct {
					Total, Listed int
					Workers       []struct{ ID string }
				}
				if err := json.Unmarshal(a.files[bundle.FileWorkers], &workers); err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, wk := range workers.Workers {
					got = append(got, wk.ID)
				}
				sort.Strings(got)
				if !slices.Equal(got, unhealthyIDs(cl)) || workers.Listed != len(got) || workers.Total != len(cl.Workers) {
					t.Errorf("workers.json lists %v (%d of %d), want %v of %d", got, workers.Listed, workers.Total, unhealthyIDs(cl), len(cl.Workers))
				}

				// The same checks as `check -c`, with the same verdicts.
				checkOut, _, _ := w.run(t, "en_US", "check", "-c", cl.Name, "--output", "json")
				if v1, v2 := findingStatuses(t, a.files[bundle.FileCheck]), findingStatuses(t, []byte(checkOut)); !slices.Equal(v1, v2) {
					t.Errorf("check.json findings differ from check -c:\n%v\n%v", v1, v2)
				}

				w.noLeaks(t, append(a.raw, []byte(stdout), []byte(stderr))...)
				w.readOnly(t)
			})
		}
	}
}

// targetDiffers: the session targets a region and a resource group (or the
// default one) that are not the cluster's.
func targetDiffers(sc *sim.Scenario, cl sim.Cluster) bool {
	s := sc.Session
	if s.Region == "" {
		return false
	}
	group := s.ResourceGroup
	if group == "" {
		for _, g := range sc.ResourceGroups {
			if g.Default {
				group = g.Name
			}
		}
	}
	return s.Region != cl.Region || group != cl.ResourceGroup
}

func findingStatuses(t *testing.T, doc []byte) []string {
	t.Helper()
	var d struct {
		Cluster  struct{ ID string }
		Findings []struct{ Check, Status, Subject string }
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatalf("%v:\n%s", err, doc)
	}
	out := []string{d.Cluster.ID}
	for _, f := range d.Findings {
		out = append(out, f.Check+" "+f.Status+" "+f.Subject)
	}
	return out
}

// stdout of gather in English, Japanese and JSON, for the healthy cluster
// and for a session that targets another resource group (two more files:
// the credentials and permissions of the targeted group).
func TestGatherGolden(t *testing.T) {
	for _, c := range []struct {
		name    string
		session session
		files   int
	}{
		{"healthy", session{}, 8},
		{"rg-mismatch", session{group: "default"}, 10},
		{"no-rg-targeted", session{noGroup: true}, 10},
	} {
		for _, v := range []struct {
			suffix, locale string
			json           bool
		}{{"en", "en_US", false}, {"ja", "ja_JP", false}, {"json", "en_US", true}} {
			t.Run(c.name+"/"+v.suffix, func(t *testing.T) {
				w := newWorld(t, "healthy-classic", c.session)
				dir := t.TempDir()
				args := []string{"-c", "mycluster"}
				if v.json {
					args = append(args, "--output", "json")
				}
				stdout, stderr, code := w.gather(t, dir, v.locale, args...)
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				golden(t, "gather-"+c.name+"-"+v.suffix, normalize(stdout), normalize(stderr), code)

				left, _ := os.ReadDir(dir)
				if len(left) != 1 || !regexp.MustCompile(`^ks-doctor-gather-mycluster-\d{8}T\d{6}Z\.tar\.gz$`).MatchString(left[0].Name()) {
					t.Fatalf("the current directory holds %v, want one default-named archive", left)
				}
				a := openArchive(t, filepath.Join(dir, left[0].Name()))
				if len(a.files) != c.files {
					t.Errorf("%d files, want %d", len(a.files), c.files)
				}
				if v.json {
					var doc struct {
						SchemaVersion, File string
						Files               []struct {
							Name, Source, SHA256 string
							Bytes                int64
						}
					}
					if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
						t.Fatal(err)
					}
					if doc.SchemaVersion != "1" || doc.File != left[0].Name() || len(doc.Files) != c.files {
						t.Errorf("json %+v", doc)
					}
					for _, f := range doc.Files {
						sum := sha256.Sum256(a.files[f.Name])
						if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(a.files[f.Name])) != f.Bytes {
							t.Errorf("%s: stdout says %d bytes %s", f.Name, f.Bytes, f.SHA256)
						}
					}
				}
				w.noLeaks(t, append(a.raw, []byte(stdout), []byte(stderr))...)
				w.readOnly(t)
			})
		}
	}
}

// The credentials and permissions of the targeted region and resource group
// are read as the CLI would read them: with no group targeted, no group is
// sent and IKS applies the default one; the files name it all the same.
func TestGatherTargetScope(t *testing.T) {
	for _, c := range []struct {
		name           string
		session        session
		region, group  string
		source, header string
	}{
		{"no group", session{noGroup: true}, "us-south", "default",
			"ibmcloud ks credential get --region us-south", ""},
		{"other region", session{region: "eu-de"}, "eu-de", "team-a",
			"ibmcloud target -g team-a && ibmcloud ks credential get --region eu-de", "X-Auth-Resource-Group: 9c1d2e3f4a5b4c6d8e7f0a1b2c3d4e5f"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, "healthy-classic", c.session)
			dir := t.TempDir()
			dest := filepath.Join(dir, "x.zip")
			if _, stderr, code := w.gather(t, dir, "en_US", "-c", "mycluster", "--file", dest, "-q"); code != 0 {
				t.Fatalf("exit %d %s", code, stderr)
			}
			a := openArchive(t, dest)
			m := a.manifest(t)
			var creds struct {
				Scope, Region string
				ResourceGroup struct{ ID, Name string }
			}
			if err := json.Unmarshal(a.files[bundle.FileCredentialsTgt], &creds); err != nil {
				t.Fatal(err)
			}
			if creds.Scope != "target" || creds.Region != c.region || creds.ResourceGroup.Name != c.group || creds.ResourceGroup.ID == "" {
				t.Errorf("credentials-targeted.json %+v", creds)
			}
			for _, e := range m.Files {
				if e.Name != bundle.FileCredentialsTgt {
					continue
				}
				if e.Source != c.source || strings.Contains(e.API, "X-Auth-Resource-Group") != (c.header != "") || !strings.Contains(e.API, c.header) {
					t.Errorf("entry %+v", e)
				}
			}
			w.readOnly(t)
		})
	}
}

// A read that fails inside gather is a fact of the archive, not a crash:
// the file records the error, the manifest marks it, the run succeeds.
func TestGatherRecordsFailedReads(t *testing.T) {
	sc, err := sim.Load("healthy-classic")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sc.Users {
		if sc.Users[i].Email == sc.Session.User {
			sc.Users[i].Denied = append(sc.Users[i].Denied, "infra-permissions", "api-key-info")
		}
	}
	w := newWorldOf(t, sc, sim.Options{}, session{})
	dir := t.TempDir()
	dest := filepath.Join(dir, "x.tar.gz")
	stdout, stderr, code := w.gather(t, dir, "en_US", "-c", "mycluster", "--file", dest, "-q")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "2 of them record a read error") || stderr != "" {
		t.Errorf("stdout %q stderr %q", stdout, stderr)
	}
	a := openArchive(t, dest)
	m := a.manifest(t)
	failed := map[string]string{}
	for _, e := range m.Files {
		if e.Status == bundle.StatusError {
			failed[e.Name] = e.Error
		}
	}
	if len(failed) != 2 || !strings.Contains(failed[bundle.FilePermissions], "403") || !strings.Contains(failed[bundle.FileAPIKeyInfo], "403") {
		t.Errorf("failed files %v", failed)
	}
	var doc struct {
		Error struct {
			Operation  string
			HTTPStatus int
			Message    string
		}
	}
	if err := json.Unmarshal(a.files[bundle.FilePermissions], &doc); err != nil || doc.Error.HTTPStatus != 403 ||
		doc.Error.Operation != "ibmcloud ks infra-permissions get" || doc.Error.Message == "" {
		t.Errorf("infra-permissions.json %s (%v)", a.files[bundle.FilePermissions], err)
	}
	if !bytes.Contains(a.files[bundle.FileCheck], []byte(`"status": "unknown"`)) {
		t.Error("check.json should hold the unknown findings of the denied reads")
	}
	w.noLeaks(t, append(a.raw, []byte(stdout), []byte(stderr))...)
	w.readOnly(t)
}

// An archive that cannot be written is a localized error with exit 2, and
// nothing is left behind. Where the destination is known to be bad before
// reading, IBM Cloud is not even asked.
func TestGatherUnwritable(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, dest, want string }{
		{"missing directory", filepath.Join(dir, "missing", "x.tar.gz"), "Could not write the archive"},
		{"parent is a file", filepath.Join(file, "x.zip"), "Could not write the archive"},
		{"file exists", file, "already exists"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := len(w.srv.Requests())
			for _, locale := range []string{"en_US", "ja_JP"} {
				stdout, stderr, code := w.gather(t, dir, locale, "-c", "mycluster", "--file", c.dest)
				if code != 2 || stdout != "" || !strings.Contains(stderr, c.dest) {
					t.Errorf("%s: exit %d stdout %q stderr %q", locale, code, stdout, stderr)
				}
				if locale == "en_US" && !strings.Contains(stderr, "FAILED\n") || locale == "en_US" && !strings.Contains(stderr, c.want) {
					t.Errorf("stderr %q, want %q", stderr, c.want)
				}
				if locale == "ja_JP" && !strings.Contains(stderr, "失敗") {
					t.Errorf("stderr %q is not Japanese", stderr)
				}
			}
			if n := len(w.srv.Requests()) - before; n != 0 {
				t.Errorf("%d requests reached IBM Cloud for a destination known to be bad", n)
			}
			if left, _ := os.ReadDir(dir); len(left) != 1 {
				t.Errorf("left behind: %v", left)
			}
			if b, _ := os.ReadFile(file); string(b) != "mine" {
				t.Errorf("an existing file was changed: %q", b)
			}
		})
	}
	// A read-only directory is not tested: CI runs as root, which writes
	// into one anyway; the cases above fail the same write for other reasons.
	w.readOnly(t)
}

// The destination goes away while IBM Cloud is read: the archive cannot be
// written, exit 2, and no temporary file is left anywhere.
func TestGatherDestinationVanishes(t *testing.T) {
	sc, err := sim.Load("healthy-classic")
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	w := newWorldOf(t, sc, sim.Options{Log: writerFunc(func(p []byte) (int, error) {
		once.Do(func() {
			// the directory becomes a file: no temporary file can be made there
			os.RemoveAll(dir)
			os.WriteFile(dir, nil, 0o644)
		})
		return len(p), nil
	})}, session{})
	stdout, stderr, code := w.gather(t, parent, "en_US", "-c", "mycluster", "--file", filepath.Join(dir, "x.tar.gz"))
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Could not write the archive") {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	if len(w.srv.Requests()) == 0 {
		t.Error("the destination vanished before any read: the test proves nothing")
	}
	left, _ := os.ReadDir(parent)
	if len(left) != 1 || left[0].Name() != "out" || left[0].IsDir() {
		t.Errorf("left behind: %v", left)
	}
	w.readOnly(t)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Ctrl-C (the plug-in cancels Env.Interrupt) stops gather without an archive: a
// bundle of cancelled reads would only look complete.
func TestGatherInterrupted(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	env := &Env{Interrupt: ctx, Stdout: &out, Stderr: &errb, CLI: w.pluginContext(),
		ConfigPath: filepath.Join(w.home, ".bluemix", "config.json"),
		Getenv:     func(k string) string { return w.env[k] }, T: i18n.New(i18n.English)}
	err := Execute(env, []string{"gather", "-c", "mycluster", "--file", filepath.Join(dir, "x.tar.gz")})
	if diag.ExitCode(err) != 2 || out.Len() != 0 || !strings.Contains(errb.String(), "Interrupted: no archive was written.") {
		t.Errorf("exit %d stdout %q stderr %q", diag.ExitCode(err), out.String(), errb.String())
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	w.readOnly(t)
}

// An unknown cluster is the same error as check's, and no archive is made.
func TestGatherUnknownCluster(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	dir := t.TempDir()
	for _, locale := range []string{"en_US", "ja_JP"} {
		stdout, stderr, code := w.gather(t, dir, locale, "-c", "nosuchcluster", "-q")
		_, checkErr, checkCode := w.run(t, locale, "check", "-c", "nosuchcluster")
		if code != 2 || checkCode != 2 || stdout != "" || stderr != checkErr {
			t.Errorf("%s: exit %d stdout %q stderr %q; check says %q", locale, code, stdout, stderr, checkErr)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	w.readOnly(t)
}

func TestGatherUsageErrors(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"-c", " "},
		{"-c", "mycluster", "--output", "yaml"},
		{"-c", "mycluster", "--timeout", "soon"},
		{"-c", "mycluster", "extra-arg"},
		{"--bogus"},
	} {
		stdout, stderr, code := w.gather(t, dir, "ja_JP", args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "失敗") || !strings.Contains(stderr, "使用法") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if len(w.srv.Requests()) != 0 {
		t.Errorf("usage errors must not reach IBM Cloud: %d requests", len(w.srv.Requests()))
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestGatherNotLoggedIn(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{loggedOut: true})
	dir := t.TempDir()
	stdout, stderr, code := w.gather(t, dir, "en_US", "-c", "mycluster")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "Not logged in") {
		t.Errorf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// Progress goes to stderr unless quiet (-q or IBMCLOUD_QUIET); stdout is
// the same either way. A directory as --file gets the default name inside.
func TestGatherQuietAndDirectory(t *testing.T) {
	w := newWorld(t, "healthy-classic", session{})
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		args  []string
		quiet string
		loud  bool
	}{
		{"progress", nil, "", true},
		{"-q", []string{"-q"}, "", false},
		{"IBMCLOUD_QUIET", nil, "true", false},
	} {
		out := t.TempDir() // one per run: names have a one-second resolution
		w.env["IBMCLOUD_QUIET"] = c.quiet
		stdout, stderr, code := w.gather(t, dir, "en_US", append([]string{"-c", "mycluster", "--file", out}, c.args...)...)
		if code != 0 || strings.Contains(stderr, "Gathering support information for cluster mycluster") != c.loud {
			t.Errorf("%s: exit %d stderr %q", c.name, code, stderr)
		}
		left, _ := os.ReadDir(out)
		if len(left) != 1 || !strings.HasPrefix(left[0].Name(), "ks-doctor-gather-mycluster-") ||
			filepath.Join(out, left[0].Name())+"\n" != strings.SplitAfter(stdout, "\n")[0] {
			t.Errorf("%s: the --file directory holds %v; stdout %q", c.name, left, stdout)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the current directory got %v", left)
	}
}
