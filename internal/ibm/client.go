package ibm

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"
	"github.com/IBM/platform-services-go-sdk/resourcemanagerv2"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Options tune the clients.
type Options struct {
	CallTimeout time.Duration // one HTTP call, retries included
	Retries     int           // on 429 and 5xx, honouring Retry-After (go-sdk-core)
	Trace       bool          // IBMCLOUD_TRACE is set: dump every request, redacted
}

// Client reads IBM Cloud for one run. It implements facts.Source.
type Client struct {
	iks *kubernetesserviceapiv1.KubernetesServiceApiV1
	rm  *resourcemanagerv2.ResourceManagerV2
}

var _ facts.Source = (*Client)(nil)

// New builds the SDK clients over one HTTP stack: trace (redacted by the CLI
// SDK) → 401 refresh → go-sdk-core's retries.
func New(tokens TokenSource, ep Endpoints, o Options) (*Client, error) {
	if o.CallTimeout == 0 {
		o.CallTimeout = 30 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	auth := &sessionAuth{src: tokens}
	var rt http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if o.Trace {
		rt = tracing(rt)
	}
	rt = &retry401{next: rt, auth: auth}
	hc := &http.Client{Transport: rt, Timeout: o.CallTimeout}

	iks, err := kubernetesserviceapiv1.NewKubernetesServiceApiV1(&kubernetesserviceapiv1.KubernetesServiceApiV1Options{
		URL: ep.IKS, Authenticator: auth})
	if err != nil {
		return nil, err
	}
	rm, err := resourcemanagerv2.NewResourceManagerV2(&resourcemanagerv2.ResourceManagerV2Options{
		URL: ep.ResourceManager, Authenticator: auth})
	if err != nil {
		return nil, err
	}
	for _, s := range []*core.BaseService{iks.Service, rm.Service} {
		s.SetHTTPClient(hc)
		s.EnableRetries(o.Retries, 10*time.Second)
	}
	return &Client{iks: iks, rm: rm}, nil
}

// Cluster finds a cluster by name or id in any resource group of the account:
// the session checks must find it even when the wrong group is targeted, so
// no X-Auth-Resource-Group header is sent.
func (c *Client) Cluster(ctx context.Context, query string) (facts.Cluster, error) {
	res, resp, err := c.iks.GetClusterWithContext(ctx, c.iks.NewGetClusterOptions(query))
	if err != nil {
		rerr := readError("ibmcloud ks cluster get", resp, err)
		if rerr.Status == http.StatusNotFound {
			return facts.Cluster{}, errors.Join(facts.ErrClusterNotFound, rerr)
		}
		return facts.Cluster{}, rerr
	}
	cl := facts.Cluster{
		ID: str(res.ID), Name: str(res.Name), Provider: str(res.Provider), Region: str(res.Region),
		Location: str(res.Location), ResourceGroupID: str(res.ResourceGroup),
		ResourceGroupName: str(res.ResourceGroupName), State: str(res.State), Status: str(res.Status),
		CreatedDate: str(res.CreatedDate),
	}
	if l := res.Lifecycle; l != nil {
		cl.MasterState, cl.MasterStatus, cl.MasterHealth = str(l.MasterState), str(l.MasterStatus), str(l.MasterHealth)
	}
	return cl, nil
}

// ResourceGroups lists the account's resource groups.
func (c *Client) ResourceGroups(ctx context.Context, accountID string) ([]facts.ResourceGroup, error) {
	opts := c.rm.NewListResourceGroupsOptions()
	if accountID != "" {
		opts.SetAccountID(accountID)
	}
	res, resp, err := c.rm.ListResourceGroupsWithContext(ctx, opts)
	if err != nil {
		return nil, readError("ibmcloud resource groups", resp, err)
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
