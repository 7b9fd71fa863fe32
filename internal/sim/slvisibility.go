package sim

import (
	"slices"
	"strconv"
)

// Device-level access of classic infrastructure users. SLDN
// "permission-enforcement-softlayer-api" (softlayer/softlayer.github.io,
// content/article/permission-enforcement-softlayer-api.md): a user who is
// not the master user sees, in SoftLayer_Account::getVirtualGuests and
// getHardware, only the devices granted to it unless it holds
// ACCESS_ALL_GUEST (virtual guests) or ACCESS_ALL_HARDWARE (bare metal);
// reading a device it may not see answers 404
// SoftLayer_Exception_ObjectNotFound, exactly as for an id that does not
// exist. The answer is 200 with a shorter list, never 403: a caller cannot
// tell "not there" from "not shown" without reading its own permissions
// (getCurrentUser: isMasterUserFlag, permissions).

const (
	permAllGuests   = "ACCESS_ALL_GUEST"
	permAllHardware = "ACCESS_ALL_HARDWARE"
)

// seesAllDevices tells whether u sees every virtual guest (hardware false)
// or every bare-metal server (hardware true) of its account.
func (u *InfraUser) seesAllDevices(hardware bool) bool {
	if u.Master {
		return true
	}
	if hardware {
		return slices.Contains(u.Permissions, permAllHardware)
	}
	return slices.Contains(u.Permissions, permAllGuests)
}

// grantedDevice tells whether a device (by id or hostname) is granted to u
// one by one.
func (u *InfraUser) grantedDevice(id int64, hostname string) bool {
	idStr := strconv.FormatInt(id, 10)
	for _, d := range u.Devices {
		if d == hostname || d == idStr {
			return true
		}
	}
	return false
}

// mayRead tells whether u may see the device d.
func (u *InfraUser) mayRead(d Device, hardware bool) bool {
	return u.seesAllDevices(hardware) || u.grantedDevice(d.ID, d.Hostname)
}

// visibleDevices narrows a rendered device list (shared, read-only items)
// to what u may see; a user who sees all gets the list itself.
func (u *InfraUser) visibleDevices(items []map[string]any, hardware bool) []map[string]any {
	if u.seesAllDevices(hardware) {
		return items
	}
	out := []map[string]any{}
	for _, it := range items {
		id, _ := it["id"].(int64)
		host, _ := it["hostname"].(string)
		if u.grantedDevice(id, host) {
			out = append(out, it)
		}
	}
	return out
}
