package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	platformUnauthorized = "not_authorized" // [I] code of the platform APIs' 401
	platformUnauthMsg    = "The access token is missing, malformed, foreign or expired."
	platformForbidden    = "forbidden" // [I]
	platformForbiddenMsg = "You are not authorized to perform this action."
)

// resourceManager serves GET /v2/resource_groups (p is the path below
// /resource-manager). Groups of another account are never listed.
func (s *Server) resourceManager(w http.ResponseWriter, r *http.Request, p string) {
	c, ok := s.bearer(w, r, platformUnauthorized, platformUnauthMsg)
	if !ok {
		return
	}
	if p != "/v2/resource_groups" {
		s.notSimulated(w, r)
		return
	}
	q := r.URL.Query()
	account := q.Get("account_id")
	if account == "" {
		account = c.Account.BSS // the service defaults to the caller's account
	}
	out := []map[string]any{}
	if account == s.sc.Account.ID && c.home(s.sc) {
		for _, g := range s.sc.ResourceGroups {
			if name := q.Get("name"); name != "" && name != g.Name {
				continue
			}
			if d := q.Get("default"); d != "" && d != fmt.Sprint(g.Default) {
				continue
			}
			out = append(out, s.resourceGroup(g))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"resources": out})
}

func (s *Server) resourceGroup(g ResourceGroup) map[string]any {
	acct := s.sc.Account.ID
	return map[string]any{
		"id": g.ID, "name": g.Name, "account_id": acct, "state": "ACTIVE", "default": g.Default,
		"crn":                 fmt.Sprintf("crn:v1:bluemix:public:resource-controller::a/%s::resource-group:%s", acct, g.ID),
		"quota_id":            g.QuotaID,
		"quota_url":           "/v2/quota_definitions/" + g.QuotaID,
		"payment_methods_url": "/v2/resource_groups/" + g.ID + "/payment_methods",
		"teams_url":           "/v2/resource_groups/" + g.ID + "/teams",
		"resource_linkages":   []any{},
		"created_at":          g.CreatedAt, "updated_at": g.CreatedAt,
	}
}

