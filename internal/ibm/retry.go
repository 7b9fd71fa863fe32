package ibm

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/IBM/go-sdk-core/v5/core"
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

// slRetry retries SoftLayer reads answered 429, 502, 503 or 504, or cut
// off, through the same retrying client go-sdk-core gives the other
// services (hashicorp/go-retryablehttp, with go-sdk-core's retry and
// back-off policies): softlayer-go itself retries only a few exception
// codes. Its other 5xx answers are SoftLayer exceptions (an expired token
// is a 500, which slSessionAuth above handles), never worth a retry.
// Retry-After is honoured up to limit, and a longer one fails the read at
// once (capRetries); otherwise the wait doubles from wait. Only GETs are
// retried: a request that might change something goes through once. The
// client logs nothing.
func slRetry(next http.RoundTripper, retries int, wait, limit time.Duration) http.RoundTripper {
	if retries <= 0 {
		return next
	}
	c := retryablehttp.NewClient()
	c.Logger = nil // its default logger writes every URL to stderr
	c.HTTPClient = &http.Client{Transport: next, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // redirects are the caller's client's to follow (or refuse)
	}}
	c.RetryMax, c.RetryWaitMin, c.RetryWaitMax = retries, wait, limit
	c.CheckRetry = slCheckRetry
	c.Backoff = core.IBMCloudSDKBackoffPolicy
	c.ErrorHandler = retryablehttp.PassthroughErrorHandler // the last answer, as it came
	capRetries(c, limit)
	return getOnly{retrying: oneOf{&retryablehttp.RoundTripper{Client: c}}, once: next}
}

// slCheckRetry is go-sdk-core's policy (context errors, TLS, scheme and
// redirect failures are final; other transport errors are retried) over
// SoftLayer's transient statuses only.
func slCheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil && !transient(resp) {
		return false, nil
	}
	return core.IBMCloudSDKRetryPolicy(ctx, resp, err)
}

// getOnly sends GETs through retrying and everything else once.
type getOnly struct{ retrying, once http.RoundTripper }

func (g getOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet {
		return g.once.RoundTrip(req)
	}
	return g.retrying.RoundTrip(req)
}

// oneOf is a retrying RoundTripper that returns an answer or an error,
// never both: retryablehttp hands back the last answer beside the error
// that stopped the retries (the request's context ended while it was
// judged, or go-sdk-core's error handler), which net/http would log and
// leave open. The answer is closed and the error returned.
type oneOf struct{ next http.RoundTripper }

func (o oneOf) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := o.next.RoundTrip(req)
	if err != nil && resp != nil {
		resp.Body.Close()
		resp = nil
	}
	return resp, err
}

// transient says a SoftLayer answer is worth another try.
func transient(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
