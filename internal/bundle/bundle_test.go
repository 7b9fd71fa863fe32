package bundle

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

var when = time.Date(2026, 7, 12, 8, 30, 15, 0, time.UTC)

func sample() []File {
	return []File{
		{Name: "target.json", Source: "ibmcloud target", Data: []byte(`{"region": "us-south"}` + "\n")},
		{Name: "cluster.json", Source: "ibmcloud ks cluster get", API: "IKS GET /v2/getCluster", Data: []byte(`{"error": {"message": "HTTP 500"}}` + "\n"), Error: "HTTP 500"},
		{Name: "sub/notes.txt", Source: "test", Data: []byte("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln and apikey=abcd1234efgh\n")},
	}
}

// readArchive returns every file under the top directory, by name, and the
// top directory itself.
func readArchive(t *testing.T, path string) (map[string][]byte, string) {
	t.Helper()
	out := map[string][]byte{}
	top := ""
	add := func(name string, data []byte, dir bool) {
		first, rest, _ := strings.Cut(strings.TrimSuffix(name, "/"), "/")
		if top == "" {
			top = first
		}
		if first != top {
			t.Errorf("%s is outside the top directory %s", name, top)
		}
		if !dir {
			out[rest] = data
		}
	}
	if FormatOf(path) == Zip {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			add(f.Name, data, f.FileInfo().IsDir())
		}
		return out, top
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		add(h.Name, data, h.Typeflag == tar.TypeDir)
	}
	return out, top
}

func TestWriteRoundTrip(t *testing.T) {
	for _, name := range []string{"out.tar.gz", "out.zip", "OUT.ZIP", "plain"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, name)
			m := Manifest{Plugin: Plugin{Name: "ks-doctor", Version: "0.1.0"}, Locale: "en_US",
				Cluster: Cluster{Query: "mycluster"}, Withheld: Withheld(i18n.New(i18n.English))}
			entries, err := Write(dest, m, sample(), Options{Format: FormatOf(dest), Time: when, Scrub: scrub.New()})
			if err != nil {
				t.Fatal(err)
			}
			files, top := readArchive(t, dest)
			if top != TopDir(dest) {
				t.Errorf("top directory %q, want %q", top, TopDir(dest))
			}
			if len(entries) != 4 || entries[0].Name != ManifestName {
				t.Fatalf("entries %+v", entries)
			}
			for _, e := range entries {
				data, ok := files[e.Name]
				sum := sha256.Sum256(data)
				if !ok || int64(len(data)) != e.Bytes || hex.EncodeToString(sum[:]) != e.SHA256 {
					t.Errorf("%s: in archive %v, %d bytes, want %d with sha256 %s", e.Name, ok, len(data), e.Bytes, e.SHA256)
				}
			}
			if len(files) != len(entries) {
				t.Errorf("archive holds %d files, entries %d", len(files), len(entries))
			}
			var got Manifest
			if err := json.Unmarshal(files[ManifestName], &got); err != nil {
				t.Fatal(err)
			}
			if got.SchemaVersion != SchemaVersion || got.CreatedAt != "2026-07-12T08:30:15Z" || len(got.Files) != 3 {
				t.Errorf("manifest %+v", got)
			}
			for i, e := range got.Files {
				if !equalEntry(e, entries[i+1]) {
					t.Errorf("manifest lists %+v, written %+v", e, entries[i+1])
				}
			}
			if got.Files[1].Status != StatusError || got.Files[1].Error != "HTTP 500" || got.Files[0].Status != StatusOK {
				t.Errorf("statuses: %+v", got.Files)
			}
			notes := files["sub/notes.txt"]
			if bytes.Contains(notes, []byte("eyJ")) || bytes.Contains(notes, []byte("abcd1234efgh")) {
				t.Errorf("not scrubbed: %s", notes)
			}
			if m := got.Files[2].Masked; len(m) != 1 || !strings.HasPrefix(m[0], "2 values shaped like") {
				t.Errorf("masked of notes: %v", m)
			}
			if got.Withheld[1] != Withheld(i18n.New(i18n.English))[1] {
				t.Errorf("the manifest's own text was scrubbed: %q", got.Withheld[1])
			}
			left, _ := os.ReadDir(dir)
			if len(left) != 1 {
				t.Errorf("directory holds %d entries, want only the archive", len(left))
			}
			if fi, _ := os.Stat(dest); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600: the archive names people", fi.Mode().Perm())
			}
		})
	}
}

func equalEntry(a, b Entry) bool {
	return a.Name == b.Name && a.Source == b.Source && a.API == b.API && a.Bytes == b.Bytes && a.SHA256 == b.SHA256 &&
		a.Status == b.Status && a.Error == b.Error && strings.Join(a.Masked, "|") == strings.Join(b.Masked, "|")
}

