package ibm

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryAfter reads Retry-After, in seconds or as an HTTP date.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		if s > int64(time.Duration(1<<62)/time.Second) {
			return time.Duration(1 << 62), true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t)), true
	}
	return 0, false
}

// final says an error is ks-doctor's own refusal, which no retry can change.
func final(err error) bool {
	var ce *CredentialError
	var re *RedirectError
	var be *BodyTooLargeError
	return errors.As(err, &ce) || errors.As(err, &re) || errors.As(err, &be)
}

// capRetries bounds go-sdk-core's retries (its IBMCloudSDKBackoffPolicy
// honours an integer Retry-After whatever its size, go-sdk-core
// core/base_service.go): a server that asks for a wait longer than limit
// gets no retry at all, so its answer fails the read now instead of
// stalling the run, and no wait exceeds limit.
func capRetries(c *retryablehttp.Client, limit time.Duration) {
	check, backoff := c.CheckRetry, c.Backoff
	c.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if final(err) {
			return false, err
		}
		if d, ok := retryAfter(resp); ok && d > limit {
			return false, nil
		}
		return check(ctx, resp, err)
	}
	c.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		return min(backoff(lo, hi, attempt, resp), limit)
	}
}

// slRetry retries SoftLayer reads answered 429 or 5xx, or cut off, as
// go-sdk-core does for the other services: softlayer-go itself retries only
// a few exception codes. Retry-After is honoured up to limit (a longer one
// fails the read at once); otherwise the wait doubles from RetryWait.
type slRetry struct {
	next    http.RoundTripper
	retries int
	wait    time.Duration
	limit   time.Duration // 0 = 10 s
}

func (r slRetry) RoundTrip(req *http.Request) (*http.Response, error) {
	wait, limit := r.wait, r.limit
	if limit <= 0 {
		limit = 10 * time.Second
	}
	for attempt := 0; ; attempt++ {
		resp, err := r.next.RoundTrip(req)
		if attempt >= r.retries || req.Method != http.MethodGet || req.Context().Err() != nil || final(err) || !transient(resp, err) {
			return resp, err
		}
		d := min(wait, limit)
		if ra, ok := retryAfter(resp); ok {
			if ra > limit {
				return resp, err
			}
			d = ra
		}
		if resp != nil {
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
