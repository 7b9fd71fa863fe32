package sim

import (
	"fmt"
	"net/http"
	"net/url"
)

// freeAccountType tells whether an account type is a free one: TRIAL, LITE
// and STANDARD, which platform-services enterprisemanagementv1 documents as
// the Lite type ("TRIAL, STANDARD (Lite), PAYG, SUBSCRIPTION").
func freeAccountType(t string) bool { return t == "LITE" || t == "TRIAL" || t == "STANDARD" }

// userMFA renders account.userMfa as the IAM account settings' user_mfa
// (iamidentityv1 AccountSettingsUserMfaResponse: iam_id, mfa): users
// exempted from the account's mfa or given their own level.
func (s *Server) userMFA() []map[string]string {
	out := []map[string]string{}
	for _, m := range s.sc.Account.UserMFA {
		if u := s.sc.user(m.User); u != nil {
			out = append(out, map[string]string{"iam_id": u.IAMID, "mfa": m.MFA})
		}
	}
	return out
}

// coeAccounts serves GET /coe/v2/accounts: pages of wire.accountPageSize
// accounts (0 = all on one), each page's next_url naming the next, as
// bluemix-go accountv2 follows it (api/account/accountv2/accounts.go, List
// with GetPaginated). The next_url's parameter is the simulator's own
// (next_docid, the next account's guid) [I].
func (s *Server) coeAccounts(w http.ResponseWriter, r *http.Request, mine []bssAccount) {
	start := 0
	if id := r.URL.Query().Get("next_docid"); id != "" {
		start = len(mine)
		for i, a := range mine {
			if a.ID == id {
				start = i
			}
		}
	}
	size := s.sc.Wire.AccountPageSize
	if size <= 0 {
		size = len(mine) + 1
	}
	page, next := pageOf(mine, start, size)
	out := []map[string]any{}
	for _, a := range page {
		out = append(out, s.coeAccount(a))
	}
	var nextURL any
	if next >= 0 {
		nextURL = fmt.Sprintf("/coe/v2/accounts?%s", url.Values{"next_docid": {mine[next].ID}}.Encode())
	}
	writeJSON(w, http.StatusOK, map[string]any{"total_results": len(mine), "next_url": nextURL, "resources": out})
}
