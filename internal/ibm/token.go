package ibm

import (
	"context"
	"errors"
	"net/http"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/authentication/iam"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/common/rest"
)

// tokenFor gets an access token bound to another IBM Cloud account the user
// belongs to (and to its linked classic infrastructure account) by
// exchanging the session's refresh token, as `ibmcloud target -c` does. The
// new tokens stay in memory: the user's config.json is not touched, so the
// CLI session still targets the account it targeted.
func (c *Client) tokenFor(ctx context.Context, accountID, imsAccountID string) (string, error) {
	rt := c.auth.src.IAMRefreshToken()
	if rt == "" {
		return "", errors.New("the session has no refresh token")
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
		return "", ctx.Err()
	case r := <-done:
		if r.err != nil {
			return "", r.err
		}
		return r.tok.AccessToken, nil
	}
}
