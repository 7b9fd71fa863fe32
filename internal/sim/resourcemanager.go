package sim

import (
	"fmt"
	"net/http"
)

// resourceManager serves GET /v2/resource_groups (p is the path below
// /resource-manager). Groups of another account are never listed.
func (s *Server) resourceManager(w http.ResponseWriter, r *http.Request, p string, c *claims) {
	if p != "/v2/resource_groups" {
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate GET "+r.URL.Path+".", "")
		return
	}
	q := r.URL.Query()
	account := q.Get("account_id")
	if account == "" {
		account = c.Account.BSS // the service defaults to the caller's account
	}
	out := []map[string]any{}
	if account == s.sc.Account.ID && c.Account.BSS == s.sc.Account.ID {
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
