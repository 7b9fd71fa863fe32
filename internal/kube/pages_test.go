package kube

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// hostileAPI is an API server on loopback whose node list misbehaves as
// serve says, and a Reader whose kubeconfig points at it for cluster c.
func hostileAPI(t *testing.T, serve func(w http.ResponseWriter, r *http.Request)) (*Reader, facts.Cluster, *atomic.Int64) {
	t.Helper()
	var calls atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		serve(w, r)
	}))
	t.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	c := facts.Cluster{ID: "c0hostile0000000000a", Name: "hostile"}
	ctx := c.Name + "/" + c.ID
	cfg := fmt.Sprintf("apiVersion: v1\nkind: Config\nclusters:\n- name: %[1]s\n  cluster:\n    server: %[2]s\n    certificate-authority-data: %[3]s\n"+
		"contexts:\n- name: %[1]s\n  context: {cluster: %[1]s, user: u}\ncurrent-context: %[1]s\nusers:\n- name: u\n  user: {token: t0ken-of-the-test}\n",
		ctx, srv.URL, base64.StdEncoding.EncodeToString(ca))
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return &Reader{Kubeconfig: path}, c, &calls
}

// An API server that never ends a list, repeats a continue token or sends
// an endless body gets a read error in bounded requests and memory, never
// a hang or a partial list taken as the whole.
func TestListsThatNeverEnd(t *testing.T) {
	item := `{"metadata":{"name":"10.0.0.1"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}`
	for _, tc := range []struct {
		name      string
		serve     func(w http.ResponseWriter, r *http.Request)
		maxCalls  int64
		wantInErr string
	}{
		{"a new continue token on every page", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"metadata":{"continue":"%s+"},"items":[%s]}`, r.URL.Query().Get("continue"), item)
		}, maxPages, "pages"},
		{"the same continue token again", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"metadata":{"continue":"again"},"items":[%s]}`, item)
		}, 2, "continue token"},
		{"an endless body", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"items":[` + item))
			chunk := []byte(strings.Repeat(","+item, 1000))
			for written := 0; written <= maxAnswerBytes; written += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, 1, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, c, calls := hostileAPI(t, tc.serve)
			nodes, err := r.Nodes(context.Background(), c)
			var re *facts.ReadError
			if !errors.As(err, &re) || !strings.Contains(re.Message, tc.wantInErr) || nodes != nil {
				t.Errorf("%d nodes, %v; want a read error about %q", len(nodes), err, tc.wantInErr)
			}
			if n := calls.Load(); n > tc.maxCalls {
				t.Errorf("%d requests, want at most %d", n, tc.maxCalls)
			}
		})
	}
}

// The kubeconfig user's credentials are handed to the run's scrubber
// (through ibm.Client.Secrets): an API server may echo them in an error
// message, which the report then quotes.
func TestSecretsOfTheKubeconfig(t *testing.T) {
	r, c, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","code":500,"reason":"InternalError","message":"bad request with %s"}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	})
	if s := r.Secrets(); len(s) != 0 {
		t.Errorf("secrets before any read: %v", s)
	}
	_, err := r.Nodes(context.Background(), c)
	if err == nil || !strings.Contains(err.Error(), "t0ken-of-the-test") {
		t.Fatalf("the echo did not come back: %v", err)
	}
	if s := r.Secrets(); len(s) != 1 || s[0] != "t0ken-of-the-test" {
		t.Errorf("secrets %v", s)
	}
}
