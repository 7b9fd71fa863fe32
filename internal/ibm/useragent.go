package ibm

import "net/http"

// userAgent puts ks-doctor's name first in every request's User-Agent,
// keeping what the SDK says of itself after it.
type userAgent struct {
	next http.RoundTripper
	name string
}

func (u userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	ua := u.name
	if sdk := req.Header.Get("User-Agent"); sdk != "" {
		ua += " " + sdk
	}
	r.Header.Set("User-Agent", ua)
	return u.next.RoundTrip(r)
}
