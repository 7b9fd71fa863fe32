package ibm

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
)

// emptyGuard turns a successful read with no body into an error. Every
// read ks-doctor makes answers a JSON document; the SDKs would decode an
// empty body into a nil result (a crash) or an empty list (a wrong
// answer: "no workers"), so it is refused here, once, for every service.
type emptyGuard struct{ next http.RoundTripper }

func (g emptyGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(req)
	if err != nil || req.Method != http.MethodGet || resp.StatusCode < 200 || resp.StatusCode > 299 || resp.StatusCode == http.StatusNoContent {
		return resp, err
	}
	br := bufio.NewReader(resp.Body)
	if _, perr := br.Peek(1); perr == io.EOF {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: empty response body (HTTP %d)", req.Method, req.URL.Path, resp.StatusCode)
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{br, resp.Body}
	return resp, nil
}
