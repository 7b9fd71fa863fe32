package ibm

import (
	"context"
	"errors"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"
	"net/http"
	"time"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/accountmanagementv4"
	"github.com/IBM/platform-services-go-sdk/iamaccessgroupsv2"
	"github.com/IBM/platform-services-go-sdk/iamidentityv1"
	"github.com/IBM/platform-services-go-sdk/iampolicymanagementv1"
	"github.com/IBM/platform-services-go-sdk/resourcemanagerv2"
	"github.com/IBM/platform-services-go-sdk/usermanagementv1"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Options tune the clients.
type Options struct {
	CallTimeout time.Duration // one HTTP call, retries included; also bounds a token refresh
	Retries     int           // on 429 and 5xx, honouring Retry-After (go-sdk-core); <0 = none
	RetryWait   time.Duration // first back-off of a retry without Retry-After (default 1s)
	// Store keeps the session's token pair (config.json, cliconfig.File): a
	// refreshed pair is saved there, token keys only; nil = memory only.
	Store    TokenStore
	MaxBody  int64           // response body cap (default DefaultMaxBody)
	OnSecret func(...string) // told every token the session holds or obtains
	// UserAgent names ks-doctor on every request ("ks-doctor/0.1.0"), ahead
	// of the SDK's own, so that IBM Cloud's logs tell its reads apart.
	UserAgent string
	// TraceTo receives a dump of every request and answer, redacted
	// (IBMCLOUD_TRACE); nil = no trace.
	TraceTo trace.Printer
}

// Client reads IBM Cloud for one run. It implements facts.Source.
type Client struct {
	iks     *kubernetesserviceapiv1.KubernetesServiceApiV1
	rm      *resourcemanagerv2.ResourceManagerV2
	um      *usermanagementv1.UserManagementV1
	iamID   *iamidentityv1.IamIdentityV1
	policy  *iampolicymanagementv1.IamPolicyManagementV1
	groups  *iamaccessgroupsv2.IamAccessGroupsV2
	account *accountmanagementv4.AccountManagementV4

	auth  *sessionAuth
	ep    Endpoints
	hc    *http.Client
	pacer *pacer
	opts  Options

	// cluster reads the cluster's own API and this machine (kube.go); nil = none.
	cluster facts.ClusterReader
}

// Requests is how many HTTP requests (retries included) this client sent.
func (c *Client) Requests() int { return int(c.pacer.count.Load()) }

var _ facts.Source = (*Client)(nil)

// New builds the SDK clients over one HTTP stack, top down: 401 refresh →
// go-sdk-core's retries (429 with Retry-After, 5xx; capped, see capRetries)
// → pacer → empty/null body guard → trace (scrubbed) → body cap →
// credential guard (configured endpoints only) → the network. tokens is the
// session as the CLI loaded it; the client refreshes it itself.
func New(tokens TokenSource, ep Endpoints, o Options) (*Client, error) {
	if o.CallTimeout <= 0 {
		o.CallTimeout = 30 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.RetryWait <= 0 {
		o.RetryWait = time.Second
	}
	if o.MaxBody == 0 {
		o.MaxBody = DefaultMaxBody
	}
	c := &Client{ep: ep, opts: o}
	var rt http.RoundTripper = credGuard{next: http.DefaultTransport.(*http.Transport).Clone(), allow: originsOf(ep)}
	rt = capBody{next: rt, max: o.MaxBody}
	if o.TraceTo != nil {
		rt = tracer{next: rt, out: TraceLogger(o.TraceTo)}
	}
	if o.UserAgent != "" {
		rt = userAgent{next: rt, name: o.UserAgent}
	}
	c.pacer = newPacer(emptyGuard{rt})
	// A refresh holds config.json's lock, which the CLI SDK waits for 30 s
	// at most (persistor.go): stay well under.
	c.auth = newSessionAuth(tokens, newTokenCall(ep.IAM, c.pacer), o.Store, min(o.CallTimeout, 25*time.Second), o.OnSecret)
	c.hc = &http.Client{Transport: &retry401{next: c.pacer, auth: c.auth}, Timeout: o.CallTimeout, CheckRedirect: sameOrigin}

	var err error
	errs := []error{}
	c.iks, err = kubernetesserviceapiv1.NewKubernetesServiceApiV1(&kubernetesserviceapiv1.KubernetesServiceApiV1Options{URL: ep.IKS, Authenticator: c.auth})
	errs = append(errs, err)
	c.rm, err = resourcemanagerv2.NewResourceManagerV2(&resourcemanagerv2.ResourceManagerV2Options{URL: ep.ResourceManager, Authenticator: c.auth})
	errs = append(errs, err)
	c.um, err = usermanagementv1.NewUserManagementV1(&usermanagementv1.UserManagementV1Options{URL: ep.UserManagement, Authenticator: c.auth})
	errs = append(errs, err)
	c.iamID, err = iamidentityv1.NewIamIdentityV1(&iamidentityv1.IamIdentityV1Options{URL: ep.IAM, Authenticator: c.auth})
	errs = append(errs, err)
	c.policy, err = iampolicymanagementv1.NewIamPolicyManagementV1(&iampolicymanagementv1.IamPolicyManagementV1Options{URL: ep.IAM, Authenticator: c.auth})
	errs = append(errs, err)
	c.groups, err = iamaccessgroupsv2.NewIamAccessGroupsV2(&iamaccessgroupsv2.IamAccessGroupsV2Options{URL: ep.IAM, Authenticator: c.auth})
	errs = append(errs, err)
	c.account, err = accountmanagementv4.NewAccountManagementV4(&accountmanagementv4.AccountManagementV4Options{URL: ep.AccountManagement, Authenticator: c.auth})
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, s := range []*core.BaseService{c.iks.Service, c.rm.Service, c.um.Service, c.iamID.Service, c.policy.Service, c.groups.Service, c.account.Service} {
		c.setup(s)
	}
	return c, nil
}

// setup puts a service on the shared HTTP stack with retries. A Retry-After
// longer than the per-call limit fails the read at once.
func (c *Client) setup(s *core.BaseService) {
	s.SetHTTPClient(c.hc)
	if c.opts.Retries < 0 {
		return
	}
	s.EnableRetries(c.opts.Retries, 10*time.Second)
	if rt, ok := s.Client.Transport.(*retryablehttp.RoundTripper); ok {
		rt.Client.RetryWaitMin = c.opts.RetryWait
		capRetries(rt.Client, c.retryLimit())
		s.Client.Transport = oneOf{rt}
	}
}

// retryLimit is the longest wait before a retry: 10 s, less when a call may
// not last that long.
func (c *Client) retryLimit() time.Duration { return min(10*time.Second, c.opts.CallTimeout) }

// Account reads the account's type, owner and its linked classic
// infrastructure account. The session's token names the linked account too
// (account.ims); the token wins when the call is denied, since checks only
// need the link.
func (c *Client) Account(ctx context.Context, s facts.Session) (facts.Account, error) {
	const op = "ibmcloud account show"
	a := facts.Account{ID: s.AccountID, IMSAccount: s.IMSAccountID}
	res, resp, err := c.account.GetAccountWithContext(ctx, c.account.NewGetAccountOptions(s.AccountID))
	if err != nil {
		return a, readError(op, resp, err)
	}
	if res == nil || str(res.Type) == "" {
		return a, errNoBody(op)
	}
	a.Type, a.OwnerIAMID = str(res.Type), str(res.OwnerIamid)
	if v := str(res.LinkedSoftlayerAccount); v != "" {
		a.IMSAccount = v
	}
	return a, nil
}

// Cluster finds a cluster by name or id in any resource group of the account:
// the session checks must find it even when the wrong group is targeted, so
// no X-Auth-Resource-Group header is sent.
func (c *Client) Cluster(ctx context.Context, query string) (facts.Cluster, error) {
	const op = "ibmcloud ks cluster get"
	res, resp, err := c.iks.GetClusterWithContext(ctx, c.iks.NewGetClusterOptions(query))
	if err != nil {
		rerr := readError(op, resp, err)
		// Only IKS's own "cluster not found" codes mean that: a 404 from a
		// proxy or a wrong endpoint is a failed read (ibm-apis.md: G0004,
		// E0008).
		if rerr.Status == http.StatusNotFound && (rerr.Code == "G0004" || rerr.Code == "E0008") {
			return facts.Cluster{}, errors.Join(facts.ErrClusterNotFound, rerr)
		}
		return facts.Cluster{}, rerr
	}
	if res == nil || str(res.ID) == "" {
		return facts.Cluster{}, errNoBody(op)
	}
	cl := facts.Cluster{
		ID: str(res.ID), Name: str(res.Name), Provider: str(res.Provider), Type: str(res.Type),
		Version: str(res.MasterKubeVersion), Region: str(res.Region), Location: str(res.Location), ResourceGroupID: str(res.ResourceGroup),
		ResourceGroupName: str(res.ResourceGroupName), State: str(res.State), Status: str(res.Status),
		CreatedDate: str(res.CreatedDate), Created: latest(str(res.CreatedDate)), WorkerCount: -1,
	}
	if l := res.Lifecycle; l != nil {
		cl.MasterState, cl.MasterStatus, cl.MasterHealth = str(l.MasterState), str(l.MasterStatus), str(l.MasterHealth)
	}
	cl.TargetVersion, cl.VersionEOS = str(res.TargetVersion), str(res.VersionEOS)
	return cl, nil
}

// ResourceGroups lists the account's resource groups.
func (c *Client) ResourceGroups(ctx context.Context, accountID string) ([]facts.ResourceGroup, error) {
	opts := c.rm.NewListResourceGroupsOptions()
	if accountID != "" {
		opts.SetAccountID(accountID)
	}
	res, resp, err := c.rm.ListResourceGroupsWithContext(ctx, opts)
	if err := failed("ibmcloud resource groups", resp, err, res == nil); err != nil {
		return nil, err
	}
	out := make([]facts.ResourceGroup, 0, len(res.Resources))
	for _, g := range res.Resources {
		out = append(out, facts.ResourceGroup{ID: str(g.ID), Name: str(g.Name), Default: g.Default != nil && *g.Default})
	}
	return out, nil
}

// readError turns an SDK error into a ReadError. IKS puts its message in
// "description", which go-sdk-core never surfaces in err.Error(), so the
// decoded body is read directly.
func readError(op string, resp *core.DetailedResponse, err error) *facts.ReadError {
	re := &facts.ReadError{Op: op, Message: err.Error(), Err: err}
	if resp == nil {
		return re
	}
	re.Status = resp.StatusCode
	if body, ok := resp.Result.(map[string]any); ok {
		for _, k := range []string{"code", "errorCode"} {
			if v, ok := body[k].(string); ok && re.Code == "" {
				re.Code = v
			}
		}
		for _, k := range []string{"description", "errorMessage", "error", "message"} {
			if v, ok := body[k].(string); ok && v != "" {
				re.Message = v
				break
			}
		}
		if v, ok := body["incidentID"].(string); ok {
			re.Incident = v
		}
	}
	return re
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
