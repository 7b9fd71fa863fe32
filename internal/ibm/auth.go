package ibm

import (
	"net/http"
	"strings"
	"sync"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM/go-sdk-core/v5/core"
)

// TokenSource is the part of plugin.PluginContext that holds the session's
// tokens. The CLI SDK refreshes through the session's refresh token and
// writes the new pair to config.json, so ks-doctor and the CLI never diverge.
type TokenSource interface {
	IAMToken() string // "Bearer eyJ..."
	IAMRefreshToken() string
	RefreshIAMToken() (string, error)
}

// sessionAuth authenticates every SDK request with the CLI session's token,
// refreshing it when it has expired or when a service answers 401. One
// instance serves every client, so concurrent requests refresh once.
type sessionAuth struct {
	src TokenSource
	mu  sync.Mutex
}

var _ core.Authenticator = (*sessionAuth)(nil)

func (a *sessionAuth) AuthenticationType() string { return core.AUTHTYPE_BEARER_TOKEN }
func (a *sessionAuth) Validate() error            { return nil }

func (a *sessionAuth) Authenticate(req *http.Request) error {
	tok, err := a.token()
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", tok)
	return nil
}

// token returns a usable "Bearer ..." header value.
func (a *sessionAuth) token() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	tok := a.src.IAMToken()
	if core_config.NewIAMTokenInfo(tok).HasExpired() {
		return a.src.RefreshIAMToken()
	}
	return tok, nil
}

// refreshAfter401 refreshes the token unless another request already did
// (the token differs from the one that was refused) and returns the header
// value to retry with.
func (a *sessionAuth) refreshAfter401(refused string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cur := a.src.IAMToken(); cur != refused {
		return cur, nil
	}
	return a.src.RefreshIAMToken()
}

// retry401 retries a request once with a refreshed token when a service
// refuses the token with 401: a token can be revoked or expire between our
// expiry check and the service's. Only bodiless (read) requests are retried,
// which is every request ks-doctor makes.
type retry401 struct {
	next http.RoundTripper
	auth *sessionAuth
}

func (t *retry401) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || req.Body != nil && req.Body != http.NoBody {
		return resp, err
	}
	refused := req.Header.Get("Authorization")
	if !strings.HasPrefix(refused, "Bearer ") {
		return resp, nil // basic auth (classic infrastructure): nothing to refresh
	}
	tok, rerr := t.auth.refreshAfter401(refused)
	if rerr != nil || tok == refused {
		return resp, nil
	}
	resp.Body.Close()
	again := req.Clone(req.Context())
	again.Header.Set("Authorization", tok)
	return t.next.RoundTrip(again)
}
