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

// platformCaller is the gate of Resource Manager and user management: a
// token of this simulator, else 401 not_authorized.
func platformCaller(s *Server, w http.ResponseWriter, r *http.Request) (*caller, bool) {
	return s.bearer(w, r, platformUnauthorized, platformUnauthMsg)
}

// accountsCaller is the gate of account management, which checks the
// denial before the path.
func accountsCaller(s *Server, w http.ResponseWriter, r *http.Request) (*caller, bool) {
	c, ok := platformCaller(s, w, r)
	return c, ok && s.allowed(w, r, c, "accounts", platformForbidden, platformForbiddenMsg)
}

// listResourceGroups serves GET /resource-manager/v2/resource_groups
// (account_id, name, default). Groups of another account are never listed.
func (s *Server) listResourceGroups(w http.ResponseWriter, r *http.Request, c *caller) {
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

// accountMembers are the members of the account a
// /v2/accounts/{account}/users... path names, after the checks user
// management makes first: the caller is not denied users and belongs to
// that account (else 403).
func (s *Server) accountMembers(w http.ResponseWriter, r *http.Request, c *caller) ([]*User, bool) {
	if !s.allowed(w, r, c, "users", platformForbidden, platformForbiddenMsg) {
		return nil, false
	}
	account := r.PathValue("account")
	if !s.sc.isMember(c.user, account) {
		s.fail(w, r, http.StatusForbidden, platformForbidden, platformForbiddenMsg)
		return nil, false
	}
	var members []*User
	for i := range s.sc.Users {
		if s.sc.isMember(&s.sc.Users[i], account) {
			members = append(members, &s.sc.Users[i])
		}
	}
	return members, true
}

// getUserProfile serves GET /v2/accounts/{account}/users/{iam_id}; removed
// users are not found.
func (s *Server) getUserProfile(w http.ResponseWriter, r *http.Request, c *caller) {
	members, ok := s.accountMembers(w, r, c)
	if !ok {
		return
	}
	account, iamID := r.PathValue("account"), r.PathValue("iam_id")
	// Without a User Management role only one's own profile reads
	// (usermanagementv1 GetUserProfile doc: the role is required); the
	// role is checked before the user is looked up, so a limited caller
	// gets 403 for a member and a stranger alike [I].
	if c.user.limits(LimitUsers) && iamID != c.IAMID {
		s.fail(w, r, http.StatusForbidden, platformForbidden, platformForbiddenMsg)
		return
	}
	for _, u := range members {
		if u.IAMID == iamID {
			writeJSON(w, http.StatusOK, userProfile(u, account))
			return
		}
	}
	s.fail(w, r, http.StatusNotFound, "not_found", "User "+iamID+" was not found in account "+account+".")
}

// listUsers serves GET /v2/accounts/{account}/users (limit, _start,
// search, user_id): the account's members, or only the caller in a
// restricted list (limits.go).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, c *caller) {
	members, ok := s.accountMembers(w, r, c)
	if !ok {
		return
	}
	account := r.PathValue("account")
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

// Account management serves the accounts the caller belongs to, each with
// its linked classic infrastructure account:
//
//	GET /coe/v2/accounts[/{id}]  the account service `ibmcloud account list`
//	                             uses; no official Go SDK, shape as decoded
//	                             by bluemix-go accountv2 (metadata/entity,
//	                             bluemix_subscriptions[].softlayer_account_id)
//	GET /v4/accounts/{id}        platform-services accountmanagementv4
//	                             (linked_softlayer_account)

// myAccounts are the IBM Cloud accounts the caller belongs to.
func (s *Server) myAccounts(c *caller) []bssAccount {
	var mine []bssAccount
	for _, a := range s.sc.bssAccounts() {
		if s.sc.isMember(c.user, a.ID) {
			mine = append(mine, a)
		}
	}
	return mine
}

// myAccount is the one of them the path's {account} names, else 404.
func (s *Server) myAccount(w http.ResponseWriter, r *http.Request, c *caller) *bssAccount {
	id := r.PathValue("account")
	mine := s.myAccounts(c)
	for i := range mine {
		if mine[i].ID == id {
			return &mine[i]
		}
	}
	s.fail(w, r, http.StatusNotFound, "not_found", "Account "+id+" was not found.")
	return nil
}

// listCOEAccounts serves GET /coe/v2/accounts (accountfacts.go pages it).
func (s *Server) listCOEAccounts(w http.ResponseWriter, r *http.Request, c *caller) {
	s.coeAccounts(w, r, s.myAccounts(c))
}

// getCOEAccount serves GET /coe/v2/accounts/{account}.
func (s *Server) getCOEAccount(w http.ResponseWriter, r *http.Request, c *caller) {
	if a := s.myAccount(w, r, c); a != nil {
		writeJSON(w, http.StatusOK, s.coeAccount(*a))
	}
}

// getAccountV4 serves GET /v4/accounts/{account} (accountmanagementv4
// GetAccount).
func (s *Server) getAccountV4(w http.ResponseWriter, r *http.Request, c *caller) {
	if a := s.myAccount(w, r, c); a != nil {
		writeJSON(w, http.StatusOK, map[string]any{
			"name": a.Name, "id": a.ID, "owner": a.Owner, "owner_userid": a.Owner, "owner_iamid": s.sc.iamIDOf(a.Owner),
			"type": a.Type, "status": "ACTIVE", "linked_softlayer_account": a.IMS, "team_directory_enabled": false,
			"traits": map[string]bool{"eu_supported": false, "poc": false, "hippa": false},
		})
	}
}

// coeAccount is one account in the shape bluemix-go accountv2 decodes.
func (s *Server) coeAccount(a bssAccount) map[string]any {
	ownerIAM := s.sc.iamIDOf(a.Owner)
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
