package sim

import (
	"fmt"
	"net/http"
)

// IAM policies (iampolicymanagementv1): the direct policies of users and
// the policies of access groups, in the v1 and v2 shapes.

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

// policyList serves GET /{version}/policies of IAM (v1 or v2).
func policyList(version string) func(s *Server, w http.ResponseWriter, r *http.Request, c *caller) {
	return func(s *Server, w http.ResponseWriter, r *http.Request, c *caller) { s.listPolicies(w, r, c, version) }
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

// ownerIAMID is the IAM id of the account's owner.
func (s *Server) ownerIAMID() string { return s.sc.iamIDOf(s.sc.Account.Owner) }

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
