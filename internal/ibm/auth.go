package ibm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM/go-sdk-core/v5/core"

	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
)

// TokenSource is the part of plugin.PluginContext that holds the session's
// tokens as the CLI loaded them. ks-doctor never calls the CLI SDK's
// RefreshIAMToken: it has no timeout and no context, and its write-back
// drops keys of config.json its struct does not know. The session refreshes
// itself instead (sessionAuth), bounded by the run's context, and saves
// through a TokenStore.
type TokenSource interface {
	IAMToken() string // "Bearer eyJ..."
	IAMRefreshToken() string
}

// TokenStore keeps the session's token pair between runs: config.json
// (cliconfig.File). Update runs fn under the store's lock with the pair
// saved now and saves what fn returns when it says so.
type TokenStore interface {
	Read(ctx context.Context) (cliconfig.Pair, error)
	Update(ctx context.Context, fn func(saved cliconfig.Pair) (cliconfig.Pair, bool, error)) error
}

// sessionAuth authenticates every SDK request with the session's token,
// refreshing it when it has expired or a service answers 401. One instance
// serves every client of a run. Refreshes and account-bound exchanges spend
// refresh tokens (IAM may honour one once), so they run one at a time (sem)
// and each runs detached from the caller's cancel, under its own deadline,
// so that a token IAM issued is always recorded and saved (see run).
type sessionAuth struct {
	sem chan struct{} // held by the refresh or exchange under way

	mu       sync.Mutex
	access   string // the session's access token, "Bearer ..."
	refresh  string // the session's refresh token, as loaded or saved
	chain    string // latest refresh token of account-bound exchanges; "" = none
	handBack bool   // an exchange spent the session's refresh token
	seen     []string
	held     map[string]bool // every access token the session has held

	iam         tokenCall
	store       TokenStore // nil: the pair lives in memory only
	budget      time.Duration
	settle      time.Duration // see awaitChange; 0 = settleWait
	onSecret    func(...string)
	interrupted atomic.Bool                     // a caller gave up on a refresh or exchange
	walkCtx     atomic.Pointer[context.Context] // of the latest exchange, to tell a cancelled walk
}

var _ core.Authenticator = (*sessionAuth)(nil)

func newSessionAuth(src TokenSource, call tokenCall, store TokenStore, budget time.Duration, onSecret func(...string)) *sessionAuth {
	a := &sessionAuth{sem: make(chan struct{}, 1), iam: call, store: store, budget: budget, onSecret: onSecret}
	a.setPair(cliconfig.Pair{Access: src.IAMToken(), Refresh: src.IAMRefreshToken()})
	return a
}

func (a *sessionAuth) AuthenticationType() string { return core.AUTHTYPE_BEARER_TOKEN }
func (a *sessionAuth) Validate() error            { return nil }

func (a *sessionAuth) Authenticate(req *http.Request) error {
	tok, err := a.tokenCtx(req.Context())
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", tok)
	return nil
}

// current is the session's access token now.
func (a *sessionAuth) current() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.access
}

// setPair adopts a pair (read from config.json or issued by IAM).
func (a *sessionAuth) setPair(p cliconfig.Pair) {
	a.mu.Lock()
	a.access, a.refresh = p.Access, p.Refresh
	if a.held == nil {
		a.held = map[string]bool{}
	}
	a.held[p.Access] = true
	a.mu.Unlock()
	a.note(strings.TrimPrefix(p.Access, "Bearer "), p.Refresh)
}

// note records secrets for the trace and the commands' scrubbers.
func (a *sessionAuth) note(secrets ...string) {
	var add []string
	for _, s := range secrets {
		if s != "" {
			add = append(add, s)
		}
	}
	a.mu.Lock()
	a.seen = append(a.seen, add...)
	a.mu.Unlock()
	traceScrub.Add(add...)
	if a.onSecret != nil {
		a.onSecret(add...)
	}
}

func (a *sessionAuth) secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}

func usable(tok string) bool {
	return tok != "" && !core_config.NewIAMTokenInfo(tok).HasExpired()
}

// tokenCtx returns a usable "Bearer ..." header value, refreshing first
// when the token has expired.
func (a *sessionAuth) tokenCtx(ctx context.Context) (string, error) {
	tok := a.current()
	if usable(tok) {
		return tok, nil
	}
	return a.renew(ctx, tok)
}

// renew refreshes the session's token unless it differs from refused and
// is usable (another request, or another run, refreshed it already).
func (a *sessionAuth) renew(ctx context.Context, refused string) (string, error) {
	err := a.run(ctx, func(dctx context.Context) error { return a.renewHeld(dctx, refused) })
	if err != nil {
		return "", err
	}
	return a.current(), nil
}

// run runs op alone (sem), on a context that the caller's cancel does not
// reach but with its own deadline (budget): once a refresh token is sent,
// IAM may have spent it, so the answer must be recorded and saved even if
// the caller has gone (Ctrl-C, --timeout). The caller still returns as soon
// as its context ends; plugin/ waits briefly for such work (WaitDetached).
func (a *sessionAuth) run(ctx context.Context, op func(context.Context) error) error {
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	err := detach(ctx, a.budget, func(dctx context.Context) error {
		defer func() { <-a.sem }()
		return op(dctx)
	})
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		a.interrupted.Store(true)
	}
	return err
}

// isSession says whether an Authorization value is a token of the session
// (not an account-bound one from an exchange, not Basic).
func (a *sessionAuth) isSession(v string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.HasPrefix(v, "Bearer ") && a.held[v]
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
	if !t.auth.isSession(refused) {
		return resp, nil // basic auth (classic infrastructure), or an account-bound token: not the session's to refresh
	}
	tok, rerr := t.auth.renew(req.Context(), refused)
	if rerr != nil || tok == refused {
		return resp, nil
	}
	resp.Body.Close()
	again := req.Clone(req.Context())
	again.Header.Set("Authorization", tok)
	return t.next.RoundTrip(again)
}
