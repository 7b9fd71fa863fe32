package diag

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const (
	DocOrphaned  = "https://cloud.ibm.com/docs/containers?topic=containers-cluster_infra_errors#orphaned"
	DocSuspended = "https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes#suspended"
)

var infraOrphan = Check{
	ID: "infra.orphan", Category: "infrastructure", Seed: "000/001",
	Needs: []facts.Key{facts.KeyDevices, facts.KeyWorkers, facts.KeyCredentials},
	// The linked account comes from the session token (account.ims).
	Reads: []string{"ibmcloud ks worker ls", "ibmcloud ks credential get", "softlayer: SoftLayer_Account/getVirtualGuests, getHardware"},
	Doc:   DocOrphaned, Scope: ClusterScope,
	Judge: judgeOrphan,
}

// Seed 000 §orphaned: look each worker up in the device list of the
// infrastructure account the current credentials use; what is not there
// lives in another account, and the cluster is orphaned.
func judgeOrphan(s *facts.Set) []Finding {
	c := s.Cluster.Value
	if isVPC(c) {
		return []Finding{{Status: Skipped, Key: "check.classic-only"}}
	}
	if s.Devices.Err != nil {
		return []Finding{unknownRead(s.Devices.Err)}
	}
	d := s.Devices.Value
	var live []facts.Worker
	for _, w := range s.Workers.Value {
		if !w.Deleted {
			live = append(live, w)
		}
	}
	p := map[string]string{"cluster": c.Name, "region": c.Region, "group": c.ResourceGroupName, "account": d.Account,
		"total": itoa(len(live))}
	if len(live) == 0 {
		return []Finding{{Status: Info, Key: "infra.orphan.no-workers", Params: p, Actor: User,
			Fix: []string{"ibmcloud ks worker-pool ls --cluster " + c.Name}}}
	}
	elsewhere := map[string][]string{} // account -> workers
	var unreachable []string
	for _, w := range live {
		if _, ok := d.Found[w.ID]; ok {
			continue
		}
		if dev, ok := d.Elsewhere[w.ID]; ok {
			elsewhere[dev.Account] = append(elsewhere[dev.Account], w.ID)
		} else {
			unreachable = append(unreachable, w.ID)
		}
	}
	p["found"] = itoa(len(live) - len(unreachable) - count(elsewhere))
	if len(elsewhere) == 0 && len(unreachable) == 0 {
		return []Finding{{Status: OK, Key: "infra.orphan.ok", Params: p}}
	}

	// When the account the credentials use could not be searched, workers
	// found nowhere else may well be in it: that is unknown, not orphaned.
	// Workers found in another account are still not in it (a device lives
	// in exactly one account), so those findings stand.
	unsearched := 0
	if d.Unreadable != nil {
		unsearched, unreachable = len(unreachable), nil
	}
	target := "ibmcloud target -r " + c.Region + " -g " + c.ResourceGroupName
	var out []Finding
	accounts := make([]string, 0, len(elsewhere))
	for a := range elsewhere {
		accounts = append(accounts, a)
	}
	sort.Strings(accounts)
	for _, a := range accounts {
		fp := merge(p, map[string]string{"otherAccount": a, "workers": strings.Join(elsewhere[a], ", "), "missing": itoa(len(elsewhere[a]))})
		fix := []string{target}
		if a == s.Session.IMSAccountID {
			// The workers are in the linked account: go back to it.
			fix = append(fix, "ibmcloud ks credential unset --region "+c.Region)
		} else {
			fix = append(fix, "ibmcloud ks credential set classic --infrastructure-username <username_in_account_"+a+"> --infrastructure-api-key <infrastructure_API_key> --region "+c.Region)
		}
		fix = append(fix, "ibmcloud ks-doctor orphan -r "+c.Region)
		key := "infra.orphan.elsewhere"
		if len(accounts) > 1 || len(elsewhere[a]) < len(live) {
			key = "infra.orphan.mixed"
		}
		out = append(out, Finding{Status: Fail, Key: key, Params: fp, Actor: AccountOwner, Fix: fix, Subject: strings.Join(elsewhere[a], ", ")})
	}
	if unsearched > 0 {
		out = append(out, unknownRead(d.Unreadable))
	}
	if len(unreachable) > 0 {
		fp := merge(p, map[string]string{"workers": strings.Join(unreachable, ", "), "missing": itoa(len(unreachable))})
		out = append(out, Finding{Status: Fail, Key: "infra.orphan.unreachable", Params: fp, Actor: AccountOwner,
			Subject: strings.Join(unreachable, ", "),
			Fix:     []string{target, "ibmcloud ks credential get --region " + c.Region, "ibmcloud ks-doctor orphan -r " + c.Region}})
	}
	return out
}

