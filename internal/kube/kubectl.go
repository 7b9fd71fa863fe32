package kube

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Runner runs a program and returns its standard output.
type Runner func(ctx context.Context, path string, args ...string) ([]byte, error)

// EnvKubectl names the kubectl to run instead of the one on the PATH (the
// simulator points it at its own, so end-to-end runs do not depend on the
// machine's kubectl).
const EnvKubectl = "KS_DOCTOR_KUBECTL"

// kubectlTimeout bounds `kubectl version --client`, which reads nothing
// from the network.
const kubectlTimeout = 5 * time.Second

// Kubectl is `kubectl version --client -o json`. A kubectl that is not
// there is an answer (Found false), not an error.
func (r *Reader) Kubectl(ctx context.Context) (facts.Kubectl, error) {
	path := r.getenv(EnvKubectl)
	if path == "" {
		path = lookPath("kubectl", r.getenv("PATH"))
	}
	if path == "" || !executable(path) {
		return facts.Kubectl{}, nil
	}
	run := r.Run
	if run == nil {
		run = execRun
	}
	ctx, cancel := context.WithTimeout(ctx, kubectlTimeout)
	defer cancel()
	out, err := run(ctx, path, "version", "--client", "-o", "json")
	if err != nil {
		return facts.Kubectl{}, &facts.ReadError{Op: "kubectl version --client", Message: err.Error(), Err: err}
	}
	return parseClientVersion(out)
}

// parseClientVersion reads kubectl's JSON: {"clientVersion": {"major":
// "1", "minor": "32+", "gitVersion": "v1.32.4-…"}} (k8s.io/apimachinery
// version.Info; "+" marks a build past the release).
func parseClientVersion(out []byte) (facts.Kubectl, error) {
	var doc struct {
		ClientVersion *struct {
			Major, Minor, GitVersion string
		} `json:"clientVersion"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || doc.ClientVersion == nil {
		return facts.Kubectl{}, &facts.ReadError{Op: "kubectl version --client", Message: "no clientVersion in its output"}
	}
	cv := doc.ClientVersion
	k := facts.Kubectl{Found: true, Version: cv.GitVersion}
	maj, err1 := strconv.Atoi(strings.TrimRight(cv.Major, "+"))
	min, err2 := strconv.Atoi(strings.TrimRight(cv.Minor, "+"))
	if err1 != nil || err2 != nil {
		// Some builds leave major/minor empty; the git version still says.
		v, ok := facts.ParseVersion(strings.SplitN(strings.TrimPrefix(cv.GitVersion, "v"), "-", 2)[0])
		if !ok {
			return facts.Kubectl{}, &facts.ReadError{Op: "kubectl version --client", Message: "unreadable version " + cv.GitVersion}
		}
		maj, min = v.Major, v.Minor
	}
	k.Major, k.Minor = maj, min
	return k, nil
}

// maxKubectlOutput bounds what is read of `kubectl version --client`
// (a few hundred bytes): whatever sits on the PATH under that name.
const maxKubectlOutput = 64 << 10

func execRun(ctx context.Context, path string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = []string{} // nothing of ours, secrets included, reaches it
	if runtime.GOOS == "windows" {
		cmd.Env = []string{"SYSTEMROOT=" + os.Getenv("SYSTEMROOT")} // without it a Windows program may not start
	}
	// A child that keeps the output open must not hold the run past the
	// timeout.
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: maxKubectlOutput}
	err := cmd.Run()
	return out.Bytes(), err
}

// limitedWriter keeps the first n bytes and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	keep := min(len(p), l.n)
	l.n -= keep
	if _, err := l.w.Write(p[:keep]); err != nil {
		return 0, err
	}
	return len(p), nil
}

// lookPath finds name on path (the PATH of the run's environment, which
// tests control), the way exec.LookPath does on the process's own; on
// Windows the program is name.exe.
func lookPath(name, path string) string {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		if p := filepath.Join(dir, name); executable(p) {
			return p
		}
	}
	return ""
}

// executable: a regular file with an execute bit (Windows has none to
// look at: the .exe name says it).
func executable(p string) bool {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) || err != nil {
		return false
	}
	return !fi.IsDir() && (runtime.GOOS == "windows" || fi.Mode()&0o111 != 0)
}
