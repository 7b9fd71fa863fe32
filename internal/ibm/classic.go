package ibm

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

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
// named in its account.ims claim. The token is set on each request, so a
// refreshed one is used (see slSession).
func (c *Client) linked(ims string) *classic {
	if ims == "" {
		return nil
	}
	return &classic{account: ims, sess: c.slSession(sessionToken)}
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

// Devices lists the cluster's classic devices — hostnames holding the
// cluster's ID, which every worker ID carries (kube-<clusterID>-… and the
// older kube-<zone>-cr<clusterID>-w<n>, ibm-apis.md §12) — in every
// infrastructure account this session can read, with what this caller may
// see of each account. It needs nothing but the cluster, so it runs beside
// the worker listing; which account the credentials use is decided when
// judging. One filtered, ordered, paged call per account and device type:
// never one call per worker.
func (c *Client) Devices(ctx context.Context, cl facts.Cluster, linkedIMS string) (facts.Devices, error) {
	d := facts.Devices{Accounts: map[string]facts.Searched{}}
	if cl.Infrastructure() != facts.InfraClassic || cl.ID == "" {
		return d, nil // VPC and Satellite workers have no classic device
	}
	for _, a := range c.reachable(linkedIMS) {
		d.Accounts[a.account] = a.search(ctx, pageSize, func(kind string) filter.Filter { return filter.Path(kind + ".hostname").Contains(cl.ID) })
	}
	return d, nil
}

// search lists the matching devices of the account and what this caller may
// see of it.
func (a *classic) search(ctx context.Context, limit int, match func(kind string) filter.Filter) facts.Searched {
	var s facts.Searched
	var guests, metal map[string]facts.Device
	var gerr, merr error
	// Three independent reads, side by side: one round trip, not three.
	var wg sync.WaitGroup
	wg.Go(func() { guests, gerr = a.list(ctx, "virtualGuests", limit, match) })
	wg.Go(func() { metal, merr = a.list(ctx, "hardware", limit, match) })
	wg.Go(func() { s.Complete, s.Visibility = a.visibility(ctx) })
	wg.Wait()
	if err := errors.Join(gerr, merr); err != nil {
		return facts.Searched{Err: err}
	}
	s.ByHost = guests
	maps.Copy(s.ByHost, metal)
	return s
}

// list reads the virtual guests or the hardware that match, every page.
// The pages are ordered by id: without an orderBy SoftLayer's order "might
// be inconsistent between different API calls" (SLDN,
// using-result-limits-softlayer-api), and pages would skip or repeat
// devices. A 404 for the listing is SoftLayer refusing an object this
// caller may not see (SLDN, permission-enforcement-softlayer-api): the
// account cannot be searched, which is an error, never "no devices".
func (a *classic) list(ctx context.Context, kind string, limit int, match func(kind string) filter.Filter) (map[string]facts.Device, error) {
	s := a.session(ctx)
	svc := services.GetAccountService(&s)
	out := map[string]facts.Device{}
	f := filter.Build(match(kind), filter.Path(kind+".id").OrderBy("ASC"))
	op := "softlayer: SoftLayer_Account/getVirtualGuests"
	if kind == "hardware" {
		op = "softlayer: SoftLayer_Account/getHardware"
	}
	for off := 0; ; off += limit {
		if off/limit >= maxPages {
			return out, errTooManyPages(op)
		}
		q := svc.Mask("id;hostname").Filter(f).Limit(limit).Offset(off)
		var n int
		var err error
		if kind == "virtualGuests" {
			var page []datatypes.Virtual_Guest
			page, err = q.GetVirtualGuests()
			if err == nil && slices.ContainsFunc(page, func(g datatypes.Virtual_Guest) bool { return g.Id == nil }) {
				err = errEmptyDevice
			}
			for _, g := range page {
				out[str(g.Hostname)] = facts.Device{ID: itoa(g.Id), Hostname: str(g.Hostname), Account: a.account}
			}
			n = len(page)
		} else {
			var page []datatypes.Hardware
			page, err = q.GetHardware()
			if err == nil && slices.ContainsFunc(page, func(h datatypes.Hardware) bool { return h.Id == nil }) {
				err = errEmptyDevice
			}
			for _, h := range page {
				out[str(h.Hostname)] = facts.Device{ID: itoa(h.Id), Hostname: str(h.Hostname), BareMetal: true, Account: a.account}
			}
			n = len(page)
		}
		if err != nil {
			return out, slError(op, err)
		}
		if n < limit {
			return out, nil
		}
	}
}

// errEmptyDevice: softlayer-go decodes a body of null or {} into a list of
// one empty object, without an error (sim TestFaultNullAndEmptyObject); a
// device always has an id, so such a page is a failed read, never a device
// list to conclude from.
var errEmptyDevice = errors.New("the listing holds a device without an id: the answer was empty or malformed")

// session is a copy of the account's SoftLayer session for one call
// sequence: softlayer-go writes its http.Client's Timeout on every request,
// so calls that run side by side each need their own client (sharing the
// transport and its connections).
func (a *classic) session(ctx context.Context) session.Session {
	s := *a.sess
	s.Context = ctx
	if s.HTTPClient != nil {
		hc := *s.HTTPClient
		s.HTTPClient = &hc
	}
	return s
}

// Device permissions that let a classic user see every device of the
// account; the master user sees everything (SLDN,
// permission-enforcement-softlayer-api).
const (
	accessAllGuests   = "ACCESS_ALL_GUEST"
	accessAllHardware = "ACCESS_ALL_HARDWARE"
)

// visibility says whether this session's classic user sees every device of
// the account; if not, which of the permissions that would let it are
// missing ("?" when the user's permissions could not be read).
func (a *classic) visibility(ctx context.Context) (complete bool, missing string) {
	s := a.session(ctx)
	u, err := services.GetAccountService(&s).Mask("id;isMasterUserFlag;permissions.keyName").GetCurrentUser()
	if err != nil {
		return false, "?"
	}
	if u.IsMasterUserFlag != nil && *u.IsMasterUserFlag {
		return true, ""
	}
	have := map[string]bool{}
	for _, p := range u.Permissions {
		have[str(p.KeyName)] = true
	}
	var lack []string
	for _, p := range []string{accessAllGuests, accessAllHardware} {
		if !have[p] {
			lack = append(lack, p)
		}
	}
	return len(lack) == 0, strings.Join(lack, ", ")
}

// VLANs lists the VLANs of every infrastructure account this session can
// read; which one the credentials use is decided when judging, so this read
// waits for nothing.
func (c *Client) VLANs(ctx context.Context, linkedIMS string) (facts.VLANs, error) {
	out := facts.VLANs{Accounts: map[string][]facts.VLAN{}, Errs: map[string]error{}}
	for _, a := range c.reachable(linkedIMS) {
		vl, err := a.vlans(ctx)
		if err != nil {
			out.Errs[a.account] = err
			continue
		}
		out.Accounts[a.account] = vl
	}
	return out, nil
}

func (a *classic) vlans(ctx context.Context) ([]facts.VLAN, error) {
	const op = "softlayer: SoftLayer_Account/getNetworkVlans"
	s := a.session(ctx)
	svc := services.GetAccountService(&s)
	f := filter.Build(filter.Path("networkVlans.id").OrderBy("ASC"))
	var out []facts.VLAN
	for off := 0; off/pageSize < maxPages; off += pageSize {
		page, err := svc.Mask("id;vlanNumber;primaryRouter.datacenter.name").Filter(f).Limit(pageSize).Offset(off).GetNetworkVlans()
		if err != nil {
			return nil, slError(op, err)
		}
		for _, v := range page {
			if v.Id == nil {
				return nil, slError(op, errEmptyDevice)
			}
			out = append(out, facts.VLAN{ID: itoa(v.Id), Number: itoa(v.VlanNumber), Zone: datacenter(v)})
		}
		if len(page) < pageSize {
			return out, nil
		}
	}
	return nil, errTooManyPages(op)
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
