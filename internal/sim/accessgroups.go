package sim

import "net/http"

// IAM access groups (iamaccessgroupsv2): groups, their static and dynamic
// members (iampaging.go pages and tells membership kinds apart).

// accessGroupJSON is the AccessGroup model.
func (s *Server) accessGroupJSON(g AccessGroup) map[string]any {
	return map[string]any{
		"id": g.ID, "name": g.Name, "description": g.Description, "account_id": s.sc.Account.ID,
		"created_at": "2020-03-01T12:00:00Z", "created_by_id": s.ownerIAMID(),
		"last_modified_at": "2020-03-01T12:00:00Z", "last_modified_by_id": s.ownerIAMID(),
		"href": s.url + PrefixIAM + "/v2/groups/" + g.ID, "is_federated": false,
	}
}

// hasStaticMember tells whether iamID is a static member of g.
func (s *Server) hasStaticMember(g AccessGroup, iamID string) bool {
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

// accessGroupOf finds the group /v2/groups/{group}... names, writing 403
// for a caller denied access groups and 404 for a group it cannot see.
func (s *Server) accessGroupOf(w http.ResponseWriter, r *http.Request, c *caller) *AccessGroup {
	if !s.allowed(w, r, c, "access-groups", iamForbidden, iamForbiddenMsg) {
		return nil
	}
	id := r.PathValue("group")
	var g *AccessGroup
	for i := range s.sc.AccessGroups {
		if s.sc.AccessGroups[i].ID == id && c.home(s.sc) {
			g = &s.sc.AccessGroups[i]
		}
	}
	if g == nil {
		s.iamError(w, r, http.StatusNotFound, "SIM404", "ks-doctor-sim: access group "+id+" not found.")
	}
	return g
}

// getAccessGroup serves GET /v2/groups/{group}.
func (s *Server) getAccessGroup(w http.ResponseWriter, r *http.Request, c *caller) {
	if g := s.accessGroupOf(w, r, c); g != nil {
		writeJSON(w, http.StatusOK, s.accessGroupJSON(*g))
	}
}

// listGroupMembers serves GET /v2/groups/{group}/members (membership_type).
func (s *Server) listGroupMembers(w http.ResponseWriter, r *http.Request, c *caller) {
	g := s.accessGroupOf(w, r, c)
	if g == nil {
		return
	}
	members := []map[string]any{}
	for _, m := range s.groupMembers(*g, r.URL.Query().Get("membership_type")) {
		if u := s.sc.user(m.key); u != nil {
			members = append(members, map[string]any{"iam_id": u.IAMID, "type": "user", "membership_type": m.kind,
				"name": u.Name, "email": u.Email, "created_at": "2020-03-01T12:00:00Z", "created_by_id": s.ownerIAMID()})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"limit": 50, "offset": 0, "total_count": len(members), "members": members})
}

// isGroupMember serves HEAD /v2/groups/{group}/members/{iam_id}
// (IsMemberOfAccessGroup): 204 or 404, no body; static members only [I].
func (s *Server) isGroupMember(w http.ResponseWriter, r *http.Request, c *caller) {
	g := s.accessGroupOf(w, r, c)
	if g == nil {
		return
	}
	if s.hasStaticMember(*g, r.PathValue("iam_id")) {
		w.WriteHeader(http.StatusNoContent)
	} else {
		w.WriteHeader(http.StatusNotFound)
	}
}
