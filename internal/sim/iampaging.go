package sim

import (
	"net/http"
	"net/url"
	"strconv"
)

// Paging and membership kinds of the IAM policy and access group lists.

const defaultIAMPageSize = 50 // [I] neither service documents its default page

// writePolicyPage pages a policy list: limit (1-100, default
// wire.policyPageSize) and start, an opaque token the next page's
// next.start carries (iampolicymanagementv1 PolicyCollection, PoliciesPager
// follows next.start).
func (s *Server) writePolicyPage(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	q := r.URL.Query()
	limit := pageLimit(q.Get("limit"), s.sc.Wire.PolicyPageSize)
	start, _ := strconv.Atoi(q.Get("start"))
	page, next := pageOf(all, start, limit)
	body := map[string]any{"limit": limit, "first": map[string]string{"href": s.pageHref(r, "start", "")}, "policies": page}
	if next >= 0 {
		token := strconv.Itoa(next)
		body["next"] = map[string]string{"href": s.pageHref(r, "start", token), "start": token}
	}
	if start > 0 {
		prev := strconv.Itoa(max(0, start-limit))
		body["previous"] = map[string]string{"href": s.pageHref(r, "start", prev), "start": prev}
	}
	writeJSON(w, http.StatusOK, body)
}

// writeGroupPage pages an access group list: limit (default
// wire.accessGroupPageSize), offset, total_count, and first/next/last hrefs
// whose offset AccessGroupsPager reads.
func (s *Server) writeGroupPage(w http.ResponseWriter, r *http.Request, all []map[string]any) {
	q := r.URL.Query()
	limit := pageLimit(q.Get("limit"), s.sc.Wire.AccessGroupPageSize)
	offset, _ := strconv.Atoi(q.Get("offset"))
	page, next := pageOf(all, offset, limit)
	last := 0
	if len(all) > 0 {
		last = (len(all) - 1) / limit * limit
	}
	body := map[string]any{"limit": limit, "offset": offset, "total_count": len(all), "groups": page,
		"first": map[string]string{"href": s.pageHref(r, "offset", "0")},
		"last":  map[string]string{"href": s.pageHref(r, "offset", strconv.Itoa(last))}}
	if next >= 0 {
		body["next"] = map[string]string{"href": s.pageHref(r, "offset", strconv.Itoa(next))}
	}
	writeJSON(w, http.StatusOK, body)
}

// pageLimit reads a limit parameter: 1-100, else the default.
func pageLimit(raw string, def int) int {
	if def <= 0 {
		def = defaultIAMPageSize
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return def
	}
	return min(n, 100)
}

// pageHref is the request's own URL with one parameter set ("" = removed).
func (s *Server) pageHref(r *http.Request, param, value string) string {
	q := r.URL.Query()
	q.Del(param)
	if value != "" {
		q.Set(param, value)
	}
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return s.url + u.String()
}

// groupMember is one member of an access group and how it belongs.
type groupMember struct{ key, kind string }

// groupMembers lists a group's members of a membership type: static
// (default), dynamic, or all (iamaccessgroupsv2 membership_type).
func (s *Server) groupMembers(g AccessGroup, membershipType string) []groupMember {
	var out []groupMember
	if membershipType != "dynamic" {
		for _, m := range g.Members {
			out = append(out, groupMember{m, "static"})
		}
	}
	if membershipType == "dynamic" || membershipType == "all" {
		for _, m := range g.DynamicMembers {
			out = append(out, groupMember{m, "dynamic"})
		}
	}
	return out
}

// memberBy tells whether iamID belongs to g by a membership type.
func (s *Server) memberBy(g AccessGroup, iamID, membershipType string) bool {
	for _, m := range s.groupMembers(g, membershipType) {
		if u := s.sc.user(m.key); u != nil && u.IAMID == iamID {
			return true
		}
	}
	return false
}
