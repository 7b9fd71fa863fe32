// Package ibm reads IBM Cloud through IBM's official Go SDKs, authenticated by
// the user's `ibmcloud login` session. It turns SDK answers and errors into
// plain facts; it never calls an API that changes anything.
package ibm

import (
	"errors"
	"strings"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// ErrNotLoggedIn means the CLI has no usable session: no token, or an expired
// one that could not be refreshed.
var ErrNotLoggedIn = errors.New("not logged in")

// ReadSession reads the CLI session. IsLoggedIn refreshes an expired access
// token through the CLI SDK (and writes it back to config.json, as the CLI
// itself would), so a token that changes across the call was refreshed.
func ReadSession(ctx plugin.PluginContext) (facts.Session, error) {
	before := ctx.IAMToken()
	if !ctx.IsLoggedIn() || ctx.IAMToken() == "" {
		return facts.Session{}, ErrNotLoggedIn
	}
	token := ctx.IAMToken()
	info := core_config.NewIAMTokenInfo(token)
	s := facts.Session{
		UserEmail:    info.UserEmail,
		IAMID:        info.IAMID,
		AccountID:    ctx.CurrentAccount().GUID,
		AccountName:  ctx.CurrentAccount().Name,
		IMSAccountID: ctx.IMSAccountID(),
		ServiceID:    ctx.IsLoggedInWithServiceID(),
		Profile:      ctx.IsLoggedInAsProfile(),
		Refreshed:    before != token,
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
