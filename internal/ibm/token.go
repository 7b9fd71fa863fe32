package ibm

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/common/rest"
)

// exchange holds the refresh token of the account-bound token exchanges.
// IAM may honour a refresh token once (the simulator does), so exchanges
// run one after another, each with the refresh token the previous one
// returned, and the session's own refresh token is spent only once.
type exchange struct {
	mu      sync.Mutex
	refresh string // latest refresh token; "" = the session's
	used    bool
}

// tokenFor gets an access token bound to another IBM Cloud account the user
// belongs to (and to its linked classic infrastructure account) through the
// session's refresh token, as `ibmcloud target -c` does. The tokens stay in
// memory; the session keeps the account it targets (see HandBack).
func (c *Client) tokenFor(ctx context.Context, accountID, imsAccountID string) (string, error) {
	c.xch.mu.Lock()
	defer c.xch.mu.Unlock()
	tok, err := c.exchangeLocked(ctx, accountID, imsAccountID)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

func (c *Client) exchangeLocked(ctx context.Context, accountID, imsAccountID string) (*iam.Token, error) {
	rt := c.xch.refresh
	if rt == "" {
		rt = c.auth.src.IAMRefreshToken()
	}
	if rt == "" {
		return nil, errors.New("the session has no refresh token")
	}
	rc := rest.NewClient()
	// The token endpoint takes no bearer token: the shared stack below the
	// 401 refresh (paced, counted, traced with the tokens hidden).
	rc.HTTPClient = &http.Client{Transport: c.pacer, Timeout: c.opts.CallTimeout}
	client := iam.NewClient(iam.DefaultConfig(c.ep.IAM), rc)
	type result struct {
		tok *iam.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := client.GetToken(iam.RefreshTokenRequest(rt, iam.SetAccount(accountID), iam.SetIMSAccount(imsAccountID)))
		done <- result{tok, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		c.xch.used = true
		if r.tok.RefreshToken != "" {
			c.xch.refresh = r.tok.RefreshToken
		}
		return r.tok, nil
	}
}

// HandBack returns the session to the CLI after account-bound exchanges:
// if the session's refresh token was spent, one more exchange binds a new
// pair to the session's own account and saves it through Options.SaveTokens,
// exactly what the CLI SDK does when it refreshes a token. The targeted
// account, region and resource group are not changed.
func (c *Client) HandBack(ctx context.Context, accountID, imsAccountID string) error {
	c.xch.mu.Lock()
	defer c.xch.mu.Unlock()
	if !c.xch.used || c.opts.SaveTokens == nil {
		return nil
	}
	tok, err := c.exchangeLocked(ctx, accountID, imsAccountID)
	if err != nil {
		return err
	}
	return c.opts.SaveTokens(tok.TokenType+" "+tok.AccessToken, tok.RefreshToken)
}
