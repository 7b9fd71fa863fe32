package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// IAM serves, below /iam, what the iamidentityv1, iampolicymanagementv1 and
// iamaccessgroupsv2 clients read (reference §6, §9). The token endpoint is
// routed before this, in dispatch.
func (s *Server) iam(w http.ResponseWriter, r *http.Request, p string) {
	c, ok := s.bearer(w, r, "SIM401", "ks-doctor-sim: the access token is missing, malformed, foreign or expired.")
	if !ok {
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case p == "/v1/apikeys/details":
		s.apiKeyDetails(w, r, c)
	case p == "/v1/apikeys":
		s.listAPIKeys(w, r, c)
	case len(seg) == 3 && seg[0] == "v1" && seg[1] == "apikeys":
		s.apiKeyByID(w, r, c, seg[2])
	case len(seg) == 5 && seg[0] == "v1" && seg[1] == "accounts" && seg[3] == "settings" && seg[4] == "identity":
		s.accountSettings(w, r, c, seg[2])
	case p == "/v1/policies", p == "/v2/policies":
		s.listPolicies(w, r, c, seg[0])
	case p == "/v2/groups":
		s.listAccessGroups(w, r, c)
	case len(seg) >= 3 && seg[0] == "v2" && seg[1] == "groups":
		s.accessGroup(w, r, c, seg[2:])
	default:
		s.notSimulated(w, r)
	}
}

const (
	iamForbidden    = "BXNIM0513E" // 403 "You are not authorized to use this API." [V-doc: IBM gopep tests]
	iamForbiddenMsg = "You are not authorized to use this API."
)

// iamKey is an IAM API key the scenario implies: the session key, users'
// keys, and the IKS keys (named containers-kubernetes-key, as IKS names them).
type iamKey struct {
	ID, Name, Description, IAMID, Value, CreatedAt string
}

func (s *Server) iamKeys() []iamKey {
	sc := s.sc
	var out []iamKey
	add := func(u *User, value, name string) {
		if u != nil && value != "" {
			out = append(out, iamKey{ID: "ApiKey-" + uuidFrom("user-key/"+value), Name: name, IAMID: u.IAMID,
				Value: value, CreatedAt: "2024-03-01T09:00+0000"})
		}
	}
	add(sc.user(sc.Session.User), sc.Session.APIKey, "ibmcloud-cli-login")
	for i := range sc.Users {
		for j, v := range sc.Users[i].APIKeys {
			add(&sc.Users[i], v, fmt.Sprintf("%s-key-%d", strings.ToLower(strings.Fields(sc.Users[i].Name + " user")[0]), j+1))
		}
	}
	for _, k := range sc.APIKeys {
		if u := sc.user(k.Owner); u != nil {
			out = append(out, iamKey{ID: k.ID, Name: "containers-kubernetes-key", IAMID: u.IAMID, Value: k.Value, CreatedAt: k.CreatedAt,
				Description: fmt.Sprintf("IBM Cloud Kubernetes Service API key for region %s and resource group %s. Do not delete.", k.Region, k.ResourceGroup)})
		}
	}
	return out
}

// apiKeyJSON is the APIKey model; the value itself is never echoed.
func (s *Server) apiKeyJSON(k iamKey) map[string]any {
	acct := s.sc.Account.ID
	return map[string]any{
		"id": k.ID, "entity_tag": "1-" + uuidFrom("etag/" + k.ID)[:8], "crn": "crn:v1:bluemix:public:iam-identity::a/" + acct + "::apikey:" + k.ID,
		"locked": false, "disabled": false, "created_at": k.CreatedAt, "created_by": k.IAMID, "modified_at": k.CreatedAt,
		"name": k.Name, "description": k.Description, "iam_id": k.IAMID, "account_id": acct,
		"support_sessions": false, "action_when_leaked": "none",
	}
}

// apiKeyDetails serves GET /v1/apikeys/details: the key is looked up by
// its value in the IAM-ApiKey header.
func (s *Server) apiKeyDetails(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "api-keys", iamForbidden, iamForbiddenMsg) {
		return
	}
	if v := r.Header.Get("IAM-ApiKey"); v != "" {
		for _, k := range s.iamKeys() {
			if k.Value == v {
				writeJSON(w, http.StatusOK, s.apiKeyJSON(k))
				return
			}
		}
	}
	s.iamError(w, r, http.StatusNotFound, "BXNIM0415E", "Provided API key could not be found.")
}

