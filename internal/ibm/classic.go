package ibm

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
	"github.com/softlayer/softlayer-go/sl"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// pageSize of SoftLayer list calls: large pages keep the number of calls
// (and the rate-limit budget) low; SoftLayer allows up to a few hundred.
const pageSize = 100

// classic is one classic infrastructure account ks-doctor can read.
type classic struct {
	account string
	sess    *session.Session
}

// linked is the infrastructure account linked to the session's IBM Cloud
// account: SoftLayer accepts the IAM token itself and reads the account
// named in its account.ims claim.
func (c *Client) linked(ims string) *classic {
	if ims == "" {
		return nil
	}
	tok, err := c.auth.token()
	if err != nil {
		return nil
	}
	return &classic{account: ims, sess: c.slSession(tok)}
}

// reachable lists the infrastructure accounts this run can read, the linked
// one first.
func (c *Client) reachable(linkedIMS string) []*classic {
	var out []*classic
	if l := c.linked(linkedIMS); l != nil {
		out = append(out, l)
	}
	return out
}

// Devices finds the cluster's classic workers in the infrastructure account
// the current credentials use (manual credentials, else the linked
// account) and looks the missing ones up in every other account it can
// read. One filtered, paged call per account and device type: never one
// call per worker.
func (c *Client) Devices(ctx context.Context, cl facts.Cluster, workers []facts.Worker, creds facts.Credentials, linkedIMS string) (facts.Devices, error) {
	d := facts.Devices{Found: map[string]facts.Device{}, Elsewhere: map[string]facts.Device{}}
	if isVPC(cl) {
		return d, nil
	}
	d.Account = linkedIMS
	if creds.Set {
		d.Account = creds.InfraAccount()
	}
	var want []facts.Worker
	for _, w := range workers {
		if !w.Deleted {
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		return d, nil
	}
	searched := false
	for _, a := range c.reachable(linkedIMS) {
		found, err := a.devices(ctx, want)
		if err != nil {
			if a.account == d.Account {
				d.Unreadable = err
			}
			continue
		}
		for id, dev := range found {
			if a.account == d.Account {
				d.Found[id] = dev
			} else {
				d.Elsewhere[id] = dev
			}
		}
		searched = searched || a.account == d.Account
	}
	if !searched && d.Unreadable == nil {
		d.Unreadable = &facts.ReadError{Op: "softlayer: SoftLayer_Account/getVirtualGuests",
			Message: fmt.Sprintf("infrastructure account %s cannot be read with this session (its API key is not readable); run 'ibmcloud ks-doctor orphan' with credentials for it", orUnknown(d.Account))}
	}
	return d, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// devices returns the workers found in this account, by worker id. Classic
// device hostnames are the worker ids (ibm-apis.md §12).
func (a *classic) devices(ctx context.Context, workers []facts.Worker) (map[string]facts.Device, error) {
	var names, metal []any
	for _, w := range workers {
		if w.BareMetal() {
			metal = append(metal, w.ID)
		} else {
			names = append(names, w.ID)
		}
	}
	out := map[string]facts.Device{}
	s := *a.sess
	s.Context = ctx
	svc := services.GetAccountService(&s)
	if len(names) > 0 {
		f := filter.Build(filter.Path("virtualGuests.hostname").In(names...))
		for off := 0; ; off += pageSize {
			page, err := svc.Mask("id;hostname;primaryBackendIpAddress;accountId").Filter(f).Limit(pageSize).Offset(off).GetVirtualGuests()
			if err != nil {
				return nil, slError("softlayer: SoftLayer_Account/getVirtualGuests", err)
			}
			for _, g := range page {
				out[str(g.Hostname)] = facts.Device{ID: itoa(g.Id), Hostname: str(g.Hostname), PrivateIP: str(g.PrimaryBackendIpAddress), Account: a.account}
			}
			if len(page) < pageSize {
				break
			}
		}
	}
	if len(metal) > 0 {
		f := filter.Build(filter.Path("hardware.hostname").In(metal...))
		for off := 0; ; off += pageSize {
			page, err := svc.Mask("id;hostname;primaryBackendIpAddress;accountId").Filter(f).Limit(pageSize).Offset(off).GetHardware()
			if err != nil {
				return nil, slError("softlayer: SoftLayer_Account/getHardware", err)
			}
			for _, h := range page {
				out[str(h.Hostname)] = facts.Device{ID: itoa(h.Id), Hostname: str(h.Hostname), PrivateIP: str(h.PrimaryBackendIpAddress), BareMetal: true, Account: a.account}
			}
			if len(page) < pageSize {
				break
			}
		}
	}
	return out, nil
}

// VLANs lists the VLANs of the infrastructure account the current
// credentials use, when this run can read it.
func (c *Client) VLANs(ctx context.Context, creds facts.Credentials, linkedIMS string) ([]facts.VLAN, error) {
	want := linkedIMS
	if creds.Set {
		want = creds.InfraAccount()
	}
	for _, a := range c.reachable(linkedIMS) {
		if a.account != want {
			continue
		}
		s := *a.sess
		s.Context = ctx
		svc := services.GetAccountService(&s)
		var out []facts.VLAN
		for off := 0; ; off += pageSize {
			page, err := svc.Mask("id;vlanNumber;primaryRouter.datacenter.name").Limit(pageSize).Offset(off).GetNetworkVlans()
			if err != nil {
				return nil, slError("softlayer: SoftLayer_Account/getNetworkVlans", err)
			}
			for _, v := range page {
				out = append(out, facts.VLAN{ID: itoa(v.Id), Number: itoa(v.VlanNumber), Zone: datacenter(v)})
			}
			if len(page) < pageSize {
				return out, nil
			}
		}
	}
	return nil, &facts.ReadError{Op: "softlayer: SoftLayer_Account/getNetworkVlans",
		Message: fmt.Sprintf("infrastructure account %s cannot be read with this session", orUnknown(want))}
}

func datacenter(v datatypes.Network_Vlan) string {
	if r := v.PrimaryRouter; r != nil && r.Datacenter != nil {
		return str(r.Datacenter.Name)
	}
	return ""
}

// slError keeps SoftLayer's exception code and HTTP status.
func slError(op string, err error) *facts.ReadError {
	re := &facts.ReadError{Op: op, Message: err.Error(), Err: err}
	var se sl.Error
	if errors.As(err, &se) {
		re.Status, re.Code, re.Message = se.StatusCode, se.Exception, se.Message
	}
	return re
}

func itoa(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}
