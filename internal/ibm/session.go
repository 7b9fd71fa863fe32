// Package ibm reads IBM Cloud through IBM's official Go SDKs, authenticated by
// the user's `ibmcloud login` session. It turns SDK answers and errors into
// plain facts; it never calls an API that changes anything.
package ibm

import (
	"context"
	"errors"
	"strings"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// ErrNotLoggedIn means the CLI has no usable session: no token, or an expired
// one that could not be refreshed.
var ErrNotLoggedIn = errors.New("not logged in")

// ReadSession reads the CLI session as the CLI loaded it. It never calls the
// CLI SDK's IsLoggedIn (or IsLoggedInWithServiceID, IsLoggedInAsProfile):
// those refresh an expired token with no timeout and rewrite config.json
// through the SDK's struct. An expired token is refreshed by the Client
// (EnsureToken), bounded by the run's context.
func ReadSession(ctx plugin.PluginContext) (facts.Session, error) {
	return SessionWithToken(ctx, ctx.IAMToken())
}

// SessionWithToken reads the session with token as its access token (the
// one EnsureToken returned after a refresh).
func SessionWithToken(ctx plugin.PluginContext, token string) (facts.Session, error) {
	if token == "" || !usable(token) && ctx.IAMRefreshToken() == "" {
		return facts.Session{}, ErrNotLoggedIn
	}
	info := core_config.NewIAMTokenInfo(token)
	s := facts.Session{
		UserEmail:    info.UserEmail,
		IAMID:        info.IAMID,
		AccountID:    ctx.CurrentAccount().GUID,
		AccountName:  ctx.CurrentAccount().Name,
		IMSAccountID: ctx.IMSAccountID(),
		ServiceID:    info.SubjectType == core_config.SubjectTypeServiceID,
		Profile:      info.SubjectType == core_config.SubjectTypeTrustedProfile,
		Refreshed:    token != ctx.IAMToken(),
		Private:      ctx.IsPrivateEndpointEnabled(),
	}
	if s.AccountID == "" {
		s.AccountID = info.Accounts.AccountID
	}
	if s.UserEmail == "" {
		s.UserEmail = strings.TrimPrefix(info.IAMID, "iam-")
	}
	if ctx.HasTargetedRegion() {
		s.Region = ctx.CurrentRegion().Name
	}
	if ctx.HasTargetedResourceGroup() {
		g := ctx.CurrentResourceGroup()
		s.ResourceGroup = &facts.ResourceGroup{ID: g.GUID, Name: g.Name, Default: g.Default}
	}
	return s, nil
}

// EnsureToken makes sure the session has a usable access token, refreshing
// it within ctx when it has expired (and saving the new pair), and returns
// it. A refresh token IAM refuses gives an error wrapping ErrNotLoggedIn.
func (c *Client) EnsureToken(ctx context.Context) (string, error) {
	return c.auth.tokenCtx(ctx)
}

// Secrets are every token the session has held or obtained in this run
// (access tokens without "Bearer "), for the scrubbers of the output.
func (c *Client) Secrets() []string {
	out := c.auth.secrets()
	// The cluster reader's, once it read a kubeconfig: its tokens.
	if s, ok := c.cluster.(interface{ Secrets() []string }); ok {
		out = append(out, s.Secrets()...)
	}
	return out
}

// NetworkOf is the network part of the session, for ResolveEndpoints.
func NetworkOf(ctx plugin.PluginContext) Network {
	n := Network{Private: ctx.IsPrivateEndpointEnabled(), VPC: ctx.IsAccessFromVPC(), IAM: ctx.IAMEndpoint()}
	if ctx.HasTargetedRegion() {
		n.Region = ctx.CurrentRegion().Name
	}
	if api := ctx.APIEndpoint(); api != "" {
		// https://cloud.ibm.com or https://private.cloud.ibm.com → cloud.ibm.com
		host := api
		if i := strings.Index(api, "//"); i >= 0 {
			host = api[i+2:]
		}
		n.CloudDomain = strings.TrimPrefix(strings.TrimSuffix(host, "/"), "private.")
		if strings.HasPrefix(n.CloudDomain, "api.") { // legacy api.<region>.bluemix.net
			n.CloudDomain = ""
		}
	}
	return n
}
