// Command ks-doctor-dist cross-compiles the plug-in into dist/, writes the
// SHA-1 checksums the ibmcloud CLI verifies (dist/checksums.sha1) and a
// plug-in repository index (dist/bx/list) built from plugin.json. It needs
// only Go: run it from the repository root as `make dist` or `go run
// ./cmd/ks-doctor-dist [-version V] [-base-url URL]`.
package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// target is a GOOS/GOARCH and the CLI's platform key for its binary.
// osx, linux64 and win64 are the keys IBM's public indexes use; the arm64,
// ppc64le and s390x keys are not published anywhere we could read and are
// our best reading.
type target struct{ goos, goarch, key string }

var targets = []target{
	{"linux", "amd64", "linux64"}, {"linux", "arm64", "linux-arm64"}, {"linux", "ppc64le", "ppc64le"}, {"linux", "s390x", "s390x"},
	{"darwin", "amd64", "osx"}, {"darwin", "arm64", "osx-arm64"}, {"windows", "amd64", "win64"},
}

// binary is one entry of a version's binaries in the repository index.
type binary struct {
	Platform string `json:"platform"`
	URL      string `json:"url"`
	Checksum string `json:"checksum"`
}

func main() {
	version := flag.String("version", os.Getenv("VERSION"), "the version to build (default: commands/root.go's)")
	baseURL := flag.String("base-url", os.Getenv("BASE_URL"), "where the binaries will be hosted (default: the GitHub release of the version)")
	out := flag.String("out", "dist", "output directory, emptied first")
	flag.Parse()
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	if err := dist(*version, *baseURL, *out, goCmd, time.Now().UTC()); err != nil {
		fmt.Fprintln(os.Stderr, "ks-doctor-dist:", err)
		os.Exit(1)
	}
}

func dist(version, baseURL, out, goCmd string, now time.Time) error {
	if version == "" {
		src, err := os.ReadFile(filepath.Join("commands", "root.go"))
		if err != nil {
			return fmt.Errorf("run from the repository root: %w", err)
		}
		if version = versionOf(src); version == "" {
			return errors.New("no `var Version = \"…\"` in commands/root.go")
		}
	}
	if baseURL == "" {
		baseURL = "https://github.com/ks-doctor/ks-doctor/releases/download/v" + version
	}
	entry, err := os.ReadFile("plugin.json")
	if err != nil {
		return err
	}
	// out is emptied: never the repository or a directory holding it.
	if abs, err := filepath.Abs(out); err != nil {
		return err
	} else if wd, err := os.Getwd(); err != nil || wd == abs || strings.HasPrefix(wd, abs+string(filepath.Separator)) || abs == filepath.Dir(abs) {
		return fmt.Errorf("refusing to empty %s, which holds the repository", out)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "bx"), 0o755); err != nil {
		return err
	}
	var sums strings.Builder
	var bins []binary
	for _, t := range targets {
		name := fmt.Sprintf("ks-doctor-%s-%s-%s", t.goos, t.goarch, version)
		if t.goos == "windows" {
			name += ".exe"
		}
		path := filepath.Join(out, name)
		cmd := exec.Command(goCmd, "build", "-trimpath",
			"-ldflags", "-s -w -X github.com/ks-doctor/ks-doctor/commands.Version="+version, "-o", path, "./plugin")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.goos, "GOARCH="+t.goarch)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building %s: %w", name, err)
		}
		sum, err := sha1File(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, name)
		bins = append(bins, binary{Platform: t.key, URL: baseURL + "/" + name, Checksum: sum})
		fmt.Println("built", name)
	}
	if err := os.WriteFile(filepath.Join(out, "checksums.sha1"), []byte(sums.String()), 0o644); err != nil {
		return err
	}
	list, err := repositoryIndex(entry, version, now, bins)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "bx", "list"), list, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s and %s\n", filepath.Join(out, "checksums.sha1"), filepath.Join(out, "bx", "list"))
	return nil
}

var versionLine = regexp.MustCompile(`(?m)^var Version = "([^"]*)"`)

// versionOf is the version commands/root.go declares, or "".
func versionOf(src []byte) string {
	if m := versionLine.FindSubmatch(src); m != nil {
		return string(m[1])
	}
	return ""
}

func sha1File(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha1.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// repositoryIndex is the plug-in repository's bx/list: plugin.json's entry,
// whose min_cli_version and private_endpoint_supported move into its one
// version, with the binaries of that version.
func repositoryIndex(pluginJSON []byte, version string, now time.Time, bins []binary) ([]byte, error) {
	var entry map[string]any
	if err := json.Unmarshal(pluginJSON, &entry); err != nil {
		return nil, fmt.Errorf("plugin.json: %w", err)
	}
	minCLI, _ := entry["min_cli_version"].(string)
	private, _ := entry["private_endpoint_supported"].(bool)
	delete(entry, "min_cli_version")
	delete(entry, "private_endpoint_supported")
	stamp := now.UTC().Format("2006-01-02T15:04:05Z")
	homepage, _ := entry["homepage"].(string)
	entry["created"], entry["updated"] = stamp, stamp
	entry["versions"] = []any{struct {
		Version                  string   `json:"version"`
		Updated                  string   `json:"updated"`
		DocURL                   string   `json:"doc_url"`
		MinCLIVersion            string   `json:"min_cli_version"`
		PrivateEndpointSupported bool     `json:"private_endpoint_supported"`
		Binaries                 []binary `json:"binaries"`
		APIVersions              any      `json:"api_versions"`
		ReleaseNotesLink         string   `json:"releaseNotesLink"`
	}{version, stamp, homepage, minCLI, private, bins, nil, ""}}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]any{"plugins": []any{entry}}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
