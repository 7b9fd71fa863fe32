package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// deriveInfra makes sure every linked infrastructure account exists with a
// user for each member of the IBM Cloud account linked to it (named
// <ims>_<email>, as IBMid-linked classic users are), and fills user defaults.
func (sc *Scenario) deriveInfra() {
	for _, acc := range sc.bssAccounts() {
		if acc.IMS == "" {
			continue
		}
		ia := sc.InfraAccountByID(acc.IMS)
		if ia == nil {
			sc.InfraAccounts = append(sc.InfraAccounts, InfraAccount{ID: acc.IMS, Name: acc.Name})
			ia = &sc.InfraAccounts[len(sc.InfraAccounts)-1]
		}
		ia.LinkedAccount = acc.ID
		def(&ia.Name, acc.Name)
		for _, u := range sc.Users {
			if u.Removed || !sc.isMember(&u, acc.ID) || ia.userByIAMID(u.IAMID) != nil || ia.user(acc.IMS+"_"+u.Email) != nil {
				continue
			}
			iu := InfraUser{Username: acc.IMS + "_" + u.Email, Email: u.Email, IAMID: u.IAMID, Name: u.Name, Master: u.Email == acc.Owner}
			if acc.ID == sc.Account.ID {
				iu.ID = u.IMSUserID
			}
			ia.Users = append(ia.Users, iu)
		}
	}
	for i := range sc.InfraAccounts {
		ia := &sc.InfraAccounts[i]
		def(&ia.Name, "Infrastructure account "+ia.ID)
		for j := range ia.Users {
			u := &ia.Users[j]
			if u.ID == 0 {
				u.ID = numFrom("infra-user/"+u.Username, 7)
			}
			def(&u.Status, "ACTIVE")
			if _, email, ok := strings.Cut(u.Username, "_"); ok && strings.Contains(email, "@") {
				def(&u.Email, email)
			}
			if u.IAMID != "" {
				if owner := sc.user(u.IAMID); owner != nil {
					def(&u.Name, owner.Name)
					def(&u.Email, owner.Email)
				}
			}
			def(&u.Name, u.Username)
			if u.Permissions == nil {
				u.Permissions = allPermissionKeys()
			}
		}
		for j := range ia.VirtualGuests {
			defaultDevice(&ia.VirtualGuests[j], false)
		}
		for j := range ia.Hardware {
			defaultDevice(&ia.Hardware[j], true)
		}
	}
}

func defaultDevice(d *Device, hardware bool) {
	if d.ID == 0 {
		n := 8
		if hardware {
			n = 7
		}
		d.ID = numFrom("device/"+d.Hostname, n)
	}
	def(&d.Domain, "iks.ibm")
	def(&d.Status, "ACTIVE")
	def(&d.PowerState, "RUNNING")
	def(&d.GlobalIdentifier, uuidFrom("device-guid/"+d.Hostname))
	def(&d.ProvisionDate, "2024-05-14T03:25:11-06:00")
}

// deriveDevices puts each classic worker's device (hostname = worker id)
// and its VLANs into the infrastructure account that holds it; a device or
// VLAN the scenario lists itself wins. Indexed: a fleet has thousands.
func (sc *Scenario) deriveDevices() {
	hosts, vlans := map[string]bool{}, map[string]bool{} // "<account>/<hostname>", "<account>/<vlan id>"
	for _, ia := range sc.InfraAccounts {
		for _, list := range [][]Device{ia.VirtualGuests, ia.Hardware} {
			for _, d := range list {
				hosts[ia.ID+"/"+d.Hostname] = true
			}
		}
		for _, v := range ia.VLANs {
			vlans[fmt.Sprintf("%s/%d", ia.ID, v.ID)] = true
		}
	}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		if c.Provider != "classic" {
			continue
		}
		provisioned := slDate(c.CreatedDate)
		for j := range c.Workers {
			w := &c.Workers[j]
			holder := w.InfraAccount
			if holder == "" && !w.Deleted {
				holder = sc.Account.IMSAccount
			}
			ia := sc.InfraAccountByID(holder)
			if ia == nil || hosts[ia.ID+"/"+w.ID] {
				continue
			}
			d := Device{ID: w.DeviceID, Hostname: w.ID, PrivateIP: w.PrivateIP, PublicIP: w.PublicIP,
				Datacenter: w.Location, ProvisionDate: provisioned, PrivateVlan: w.PrivateVlan, PublicVlan: w.PublicVlan}
			defaultDevice(&d, w.BareMetal)
			if w.BareMetal {
				ia.Hardware = append(ia.Hardware, d)
			} else {
				ia.VirtualGuests = append(ia.VirtualGuests, d)
			}
			if w.Deleted {
				continue // its VLANs may be gone (reclaimed)
			}
			for _, v := range []struct{ id, space string }{{w.PrivateVlan, "PRIVATE"}, {w.PublicVlan, "PUBLIC"}} {
				id, err := strconv.ParseInt(v.id, 10, 64)
				if err != nil || vlans[ia.ID+"/"+v.id] {
					continue
				}
				vlans[ia.ID+"/"+v.id] = true
				router := "bcr01a." + w.Location
				if v.space == "PUBLIC" {
					router = "fcr01a." + w.Location
				}
				ia.VLANs = append(ia.VLANs, VLAN{ID: id, Number: int(1000 + numFrom("vlan/"+v.id, 4)%3000),
					NetworkSpace: v.space, Datacenter: w.Location, Router: router})
			}
		}
	}
}

// slDate turns an IKS date into SoftLayer's -06:00 style.
func slDate(iks string) string {
	t, err := time.Parse(ikstimeLayout, iks)
	if err != nil {
		return ""
	}
	return t.In(time.FixedZone("CST", -6*3600)).Format("2006-01-02T15:04:05-07:00")
}