// A failure after the archive was written, before it became the
// destination, leaves nothing: no temporary file, no destination.
func TestWriteFailureLeavesNothing(t *testing.T) {
	for _, name := range []string{"x.tar.gz", "x.zip"} {
		dir := t.TempDir()
		dest := filepath.Join(dir, name)
		boom := errors.New("disk full")
		beforeRename = func(tmp string) error {
			if _, err := os.Stat(tmp); err != nil {
				t.Errorf("temporary file %s missing before rename: %v", tmp, err)
			}
			if filepath.Dir(tmp) != dir {
				t.Errorf("temporary file %s is not in the destination directory", tmp)
			}
			return boom
		}
		_, err := Write(dest, Manifest{}, sample(), Options{Format: FormatOf(dest), Time: when})
		beforeRename = nil
		var be *Error
		if !errors.As(err, &be) || !errors.Is(err, boom) || be.Path != dest {
			t.Errorf("error %v", err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("left behind: %v", left)
		}
	}
}

func TestWriteNeverReplacesAFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "x.tar.gz")
	if err := os.WriteFile(dest, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dest, Manifest{}, sample(), Options{Time: when}); !errors.Is(err, ErrExists) {
		t.Errorf("error %v, want ErrExists", err)
	}
	if err := CheckDest(dest); !errors.Is(err, ErrExists) {
		t.Errorf("CheckDest: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "mine" {
		t.Errorf("destination changed: %q", b)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("left behind: %v", left)
	}
}

func TestWriteUnwritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{filepath.Join(dir, "missing", "x.tar.gz"), filepath.Join(file, "x.tar.gz")} {
		if err := CheckDest(dest); err == nil {
			t.Errorf("CheckDest(%s) passed", dest)
		}
		if _, err := Write(dest, Manifest{}, sample(), Options{Time: when}); err == nil {
			t.Errorf("Write(%s) passed", dest)
		} else if strings.Contains(err.Error(), ".tmp") {
			t.Errorf("the error names the temporary file: %v", err)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("left behind: %v", left)
	}
}

func TestCheckDestLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDest(filepath.Join(dir, "x.zip")); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestWriteRejectsBadNames(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", "/abs", "../up", "a/../b", "manifest.json", `a\b`} {
		_, err := Write(filepath.Join(dir, "x.tar.gz"), Manifest{}, []File{{Name: name}}, Options{Time: when})
		if err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
	_, err := Write(filepath.Join(dir, "x.tar.gz"), Manifest{}, []File{{Name: "a"}, {Name: "a"}}, Options{Time: when})
	if err == nil {
		t.Error("duplicate name accepted")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestFormatAndTop(t *testing.T) {
	for _, c := range []struct {
		dest, top string
		f         Format
	}{
		{"ks-doctor-gather-c-20260712T083015Z.tar.gz", "ks-doctor-gather-c-20260712T083015Z", TarGz},
		{"/tmp/a/b.zip", "b", Zip},
		{"b.ZIP", "b", Zip},
		{"b.tgz", "b", TarGz},
		{"bundle", "bundle", TarGz},
		{".zip", "ks-doctor-gather", Zip},
	} {
		if FormatOf(c.dest) != c.f || TopDir(c.dest) != c.top {
			t.Errorf("%s: format %s top %s, want %s %s", c.dest, FormatOf(c.dest), TopDir(c.dest), c.f, c.top)
		}
	}
}

func TestScrub(t *testing.T) {
	s := scrub.New("Bearer tok-ABCDEFGH12345678", "refresh-XYZ-0987654321", "short")
	for _, c := range []struct{ in, want string }{
		{"access tok-ABCDEFGH12345678 and refresh-XYZ-0987654321", "access [REDACTED] and [REDACTED]"},
		{"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln end", "jwt [REDACTED] end"},
		{"Authorization: Bearer abcdef0123456789xyz", "Authorization: Bearer [REDACTED]"},
		{"Authorization: Basic Ym9iOnNlY3JldA==", "Authorization: Basic [REDACTED]"},
		{`{"apikey": "KSDOCTORCANARY-apikey-9Xq2"}`, `{"apikey": "[REDACTED]"}`},
		{"api_key=abcd1234&x=1", "api_key=[REDACTED]&x=1"},
		{"refresh_token: r1r2r3r4r5", "refresh_token: [REDACTED]"},
		// prose and ks-doctor's own texts stay as they are
		{"Basic authentication failed for the user", "Basic authentication failed for the user"},
		{"ibmcloud ks api-key reset --region us-south", "ibmcloud ks api-key reset --region us-south"},
		{"a short secret", "a short secret"},
		{"[REDACTED]", "[REDACTED]"},
	} {
		if got := s.String(c.in); got != c.want {
			t.Errorf("Scrub(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, w := range Withheld(i18n.New(i18n.English)) {
		if got := s.String(w); got != w {
			t.Errorf("Withheld text changed by the scrubber: %q", got)
		}
	}
	in := []byte("apikey=abcd1234efgh")
	if _, n := s.Scrub(in); n != 1 || string(in) != "apikey=abcd1234efgh" {
		t.Errorf("count %d, input now %q", n, in)
	}
}
