package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// The JSON shapes of SoftLayer objects: the account, its users, devices
// and VLANs.

// userStatusIDs are SoftLayer_User_Customer_Status ids [I].
var userStatusIDs = map[string]int{"ACTIVE": 1001, "DISABLED": 1002, "INACTIVE": 1003, "VPN_ONLY": 1021, "CANCEL_PENDING": 1022}

// slAccount is SoftLayer_Account.
func (s *Server) slAccount(ia *InfraAccount) map[string]any {
	status := map[string]any{"id": 1001, "name": "Active"}
	if ia.Suspended {
		status = map[string]any{"id": 1003, "name": "Suspended"} // [I] id of the suspended status
	}
	m := map[string]any{
		"id": mustInt(ia.ID), "companyName": ia.Name, "email": orDefault(ia.Email, "it@example.com"),
		"brandId": 2, "brandKeyName": "SL", "accountStatusId": status["id"], "accountStatus": status,
		"bluemixLinkedFlag": ia.LinkedAccount != "", "createDate": "2019-02-01T10:00:00-06:00",
		"ibmCustomerNumber": fmt.Sprint(numFrom("icn/"+ia.ID, 7)),
	}
	if ia.LinkedAccount != "" {
		m["bluemixAccountId"] = ia.LinkedAccount
		m["bluemixAccountLink"] = map[string]any{
			"id": numFrom("link/"+ia.ID, 5), "accountId": mustInt(ia.ID), "destinationAccountAlphanumericId": ia.LinkedAccount,
			"serviceProviderId": 349, "createDate": "2019-02-01T10:00:00-06:00",
		}
	}
	return m
}

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func (s *Server) slUser(ia *InfraAccount, u *InfraUser) map[string]any {
	given, family, _ := strings.Cut(u.Name, " ")
	perms := []map[string]any{}
	for _, k := range u.Permissions {
		perms = append(perms, map[string]any{"key": k, "keyName": k, "name": orDefault(permissionName(k), k)})
	}
	var parent int64
	for _, o := range ia.Users {
		if o.Master && o.ID != u.ID {
			parent = o.ID
		}
	}
	status := u.Status
	return map[string]any{
		"id": u.ID, "username": u.Username, "email": u.Email, "accountId": mustInt(ia.ID),
		"firstName": given, "lastName": family, "iamId": u.IAMID, "isMasterUserFlag": u.Master, "parentId": parent,
		"userStatusId": userStatusIDs[status], "createDate": "2019-02-01T10:05:00-06:00",
		"userStatus":  map[string]any{"id": userStatusIDs[status], "keyName": status, "name": statusName(status)},
		"permissions": perms,
	}
}

func statusName(keyName string) string {
	words := strings.Split(strings.ToLower(keyName), "_")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// devices are the account's virtual guests (hardware false) or bare-metal
// servers (true).
func (ia *InfraAccount) devices(hardware bool) []Device {
	if hardware {
		return ia.Hardware
	}
	return ia.VirtualGuests
}

// vlanIndex maps an account's VLAN ids to its VLANs.
func (ia *InfraAccount) vlanIndex() map[int64]*VLAN {
	m := make(map[int64]*VLAN, len(ia.VLANs))
	for i := range ia.VLANs {
		m[ia.VLANs[i].ID] = &ia.VLANs[i]
	}
	return m
}

func slDevice(ia *InfraAccount, vlanByID map[int64]*VLAN, d Device, hardware bool) map[string]any {
	m := map[string]any{
		"id": d.ID, "accountId": mustInt(ia.ID), "hostname": d.Hostname, "domain": d.Domain,
		"fullyQualifiedDomainName": d.Hostname + "." + d.Domain, "globalIdentifier": d.GlobalIdentifier,
		"primaryBackendIpAddress": d.PrivateIP, "datacenter": map[string]any{"name": d.Datacenter, "longName": d.Datacenter},
		"provisionDate": d.ProvisionDate, "notes": "", "tagReferences": []any{},
	}
	if d.PublicIP != "" {
		m["primaryIpAddress"] = d.PublicIP
	}
	var vlans []map[string]any
	for _, v := range []string{d.PrivateVlan, d.PublicVlan} {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			if vl := vlanByID[id]; vl != nil {
				vlans = append(vlans, map[string]any{"id": vl.ID, "vlanNumber": vl.Number, "networkSpace": vl.NetworkSpace})
			}
		}
	}
	if vlans != nil {
		m["networkVlans"] = vlans
	}
	if hardware {
		m["hardwareStatus"] = map[string]any{"id": 5, "status": d.Status}
	} else {
		m["status"] = map[string]any{"keyName": d.Status, "name": statusName(d.Status)}
		m["powerState"] = map[string]any{"keyName": d.PowerState, "name": statusName(d.PowerState)}
	}
	return m
}

func slVLAN(ia *InfraAccount, v VLAN) map[string]any {
	router := orDefault(v.Router, "bcr01a."+v.Datacenter)
	if v.Router == "" && v.NetworkSpace == "PUBLIC" {
		router = "fcr01a." + v.Datacenter
	}
	return map[string]any{
		"id": v.ID, "vlanNumber": v.Number, "name": v.Name, "networkSpace": v.NetworkSpace, "accountId": mustInt(ia.ID),
		"fullyQualifiedName": fmt.Sprintf("%s.%d", router, v.Number),
		"primaryRouter":      map[string]any{"hostname": router, "datacenter": map[string]any{"name": v.Datacenter}},
	}
}
