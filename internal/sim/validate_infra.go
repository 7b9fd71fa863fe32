package sim

import "fmt"

// The sections of classic infrastructure: infraAccounts and the manually
// set credentials that name their users.

// infraAccountsSection checks the infrastructure accounts, their users,
// devices and VLANs, and records every account (the listed ones and those
// the IBM Cloud accounts link to, which exist even when not written out)
// and every username (listed, or derived for a linked account's members).
func (v *validation) infraAccountsSection() {
	sc := v.sc
	for id := range v.imsIDs {
		v.infraIDs[id] = true
	}
	seen := map[string]bool{}
	for i, ia := range sc.InfraAccounts {
		p := fmt.Sprintf("infraAccounts[%d]", i)
		v.uniqueID(p+".id", ia.ID, imsIDRe, "a 5-8 digit account number", seen, "infrastructure account")
		v.infraIDs[ia.ID] = true
		for j, u := range ia.Users {
			v.infraUser(fmt.Sprintf("%s.users[%d]", p, j), u)
		}
		for _, kind := range []struct {
			name string
			devs []Device
		}{{"virtualGuests", ia.VirtualGuests}, {"hardware", ia.Hardware}} {
			for j, d := range kind.devs {
				dp := fmt.Sprintf("%s.%s[%d]", p, kind.name, j)
				if d.Hostname == "" {
					v.add(dp+".hostname", "required")
				}
				v.ip(dp+".privateIP", d.PrivateIP)
				v.ip(dp+".publicIP", d.PublicIP)
			}
		}
		for j, vl := range ia.VLANs {
			vp := fmt.Sprintf("%s.vlans[%d]", p, j)
			if vl.ID < 1000000 || vl.ID > 9999999 {
				v.add(vp+".id", "a VLAN id has 7 digits, got %d", vl.ID)
			}
			if vl.Number < 1 || vl.Number > 4094 {
				v.add(vp+".vlanNumber", "a VLAN number is 1-4094, got %d", vl.Number)
			}
			v.enum(vp+".networkSpace", vl.NetworkSpace, networkSpaces)
		}
	}
	// Users the simulator adds to linked accounts are named <ims>_<email>.
	for _, acc := range sc.bssAccounts() {
		if acc.IMS == "" {
			continue
		}
		for _, u := range sc.Users {
			if sc.isMember(&u, acc.ID) {
				v.infraUsers[acc.IMS+"_"+u.Email] = true
			}
		}
	}
}

// infraUser checks one user of an infrastructure account (at path p).
func (v *validation) infraUser(p string, u InfraUser) {
	v.unique(p+".username", u.Username, v.infraUsers, "infrastructure username")
	v.enum(p+".status", u.Status, infraUserStates)
	if u.IAMID != "" && !v.users[u.IAMID] {
		v.add(p+".iamId", "unknown user %q", u.IAMID)
	}
	for k, perm := range u.Permissions {
		if !permKeyRe.MatchString(perm) {
			v.add(fmt.Sprintf("%s.permissions[%d]", p, k), "want a permission keyName such as SERVER_ADD, got %q", perm)
		}
	}
	for k, d := range u.Devices {
		if d == "" {
			v.add(fmt.Sprintf("%s.devices[%d]", p, k), "want a device hostname or id, got \"\"")
		}
	}
}

// credentialsSection checks the manually set infrastructure credentials:
// one per region and group, each naming a known infrastructure user.
func (v *validation) credentialsSection() {
	seen := map[string]bool{}
	for i, cr := range v.sc.Credentials {
		p := fmt.Sprintf("credentials[%d]", i)
		v.oncePerScope(p, cr.Region, cr.ResourceGroup, seen, "second credentials for region %s and resource group %s")
		if cr.Username == "" {
			v.add(p+".username", "required")
		} else if !v.infraUsers[cr.Username] {
			v.add(p+".username", "unknown infrastructure user %q", cr.Username)
		}
	}
}
