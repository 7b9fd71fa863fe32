package ibm

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"
	"github.com/IBM/go-sdk-core/v5/core"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Workers lists the cluster's workers, deleted ones included (the duplicate
// IP check needs them). Classic clusters are read through v1, which carries
// the private and public IPs and VLANs; VPC clusters through v2, which
// carries the network interfaces.
func (c *Client) Workers(ctx context.Context, cl facts.Cluster) ([]facts.Worker, error) {
	if isVPC(cl) {
		opts := c.iks.NewGetWorkers1Options(cl.ID)
		opts.SetShowDeleted("true")
		opts.XAuthResourceGroup = core.StringPtr(cl.ResourceGroupID)
		res, resp, err := c.iks.GetWorkers1WithContext(ctx, opts)
		if err != nil {
			return nil, readError("ibmcloud ks worker ls", resp, err)
		}
		out := make([]facts.Worker, 0, len(res))
		for _, w := range res {
			out = append(out, v2Worker(w))
		}
		return out, nil
	}
	return c.classicWorkers(ctx, cl, true)
}

// classicWorkers is `ibmcloud ks worker ls` of a classic cluster through v1;
// deleted workers only when asked for (the orphan walk has no use for them).
func (c *Client) classicWorkers(ctx context.Context, cl facts.Cluster, showDeleted bool) ([]facts.Worker, error) {
	opts := c.iks.NewGetClusterWorkersOptions(cl.ID)
	if showDeleted {
		opts.ShowDeleted = core.StringPtr("true")
	}
	opts.XAuthResourceGroup = core.StringPtr(cl.ResourceGroupID)
	res, resp, err := c.iks.GetClusterWorkersWithContext(ctx, opts)
	if err != nil {
		return nil, readError("ibmcloud ks worker ls", resp, err)
	}
	out := make([]facts.Worker, 0, len(res))
	for _, w := range res {
		fw := facts.Worker{ID: str(w.ID), State: str(w.State), Status: str(w.Status), Message: str(w.ErrorMessage),
			PrivateIP: str(w.PrivateIP), PublicIP: str(w.PublicIP), Zone: str(w.Location), Pool: str(w.PoolName),
			Flavor: str(w.MachineType), PrivateVLAN: str(w.PrivateVlan), PublicVLAN: str(w.PublicVlan)}
		fw.StatusSince = latest(str(w.StatusDate), str(w.ErrorMessageDate))
		fw.Deleted = strings.EqualFold(fw.State, "deleted")
		fw.Version, fw.Target = str(w.KubeVersion), str(w.TargetVersion)
		if fw.Deleted && !showDeleted {
			continue
		}
		out = append(out, fw)
	}
	return out, nil
}

func v2Worker(w kubernetesserviceapiv1.GetWorkerResponse) facts.Worker {
	fw := facts.Worker{ID: str(w.ID), Zone: str(w.Location), Pool: str(w.PoolName), Flavor: str(w.Flavor)}
	actual := ""
	if l := w.Lifecycle; l != nil {
		actual = str(l.ActualState)
		fw.Message = str(l.Message)
		fw.StatusSince = latest(str(l.MessageDate))
	}
	if h := w.Health; h != nil {
		fw.State, fw.Status = str(h.State), str(h.Message)
	}
	// v2 splits the v1 state in two: a lifecycle state while the worker is
	// being built or torn down, a health state once it is deployed.
	if actual != "" && actual != "deployed" {
		fw.State = actual
	}
	fw.Deleted = actual == "deleted"
	fw.Version, fw.Target = v2Versions(w.KubeVersion)
	for _, n := range w.NetworkInterfaces {
		if n.Primary == nil || *n.Primary || fw.PrivateIP == "" {
			fw.PrivateIP, fw.SubnetID = str(n.IpAddress), str(n.SubnetID)
		}
	}
	return fw
}

// latest parses IKS dates ("2026-07-01T10:02:11+0000", or RFC 3339) and
// returns the latest one; the zero time when none parses. Dates are parsed
// here, where they are read, so that checks only compare times.
func latest(dates ...string) time.Time {
	var t time.Time
	for _, d := range dates {
		for _, layout := range []string{"2006-01-02T15:04:05-0700", time.RFC3339} {
			if v, err := time.Parse(layout, d); err == nil {
				if v.After(t) {
					t = v
				}
				break
			}
		}
	}
	return t
}