func (s *Server) apiKeyByID(w http.ResponseWriter, r *http.Request, c *caller, id string) {
	if !s.allowed(w, r, c, "api-keys", iamForbidden, iamForbiddenMsg) {
		return
	}
	for _, k := range s.iamKeys() {
		if k.ID == id && c.home(s.sc) {
			writeJSON(w, http.StatusOK, s.apiKeyJSON(k))
			return
		}
	}
	s.iamError(w, r, http.StatusNotFound, "BXNIM0415E", "Provided API key could not be found.")
}

// listAPIKeys serves GET /v1/apikeys: the caller's own keys by default,
// another user's with iam_id, the whole account's with scope=account.
func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "api-keys", iamForbidden, iamForbiddenMsg) {
		return
	}
	q := r.URL.Query()
	if a := q.Get("account_id"); a != "" && a != c.account.ID {
		s.iamError(w, r, http.StatusForbidden, iamForbidden, iamForbiddenMsg)
		return
	}
	iamID := orDefault(q.Get("iam_id"), c.IAMID)
	var keys []map[string]any
	if c.home(s.sc) {
		for _, k := range s.iamKeys() {
			if q.Get("scope") == "account" || k.IAMID == iamID {
				keys = append(keys, s.apiKeyJSON(k))
			}
		}
	}
	size, _ := strconv.Atoi(q.Get("pagesize"))
	if size < 1 || size > 100 {
		size = 20
	}
	offset, _ := strconv.Atoi(q.Get("pagetoken")) // the token is an offset here
	page, next := pageOf(keys, offset, size)
	body := map[string]any{"offset": offset, "limit": size, "apikeys": page, "first": s.url + r.URL.Path}
	if next >= 0 {
		nq := r.URL.Query()
		nq.Set("pagetoken", strconv.Itoa(next))
		body["next"] = s.url + r.URL.Path + "?" + nq.Encode()
	}
	writeJSON(w, http.StatusOK, body)
}

// pageOf cuts one page out of list; next is the next offset, or -1.
func pageOf[T any](list []T, offset, limit int) (page []T, next int) {
	offset = min(max(offset, 0), len(list))
	end := min(offset+limit, len(list))
	page = append([]T{}, list[offset:end]...)
	if end < len(list) {
		return page, end
	}
	return page, -1
}

// accountSettings serves GET /v1/accounts/{id}/settings/identity, where
// the account's MFA setting lives.
func (s *Server) accountSettings(w http.ResponseWriter, r *http.Request, c *caller, id string) {
	if !s.allowed(w, r, c, "account-settings", iamForbidden, iamForbiddenMsg) {
		return
	}
	acc := s.sc.bssAccount(id)
	if acc == nil || !s.sc.isMember(c.user, id) {
		s.iamError(w, r, http.StatusForbidden, iamForbidden, iamForbiddenMsg)
		return
	}
	restrict, userMFA := UserListNotRestricted, []map[string]string{}
	if id == s.sc.Account.ID {
		restrict, userMFA = s.sc.Account.RestrictUserListVisibility, s.userMFA()
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"account_id": id, "entity_tag": "3-" + uuidFrom("settings/" + id)[:8], "mfa": acc.MFA,
		"restrict_create_service_id": "NOT_SET", "restrict_create_platform_apikey": "NOT_SET", "allowed_ip_addresses": "",
		"session_expiration_in_seconds": "NOT_SET", "session_invalidation_in_seconds": "NOT_SET",
		"max_sessions_per_identity": "NOT_SET", "system_access_token_expiration_in_seconds": "NOT_SET",
		"system_refresh_token_expiration_in_seconds": "NOT_SET", "restrict_user_list_visibility": restrict,
		"user_mfa": userMFA, "restrict_user_domains": []any{},
	})
}

// policyRecord is one policy with its subject: a user or an access group.
type policyRecord struct {
	ID, IAMID, GroupID string
	Policy
}

func (s *Server) policies() []policyRecord {
	var out []policyRecord
	for _, u := range s.sc.Users {
		for i, p := range u.Policies {
			out = append(out, policyRecord{ID: uuidFrom(fmt.Sprintf("policy/%s/%d", u.IAMID, i)), IAMID: u.IAMID, Policy: p})
		}
	}
	for _, g := range s.sc.AccessGroups {
		for i, p := range g.Policies {
			out = append(out, policyRecord{ID: uuidFrom(fmt.Sprintf("policy/%s/%d", g.ID, i)), GroupID: g.ID, Policy: p})
		}
	}
	return out
}

