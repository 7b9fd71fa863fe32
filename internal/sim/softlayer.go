package sim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// SoftLayer (classic infrastructure) REST, reference §10: paths
// /<Service>[/<id>][/<method>].json below /softlayer/rest/v3.1, objectMask
// (top-level projection), objectFilter (slfilter.go), resultLimit paging
// with SoftLayer-Total-Items, and errors as {"error","code"}.

const (
	slInvalidLogin = "SoftLayer_Exception_InvalidLogin"
	slTokenInvalid = "SoftLayer_Exception_Account_Authentication_AccessTokenValidation"
	slNotFound     = "SoftLayer_Exception_ObjectNotFound"
	slDenied       = "SoftLayer_Exception_PermissionDenied"
)

// userStatusIDs are SoftLayer_User_Customer_Status ids [I].
var userStatusIDs = map[string]int{"ACTIVE": 1001, "DISABLED": 1002, "INACTIVE": 1003, "VPN_ONLY": 1021, "CANCEL_PENDING": 1022}

// slCaller authenticates a SoftLayer call: HTTP Basic username:apikey, or
// an IAM bearer token whose account.ims claim picks the account (the
// caller is the classic user linked to the token's IBMid there).
func (s *Server) slCaller(w http.ResponseWriter, r *http.Request) (*InfraAccount, *InfraUser, bool) {
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	var ia *InfraAccount
	var u *InfraUser
	switch {
	case strings.EqualFold(scheme, "Basic"):
		raw, _ := base64.StdEncoding.DecodeString(cred)
		name, key, _ := strings.Cut(string(raw), ":")
		ia, u = s.sc.infraUser(name)
		if u == nil || key == "" || !slices.Contains(u.APIKeys, key) {
			failSoftLayer(s, w, r, http.StatusUnauthorized, slInvalidLogin, "Invalid API token.")
			return nil, nil, false
		}
	case strings.EqualFold(scheme, "Bearer"):
		c, ok := s.verify(cred)
		if !ok {
			// softlayer-go refreshes on exactly this status and code.
			failSoftLayer(s, w, r, http.StatusInternalServerError, slTokenInvalid, "The IAM access token is invalid or expired.")
			return nil, nil, false
		}
		if ia = s.sc.InfraAccountByID(c.Account.IMS); ia == nil {
			failSoftLayer(s, w, r, http.StatusUnauthorized, slInvalidLogin, "Cannot create IMS portal token, as no IMS account is linked to the selected BSS account")
			return nil, nil, false
		}
		if u = ia.userByIAMID(c.IAMID); u == nil {
			failSoftLayer(s, w, r, http.StatusUnauthorized, slInvalidLogin, "Provided user not found or active")
			return nil, nil, false
		}
	default:
		failSoftLayer(s, w, r, http.StatusUnauthorized, slInvalidLogin, "Invalid API token.")
		return nil, nil, false
	}
	// [I] a user that is not active cannot call the API; the text is the
	// one IKS relays (seed 001).
	if u.Status != "ACTIVE" {
		failSoftLayer(s, w, r, http.StatusUnauthorized, slInvalidLogin, "User account is currently "+strings.ToLower(u.Status)+".")
		return nil, nil, false
	}
	if s.sc.user(u.IAMID).denies("softlayer") {
		failSoftLayer(s, w, r, http.StatusForbidden, slDenied, "You do not have permission to access this object.")
		return nil, nil, false
	}
	return ia, u, true
}