// userManagement serves the usermanagementv1 reads: GET
// /v2/accounts/{id}/users (limit, _start, search) and
// /v2/accounts/{id}/users/{iam_id}. Removed users are not found.
func (s *Server) userManagement(w http.ResponseWriter, r *http.Request, p string) {
	c, ok := s.bearer(w, r, platformUnauthorized, platformUnauthMsg)
	if !ok {
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	if len(seg) < 4 || seg[0] != "v2" || seg[1] != "accounts" || seg[3] != "users" || len(seg) > 5 {
		s.notSimulated(w, r)
		return
	}
	account := seg[2]
	if !s.allowed(w, r, c, "users", platformForbidden, platformForbiddenMsg) {
		return
	}
	if !s.sc.isMember(c.user, account) {
		s.fail(w, r, http.StatusForbidden, platformForbidden, platformForbiddenMsg)
		return
	}
	var members []*User
	for i := range s.sc.Users {
		if s.sc.isMember(&s.sc.Users[i], account) {
			members = append(members, &s.sc.Users[i])
		}
	}
	if len(seg) == 5 {
		// Without a User Management role only one's own profile reads
		// (usermanagementv1 GetUserProfile doc: the role is required); the
		// role is checked before the user is looked up, so a limited caller
		// gets 403 for a member and a stranger alike [I].
		if c.user.limits(LimitUsers) && seg[4] != c.IAMID {
			s.fail(w, r, http.StatusForbidden, platformForbidden, platformForbiddenMsg)
			return
		}
		for _, u := range members {
			if u.IAMID == seg[4] {
				writeJSON(w, http.StatusOK, userProfile(u, account))
				return
			}
		}
		s.fail(w, r, http.StatusNotFound, "not_found", "User "+seg[4]+" was not found in account "+account+".")
		return
	}
	if s.restrictedUserList(c, account) {
		members = []*User{c.user}
	}
	q := r.URL.Query()
	out := []map[string]any{}
	for _, u := range members {
		if matchesSearch(u, q.Get("search")) && (q.Get("user_id") == "" || q.Get("user_id") == u.Email) {
			out = append(out, userProfile(u, account))
		}
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit < 1 || limit > 100 {
		limit = 100
	}
	start, _ := strconv.Atoi(q.Get("_start"))
	page, next := pageOf(out, start, limit)
	body := map[string]any{"total_results": len(out), "limit": limit, "first_url": "/v2/accounts/" + account + "/users", "resources": page}
	if next >= 0 {
		body["next_url"] = fmt.Sprintf("/v2/accounts/%s/users?_start=%d&limit=%d", account, next, limit)
	}
	writeJSON(w, http.StatusOK, body)
}

// matchesSearch applies user management's search: "state:ACTIVE,email:x"
// (comma = OR) over state, email, iam_id and realm.
func matchesSearch(u *User, search string) bool {
	if search == "" {
		return true
	}
	realm, _, _ := strings.Cut(u.IAMID, "-")
	for _, term := range strings.Split(search, ",") {
		k, v, _ := strings.Cut(term, ":")
		field := map[string]string{"state": u.State, "email": u.Email, "iam_id": u.IAMID, "realm": realm}[k]
		if strings.EqualFold(field, v) {
			return true
		}
	}
	return false
}

func userProfile(u *User, account string) map[string]any {
	given, family, _ := strings.Cut(u.Name, " ")
	realm, _, _ := strings.Cut(u.IAMID, "-")
	return map[string]any{
		"id": strings.ReplaceAll(uuidFrom("user/"+u.IAMID), "-", ""), "iam_id": u.IAMID, "realm": realm,
		"user_id": u.Email, "firstname": given, "lastname": family, "state": u.State, "email": u.Email,
		"phonenumber": "", "altphonenumber": "", "photo": "", "account_id": account, "added_on": "2020-03-01T12:00:00Z",
	}
}

// accountManagement serves the accounts the caller belongs to, each with
// its linked classic infrastructure account:
//
//	GET /coe/v2/accounts[/{id}]  the account service `ibmcloud account list`
//	                             uses; no official Go SDK, shape as decoded
//	                             by bluemix-go accountv2 (metadata/entity,
//	                             bluemix_subscriptions[].softlayer_account_id)
//	GET /v4/accounts/{id}        platform-services accountmanagementv4
//	                             (linked_softlayer_account)
func (s *Server) accountManagement(w http.ResponseWriter, r *http.Request, p string) {
	c, ok := s.bearer(w, r, platformUnauthorized, platformUnauthMsg)
	if !ok || !s.allowed(w, r, c, "accounts", platformForbidden, platformForbiddenMsg) {
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	var mine []bssAccount
	for _, a := range s.sc.bssAccounts() {
		if s.sc.isMember(c.user, a.ID) {
			mine = append(mine, a)
		}
	}
	find := func(id string) *bssAccount {
		for i := range mine {
			if mine[i].ID == id {
				return &mine[i]
			}
		}
		s.fail(w, r, http.StatusNotFound, "not_found", "Account "+id+" was not found.")
		return nil
	}
	switch {
	case p == "/coe/v2/accounts":
		s.coeAccounts(w, r, mine)
	case len(seg) == 4 && seg[0] == "coe" && seg[1] == "v2" && seg[2] == "accounts":
		if a := find(seg[3]); a != nil {
			writeJSON(w, http.StatusOK, s.coeAccount(*a))
		}
	case len(seg) == 3 && seg[0] == "v4" && seg[1] == "accounts":
		if a := find(seg[2]); a != nil {
			owner := s.sc.user(a.Owner)
			ownerIAM := ""
			if owner != nil {
				ownerIAM = owner.IAMID
			}
			writeJSON(w, http.StatusOK, map[string]any{
				"name": a.Name, "id": a.ID, "owner": a.Owner, "owner_userid": a.Owner, "owner_iamid": ownerIAM,
				"type": a.Type, "status": "ACTIVE", "linked_softlayer_account": a.IMS, "team_directory_enabled": false,
				"traits": map[string]bool{"eu_supported": false, "poc": false, "hippa": false},
			})
		}
	default:
		s.notSimulated(w, r)
	}
}

func (s *Server) coeAccount(a bssAccount) map[string]any {
	ownerIAM := ""
	if u := s.sc.user(a.Owner); u != nil {
		ownerIAM = u.IAMID
	}
	sub := map[string]any{"type": a.Type, "state": "ACTIVE", "subscription_id": uuidFrom("sub/" + a.ID),
		"softlayer_account_id": a.IMS, "billing_system": "BSS", "history": []any{}, "additional_charges": []any{}}
	linkages := []map[string]string{}
	if a.IMS != "" {
		linkages = append(linkages, map[string]string{"origin": "IMS", "state": "LINKED"})
	}
	return map[string]any{
		"metadata": map[string]string{"guid": a.ID, "url": "/coe/v2/accounts/" + a.ID,
			"created_at": "2019-02-01T16:00:00.000Z", "updated_at": "2024-01-10T09:00:00.000Z"},
		"entity": map[string]any{
			"name": a.Name, "type": a.Type, "state": "ACTIVE", "owner": ownerIAM, "owner_userid": a.Owner,
			"owner_unique_id": ownerIAM, "owner_iam_id": ownerIAM, "customer_id": fmt.Sprint(numFrom("cust/"+a.ID, 7)),
			"country_code": "USA", "currency_code": "USD", "billing_country_code": "USA", "isIBMer": false,
			"team_directory_enabled": false, "organizations_region": []any{}, "linkages": linkages,
			"bluemix_subscriptions": []any{sub}, "tags": []any{},
		},
	}
}