// attrs are a policy's subject and resource attributes as name/value
// pairs. No serviceName means every IAM-enabled service (serviceType=service).
func (s *Server) attrs(p policyRecord) (subject, resource [][2]string) {
	if p.IAMID != "" {
		subject = [][2]string{{"iam_id", p.IAMID}}
	} else {
		subject = [][2]string{{"access_group_id", p.GroupID}}
	}
	resource = [][2]string{{"accountId", s.sc.Account.ID}}
	// "All IAM services" is serviceType=service without serviceName; "All
	// Account Management services" serviceType=platform_service
	// (terraform-provider-ibm ibm/flex/structures.go).
	if p.Service != "" {
		resource = append(resource, [2]string{"serviceName", p.Service})
	} else {
		resource = append(resource, [2]string{"serviceType", orDefault(p.ServiceType, "service")})
	}
	if p.Region != "" {
		resource = append(resource, [2]string{"region", p.Region})
	}
	if g := s.sc.GroupByName(p.ResourceGroup); g != nil {
		resource = append(resource, [2]string{"resourceGroupId", g.ID})
	}
	if p.Cluster != "" {
		resource = append(resource, [2]string{"serviceInstance", p.Cluster})
	}
	return subject, resource
}

// listPolicies serves GET /v1/policies and /v2/policies (reference §9):
// filters account_id (required), iam_id, access_group_id, service_name.
func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request, c *caller, version string) {
	if !s.allowed(w, r, c, "policies", iamForbidden, iamForbiddenMsg) {
		return
	}
	q := r.URL.Query()
	if q.Get("account_id") == "" {
		s.iamError(w, r, http.StatusBadRequest, "SIM400", "ks-doctor-sim: account_id is required.")
		return
	}
	if q.Get("account_id") != c.account.ID {
		s.iamError(w, r, http.StatusForbidden, iamForbidden, iamForbiddenMsg)
		return
	}
	out := []map[string]any{}
	for _, p := range s.policies() {
		// "If the caller does not have read access to any policies an empty
		// array is returned" (iampolicymanagementv1 ListPolicies doc).
		if !c.home(s.sc) || c.user.limits(LimitPolicies) ||
			q.Get("iam_id") != "" && q.Get("iam_id") != p.IAMID ||
			q.Get("access_group_id") != "" && q.Get("access_group_id") != p.GroupID ||
			q.Get("service_name") != "" && p.Service != "" && q.Get("service_name") != p.Service {
			continue
		}
		if version == "v1" {
			out = append(out, s.v1Policy(p))
		} else {
			out = append(out, s.v2Policy(p))
		}
	}
	s.writePolicyPage(w, r, out)
}

func (s *Server) policyMeta(p policyRecord, version string) map[string]any {
	return map[string]any{
		"id": p.ID, "type": "access", "description": "", "state": "active",
		"href":       s.url + PrefixIAM + "/" + version + "/policies/" + p.ID,
		"created_at": "2020-03-01T12:00:00.000Z", "created_by_id": s.ownerIAMID(),
		"last_modified_at": "2020-03-01T12:00:00.000Z", "last_modified_by_id": s.ownerIAMID(),
	}
}

func (s *Server) ownerIAMID() string {
	if u := s.sc.user(s.sc.Account.Owner); u != nil {
		return u.IAMID
	}
	return ""
}

func (s *Server) v1Policy(p policyRecord) map[string]any {
	m := s.policyMeta(p, "v1")
	subject, resource := s.attrs(p)
	var sa, ra, roles []map[string]string
	for _, a := range subject {
		sa = append(sa, map[string]string{"name": a[0], "value": a[1]})
	}
	for _, a := range resource {
		ra = append(ra, map[string]string{"name": a[0], "value": a[1], "operator": "stringEquals"})
	}
	for _, r := range p.Roles {
		roles = append(roles, map[string]string{"role_id": roleCRNs[r], "display_name": r, "description": ""})
	}
	m["subjects"] = []any{map[string]any{"attributes": sa}}
	m["resources"] = []any{map[string]any{"attributes": ra}}
	m["roles"] = roles
	return m
}

