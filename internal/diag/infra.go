package diag

import (
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
	Doc:   DocOrphaned, Scope: ClusterScope, Infra: []string{facts.InfraClassic},
	Judge: judgeOrphan,
}

// Seed 000 §orphaned: look each worker up in the device list of the
// infrastructure account the current credentials use; a worker found in
// another account makes the cluster orphaned. A worker found nowhere is
// evidence only when it should have a device by now and the listing of the
// credentials' account is complete for this caller (devices.go).
func judgeOrphan(s *facts.Set) []Finding {
	c := s.Cluster.Value
	for _, err := range []error{s.Devices.Err, s.Workers.Err, s.Credentials.Err} {
		if err != nil {
			return []Finding{unknownRead(err)}
		}
	}
	d := s.Devices.Value
	account := s.Credentials.Value.Account(s.Session.IMSAccountID)
	sp := spreadOf(s.Workers.Value, account, d.Find)
	p := map[string]string{"cluster": c.Name, "region": c.Region, "group": c.ResourceGroupName, "account": account,
		"total": itoa(sp.Live), "found": itoa(len(sp.Here)), "pending": itoa(len(sp.Pending))}
	if sp.Live == 0 {
		return []Finding{{Status: Info, Key: "infra.orphan.no-workers", Params: p, Actor: User,
			Fix: []string{cmd("ibmcloud", "ks", "worker-pool", "ls", "--cluster", c.Name)}}}
	}
	var out []Finding
	for _, a := range sp.accounts() {
		ws := sp.Elsewhere[a]
		fp := merge(p, map[string]string{"otherAccount": a, "workers": strings.Join(ws, ", "), "missing": itoa(len(ws))})
		key := "infra.orphan.elsewhere"
		if len(ws) < sp.Live-len(sp.Pending) {
			key = "infra.orphan.mixed"
		}
		// Which setting to change is the orphan plan's decision: it sees
		// every cluster of the region and resource group, and never
		// recommends what would orphan a cluster that works today.
		out = append(out, Finding{Status: Fail, Key: key, Params: fp, Actor: AccountOwner, Subject: strings.Join(ws, subjectSep),
			Fix: []string{targetCmd(c.Region, c.ResourceGroupName), cmd("ibmcloud", "ks-doctor", "orphan", "-r", c.Region, "-g", c.ResourceGroupName)}})
	}
	if len(sp.Missing) > 0 {
		fp := merge(p, map[string]string{"workers": strings.Join(sp.Missing, ", "), "missing": itoa(len(sp.Missing))})
		complete, visibility, err := d.Searchable(account)
		switch {
		case err != nil:
			// Not searched: the workers may well be in it.
			f := unknownRead(err)
			f.Subject = fp["workers"]
			out = append(out, f)
		case !complete:
			key := "infra.orphan.not-visible"
			if visibility == "?" {
				key = "infra.orphan.not-visible-unread"
			}
			fp["permissions"] = visibility
			out = append(out, Finding{Status: Unknown, Key: key, Params: fp, Subject: fp["workers"]})
		default:
			out = append(out, Finding{Status: Fail, Key: "infra.orphan.unreachable", Params: fp, Actor: AccountOwner,
				Subject: fp["workers"],
				Fix: []string{targetCmd(c.Region, c.ResourceGroupName), cmd("ibmcloud", "ks", "credential", "get", "--region", c.Region),
					cmd("ibmcloud", "ks-doctor", "orphan", "-r", c.Region, "-g", c.ResourceGroupName)}})
		}
	}
	if len(out) > 0 {
		return out
	}
	if len(sp.Pending) > 0 {
		return []Finding{{Status: OK, Key: "infra.orphan.ok-pending", Params: p}}
	}
	return []Finding{{Status: OK, Key: "infra.orphan.ok", Params: p}}
}

var infraVLAN = Check{
	ID: "infra.vlan", Category: "infrastructure", Seed: "001",
	Needs: []facts.Key{facts.KeyPools, facts.KeyVLANs, facts.KeyCredentials, facts.KeyWorkers, facts.KeyDevices},
	Reads: []string{"ibmcloud ks worker-pool ls", "softlayer: SoftLayer_Account/getNetworkVlans"},
	Doc:   DocSuspended, Scope: ClusterScope, Infra: []string{facts.InfraClassic},
	Judge: judgeVLAN,
}