var infraVLAN = Check{
	ID: "infra.vlan", Category: "infrastructure", Seed: "001",
	Needs: []facts.Key{facts.KeyPools, facts.KeyVLANs},
	Reads: []string{"ibmcloud ks worker-pool ls", "softlayer: SoftLayer_Account/getNetworkVlans"},
	Doc:   DocSuspended, Scope: ClusterScope,
	Judge: judgeVLAN,
}

// Seed 001 §suspended and "Could not obtain network VLAN with ID": a worker
// pool zone that names a VLAN the infrastructure account no longer has (the
// VLANs were reclaimed while the cluster had no workers), or a VLAN number
// (3–4 digits) where IKS needs the VLAN ID (7 digits).
func judgeVLAN(s *facts.Set) []Finding {
	c := s.Cluster.Value
	if isVPC(c) {
		return []Finding{{Status: Skipped, Key: "check.classic-only"}}
	}
	if s.Pools.Err != nil {
		return []Finding{unknownRead(s.Pools.Err)}
	}
	if s.VLANs.Err != nil {
		return []Finding{unknownRead(s.VLANs.Err)}
	}
	have := map[string]bool{}
	for _, v := range s.VLANs.Value {
		have[v.ID] = true
	}
	var out []Finding
	for _, pool := range s.Pools.Value {
		for _, z := range pool.Zones {
			for _, v := range []string{z.PrivateVLAN, z.PublicVLAN} {
				if v == "" || have[v] {
					continue
				}
				p := map[string]string{"cluster": c.Name, "pool": pool.Name, "zone": z.Zone, "vlan": v}
				if len(v) <= 4 {
					out = append(out, Finding{Status: Fail, Key: "infra.vlan.number", Params: p, Actor: User, Subject: pool.Name + "/" + z.Zone,
						Fix: []string{"ibmcloud ks vlan ls --zone " + z.Zone,
							"ibmcloud ks zone network-set --zone " + z.Zone + " --cluster " + c.Name + " --worker-pool " + pool.Name + " --private-vlan <private_VLAN_ID> --public-vlan <public_VLAN_ID>"}})
					continue
				}
				out = append(out, Finding{Status: Fail, Key: "infra.vlan.missing", Params: p, Actor: AccountOwner, Subject: pool.Name + "/" + z.Zone,
					Fix: []string{"ibmcloud ks vlan ls --zone " + z.Zone,
						"ibmcloud ks zone network-set --zone " + z.Zone + " --cluster " + c.Name + " --worker-pool " + pool.Name + " --private-vlan <private_VLAN_ID> --public-vlan <public_VLAN_ID>",
						"ibmcloud ks worker-pool resize --cluster " + c.Name + " --worker-pool " + pool.Name + " --size-per-zone <number_of_workers_per_zone>"}})
			}
		}
	}
	if len(out) == 0 {
		return []Finding{{Status: OK, Key: "infra.vlan.ok", Params: map[string]string{"pools": itoa(len(s.Pools.Value))}}}
	}
	return out
}

func count(m map[string][]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }
