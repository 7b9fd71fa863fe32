package facts

import (
	"sort"
	"strings"
)

// Device is a classic infrastructure server that backs a worker.
type Device struct {
	ID        string
	Hostname  string
	BareMetal bool
	Account   string // infrastructure account id
}

// Devices are the classic devices found, by infrastructure account: for
// `check`, the cluster's (hostnames holding its ID); for `orphan`, every
// worker device ("kube-…") of every account this session can read. A device
// lives in exactly one account.
type Devices struct {
	Accounts map[string]Searched
}

// Searched is what one infrastructure account showed this session.
type Searched struct {
	ByHost map[string]Device // by hostname, which is the worker id
	// Err is why the account could not be searched; nil when it was.
	Err error
	// Complete is set when the listing holds every device of the account
	// for this caller (the master user, or a user with ACCESS_ALL_GUEST and
	// ACCESS_ALL_HARDWARE): only then is "not found" evidence. Visibility
	// names the permissions this caller lacks for it ("?" when they could
	// not be read).
	Complete   bool
	Visibility string
}

// Find is the device of a worker in whichever account holds it.
func (d Devices) Find(workerID string) (Device, bool) {
	for _, a := range d.Accounts {
		if dev, ok := a.ByHost[workerID]; ok {
			return dev, true
		}
	}
	return Device{}, false
}

// ByCluster groups the device hostnames of every account by the cluster ID
// each carries (ClusterOfWorker); hostnames that carry none are left out.
func (d Devices) ByCluster() map[string][]string {
	out := map[string][]string{}
	for _, a := range d.Accounts {
		for h := range a.ByHost {
			if id := ClusterOfWorker(h); id != "" {
				out[id] = append(out[id], h)
			}
		}
	}
	for _, hs := range out {
		sort.Strings(hs)
	}
	return out
}

// ClusterOfWorker is the cluster ID a classic worker ID carries:
// kube-<clusterID>-<name>-<pool>-<n>, or the older kube-<zone>-cr<clusterID>-w<n>
// (ibm-apis.md §12); "" for anything else.
func ClusterOfWorker(id string) string {
	rest, ok := strings.CutPrefix(id, "kube-")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "-")
	if len(parts) < 2 {
		return ""
	}
	if isZone(parts[0]) && strings.HasPrefix(parts[1], "cr") && len(parts[1]) > 2 {
		return parts[1][2:]
	}
	return parts[0]
}

// isZone: a classic zone name such as dal10 or tok02 (three letters, two
// digits); cluster IDs are 20 or 32 characters.
func isZone(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z'
		digit := r >= '0' && r <= '9'
		if i < 3 && !letter || i >= 3 && !digit {
			return false
		}
	}
	return true
}

// Searchable says whether account was searched with a complete listing, and
// if not, why: the permissions the caller lacks, or the error.
func (d Devices) Searchable(account string) (complete bool, visibility string, err error) {
	a, ok := d.Accounts[account]
	switch {
	case !ok:
		return false, "", &UnreachableAccountError{Op: "softlayer: SoftLayer_Account/getVirtualGuests", Account: account}
	case a.Err != nil:
		return false, "", a.Err
	}
	return a.Complete, a.Visibility, nil
}

// VLAN is a classic VLAN that exists in the infrastructure account.
type VLAN struct {
	ID     string // 7 digits: what IKS stores
	Number string // 3–4 digits: what people see in the console
	Zone   string
}

// VLANs are the VLANs of each classic infrastructure account this session
// can read, and why the others could not be.
type VLANs struct {
	Accounts map[string][]VLAN
	Errs     map[string]error
}

// devicesComplete: the device search is evidence only when the account the
// credentials use was searched with a complete listing.
func devicesComplete(s *Set) bool {
	if s.Devices.Err != nil || s.Credentials.Err != nil {
		return false
	}
	complete, _, err := s.Devices.Value.Searchable(s.Credentials.Value.Account(s.Session.IMSAccountID))
	return complete && err == nil
}
