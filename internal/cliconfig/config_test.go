package cliconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const sample = `{
  "APIEndpoint": "https://cloud.ibm.com",
  "IAMToken": "Bearer old",
  "IAMRefreshToken": "r-old",
  "FutureKey": {"nested": [1, 2.50, "x"], "order": "kept"},
  "Region": "us-south"
}
`

func write(t *testing.T, content string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), ".bluemix", "config.json")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUpdateChangesOnlyTokens(t *testing.T) {
	p := write(t, sample, 0o640)
	err := Update(context.Background(), p, func(saved Pair) (Pair, bool, error) {
		if saved != (Pair{"Bearer old", "r-old"}) {
			t.Errorf("saved %+v", saved)
		}
		return Pair{"Bearer new", "r-new"}, true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	want := strings.NewReplacer(`"Bearer old"`, `"Bearer new"`, `"r-old"`, `"r-new"`).Replace(sample)
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", st.Mode())
	}
	if got, err := Read(context.Background(), p); err != nil || got != (Pair{"Bearer new", "r-new"}) {
		t.Errorf("read back %+v %v", got, err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".config.json.*"))
	if len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
}

func TestUpdateAddsMissingKeys(t *testing.T) {
	for _, in := range []string{`{}`, `{"A":1}`, " {\n\"A\" : [ ]\n}\n"} {
		p := write(t, in, 0o600)
		if err := Update(context.Background(), p, func(Pair) (Pair, bool, error) { return Pair{"Bearer a", "r"}, true, nil }); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["IAMToken"] != "Bearer a" || m["IAMRefreshToken"] != "r" {
			t.Errorf("%q → %s (%v)", in, b, err)
		}
		if strings.Contains(in, `"A"`) && m["A"] == nil {
			t.Errorf("%q lost A: %s", in, b)
		}
	}
}

// A file that is not one JSON object is an error and is never written.
func TestBrokenConfigLeftAlone(t *testing.T) {
	for _, content := range []string{"", `{"IAMToken": "Bearer x", "IAMRefr`, `[]`, `"x"`, `null`, `{} {}`, `{"IAMToken": 5}`} {
		p := write(t, content, 0o600)
		called := false
		err := Update(context.Background(), p, func(Pair) (Pair, bool, error) { called = true; return Pair{"a", "b"}, true, nil })
		var be *BrokenError
		if !errors.As(err, &be) || called {
			t.Errorf("%q: err %v called %v", content, err, called)
		}
		if b, _ := os.ReadFile(p); string(b) != content {
			t.Errorf("%q was changed to %q", content, b)
		}
		if err := Check(context.Background(), p); !errors.As(err, &be) {
			t.Errorf("%q: Check %v", content, err)
		}
	}
}

func TestReadOnlyConfigIsBroken(t *testing.T) {
	if os.Getuid() == 0 {
		t.Log("root opens any file for writing; nothing to check")
		return
	}
	p := write(t, `{}`, 0o400)
	var be *BrokenError
	if err := Check(context.Background(), p); !errors.As(err, &be) {
		t.Errorf("read-only: %v", err)
	}
}

func TestConfigPathsThatAreNotFiles(t *testing.T) {
	dir := t.TempDir()
	asDir := filepath.Join(dir, "config.json")
	os.Mkdir(asDir, 0o700)
	homeFile := filepath.Join(dir, "home")
	os.WriteFile(homeFile, []byte("x"), 0o600)
	var be *BrokenError
	for _, p := range []string{asDir, filepath.Join(homeFile, ".bluemix", "config.json")} {
		if err := Check(context.Background(), p); !errors.As(err, &be) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(homeFile); string(b) != "x" {
		t.Error("home file changed")
	}
	if err := Check(context.Background(), filepath.Join(dir, "none", ".bluemix", "config.json")); !errors.Is(err, ErrNoConfig) {
		t.Errorf("missing: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none")); err == nil {
		t.Error("Check created a directory")
	}
}

// Concurrent updates are serialized by the lock: none is lost, even though
// each replaces the file by rename.
func TestConcurrentUpdatesSerialize(t *testing.T) {
	p := write(t, `{"IAMToken":"Bearer 0","IAMRefreshToken":"0","Other":true}`, 0o600)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := Update(context.Background(), p, func(saved Pair) (Pair, bool, error) {
				var n int
				fmt.Sscan(saved.Refresh, &n)
				return Pair{fmt.Sprintf("Bearer %d", n+1), fmt.Sprint(n + 1)}, true, nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := Read(context.Background(), p)
	if err != nil || got.Refresh != "16" {
		t.Errorf("got %+v %v", got, err)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), `"Other":true`) {
		t.Errorf("lost a key: %s", b)
	}
}

func TestLockWaitHonoursContext(t *testing.T) {
	p := write(t, `{}`, 0o600)
	held := make(chan struct{})
	release := make(chan struct{})
	go Update(context.Background(), p, func(Pair) (Pair, bool, error) {
		close(held)
		<-release
		return Pair{}, false, nil
	})
	<-held
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Update(ctx, p, func(Pair) (Pair, bool, error) { return Pair{}, false, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
	close(release)
}
