package sim

import "time"

// derive fills what a short scenario may leave out and derives what
// follows from it (linked infrastructure accounts and their users, each
// classic worker's device and VLANs, worker pools, VPC ids and the
// gateways' reserved IPs). It runs after validation, so the defaults
// themselves need no checking.
func (sc *Scenario) derive() {
	def(&sc.Account.Type, "PAYG")
	def(&sc.Account.MFA, "NONE")
	def(&sc.Account.RestrictUserListVisibility, UserListNotRestricted)
	def(&sc.Wire.PoolZoneVlanKeys, "privateVlan")
	def(&sc.Wire.SoftLayerPageOrder, PageOrderStable)
	for i := range sc.OtherAccounts {
		o := &sc.OtherAccounts[i]
		def(&o.Type, "SUBSCRIPTION")
		def(&o.MFA, "NONE")
		if len(o.Members) == 0 {
			o.Members = []string{sc.Session.User}
		}
	}
	for i := range sc.Users {
		def(&sc.Users[i].State, "ACTIVE")
	}
	for i := range sc.ResourceGroups {
		g := &sc.ResourceGroups[i]
		def(&g.QuotaID, "a3d7b8d01e261c24677937c29ab33f3c")
		def(&g.CreatedAt, "2020-03-01T12:00:00.000Z")
	}
	for i := range sc.AccessGroups {
		def(&sc.AccessGroups[i].ID, "AccessGroupId-"+uuidFrom("ag/"+sc.AccessGroups[i].Name))
	}
	if sc.Session.TokenLifetime == 0 {
		sc.Session.TokenLifetime = time.Hour
	}
	for i := range sc.APIKeys {
		k := &sc.APIKeys[i]
		def(&k.ID, "ApiKey-"+uuidFrom("iks-key/"+k.Region+"/"+k.ResourceGroup))
		def(&k.CreatedAt, "2024-05-14T08:20+0000")
	}
	sc.deriveInfra()
	for i := range sc.Credentials {
		cr := &sc.Credentials[i]
		if _, u := sc.infraUser(cr.Username); u != nil && cr.APIKey == "" && len(u.APIKeys) > 0 {
			cr.APIKey = u.APIKeys[0]
		}
	}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		def(&c.State, "normal")
		def(&c.Status, "All Workers Normal")
		def(&c.Master.State, "deployed")
		def(&c.Master.Status, "Ready")
		def(&c.Master.Health, "normal")
		def(&c.Type, "kubernetes")
		if c.Type == "openshift" {
			def(&c.KubeVersion, defaultOpenShiftVersion)
		}
		def(&c.KubeVersion, defaultVersion)
		def(&c.TargetVersion, c.KubeVersion)
		def(&c.CreatedDate, defaultCreatedAt)
		for j := range c.Workers {
			w := &c.Workers[j]
			def(&w.State, "normal")
			if w.Deleted {
				w.State = "deleted"
			}
			def(&w.Status, "Ready")
			def(&w.PoolName, "default")
			def(&w.Flavor, "b3c.4x16")
			def(&w.KubeVersion, c.KubeVersion)
			def(&w.TargetVersion, c.KubeVersion)
			def(&w.Location, c.Datacenter)
		}
		derivePools(c)
	}
	sc.deriveDevices()
	sc.deriveVPCs()
}

// derivePools builds the worker pools from the workers when the scenario
// lists none, and fills pool defaults either way.
func derivePools(c *Cluster) {
	if len(c.WorkerPools) == 0 {
		for _, w := range c.Workers {
			if poolByName(c, w.PoolName) == nil {
				c.WorkerPools = append(c.WorkerPools, WorkerPool{Name: w.PoolName})
			}
		}
	}
	for i := range c.WorkerPools {
		p := &c.WorkerPools[i]
		perZone := map[string]int{}
		for _, w := range c.Workers {
			if w.PoolName != p.Name {
				continue
			}
			def(&p.Flavor, w.Flavor)
			if !w.Deleted {
				perZone[w.Location]++
			}
			z := p.zone(w.Location)
			if z == nil {
				p.Zones = append(p.Zones, PoolZone{ID: w.Location})
				z = &p.Zones[len(p.Zones)-1]
			}
			// A live worker's VLANs win over a deleted one's.
			if z.PrivateVlan == "" || !w.Deleted {
				def(&z.PrivateVlan, w.PrivateVlan)
				def(&z.PublicVlan, w.PublicVlan)
			}
		}
		def(&p.Flavor, "b3c.4x16")
		if p.SizePerZone == 0 {
			p.SizePerZone = 1
			for _, n := range perZone {
				p.SizePerZone = max(p.SizePerZone, n)
			}
		}
	}
}

func poolByName(c *Cluster, name string) *WorkerPool {
	for i := range c.WorkerPools {
		if c.WorkerPools[i].Name == name {
			return &c.WorkerPools[i]
		}
	}
	return nil
}

func (p *WorkerPool) zone(id string) *PoolZone {
	for i := range p.Zones {
		if p.Zones[i].ID == id {
			return &p.Zones[i]
		}
	}
	return nil
}

// orDefault is v, or d when v is empty.
func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

// def sets *s to v unless it is set: a default.
func def(s *string, v string) {
	if *s == "" {
		*s = v
	}
}
