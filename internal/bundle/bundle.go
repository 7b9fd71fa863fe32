// Package bundle writes the support archive of `ibmcloud ks-doctor gather`:
// a tar.gz (or zip) with one top directory, manifest.json first, then the
// files built from plain facts (gather.go lists them, documents.go holds
// their shapes; redaction at the source). Every file is scrubbed of
// anything shaped like a secret before it is hashed and written, and the
// archive appears at its destination only once it is complete: it is
// written to a temporary file in the destination directory and renamed; on
// any error the temporary file is removed and the destination is untouched.
package bundle

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

// SchemaVersion of manifest.json. Additive changes keep it; anything else
// bumps it.
const SchemaVersion = "1"

// ManifestName is the name of the manifest inside the top directory.
const ManifestName = "manifest.json"

// Format is the archive format.
type Format string

const (
	TarGz Format = "tar.gz"
	Zip   Format = "zip"
)

// FormatOf picks the format from the destination's name: zip when it ends
// in .zip (any case), tar.gz otherwise.
func FormatOf(dest string) Format {
	if strings.EqualFold(filepath.Ext(dest), ".zip") {
		return Zip
	}
	return TarGz
}

// TopDir is the archive's top directory: the destination's base name
// without its archive extension, so `tar xzf x.tar.gz` makes ./x.
func TopDir(dest string) string {
	base := filepath.Base(dest)
	for _, ext := range []string{".tar.gz", ".tgz", ".zip", ".tar"} {
		if len(base) >= len(ext) && strings.EqualFold(base[len(base)-len(ext):], ext) {
			base = base[:len(base)-len(ext)]
			break
		}
	}
	if base == "" || base == "." || base == ".." || base == string(filepath.Separator) {
		return "ks-doctor-gather"
	}
	return base
}

// File is one file of the archive, as the caller built it.
type File struct {
	Name   string   // slash-separated, relative to the top directory
	Source string   // the command a person would run to see the same thing
	API    string   // the API call(s) the content comes from
	Data   []byte   // the content; for a failed read, the error document
	Error  string   // why the read failed; "" when it did not
	Masked []string // what was masked in this file, in words
}

// Entry is a file as written: what manifest.json lists for it.
type Entry struct {
	Name   string   `json:"name"`
	Source string   `json:"source"`
	API    string   `json:"api,omitempty"`
	Bytes  int64    `json:"bytes"`
	SHA256 string   `json:"sha256"`
	Status string   `json:"status"` // ok, or error when the read failed
	Error  string   `json:"error,omitempty"`
	Masked []string `json:"masked,omitempty"`
}

// Entry statuses.
const (
	StatusOK    = "ok"
	StatusError = "error"
)

// Plugin names the program that wrote the archive.
type Plugin struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Group is a resource group.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Cluster is what the archive is about: what the user asked for and, when
// the cluster could be read, what it is.
type Cluster struct {
	Query         string `json:"query"`
	ID            string `json:"id,omitempty"`
	Name          string `json:"name,omitempty"`
	Provider      string `json:"provider,omitempty"`
	Region        string `json:"region,omitempty"`
	ResourceGroup *Group `json:"resourceGroup,omitempty"`
}

// Manifest is manifest.json. Files lists every other file of the archive
// in archive order; the manifest cannot list its own hash.
type Manifest struct {
	SchemaVersion string   `json:"schemaVersion"`
	Plugin        Plugin   `json:"plugin"`
	CreatedAt     string   `json:"createdAt"` // RFC 3339, UTC
	Locale        string   `json:"locale"`    // of the human text in check.json
	Cluster       Cluster  `json:"cluster"`
	Files         []Entry  `json:"files"`
	Withheld      []string `json:"withheld"`
}

// Withheld is what every gather archive withholds, whatever its content,
// in the run's language; callers append what is specific to their files.
func Withheld(t *i18n.Translator) []string {
	return []string{
		t.T("No API key, IAM access token, IAM refresh token or classic infrastructure API key is ever read into the archive: " +
			"every file is built from plain facts that ks-doctor read, never from raw HTTP requests or responses."),
		t.T("Before it was hashed, every file was scanned for the session's own tokens and for anything shaped like a JWT, "+
			"a bearer or basic credential, or an API key, token or password assignment; each match is replaced with "+
			"{{.Redacted}} and counted under the file's masked list.", map[string]any{"Redacted": Redacted}),
	}
}

// ErrExists is returned when the destination already exists: an archive is
// never written over another file.
var ErrExists = errors.New("the destination already exists")

// Error is a failure to write the archive at Path.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// CheckDest tells early whether an archive can be written at dest: the
// destination must not exist and its directory must take a new file (a
// probe file is created and removed). It writes nothing that stays.
func CheckDest(dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return &Error{Path: dest, Err: ErrExists}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return &Error{Path: dest, Err: err}
	}
	f, err := os.CreateTemp(filepath.Dir(dest), tempPattern(dest))
	if err != nil {
		return &Error{Path: dest, Err: unwrapPath(err)}
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return &Error{Path: dest, Err: unwrapPath(err)}
	}
	return nil
}