// Seed 001 §suspended and "Could not obtain network VLAN with ID": a worker
// pool zone that names a VLAN the infrastructure account no longer has (the
// VLANs were reclaimed while the cluster had no workers), or a VLAN number
// (3–4 digits) where IKS needs the VLAN ID (7 digits).
func judgeVLAN(s *facts.Set) []Finding {
	c := s.Cluster.Value
	if s.Pools.Err != nil {
		return []Finding{unknownRead(s.Pools.Err)}
	}
	for _, err := range []error{s.VLANs.Err, s.Credentials.Err} {
		if err != nil {
			return []Finding{unknownRead(err)}
		}
	}
	account := s.Credentials.Value.Account(s.Session.IMSAccountID)
	vlans, ok := s.VLANs.Value.Accounts[account]
	if !ok {
		err := s.VLANs.Value.Errs[account]
		if err == nil {
			err = &facts.UnreachableAccountError{Op: "softlayer: SoftLayer_Account/getNetworkVlans", Account: account}
		}
		return []Finding{unknownRead(err)}
	}
	have := map[string]bool{}
	for _, v := range vlans {
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
				networkSet := cmd("ibmcloud", "ks", "zone", "network-set", "--zone", z.Zone, "--cluster", c.Name, "--worker-pool", pool.Name,
					"--private-vlan", "<private_VLAN_ID>", "--public-vlan", "<public_VLAN_ID>")
				if len(v) <= 4 {
					out = append(out, Finding{Status: Fail, Key: "infra.vlan.number", Params: p, Actor: User, Subject: pool.Name + "/" + z.Zone,
						Fix: []string{cmd("ibmcloud", "ks", "vlan", "ls", "--zone", z.Zone), networkSet}})
					continue
				}
				// A VLAN is missing from this account for sure only when the
				// cluster's workers are in it: an orphaned cluster's VLANs
				// are in the account its workers are in (infra.orphan).
				if f, decided := clusterInAccount(s, account); !decided {
					return []Finding{f}
				}
				// Seed 001 "Cannot add worker nodes ... reclaimed VLANs": new
				// VLANs on the pool's zones, then rebalance (the pool keeps its
				// size) and see the workers come; alternatively, a new pool.
				out = append(out, Finding{Status: Fail, Key: "infra.vlan.missing", Params: p, Actor: AccountOwner, Subject: pool.Name + "/" + z.Zone,
					Fix: []string{cmd("ibmcloud", "ks", "vlan", "ls", "--zone", z.Zone), networkSet,
						cmd("ibmcloud", "ks", "worker-pool", "rebalance", "--cluster", c.Name, "--worker-pool", pool.Name),
						cmd("ibmcloud", "ks", "worker", "ls", "--cluster", c.Name, "--worker-pool", pool.Name)},
					Alternative: []string{cmd("ibmcloud", "ks", "worker-pool", "rm", "--cluster", c.Name, "--worker-pool", pool.Name),
						cmd("ibmcloud", "ks", "worker-pool", "create", "classic", "--name", "<new_pool_name>", "--cluster", c.Name,
							"--flavor", "<flavor>", "--size-per-zone", "<number_of_workers_per_zone>"),
						cmd("ibmcloud", "ks", "zone", "add", "classic", "--zone", z.Zone, "--cluster", c.Name, "--worker-pool", "<new_pool_name>",
							"--private-vlan", "<private_VLAN_ID>", "--public-vlan", "<public_VLAN_ID>")}})
			}
		}
	}
	if len(out) == 0 {
		return []Finding{{Status: OK, Key: "infra.vlan.ok", Params: map[string]string{"pools": itoa(len(s.Pools.Value))}}}
	}
	return out
}

// clusterInAccount says whether every worker of the cluster that has a
// device has it in account, and this caller sees all of that account; when
// that is not so or cannot be told, the finding to give instead.
func clusterInAccount(s *facts.Set, account string) (Finding, bool) {
	for _, err := range []error{s.Workers.Err, s.Devices.Err} {
		if err != nil {
			return unknownRead(err), false
		}
	}
	sp := spreadOf(s.Workers.Value, account, s.Devices.Value.Find)
	if len(sp.Elsewhere) > 0 || len(sp.Missing) > 0 {
		return Finding{Status: Info, Key: "infra.vlan.other-account",
			Params: map[string]string{"cluster": s.Cluster.Value.Name, "account": account}}, false
	}
	// Classic infrastructure shows a user who is neither the master user nor
	// allowed every device only part of the account, so a VLAN missing from
	// what this caller sees is evidence only for a caller who sees it all:
	// the same getCurrentUser read that makes the device search complete.
	if a := s.Devices.Value.Accounts[account]; !a.Complete {
		return Finding{Status: Unknown, Key: "infra.vlan.not-visible",
			Params: map[string]string{"cluster": s.Cluster.Value.Name, "account": account, "permissions": orPlaceholder(a.Visibility, "?")}}, false
	}
	return Finding{}, true
}

func itoa(n int) string { return strconv.Itoa(n) }
