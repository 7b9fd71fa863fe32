package ibm

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// DefaultMaxBody caps every response body: ks-doctor's largest real answer
// (a thousand-cluster listing) is a few MiB, so a body past this is a broken
// or hostile server, and reading it whole would exhaust memory.
const DefaultMaxBody = 64 << 20

// BodyTooLargeError fails a read whose response passes the cap.
type BodyTooLargeError struct {
	URL   string
	Limit int64
}

func (e *BodyTooLargeError) Error() string {
	return fmt.Sprintf("%s: response body larger than %d MiB, not read", e.URL, e.Limit>>20)
}

// capBody refuses a response that declares a body past max and cuts one
// that streams past it: the read fails with BodyTooLargeError.
type capBody struct {
	next http.RoundTripper
	max  int64
}

func (g capBody) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(req)
	if err != nil || g.max <= 0 {
		return resp, err
	}
	tooLarge := &BodyTooLargeError{URL: req.URL.Redacted(), Limit: g.max}
	if resp.ContentLength > g.max {
		resp.Body.Close()
		return nil, tooLarge
	}
	resp.Body = &cappedReader{rc: resp.Body, left: g.max, err: tooLarge}
	return resp, nil
}

type cappedReader struct {
	rc   io.ReadCloser
	left int64
	err  error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One byte more tells a body of exactly max bytes from a longer one.
		var one [1]byte
		if n, err := c.rc.Read(one[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, c.err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedReader) Close() error { return c.rc.Close() }

// emptyGuard turns a successful read whose body is empty, JSON null or an
// empty object into an error. Every read ks-doctor makes answers a JSON
// document with content; the SDKs would decode such a body into a nil
// result (a crash) or an empty answer ("no workers"), so it is refused
// here, once, for every service.
type emptyGuard struct{ next http.RoundTripper }

// peekSize is enough to see a whole "null" or "{}" with some white space.
const peekSize = 64

func (g emptyGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := g.next.RoundTrip(req)
	if err != nil || req.Method != http.MethodGet || resp.StatusCode < 200 || resp.StatusCode > 299 || resp.StatusCode == http.StatusNoContent {
		return resp, err
	}
	br := bufio.NewReaderSize(resp.Body, peekSize)
	head, perr := br.Peek(peekSize)
	if perr != nil && perr != io.EOF && perr != bufio.ErrBufferFull {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: reading the response: %w", req.Method, req.URL.Path, perr)
	}
	if perr == io.EOF { // the whole body is in head
		switch string(bytes.Join(bytes.Fields(head), nil)) {
		case "":
			resp.Body.Close()
			return nil, fmt.Errorf("%s %s: empty response body (HTTP %d)", req.Method, req.URL.Path, resp.StatusCode)
		case "null", "{}":
			resp.Body.Close()
			return nil, fmt.Errorf("%s %s: the response holds no data (HTTP %d, body %s)", req.Method, req.URL.Path, resp.StatusCode, bytes.TrimSpace(head))
		}
	}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{br, resp.Body}
	return resp, nil
}
