package ibm

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/softlayer/softlayer-go/session"
)

// sessionToken asks slSession for the CLI session's own IAM token, taken
// afresh on every request rather than captured once: a long walk outlives
// an access token.
const sessionToken = "\x00session"

// slSession is a SoftLayer session on the shared transport, with retries.
// Each session gets its own http.Client: softlayer-go writes the client's
// Timeout on every request, which would race between concurrent sessions.
// token is a bearer value, sessionToken, or "" for Basic authentication.
func (c *Client) slSession(token string) *session.Session {
	rt := slRetry(c.hc.Transport, c.opts.Retries, c.opts.RetryWait, c.retryLimit())
	if token == sessionToken {
		rt = slSessionAuth{next: rt, auth: c.auth}
		token = "Bearer session" // replaced on every request by slSessionAuth
	}
	return &session.Session{Endpoint: c.ep.SoftLayer, IAMToken: token, Timeout: c.opts.CallTimeout,
		HTTPClient: &http.Client{Transport: rt, Timeout: c.opts.CallTimeout}}
}

// slSessionAuth puts the session's current token on each SoftLayer request
// and, when SoftLayer answers an expired token the way it does — 500
// SoftLayer_Exception_Account_Authentication_AccessTokenValidation
// (softlayer-go session.NeedsRefresh), not 401 — refreshes it once and
// tries again.
type slSessionAuth struct {
	next http.RoundTripper
	auth *sessionAuth
}

const slTokenExpired = "SoftLayer_Exception_Account_Authentication_AccessTokenValidation"

func (t slSessionAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.auth.tokenCtx(req.Context())
	if err != nil {
		return nil, err
	}
	first := req.Clone(req.Context())
	first.Header.Set("Authorization", tok)
	resp, err := t.next.RoundTrip(first)
	if err != nil || resp.StatusCode != http.StatusInternalServerError {
		return resp, err
	}
	// An error body is small; read a bounded prefix to look for the code.
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(head))
	if !strings.Contains(string(head), slTokenExpired) {
		return resp, nil
	}
	fresh, rerr := t.auth.renew(req.Context(), tok)
	if rerr != nil || fresh == tok {
		return resp, nil
	}
	again := req.Clone(req.Context())
	again.Header.Set("Authorization", fresh)
	return t.next.RoundTrip(again)
}
