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

// slCall is who calls SoftLayer: the classic user and its account.
type slCall struct {
	account *InfraAccount
	user    *InfraUser
}

// slCaller is the gate of every SoftLayer read.
func slCaller(s *Server, w http.ResponseWriter, r *http.Request) (slCall, bool) {
	ia, u, ok := s.slAuthenticate(w, r)
	return slCall{ia, u}, ok
}

// slAuthenticate authenticates a SoftLayer call: HTTP Basic username:apikey, or
// an IAM bearer token whose account.ims claim picks the account (the
// caller is the classic user linked to the token's IBMid there).
func (s *Server) slAuthenticate(w http.ResponseWriter, r *http.Request) (*InfraAccount, *InfraUser, bool) {
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

// slAccountObject serves SoftLayer_Account::getObject.
func (s *Server) slAccountObject(w http.ResponseWriter, r *http.Request, c slCall) {
	s.slObject(w, r, s.slAccount(c.account))
}

// slCurrentUser serves SoftLayer_Account::getCurrentUser: the caller, with
// isMasterUserFlag and permissions, so a tool can tell whether its device
// listings are complete (slvisibility.go).
func (s *Server) slCurrentUser(w http.ResponseWriter, r *http.Request, c slCall) {
	s.slObject(w, r, s.slUser(c.account, c.user))
}

// slUsers serves SoftLayer_Account::getUsers.
func (s *Server) slUsers(w http.ResponseWriter, r *http.Request, c slCall) {
	ia := c.account
	s.slList(w, r, "users", listOf(ia.Users, func(u InfraUser) map[string]any { return s.slUser(ia, &u) }))
}

// slDeviceList serves SoftLayer_Account::getVirtualGuests (hardware
// false) or getHardware (true): the devices the caller may see.
func slDeviceList(hardware bool) func(s *Server, w http.ResponseWriter, r *http.Request, c slCall) {
	property := "virtualGuests"
	if hardware {
		property = "hardware"
	}
	return func(s *Server, w http.ResponseWriter, r *http.Request, c slCall) {
		ia := c.account
		s.slList(w, r, property, c.user.visibleDevices(s.cachedList(ia, property, func() []map[string]any {
			vlans := ia.vlanIndex()
			return listOf(ia.devices(hardware), func(d Device) map[string]any { return slDevice(ia, vlans, d, hardware) })
		}), hardware))
	}
}

// slNetworkVlans serves SoftLayer_Account::getNetworkVlans.
func (s *Server) slNetworkVlans(w http.ResponseWriter, r *http.Request, c slCall) {
	ia := c.account
	s.slList(w, r, "networkVlans", s.cachedList(ia, "networkVlans", func() []map[string]any {
		return listOf(ia.VLANs, func(v VLAN) map[string]any { return slVLAN(ia, v) })
	}))
}

// slUserOf renders the user /SoftLayer_User_Customer/{id} names in the
// caller's account, writing 404 for another id.
func (s *Server) slUserOf(w http.ResponseWriter, r *http.Request, c slCall) map[string]any {
	u := c.account.userByID(slID(r))
	if u == nil {
		s.slNotFoundID(w, r)
		return nil
	}
	return s.slUser(c.account, u)
}

// slUserObject serves SoftLayer_User_Customer::getObject.
func (s *Server) slUserObject(w http.ResponseWriter, r *http.Request, c slCall) {
	if obj := s.slUserOf(w, r, c); obj != nil {
		s.slObject(w, r, obj)
	}
}

// slUserPermissions serves SoftLayer_User_Customer::getPermissions.
func (s *Server) slUserPermissions(w http.ResponseWriter, r *http.Request, c slCall) {
	if obj := s.slUserOf(w, r, c); obj != nil {
		s.slList(w, r, "permissions", obj["permissions"].([]map[string]any))
	}
}

// slUserStatus serves SoftLayer_User_Customer::getUserStatus.
func (s *Server) slUserStatus(w http.ResponseWriter, r *http.Request, c slCall) {
	if obj := s.slUserOf(w, r, c); obj != nil {
		s.slObject(w, r, obj["userStatus"].(map[string]any))
	}
}

// slDeviceObject serves getObject of SoftLayer_Virtual_Guest (hardware
// false) or SoftLayer_Hardware / SoftLayer_Hardware_Server (true). A device
// the caller may not see is not found, as one that does not exist
// (slvisibility.go).
func slDeviceObject(hardware bool) func(s *Server, w http.ResponseWriter, r *http.Request, c slCall) {
	return func(s *Server, w http.ResponseWriter, r *http.Request, c slCall) {
		ia, id := c.account, slID(r)
		for _, d := range ia.devices(hardware) {
			if d.ID == id && c.user.mayRead(d, hardware) {
				s.slObject(w, r, slDevice(ia, ia.vlanIndex(), d, hardware))
				return
			}
		}
		s.slNotFoundID(w, r)
	}
}

// slVLANObject serves SoftLayer_Network_Vlan::getObject.
func (s *Server) slVLANObject(w http.ResponseWriter, r *http.Request, c slCall) {
	for _, v := range c.account.VLANs {
		if v.ID == slID(r) {
			s.slObject(w, r, slVLAN(c.account, v))
			return
		}
	}
	s.slNotFoundID(w, r)
}

// slNotFoundID is SoftLayer's 404 for an id that is not there.
func (s *Server) slNotFoundID(w http.ResponseWriter, r *http.Request) {
	failSoftLayer(s, w, r, http.StatusNotFound, slNotFound, fmt.Sprintf("Unable to find object with id of '%d'.", slID(r)))
}

// slUnknownMethod is SoftLayer's unrouted answer: a service and method it
// does not simulate, in SoftLayer's own words, or a path of another form.
func (s *Server) slUnknownMethod(w http.ResponseWriter, r *http.Request, _ slCall) {
	service, _, method, ok := slPath(strings.TrimPrefix(r.URL.Path, PrefixSoftLayer))
	if !ok {
		s.notSimulated(w, r)
		return
	}
	failSoftLayer(s, w, r, http.StatusNotFound, "SoftLayer_Exception_Public",
		fmt.Sprintf("ks-doctor-sim does not simulate %s::%s.", service, method))
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