// Pools lists a classic cluster's worker pools with their zones' VLANs. The
// body is decoded here rather than by the SDK, which reads "privateVLAN"
// while the service has been seen sending "privateVlan": both are accepted.
func (c *Client) Pools(ctx context.Context, cl facts.Cluster) ([]facts.Pool, error) {
	if cl.Infrastructure() != facts.InfraClassic {
		return nil, nil // VPC pools have subnets, Satellite pools hosts: no VLANs to judge
	}
	b := core.NewRequestBuilder(core.GET).WithContext(ctx)
	b.EnableGzipCompression = c.iks.GetEnableGzipCompression()
	if _, err := b.ResolveRequestURL(c.iks.Service.GetServiceURL(), "/v1/clusters/{idOrName}/workerpools",
		map[string]string{"idOrName": cl.ID}); err != nil {
		return nil, err
	}
	b.AddHeader("Accept", "application/json")
	b.AddHeader("X-Auth-Resource-Group", cl.ResourceGroupID)
	req, err := b.Build()
	if err != nil {
		return nil, err
	}
	var raw []map[string]json.RawMessage
	resp, err := c.iks.Service.Request(req, &raw)
	if err != nil {
		return nil, readError("ibmcloud ks worker-pool ls", resp, err)
	}
	out := make([]facts.Pool, 0, len(raw))
	for _, p := range raw {
		pool := facts.Pool{ID: jsonStr(p["id"]), Name: jsonStr(p["name"])}
		var zones []map[string]json.RawMessage
		_ = json.Unmarshal(p["zones"], &zones)
		for _, z := range zones {
			pool.Zones = append(pool.Zones, facts.PoolZone{Zone: jsonStr(z["id"]),
				PrivateVLAN: firstOf(jsonStr(z["privateVlan"]), jsonStr(z["privateVLAN"])),
				PublicVLAN:  firstOf(jsonStr(z["publicVlan"]), jsonStr(z["publicVLAN"]))})
		}
		out = append(out, pool)
	}
	return out, nil
}

// APIKeyOwner is `ibmcloud ks api-key info --cluster`.
func (c *Client) APIKeyOwner(ctx context.Context, cl facts.Cluster) (facts.Owner, error) {
	opts := c.iks.NewGetClusterKeyOwnerOptions(cl.ID)
	opts.XAuthResourceGroupID = core.StringPtr(cl.ResourceGroupID)
	res, resp, err := c.iks.GetClusterKeyOwnerWithContext(ctx, opts)
	if err != nil {
		return facts.Owner{}, readError("ibmcloud ks api-key info", resp, err)
	}
	if res == nil || str(res.ID) == "" && str(res.Email) == "" {
		return facts.Owner{}, errNoBody("ibmcloud ks api-key info")
	}
	return facts.Owner{IAMID: str(res.ID), Name: str(res.Name), Email: str(res.Email)}, nil
}

// Credentials is `ibmcloud ks credential get --region` for a resource group.
// The SDK has no resource-group option, so the header the CLI sends is set
// by hand; E0051 means none are set, which is an answer, not an error.
func (c *Client) Credentials(ctx context.Context, region, groupID string) (facts.Credentials, error) {
	opts := c.iks.NewGetUserCredentialsOptions(region)
	if groupID != "" {
		opts.Headers = map[string]string{"X-Auth-Resource-Group": groupID}
	}
	res, resp, err := c.iks.GetUserCredentialsWithContext(ctx, opts)
	cr := facts.Credentials{Region: region, ResourceGroup: groupID}
	if err != nil {
		re := readError("ibmcloud ks credential get", resp, err)
		if re.Code == "E0051" {
			return cr, nil
		}
		return cr, re
	}
	if res == nil {
		return cr, errNoBody("ibmcloud ks credential get")
	}
	cr.APIUser = str(res.ApiUser)
	cr.Set = cr.APIUser != ""
	return cr, nil
}

// InfraPermissions is `ibmcloud ks infra-permissions get --region`.
func (c *Client) InfraPermissions(ctx context.Context, region, groupID string) (facts.InfraPermissions, error) {
	opts := c.iks.NewGetInfraPermissionsOptions(region)
	if groupID != "" {
		opts.XAuthResourceGroup = core.StringPtr(groupID)
	}
	res, resp, err := c.iks.GetInfraPermissionsWithContext(ctx, opts)
	if err := failed("ibmcloud ks infra-permissions get", resp, err, res == nil); err != nil {
		return facts.InfraPermissions{}, err
	}
	ip := facts.InfraPermissions{Account: str(res.Account), AccountType: str(res.AccountType)}
	for _, cat := range []struct {
		name string
		p    *kubernetesserviceapiv1.Permissions
	}{
		{"virtual-worker", res.VirtualWorkerManagerPermissions}, {"physical-worker", res.PhysicalWorkerManagerPermissions},
		{"network", res.NetworkManagerPermissions}, {"storage", res.StorageManagerPermissions},
	} {
		if cat.p == nil {
			continue
		}
		for _, lvl := range []struct {
			required bool
			a        *kubernetesserviceapiv1.PermissionsAnalysis
		}{{true, cat.p.Required}, {false, cat.p.Recommended}} {
			if lvl.a != nil && len(lvl.a.MissingPermissions) > 0 {
				ip.Missing = append(ip.Missing, facts.MissingPermissions{Category: cat.name, Required: lvl.required, Permissions: lvl.a.MissingPermissions})
			}
		}
	}
	return ip, nil
}

func isVPC(c facts.Cluster) bool { return c.Infrastructure() == facts.InfraVPC }

func jsonStr(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
