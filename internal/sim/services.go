package sim

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// service is one simulated API on its path prefix.
type service struct {
	name, prefix string
	// fail writes an error in this service's own body shape.
	fail func(s *Server, w http.ResponseWriter, r *http.Request, status int, code, msg string)
	// unrouted answers a read below the prefix that no route takes (a write
	// is refused before, router.go): the checks the service makes before
	// it looks at the path (its gate: authentication first, as IBM's
	// services do, so an unknown path without a token is 401), then 404 in
	// the service's shape.
	unrouted serveFunc
}

var services []*service

// init fills the table: the handlers refer back to it (through fail), which
// a package-level initializer may not.
func init() {
	services = []*service{
		{"iam", PrefixIAM, failIAM, through(iamCaller, unknownPath[*caller])},
		{"iks", PrefixIKS, failIKS, through(iksCaller, unknownPath[*caller])},
		{"resource-manager", PrefixResourceManager, failPlatform, through(platformCaller, unknownPath[*caller])},
		{"user-management", PrefixUserManagement, failPlatform, through(platformCaller, unknownPath[*caller])},
		{"account-management", PrefixAccountManagement, failPlatform, through(accountsCaller, unknownPath[*caller])},
		{"softlayer", PrefixSoftLayer, failSoftLayer, through(slCaller, (*Server).slUnknownMethod)},
		{"vpc", PrefixVPC, failVPC, through(vpcCaller, unknownPath[*vpcView])},
		{"kube", PrefixKube, failKube, through(kubeCaller, (*Server).kubeUnknownPath)},
	}
}

// ServiceNames are the simulated services, as logged and as Fault.Service
// and rate limits name them.
func ServiceNames() []string {
	var out []string
	for _, svc := range services {
		out = append(out, svc.name)
	}
	return out
}

// serviceOf finds the service a path belongs to, or nil.
func serviceOf(path string) *service {
	for _, svc := range services {
		if under(path, svc.prefix) {
			return svc
		}
	}
	return nil
}

func under(p, prefix string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }

// fail writes an error in the shape of the service r is addressed to.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if svc := serviceOf(r.URL.Path); svc != nil {
		svc.fail(s, w, r, status, code, msg)
		return
	}
	ikserror(w, status, code, "General", msg, "")
}

// ikserror writes the IKS error body. Never an "errors" array: go-sdk-core
// panics on an empty one, and IKS does not send one.
func ikserror(w http.ResponseWriter, status int, code, typ, desc, recovery string) {
	body := map[string]string{"incidentID": newID(), "code": code, "description": desc, "type": typ}
	if recovery != "" {
		body["recoveryCLI"] = recovery
	}
	writeJSON(w, status, body)
}

func failIKS(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	typ := "General"
	switch status {
	case http.StatusUnauthorized:
		typ = "Authentication"
	case http.StatusForbidden:
		typ = "Authorization"
	}
	ikserror(w, status, code, typ, msg, "")
}

func failIAM(s *Server, w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.iamError(w, r, status, code, msg)
}

// failPlatform is the error body of the newer platform APIs (resource
// manager, user and account management) [I]: go-sdk-core surfaces
// errors[0].message.
func failPlatform(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"errors":      []map[string]string{{"code": code, "message": msg}},
		"trace":       newID(),
		"status_code": status,
	})
}

func failVPC(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]any{
		"errors": []map[string]string{{"code": code, "message": msg,
			"more_info": "https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages#" + code}},
		"trace":       newID(),
		"status_code": status,
	})
}

// failSoftLayer writes {"error","code"}, which softlayer-go decodes into
// sl.Error{Message, Exception}.
func failSoftLayer(_ *Server, w http.ResponseWriter, _ *http.Request, status int, code, msg string) {
	writeJSON(w, status, map[string]string{"error": msg, "code": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// newID returns a random UUID-shaped id (incident and request ids).
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
