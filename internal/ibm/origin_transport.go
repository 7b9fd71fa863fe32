package ibm

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Credentials go only to the configured endpoints, by scheme, host and
// port. Go's http.Client forwards Authorization on a redirect to any port
// of the same host (net/http client.go, shouldCopyHeaderOnRedirect compares
// host names only), so redirects are checked here (sameOrigin) and every
// request that carries a credential is checked again at the bottom of the
// stack (credGuard), whoever built the http.Client (softlayer-go too).

// CredentialError refuses to send a credential to a host that is not one
// of the configured endpoints.
type CredentialError struct{ Origin string }

func (e *CredentialError) Error() string {
	return "refusing to send credentials to " + e.Origin + ", which is not a configured IBM Cloud endpoint"
}

// RedirectError refuses a redirect to another origin.
type RedirectError struct{ From, To string }

func (e *RedirectError) Error() string {
	return fmt.Sprintf("redirect from %s to another host or port (%s) refused", e.From, e.To)
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(host), port)
}

// sameOrigin is every client's CheckRedirect.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if from, to := origin(via[0].URL), origin(req.URL); from != to {
		return &RedirectError{From: from, To: to}
	}
	return nil
}

// origins is the set of origins that may receive credentials: each
// endpoint's, and for the VPC template every "{region}" host.
type origins struct {
	exact    map[string]bool
	prefixes [][2]string // origin split around "{region}"
}

const regionMark = "ksdoctorregionmark"

func originsOf(ep Endpoints) origins {
	o := origins{exact: map[string]bool{}}
	for _, raw := range []string{ep.IAM, ep.IKS, ep.ResourceManager, ep.UserManagement, ep.AccountManagement, ep.SoftLayer, ep.VPC} {
		u, err := url.Parse(strings.ReplaceAll(raw, "{region}", regionMark))
		if err != nil || u.Host == "" {
			continue
		}
		og := origin(u)
		if before, after, ok := strings.Cut(og, regionMark); ok {
			o.prefixes = append(o.prefixes, [2]string{before, after})
			continue
		}
		o.exact[og] = true
	}
	return o
}

func (o origins) allows(u *url.URL) bool {
	og := origin(u)
	if o.exact[og] {
		return true
	}
	for _, p := range o.prefixes {
		mid, ok := strings.CutPrefix(og, p[0])
		if !ok {
			continue
		}
		region, ok := strings.CutSuffix(mid, p[1])
		if ok && region != "" && strings.Trim(region, "abcdefghijklmnopqrstuvwxyz0123456789-") == "" {
			return true
		}
	}
	return false
}

// credentialHeaders are the request headers that carry a secret.
var credentialHeaders = []string{"Authorization", "X-Auth-Refresh-Token", "Iam-Apikey", "X-Auth-Token"}

type credGuard struct {
	next  http.RoundTripper
	allow origins
}

func (g credGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !g.allow.allows(req.URL) {
		for _, h := range credentialHeaders {
			if req.Header.Get(h) != "" {
				if req.Body != nil {
					req.Body.Close()
				}
				return nil, &CredentialError{Origin: origin(req.URL)}
			}
		}
	}
	return g.next.RoundTrip(req)
}
