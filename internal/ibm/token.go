package ibm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/common/rest"

	"github.com/ks-doctor/ks-doctor/internal/cliconfig"
)

// binding names the account a token is bound to (`ibmcloud target -c`).
type binding struct{ account, ims string }

// tokenCall asks IAM for a token pair through a refresh token, optionally
// bound to another account the user belongs to.
type tokenCall func(ctx context.Context, refreshToken string, bind *binding) (*iam.Token, error)

// newTokenCall refreshes exactly as `ibmcloud` does (ibm-cloud-cli-sdk
// bluemix/configuration/core_config/repository.go RefreshIAMToken → iam
// client GetToken: POST <IAM>/identity/token, grant_type refresh_token,
// response_type cloud_iam, Authorization: Basic bx:bx), with `account` and
// `ims_account` for an account-bound token as `ibmcloud target -c` sends
// them. The CLI SDK's client takes no context, so the context rides on the
// transport; the transport is the shared stack below the 401 refresh
// (paced, counted, capped, credentials only to the IAM endpoint).
func newTokenCall(iamURL string, rt http.RoundTripper) tokenCall {
	return func(ctx context.Context, refreshToken string, bind *binding) (*iam.Token, error) {
		if refreshToken == "" {
			return nil, fmt.Errorf("%w: the session has no refresh token", ErrNotLoggedIn)
		}
		rc := rest.NewClient()
		rc.HTTPClient = &http.Client{Transport: withContext{ctx: ctx, next: rt}, CheckRedirect: sameOrigin}
		client := iam.NewClient(iam.DefaultConfig(iamURL), rc)
		var opts []authentication.TokenOption
		if bind != nil {
			opts = append(opts, iam.SetAccount(bind.account))
			if bind.ims != "" {
				opts = append(opts, iam.SetIMSAccount(bind.ims))
			}
		}
		tok, err := client.GetToken(iam.RefreshTokenRequest(refreshToken, opts...))
		if err != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("IAM token request: %w", ctx.Err())
		}
		return tok, err
	}
}

// refused says IAM refused the refresh token itself (spent, revoked or
// expired: BXNIM0407E, BXNIM0408E), as opposed to any other failure.
func refused(err error) bool {
	var inv *authentication.InvalidTokenError
	var exp *authentication.RefreshTokenExpiryError
	return errors.As(err, &inv) || errors.As(err, &exp)
}

func pairOf(tok *iam.Token) cliconfig.Pair {
	typ := tok.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	return cliconfig.Pair{Access: typ + " " + tok.AccessToken, Refresh: tok.RefreshToken}
}

func (a *sessionAuth) refreshToken() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.refresh
}

// renewHeld refreshes the session's pair (sem held).
func (a *sessionAuth) renewHeld(ctx context.Context, refusedTok string) error {
	if cur := a.current(); cur != refusedTok && usable(cur) {
		return nil
	}
	a.mu.Lock()
	chained := a.chain != ""
	a.mu.Unlock()
	if chained {
		// An exchange spent the session's refresh token: bind the chain's
		// latest one back to the session's own account, as HandBack does.
		info := core_config.NewIAMTokenInfo(a.current())
		return a.handBackHeld(ctx, binding{info.Accounts.AccountID, info.Accounts.IMSAccountID})
	}
	if a.store == nil {
		tok, err := a.iam(ctx, a.refreshToken(), nil)
		if err != nil {
			return notLoggedIn(err)
		}
		a.setPair(pairOf(tok))
		return nil
	}
	_, err := a.spendSaved(ctx, refusedTok, nil)
	return notLoggedIn(err)
}

func notLoggedIn(err error) error {
	if err != nil && refused(err) && !errors.Is(err, ErrNotLoggedIn) {
		return fmt.Errorf("%w: %v", ErrNotLoggedIn, err)
	}
	return err
}

// spendSaved spends the refresh token saved in config.json, under its lock
// (sem held): a sibling run that refreshed first has saved its pair, which
// is then used instead (bind == nil), and no two runs spend the same
// token. Unbound, the new pair is saved; bound to another account, it is
// returned and config.json keeps a spent token until HandBack.
func (a *sessionAuth) spendSaved(ctx context.Context, refusedTok string, bind *binding) (*iam.Token, error) {
	for attempt := 0; ; attempt++ {
		var out *iam.Token
		var spent string
		err := a.store.Update(ctx, func(saved cliconfig.Pair) (cliconfig.Pair, bool, error) {
			if bind == nil && saved.Access != refusedTok && usable(saved.Access) {
				a.setPair(saved) // another run refreshed the session already
				return saved, false, nil
			}
			spent = saved.Refresh
			if spent == "" {
				spent = a.refreshToken()
			}
			tok, err := a.iam(ctx, spent, bind)
			if err != nil {
				return saved, false, err
			}
			out = tok
			a.note(tok.AccessToken, tok.RefreshToken)
			if bind != nil {
				return saved, false, nil
			}
			p := pairOf(tok)
			a.setPair(p)
			return p, true, nil
		})
		if err == nil || !refused(err) || attempt == 2 || !a.awaitChange(ctx, spent) {
			return out, err
		}
		// IAM refused the saved refresh token: another process spent it
		// outside the lock (the CLI SDK refreshes first and saves under the
		// lock after) and its pair has landed now; try again with it.
	}
}

