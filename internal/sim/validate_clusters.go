package sim

import "fmt"

// clustersSection checks the clusters, their worker pools and workers, and
// records the clusters' ids and names (a VPE gateway names its cluster).
func (v *validation) clustersSection() {
	workerIDs := map[string]bool{}
	for i, cl := range v.sc.Clusters {
		p := fmt.Sprintf("clusters[%d]", i)
		if !clusterIDRe.MatchString(cl.ID) {
			v.add(p+".id", "must be 20 lowercase letters or digits (or 32 hex digits), got %q", cl.ID)
		}
		if cl.Name == "" {
			v.add(p+".name", "required")
		}
		for _, k := range []string{cl.ID, cl.Name} {
			if k != "" && v.clusters[k] {
				v.add(p, "duplicate cluster id or name %q", k)
			}
			v.clusters[k] = true
		}
		if !providers[cl.Provider] {
			v.add(p+".provider", "unknown provider %q (one of: %s)", cl.Provider, keys(providers))
		}
		v.enum(p+".type", cl.Type, clusterTypes)
		if cl.Provider == "satellite" && cl.Datacenter == "" {
			v.add(p+".datacenter", "a Satellite cluster's datacenter is its Satellite location id")
		}
		v.region(p+".region", cl.Region, true)
		v.group(p+".resourceGroup", cl.ResourceGroup, true)
		v.enum(p+".state", cl.State, clusterStates)
		v.enum(p+".master.state", cl.Master.State, masterStates)
		v.enum(p+".master.health", cl.Master.Health, masterHealths)
		v.date(p+".createdDate", cl.CreatedDate)
		pools := map[string]bool{}
		for j, wp := range cl.WorkerPools {
			pp := fmt.Sprintf("%s.workerPools[%d]", p, j)
			v.unique(pp+".name", wp.Name, pools, "worker pool")
			for k, z := range wp.Zones {
				if z.ID == "" {
					v.add(fmt.Sprintf("%s.zones[%d].id", pp, k), "required")
				}
			}
		}
		for j, w := range cl.Workers {
			wp := fmt.Sprintf("%s.workers[%d]", p, j)
			v.unique(wp+".id", w.ID, workerIDs, "worker id")
			v.worker(wp, cl, w, pools)
		}
	}
}

// worker checks one worker's fields (at path p) against its cluster and
// the cluster's listed pools.
func (v *validation) worker(p string, cl Cluster, w Worker, pools map[string]bool) {
	v.enum(p+".state", w.State, workerStates)
	v.ip(p+".privateIP", w.PrivateIP)
	v.ip(p+".publicIP", w.PublicIP)
	v.date(p+".statusDate", w.StatusDate)
	if len(cl.WorkerPools) > 0 && !pools[orDefault(w.PoolName, "default")] {
		v.add(p+".poolName", "unknown worker pool %q", orDefault(w.PoolName, "default"))
	}
	if ia := w.InfraAccount; ia != "" && ia != "none" {
		if cl.Provider != "classic" {
			v.add(p+".infraAccount", "only classic workers have a classic infrastructure device")
		} else if !v.infraIDs[ia] {
			v.add(p+".infraAccount", "unknown infrastructure account %q", ia)
		}
	}
}
