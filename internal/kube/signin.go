package kube

import (
	"encoding/base64"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	_ "k8s.io/client-go/plugin/pkg/client/auth/oidc" // IKS's kubeconfig signs in with it
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// `ibmcloud ks cluster config` writes a user that signs in through
// client-go's oidc auth provider with IAM's id-token for client "kube"
// (about an hour long) and a refresh token. When the id-token has
// expired, kubectl spends the refresh token at IAM and writes the new
// pair back into the kubeconfig. ks-doctor does neither: writing changes
// the user's file, and spending the refresh token without writing would
// leave the file with a token IAM may have retired, breaking kubectl. So
// the refresh token is taken out of the in-memory copy before client-go
// sees it, and an id-token that is expired (or will be within
// expiryMargin) is no access, skipped with `ibmcloud ks cluster config`
// as the way to a fresh one.
//
// Static tokens, token files and client certificates are left to client-go
// as kubectl would use them. Credential plugins (exec) are not run: one
// may prompt, open a browser for a sign-in, wait for it past --timeout
// (client-go runs it without the request's context) or write its own
// token cache, and it writes to the process's stderr past ks-doctor's
// scrubbing. Those, and any auth provider but oidc (gcp and azure are no
// longer in client-go), are no access.

// expiryMargin is how long an id-token must still be valid for a run to
// use it: a check reads the cluster's API within seconds.
const expiryMargin = time.Minute

func (r *Reader) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

func (r *Reader) noAccess(reason string) error {
	return &facts.NoAccessError{Reason: reason, Context: r.context}
}

// signIn checks the current context's user, in memory (the loaded copy of
// the kubeconfig), and records when its id-token expires.
func (r *Reader) signIn(user *clientcmdapi.AuthInfo) error {
	if user != nil && user.Exec != nil {
		return r.noAccess("exec-plugin")
	}
	if user == nil || user.AuthProvider == nil {
		return nil
	}
	if user.AuthProvider.Name != "oidc" {
		return r.noAccess("unsupported-auth")
	}
	cfg := maps.Clone(user.AuthProvider.Config)
	delete(cfg, "refresh-token")
	user.AuthProvider.Config = cfg
	r.expires = tokenExpiry(cfg["id-token"])
	if r.expired() {
		return r.noAccess("token-expired")
	}
	return nil
}

// expired tells whether the oidc id-token is (about to be) unusable.
func (r *Reader) expired() bool {
	return !r.expires.IsZero() && !r.now().Add(expiryMargin).Before(r.expires)
}

// tokenExpiry is a JWT's "exp" claim, read without verifying the token
// (the API server verifies it); a token without one expired long ago.
func tokenExpiry(jwt string) time.Time {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return time.Unix(1, 0)
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Exp <= 0 {
		return time.Unix(1, 0)
	}
	return time.Unix(int64(claims.Exp), 0)
}

// keepSecrets records the credentials of the context's user, so that the
// run's scrubber masks them wherever they turn up (an API server that
// echoes a token in an error message): tokens, the oidc id-token and
// refresh token, a password, a client key.
func (r *Reader) keepSecrets(user *clientcmdapi.AuthInfo) {
	if user == nil {
		return
	}
	s := []string{user.Token, user.Password, string(user.ClientKeyData)}
	if ap := user.AuthProvider; ap != nil {
		s = append(s, ap.Config["id-token"], ap.Config["refresh-token"], ap.Config["client-secret"])
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range s {
		if len(v) >= 8 { // "kube", IKS's public client secret, is no secret
			r.secrets = append(r.secrets, v)
		}
	}
}

// Secrets are the credentials of the kubeconfig's current user, once a
// read loaded it (none before).
func (r *Reader) Secrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.secrets)
}