// settleWait is how long a run whose saved refresh token was refused waits
// for the process that spent it to save its new pair: that save follows
// the spending answer at once.
const settleWait = time.Second

// awaitChange polls config.json until its refresh token is no longer
// spent, for up to settle.
func (a *sessionAuth) awaitChange(ctx context.Context, spent string) bool {
	settle := a.settle
	if settle <= 0 {
		settle = settleWait
	}
	ctx, cancel := context.WithTimeout(ctx, settle)
	defer cancel()
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		if p, err := a.store.Read(ctx); err == nil && p.Refresh != spent && p.Refresh != "" {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

// tokenFor gets an access token bound to another IBM Cloud account the user
// belongs to (and to its linked classic infrastructure account) through the
// session's refresh token, as `ibmcloud target -c` does. The tokens stay in
// memory; the session keeps the account it targets (see HandBack).
func (c *Client) tokenFor(ctx context.Context, accountID, imsAccountID string) (string, error) {
	c.auth.walkCtx.Store(&ctx)
	var access string
	err := c.auth.run(ctx, func(dctx context.Context) error {
		tok, err := c.auth.exchangeHeld(dctx, binding{accountID, imsAccountID})
		if err == nil {
			access = tok.AccessToken
		}
		return err
	})
	if err != nil {
		return "", err
	}
	return access, nil
}

// exchangeHeld spends the latest refresh token for one bound to b (sem
// held): the chain's, else the session's (under config.json's lock).
func (a *sessionAuth) exchangeHeld(ctx context.Context, b binding) (*iam.Token, error) {
	a.mu.Lock()
	chain := a.chain
	a.mu.Unlock()
	var tok *iam.Token
	var err error
	switch {
	case chain != "":
		tok, err = a.iam(ctx, chain, &b)
	case a.store != nil:
		tok, err = a.spendSaved(ctx, "", &b)
	default:
		tok, err = a.iam(ctx, a.refreshToken(), &b)
	}
	if err != nil {
		return nil, err
	}
	a.note(tok.AccessToken, tok.RefreshToken)
	a.mu.Lock()
	a.handBack = true
	if tok.RefreshToken != "" {
		a.chain = tok.RefreshToken
	}
	a.mu.Unlock()
	return tok, nil
}

// handBackAfterCancel bounds HandBack once the user cancelled an exchange:
// the run must end within a second of Ctrl-C.
const handBackAfterCancel = 700 * time.Millisecond

// HandBack returns the session to the CLI after account-bound exchanges:
// if the session's refresh token was spent, one more exchange binds a new
// pair to the session's own account and saves it to config.json (token
// keys only), what the CLI SDK does when it refreshes a token. It first
// waits for an exchange still under way, whose refresh token it needs. The
// targeted account, region and resource group are not changed.
func (c *Client) HandBack(ctx context.Context, accountID, imsAccountID string) error {
	budget := c.auth.budget
	if wc := c.auth.walkCtx.Load(); c.auth.interrupted.Load() || wc != nil && (*wc).Err() != nil {
		budget = handBackAfterCancel // the walk was cancelled: the user is waiting
	}
	hctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	return c.auth.run(hctx, func(dctx context.Context) error {
		return c.auth.handBackHeld(dctx, binding{accountID, imsAccountID})
	})
}

func (a *sessionAuth) handBackHeld(ctx context.Context, b binding) error {
	a.mu.Lock()
	chain, need := a.chain, a.handBack
	a.mu.Unlock()
	if !need || chain == "" {
		return nil
	}
	tok, err := a.iam(ctx, chain, &b)
	if err != nil {
		return err
	}
	p := pairOf(tok)
	a.mu.Lock()
	a.chain, a.handBack = "", false
	a.mu.Unlock()
	a.setPair(p)
	if a.store == nil {
		return nil
	}
	return a.store.Update(ctx, func(cliconfig.Pair) (cliconfig.Pair, bool, error) { return p, true, nil })
}
