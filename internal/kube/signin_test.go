package kube

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

// Each way the kubeconfig's user signs in, and each answer about the
// caller: the nodes are read, or the read is no access with its reason.
// Whatever happens, the kubeconfig is not written and the refresh token
// of IKS's oidc sign-in is never spent (the simulator records a refresh
// as a violation), and no request reaches the cluster with a credential
// that cannot work.
func TestSignIn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		auth      string
		forbidden bool
		offline   bool                // the API server cannot be reached
		edit      func(string) string // of the kubeconfig the simulator wrote
		want      string              // the NoAccessError reason; "" = the nodes are read
		noRequest bool                // decided before any request to the cluster
	}{
		{name: "oidc, as ibmcloud ks cluster config writes it", auth: "oidc"},
		{name: "static token", auth: "token"},
		{name: "expired id-token", auth: "oidc-expired", want: "token-expired", noRequest: true},
		{name: "id-token that is not a JWT", auth: "oidc", want: "token-expired", noRequest: true,
			edit: func(k string) string { return replaceField(k, "id-token", "not-a-jwt") }},
		{name: "id-token expiring within the margin", auth: "oidc", want: "token-expired", noRequest: true,
			edit: func(k string) string {
				return replaceField(k, "id-token", jwt(time.Now().Add(30*time.Second)))
			}},
		{name: "role without cluster-wide reads", auth: "oidc", forbidden: true, want: "forbidden"},
		{name: "private-only API server seen from outside", auth: "oidc", offline: true, want: "unreachable"},
		{name: "token the API server does not take", auth: "token", want: "unauthorized",
			edit: func(k string) string { return replaceField(k, "token", "revoked") }},
		{name: "credential plugin", auth: "token", want: "exec-plugin", noRequest: true,
			edit: func(k string) string {
				return strings.Replace(k, "    token: ", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: touch\n      args: [ran-the-plugin]\n      interactiveMode: Never\n    x-token: ", 1)
			}},
		{name: "auth provider client-go no longer has", auth: "oidc", want: "unsupported-auth", noRequest: true,
			edit: func(k string) string { return strings.Replace(k, "name: oidc", "name: gcp", 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := simtest.Load(t, "stale-nodes")
			sc.Session.KubeconfigAuth = tc.auth
			sc.Clusters[0].Kube.Forbidden = tc.forbidden
			sc.Clusters[0].Kube.Unreachable = tc.offline
			r, c, srv := readerOf(t, sc)
			path := r.getenv("KUBECONFIG")
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.edit != nil {
				before = []byte(tc.edit(string(before)))
				if err := os.WriteFile(path, before, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			requests := len(srv.Requests())
			nodes, err := r.Nodes(context.Background(), c)
			var na *facts.NoAccessError
			switch {
			case tc.want == "" && (err != nil || len(nodes) != 3):
				t.Errorf("nodes %v, %v", nodes, err)
			case tc.want != "" && (!errors.As(err, &na) || na.Reason != tc.want || na.Context != "calico-dal10/9b7371a7fcbe46d08e04f046d5e6d8b4"):
				t.Errorf("got %v, want no access %q in the current context", err, tc.want)
			}
			if tc.noRequest && len(srv.Requests()) != requests {
				t.Errorf("%d requests made with a credential that cannot work", len(srv.Requests())-requests)
			}
			if v := srv.Violations(); len(v) != 0 {
				t.Errorf("violations: %+v", v)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Error("the kubeconfig was written")
			}
			if _, err := os.Stat("ran-the-plugin"); err == nil { // the credential plugin's `touch`
				os.Remove("ran-the-plugin")
				t.Error("the credential plugin ran")
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	at := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		jwt  string
		want time.Time
	}{
		{jwt(at), at},
		{"a.b", time.Unix(1, 0)},
		{"a.!!!.c", time.Unix(1, 0)},
		{"a." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x"}`)) + ".c", time.Unix(1, 0)},
		{"a." + base64.URLEncoding.EncodeToString([]byte(`{"exp":1800000000}`)) + ".c", time.Unix(1800000000, 0)},
	} {
		if got := tokenExpiry(tc.jwt); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.jwt, got, tc.want)
		}
	}
	r := &Reader{Now: func() time.Time { return at }, expires: at.Add(2 * time.Minute)}
	if r.expired() {
		t.Error("two minutes left: usable")
	}
	r.Now = func() time.Time { return at.Add(90 * time.Second) }
	if !r.expired() {
		t.Error("30 seconds left: expired for a run")
	}
	if (&Reader{}).expired() {
		t.Error("a sign-in without id-token never expires here")
	}
}

// jwt is an unsigned token whose exp claim is at.
func jwt(at time.Time) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"none"}`)) + "." + enc.EncodeToString([]byte(`{"exp":`+itoa(at.Unix())+`}`)) + ".sig"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// replaceField replaces the value of the first "field: value" line.
func replaceField(kubeconfig, field, value string) string {
	lines := strings.Split(kubeconfig, "\n")
	for i, l := range lines {
		if k, _, ok := strings.Cut(strings.TrimSpace(l), ": "); ok && k == field {
			lines[i] = l[:strings.Index(l, field)] + field + ": " + value
			break
		}
	}
	return strings.Join(lines, "\n")
}
