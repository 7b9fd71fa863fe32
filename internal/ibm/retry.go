package ibm

import (
	"net/http"
	"strconv"
	"time"
)

// slRetry retries SoftLayer reads answered 429 or 5xx, or cut off, as
// go-sdk-core does for the other services: softlayer-go itself retries only
// a few exception codes. Retry-After is honoured; otherwise the wait doubles
// from RetryWait.
type slRetry struct {
	next    http.RoundTripper
	retries int
	wait    time.Duration
}

func (r slRetry) RoundTrip(req *http.Request) (*http.Response, error) {
	wait := r.wait
	for attempt := 0; ; attempt++ {
		resp, err := r.next.RoundTrip(req)
		if attempt >= r.retries || req.Method != http.MethodGet || req.Context().Err() != nil || !transient(resp, err) {
			return resp, err
		}
		d := wait
		if resp != nil {
			if s, e := strconv.Atoi(resp.Header.Get("Retry-After")); e == nil && s >= 0 {
				d = time.Duration(s) * time.Second
			}
			resp.Body.Close()
		}
		t := time.NewTimer(d)
		select {
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		case <-t.C:
		}
		wait *= 2
	}
}

func transient(resp *http.Response, err error) bool {
	if err != nil {
		return true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
