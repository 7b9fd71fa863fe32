package sim

import "fmt"

// validatePartial checks the fields that model partial visibility and the
// newer wire knobs (docs/scenario.md); validate calls it last.
func (sc *Scenario) validatePartial(c *checker) {
	sc.validateGatewayZones(c)
	sc.validateClusterKinds(c)
	for i, m := range sc.Account.UserMFA {
		p := fmt.Sprintf("account.userMfa[%d]", i)
		if sc.user(m.User) == nil {
			c.add(p+".user", "unknown user %q (must be the e-mail or IAM id of one of users)", m.User)
		}
		if m.MFA == "" {
			c.add(p+".mfa", "required")
		}
		c.enum(p+".mfa", m.MFA, mfaValues)
	}
	if sc.Wire.AccountPageSize < 0 {
		c.add("wire.accountPageSize", "must not be negative")
	}
	c.enum("account.restrictUserListVisibility", sc.Account.RestrictUserListVisibility, set(UserListRestricted, UserListNotRestricted))
	for name, n := range map[string]int{"wire.policyPageSize": sc.Wire.PolicyPageSize, "wire.accessGroupPageSize": sc.Wire.AccessGroupPageSize} {
		if n < 0 || n > 100 {
			c.add(name, "a page size is 0 (default) to 100, got %d", n)
		}
	}
	serviceTypes := func(p string, ps []Policy) {
		for j, pol := range ps {
			pp := fmt.Sprintf("%s.policies[%d].serviceType", p, j)
			c.enum(pp, pol.ServiceType, set("service", "platform_service"))
			if pol.ServiceType != "" && pol.Service != "" {
				c.add(pp, "serviceType is for policies without a service (all IAM or all Account Management services)")
			}
		}
	}
	for i, g := range sc.AccessGroups {
		p := fmt.Sprintf("accessGroups[%d]", i)
		serviceTypes(p, g.Policies)
		for j, m := range g.DynamicMembers {
			if sc.user(m) == nil {
				c.add(fmt.Sprintf("%s.dynamicMembers[%d]", p, j), "unknown user %q (must be the e-mail or IAM id of one of users)", m)
			}
		}
	}
	for i, u := range sc.Users {
		serviceTypes(fmt.Sprintf("users[%d]", i), u.Policies)
		for j, l := range u.Limited {
			c.enum(fmt.Sprintf("users[%d].limited[%d]", i, j), l, set(Limits...))
		}
	}
	c.enum("wire.softlayerPageOrder", sc.Wire.SoftLayerPageOrder, set(PageOrderStable, PageOrderUnordered))
	if sc.Wire.SoftLayerMaxResultLimit < 0 {
		c.add("wire.softlayerMaxResultLimit", "must not be negative")
	}
	for i, ia := range sc.InfraAccounts {
		for j, u := range ia.Users {
			for k, d := range u.Devices {
				if d == "" {
					c.add(fmt.Sprintf("infraAccounts[%d].users[%d].devices[%d]", i, j, k), "want a device hostname or id, got \"\"")
				}
			}
		}
	}
}

// partialDefaults fills the defaults of the fields validatePartial checks;
// applyDefaults calls it first.
func (sc *Scenario) partialDefaults() {
	def(&sc.Wire.SoftLayerPageOrder, PageOrderStable)
	def(&sc.Account.RestrictUserListVisibility, UserListNotRestricted)
}

// validateGatewayZones refuses a VPE gateway holding two reserved IPs in
// one zone: "At most one reserved IP per zone is allowed" (vpc-go-sdk
// vpcv1 EndpointGateway.Ips / AddEndpointGatewayIP docs; ibm-cloud-docs
// containers cluster-access-vpe).
func (sc *Scenario) validateGatewayZones(c *checker) {
	for i, v := range sc.VPCs {
		zoneOf := map[string]string{}
		for _, sn := range v.Subnets {
			for _, k := range []string{sn.Name, sn.ID} {
				if k != "" {
					zoneOf[k] = sn.Zone
				}
			}
		}
		for j, g := range v.EndpointGateways {
			name := orDefault(g.Name, "iks-"+g.Cluster)
			seen := map[string]bool{}
			for k, ip := range g.IPs {
				zone, ok := zoneOf[ip.Subnet]
				if !ok {
					continue // reported as an unknown subnet
				}
				if seen[zone] {
					c.add(fmt.Sprintf("vpcs[%d].endpointGateways[%d].ips[%d]", i, j, k),
						"endpoint gateway %q holds a second reserved IP in zone %s: at most one reserved IP per zone is allowed", name, zone)
				}
				seen[zone] = true
			}
		}
	}
}
