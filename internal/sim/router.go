package sim

import (
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Routing. The route table (routes.go) is served by one net/http.ServeMux
// per server, whose patterns name the method and the full path ("GET
// /iks/global/v1/clusters/{cluster}"). dispatch puts around it what IBM
// Cloud's services do before they look at a path, in this order:
//
//  1. The service is found by path prefix (services.go); a path under none
//     answers 404 SIM404 in the IKS shape.
//  2. A routed request goes to its route's handler, whose gate (routes.go)
//     authenticates the caller before anything else.
//  3. Any other request is refused with 405 SIM405 and recorded as a
//     violation if it would change something (refuse): a method other than
//     GET and HEAD (the route table names the one write allowed, POST
//     /iam/identity/token), and on SoftLayer, which sends argument-less
//     methods such as rebootSoft as GET, a method that is not a getter.
//     This comes before authentication: any attempt to change something is
//     a bug in ks-doctor, whatever its credentials.
//  4. Otherwise the service answers that it does not simulate the path, after
//     the same gate as its routes (service.unrouted), so an unknown path
//     without a token is 401 as in production.
//
// What ServeMux cannot express is adapted in routeRequest, and nowhere else:
//
//   - SoftLayer REST paths are /Service[/id][/method][.json]: the method
//     shares its segment with the ".json" suffix, the numeric id is
//     optional, and without a method it is getObject. ServeMux wildcards are
//     whole segments and never optional, so the request is matched in the
//     route table's form /Service/method, with the id as the path value
//     "id" (slID reads it).
//   - ServeMux answers a path that is not clean ("//", "/./", "/../") with
//     a redirect of its own, and a method that another pattern names for
//     the path with its own 405. Neither is an IBM answer, so such requests
//     are unrouted instead.

// newMux builds the route table's ServeMux for s.
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range routes {
		serve := rt.serve
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { serve(s, w, r) })
	}
	return mux
}

// dispatch routes a request that has passed the request log and the knobs.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	svc := serviceOf(r.URL.Path)
	if svc == nil {
		ikserror(w, http.StatusNotFound, "SIM404", "General", "ks-doctor-sim does not simulate "+r.URL.Path+".", "")
		return
	}
	if routed, ok := s.routeRequest(svc, r); ok {
		s.mux.ServeHTTP(w, routed)
		return
	}
	if writes(svc, r) {
		s.refuse(w, r)
		return
	}
	svc.unrouted(s, w, r)
}

// routeRequest is r as the route table matches it, and whether a route
// matches it, method included.
func (s *Server) routeRequest(svc *service, r *http.Request) (*http.Request, bool) {
	if svc.prefix == PrefixSoftLayer {
		service, id, method, ok := slPath(strings.TrimPrefix(r.URL.Path, svc.prefix))
		if !ok {
			return nil, false
		}
		u := *r.URL
		u.Path, u.RawPath = PrefixSoftLayer+"/"+service+"/"+method, ""
		r = r.WithContext(r.Context())
		r.URL = &u
		if id != "" {
			r.SetPathValue("id", id)
		}
	}
	if !clean(r.URL.EscapedPath()) {
		return nil, false
	}
	// The pattern is "" for a path no route names and for a method no route
	// names for the path.
	if _, pattern := s.mux.Handler(r); pattern == "" {
		return nil, false
	}
	return r, true
}

// clean tells whether ServeMux takes p as it is rather than redirecting it:
// p is what path.Clean makes of it, but for a trailing slash.
func clean(p string) bool {
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c == p
}

// slPath splits a SoftLayer REST path below the prefix (softlayer-go builds
// /Service[/id][/method].json) into its service, id ("" when none) and
// method (getObject when none); ok is false when more segments follow.
func slPath(p string) (service, id, method string, ok bool) {
	seg := strings.Split(strings.TrimSuffix(strings.Trim(p, "/"), ".json"), "/")
	service, method, rest := seg[0], "getObject", seg[1:]
	if len(rest) > 0 {
		if n, err := strconv.ParseInt(rest[0], 10, 64); err == nil {
			id, rest = strconv.FormatInt(n, 10), rest[1:]
		}
	}
	switch len(rest) {
	case 0:
		return service, id, method, true
	case 1:
		return service, id, rest[0], true
	}
	return service, id, method, false
}

// slID is the object id of a routed SoftLayer request, 0 when the path has
// none.
func slID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// writes tells whether an unrouted request would change something: any
// method but GET and HEAD, and on SoftLayer a last path segment that is
// neither a getter nor an id.
func writes(svc *service, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	if svc.prefix != PrefixSoftLayer {
		return false
	}
	seg := strings.Split(strings.TrimSuffix(strings.Trim(strings.TrimPrefix(r.URL.Path, svc.prefix), "/"), ".json"), "/")
	m := seg[len(seg)-1]
	return len(seg) > 1 && !strings.HasPrefix(m, "get") && !digitsOnly(m)
}

func digitsOnly(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// refuse answers a call that would change something with 405 and records
// it as a violation.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) {
	reqInfoOf(r).violation = true
	s.fail(w, r, http.StatusMethodNotAllowed, "SIM405",
		fmt.Sprintf("ks-doctor-sim refused %s %s: ks-doctor is read-only and must never call an API that changes something.", r.Method, r.URL.Path))
}

// notSimulated is the 404 of a path the simulator does not serve.
func (s *Server) notSimulated(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "SIM404", "ks-doctor-sim does not simulate "+r.Method+" "+r.URL.Path+".")
}

// unknownPath is a service's unrouted answer after its gate (services.go).
func unknownPath[T any](s *Server, w http.ResponseWriter, r *http.Request, _ T) { s.notSimulated(w, r) }