// Options of one Write.
type Options struct {
	Format Format          // TarGz or Zip
	Top    string          // the top directory inside the archive
	Time   time.Time       // modification time of every entry
	Scrub  *scrub.Scrubber // the run's scrubber; nil masks the patterns only
	// T words the manifest's notes in the run's language; nil is English.
	T *i18n.Translator
}

func (o Options) translator() *i18n.Translator {
	if o.T == nil {
		return i18n.New(i18n.English)
	}
	return o.T
}

// beforeRename is a test hook: an error from it fails the write just
// before the temporary file would become the archive.
var beforeRename func(tmp string) error

// Write scrubs and hashes files, lists them in m.Files, and writes
// manifest.json followed by the files to an archive at dest. It returns the
// entries of every file in the archive, manifest.json first. On error
// nothing is left behind: the temporary file is removed and dest is not
// created.
func Write(dest string, m Manifest, files []File, o Options) ([]Entry, error) {
	sc := o.Scrub // a nil *scrub.Scrubber still masks the patterns
	entries := make([]Entry, 0, len(files))
	data := make([][]byte, 0, len(files)+1)
	seen := map[string]bool{ManifestName: true}
	for _, f := range files {
		if err := validName(f.Name); err != nil || seen[f.Name] {
			return nil, &Error{Path: dest, Err: fmt.Errorf("bad or duplicate file name %q", f.Name)}
		}
		seen[f.Name] = true
		clean, n := sc.Scrub(f.Data)
		e := Entry{Name: f.Name, Source: f.Source, API: f.API, Status: StatusOK, Masked: append([]string(nil), f.Masked...)}
		if f.Error != "" {
			e.Status = StatusError
			e.Error = sc.String(f.Error)
		}
		if n > 0 {
			e.Masked = append(e.Masked, o.translator().T("{{.Count}} values shaped like a token, key or password replaced with {{.Redacted}}",
				map[string]any{"Count": n, "Redacted": Redacted}))
		}
		e.Bytes, e.SHA256 = int64(len(clean)), digest(clean)
		entries = append(entries, e)
		data = append(data, clean)
	}
	m.SchemaVersion = SchemaVersion
	m.Files = entries
	if m.CreatedAt == "" {
		m.CreatedAt = o.Time.UTC().Format(time.RFC3339)
	}
	var mb bytes.Buffer
	enc := json.NewEncoder(&mb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, &Error{Path: dest, Err: err}
	}
	manifest := sc.Bytes(mb.Bytes())
	all := append([]Entry{{Name: ManifestName, Source: "ks-doctor gather", Bytes: int64(len(manifest)),
		SHA256: digest(manifest), Status: StatusOK}}, entries...)
	data = append([][]byte{manifest}, data...)

	if err := writeAtomic(dest, o, all, data); err != nil {
		return nil, err
	}
	return all, nil
}

func writeAtomic(dest string, o Options, entries []Entry, data [][]byte) (err error) {
	if _, err := os.Lstat(dest); err == nil {
		return &Error{Path: dest, Err: ErrExists}
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), tempPattern(dest))
	if err != nil {
		return &Error{Path: dest, Err: unwrapPath(err)}
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	top := o.Top
	if top == "" {
		top = TopDir(dest)
	}
	if o.Format == Zip {
		err = writeZip(bw, top, o.Time, entries, data)
	} else {
		err = writeTarGz(bw, top, o.Time, entries, data)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && beforeRename != nil {
		err = beforeRename(tmp.Name())
	}
	if err != nil {
		return &Error{Path: dest, Err: unwrapPath(err)}
	}
	// Checked again: something may have appeared there while IBM Cloud was
	// read. A rename would silently replace it.
	if _, err := os.Lstat(dest); err == nil {
		return &Error{Path: dest, Err: ErrExists}
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return &Error{Path: dest, Err: unwrapPath(err)}
	}
	done = true
	return nil
}

func writeTarGz(w io.Writer, top string, mtime time.Time, entries []Entry, data [][]byte) error {
	gz := gzip.NewWriter(w)
	gz.ModTime = mtime
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: top + "/", Mode: 0o755, ModTime: mtime}); err != nil {
		return err
	}
	for i, e := range entries {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: path.Join(top, e.Name), Mode: 0o644, Size: int64(len(data[i])), ModTime: mtime}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(data[i]); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, top string, mtime time.Time, entries []Entry, data [][]byte) error {
	zw := zip.NewWriter(w)
	dir := &zip.FileHeader{Name: top + "/", Modified: mtime}
	dir.SetMode(fs.ModeDir | 0o755)
	if _, err := zw.CreateHeader(dir); err != nil {
		return err
	}
	for i, e := range entries {
		h := &zip.FileHeader{Name: path.Join(top, e.Name), Method: zip.Deflate, Modified: mtime}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(data[i]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// tempPattern names the temporary file after the destination, hidden, so a
// leftover (after a kill -9) says what it was.
func tempPattern(dest string) string {
	return "." + filepath.Base(dest) + ".*.tmp"
}

// unwrapPath drops the *PathError wrapper, whose path would be the
// temporary file's: the user gave the destination, and Error names it.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func validName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name ||
		name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return fmt.Errorf("bad name %q", name)
	}
	return nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
