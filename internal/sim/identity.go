package sim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// IAM identity (iamidentityv1): API keys and the account settings, where
// the MFA setting lives.

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

// apiKeyByID serves GET /v1/apikeys/{id}.
func (s *Server) apiKeyByID(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("id")
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
func (s *Server) accountSettings(w http.ResponseWriter, r *http.Request, c *caller) {
	id := r.PathValue("account")
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