func (s *Server) softlayer(w http.ResponseWriter, r *http.Request, p string) {
	seg := strings.Split(strings.TrimSuffix(strings.Trim(p, "/"), ".json"), "/")
	// SoftLayer sends argument-less methods as GET, rebootSoft and powerOff
	// included: only getters are reads.
	if m := seg[len(seg)-1]; len(seg) > 1 && !strings.HasPrefix(m, "get") && !digitsOnly(m) {
		s.refuse(w, r)
		return
	}
	ia, me, ok := s.slCaller(w, r)
	if !ok {
		return
	}
	service, method, id := seg[0], "getObject", int64(0)
	rest := seg[1:]
	if len(rest) > 0 {
		if n, err := strconv.ParseInt(rest[0], 10, 64); err == nil {
			id, rest = n, rest[1:]
		}
	}
	if len(rest) == 1 {
		method = rest[0]
	} else if len(rest) > 1 {
		s.notSimulated(w, r)
		return
	}
	notFound := func() {
		failSoftLayer(s, w, r, http.StatusNotFound, slNotFound, fmt.Sprintf("Unable to find object with id of '%d'.", id))
	}
	switch service + "/" + method {
	case "SoftLayer_Account/getObject":
		s.slObject(w, r, s.slAccount(ia))
	case "SoftLayer_Account/getCurrentUser":
		s.slObject(w, r, s.slUser(ia, me))
	case "SoftLayer_Account/getUsers":
		s.slList(w, r, "users", listOf(ia.Users, func(u InfraUser) map[string]any { return s.slUser(ia, &u) }))
	case "SoftLayer_Account/getVirtualGuests":
		s.slList(w, r, "virtualGuests", me.visibleDevices(s.cachedList(ia, "virtualGuests", func() []map[string]any {
			vlans := ia.vlanIndex()
			return listOf(ia.VirtualGuests, func(d Device) map[string]any { return slDevice(ia, vlans, d, false) })
		}), false))
	case "SoftLayer_Account/getHardware":
		s.slList(w, r, "hardware", me.visibleDevices(s.cachedList(ia, "hardware", func() []map[string]any {
			vlans := ia.vlanIndex()
			return listOf(ia.Hardware, func(d Device) map[string]any { return slDevice(ia, vlans, d, true) })
		}), true))
	case "SoftLayer_Account/getNetworkVlans":
		s.slList(w, r, "networkVlans", s.cachedList(ia, "networkVlans", func() []map[string]any {
			return listOf(ia.VLANs, func(v VLAN) map[string]any { return slVLAN(ia, v) })
		}))
	case "SoftLayer_User_Customer/getObject", "SoftLayer_User_Customer/getPermissions", "SoftLayer_User_Customer/getUserStatus":
		u := ia.userByID(id)
		if u == nil {
			notFound()
			return
		}
		obj := s.slUser(ia, u)
		switch method {
		case "getPermissions":
			s.slList(w, r, "permissions", obj["permissions"].([]map[string]any))
		case "getUserStatus":
			s.slObject(w, r, obj["userStatus"].(map[string]any))
		default:
			s.slObject(w, r, obj)
		}
	case "SoftLayer_Virtual_Guest/getObject", "SoftLayer_Hardware/getObject", "SoftLayer_Hardware_Server/getObject":
		hw := service != "SoftLayer_Virtual_Guest"
		list := ia.VirtualGuests
		if hw {
			list = ia.Hardware
		}
		for _, d := range list {
			// A device the caller may not see is not found, as one that
			// does not exist (slvisibility.go).
			if d.ID == id && me.mayRead(d, hw) {
				s.slObject(w, r, slDevice(ia, ia.vlanIndex(), d, hw))
				return
			}
		}
		notFound()
	case "SoftLayer_Network_Vlan/getObject":
		for _, v := range ia.VLANs {
			if v.ID == id {
				s.slObject(w, r, slVLAN(ia, v))
				return
			}
		}
		notFound()
	default:
		failSoftLayer(s, w, r, http.StatusNotFound, "SoftLayer_Exception_Public",
			fmt.Sprintf("ks-doctor-sim does not simulate %s::%s.", service, method))
	}
}

func digitsOnly(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func listOf[T any](items []T, f func(T) map[string]any) []map[string]any {
	out := []map[string]any{}
	for _, it := range items {
		out = append(out, f(it))
	}
	return out
}

// slObject writes one object, projected through objectMask.
func (s *Server) slObject(w http.ResponseWriter, r *http.Request, obj map[string]any) {
	writeJSON(w, http.StatusOK, applyMask(obj, r.URL.Query().Get("objectMask")))
}

// slList filters, sorts, pages and projects a list; the total before
// paging goes in SoftLayer-Total-Items, and an empty list is [] (an empty
// body would be an error to softlayer-go).
func (s *Server) slList(w http.ResponseWriter, r *http.Request, property string, items []map[string]any) {
	q := r.URL.Query()
	f, err := parseFilter(q.Get("objectFilter"), property)
	if err != nil {
		failSoftLayer(s, w, r, http.StatusInternalServerError, "SoftLayer_Exception_Public", "Unable to parse object filter: "+err.Error())
		return
	}
	var out []map[string]any
	for _, it := range items {
		if f.match(it) {
			out = append(out, it)
		}
	}
	f.sort(out)
	total := len(out)
	if rl := q.Get("resultLimit"); rl != "" {
		o, l, _ := strings.Cut(rl, ",")
		offset, err1 := strconv.Atoi(o)
		limit, err2 := strconv.Atoi(l)
		if err1 != nil || err2 != nil || offset < 0 || limit < 1 {
			failSoftLayer(s, w, r, http.StatusBadRequest, "SoftLayer_Exception_Public", "Invalid resultLimit "+rl+".")
			return
		}
		if !f.ordered() && s.slUnordered() {
			shuffleFor(out, offset)
		}
		out, _ = pageOf(out, offset, s.slLimit(limit))
	}
	mask := q.Get("objectMask")
	page := []map[string]any{}
	for _, it := range out {
		page = append(page, applyMask(it, mask))
	}
	w.Header().Set("SoftLayer-Total-Items", strconv.Itoa(total))
	writeJSON(w, http.StatusOK, page)
}

// applyMask keeps the top-level properties a mask names ("id;hostname",
// "mask[id,datacenter.name]"); relational properties are kept whole.
func applyMask(obj map[string]any, mask string) map[string]any {
	mask = strings.TrimSpace(mask)
	if mask == "" {
		return obj
	}
	mask = strings.TrimPrefix(mask, "mask")
	if strings.HasPrefix(mask, "[") || strings.HasPrefix(mask, "(") {
		mask = mask[1 : len(mask)-1]
	}
	out := map[string]any{}
	depth, start := 0, 0
	take := func(part string) {
		part = strings.TrimPrefix(strings.TrimSpace(part), "mask.")
		name := part
		if i := strings.IndexAny(part, ".["); i >= 0 {
			name = part[:i]
		}
		if v, ok := obj[name]; ok {
			out[name] = v
		}
	}
	for i, ch := range mask {
		switch ch {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case ';', ',':
			if depth == 0 {
				take(mask[start:i])
				start = i + 1
			}
		}
	}
	take(mask[start:])
	return out
}

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