func (s *Server) v2Policy(p policyRecord) map[string]any {
	m := s.policyMeta(p, "v2")
	subject, resource := s.attrs(p)
	var sa, ra, roles []map[string]string
	for _, a := range subject {
		sa = append(sa, map[string]string{"key": a[0], "operator": "stringEquals", "value": a[1]})
	}
	for _, a := range resource {
		ra = append(ra, map[string]string{"key": a[0], "operator": "stringEquals", "value": a[1]})
	}
	for _, r := range p.Roles {
		roles = append(roles, map[string]string{"role_id": roleCRNs[r]})
	}
	m["subject"] = map[string]any{"attributes": sa}
	m["resource"] = map[string]any{"attributes": ra}
	m["control"] = map[string]any{"grant": map[string]any{"roles": roles}}
	return m
}

func (s *Server) accessGroupJSON(g AccessGroup) map[string]any {
	return map[string]any{
		"id": g.ID, "name": g.Name, "description": g.Description, "account_id": s.sc.Account.ID,
		"created_at": "2020-03-01T12:00:00Z", "created_by_id": s.ownerIAMID(),
		"last_modified_at": "2020-03-01T12:00:00Z", "last_modified_by_id": s.ownerIAMID(),
		"href": s.url + PrefixIAM + "/v2/groups/" + g.ID, "is_federated": false,
	}
}

func (s *Server) isGroupMember(g AccessGroup, iamID string) bool {
	for _, m := range g.Members {
		if u := s.sc.user(m); u != nil && u.IAMID == iamID {
			return true
		}
	}
	return false
}

// listAccessGroups serves GET /v2/groups (account_id required; iam_id
// narrows to that user's groups).
func (s *Server) listAccessGroups(w http.ResponseWriter, r *http.Request, c *caller) {
	if !s.allowed(w, r, c, "access-groups", iamForbidden, iamForbiddenMsg) {
		return
	}
	q := r.URL.Query()
	if q.Get("account_id") != c.account.ID {
		s.iamError(w, r, http.StatusForbidden, iamForbidden, iamForbiddenMsg)
		return
	}
	groups := []map[string]any{}
	// "Only the groups you have access to are returned" (iamaccessgroupsv2
	// ListAccessGroups doc): a caller without access sees none, with 200.
	if c.home(s.sc) && !c.user.limits(LimitAccessGroups) {
		for _, g := range s.sc.AccessGroups {
			if id := q.Get("iam_id"); id == "" || s.memberBy(g, id, q.Get("membership_type")) {
				groups = append(groups, s.accessGroupJSON(g))
			}
		}
	}
	s.writeGroupPage(w, r, groups)
}

// accessGroup serves /v2/groups/{id}, /members and HEAD /members/{iam_id}.
func (s *Server) accessGroup(w http.ResponseWriter, r *http.Request, c *caller, seg []string) {
	if !s.allowed(w, r, c, "access-groups", iamForbidden, iamForbiddenMsg) {
		return
	}
	var g *AccessGroup
	for i := range s.sc.AccessGroups {
		if s.sc.AccessGroups[i].ID == seg[0] && c.home(s.sc) {
			g = &s.sc.AccessGroups[i]
		}
	}
	if g == nil {
		s.iamError(w, r, http.StatusNotFound, "SIM404", "ks-doctor-sim: access group "+seg[0]+" not found.")
		return
	}
	switch {
	case len(seg) == 1:
		writeJSON(w, http.StatusOK, s.accessGroupJSON(*g))
	case len(seg) == 2 && seg[1] == "members":
		members := []map[string]any{}
		for _, m := range s.groupMembers(*g, r.URL.Query().Get("membership_type")) {
			if u := s.sc.user(m.key); u != nil {
				members = append(members, map[string]any{"iam_id": u.IAMID, "type": "user", "membership_type": m.kind,
					"name": u.Name, "email": u.Email, "created_at": "2020-03-01T12:00:00Z", "created_by_id": s.ownerIAMID()})
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"limit": 50, "offset": 0, "total_count": len(members), "members": members})
	case len(seg) == 3 && seg[1] == "members":
		// IsMemberOfAccessGroup is a HEAD: 204 or 404, no body.
		if s.isGroupMember(*g, seg[2]) {
			w.WriteHeader(http.StatusNoContent)
		} else {
			w.WriteHeader(http.StatusNotFound)
		}
	default:
		s.notSimulated(w, r)
	}
}
