package ibm

import (
	"context"
	"errors"
	"github.com/IBM/go-sdk-core/v5/core"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// SoftLayer reads answered 429, 502, 503 or 504, or cut off, are retried
// (up to the limit), and the last answer comes back as it came; other
// answers, 500 included (SoftLayer's exceptions), are not retried.
func TestSoftLayerRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answers  []int // status per request; 0 = cut the connection
		wantHits int32
		want     int // final status; 0 = an error
	}{
		{"429 then ok", []int{429, 200}, 2, 200},
		{"502, 503, 504 then ok", []int{502, 503, 504, 200}, 4, 200},
		{"cut off then ok", []int{0, 200}, 2, 200},
		{"always 503: the last answer", []int{503, 503, 503, 503, 503}, 4, 503},
		{"500 is an exception, not retried", []int{500, 200}, 1, 500},
		{"404 not retried", []int{404, 200}, 1, 404},
		{"501 not retried", []int{501, 200}, 1, 501},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
				status := tc.answers[min(int(n.Add(1)), len(tc.answers))-1]
				if status == 0 {
					conn, _, _ := w.(http.Hijacker).Hijack()
					conn.Close()
					return
				}
				w.WriteHeader(status)
				w.Write([]byte(`{"error":"x","code":"y"}`))
			})
			rt := slRetry(http.DefaultTransport, 3, time.Millisecond, 10*time.Second)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/SoftLayer_Account.json", nil)
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatalf("err %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want || hits.Load() != tc.wantHits {
				t.Errorf("status %d after %d requests, want %d after %d", resp.StatusCode, hits.Load(), tc.want, tc.wantHits)
			}
		})
	}
}

// A request that could change something is sent once, whatever the answer.
func TestSoftLayerRetriesOnlyGETs(t *testing.T) {
	srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	rt := slRetry(http.DefaultTransport, 3, time.Millisecond, 10*time.Second)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		hits.Store(0)
		req, _ := http.NewRequest(m, srv.URL+"/SoftLayer_Virtual_Guest/1/reloadOperatingSystem.json", strings.NewReader(`{}`))
		resp, err := rt.RoundTrip(req)
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable || hits.Load() != 1 {
			t.Errorf("%s: %v %v after %d requests, want one", m, resp, err, hits.Load())
		}
	}
}

// A wait for a retry ends with the request's context: no second request.
func TestSoftLayerRetryWaitEndsWithContext(t *testing.T) {
	answered := make(chan struct{}, 1)
	srv, hits := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5") // under the limit: waited for
		w.WriteHeader(http.StatusTooManyRequests)
		answered <- struct{}{}
	})
	rt := slRetry(http.DefaultTransport, 3, time.Millisecond, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-answered; cancel() }()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/SoftLayer_Account.json", nil)
	resp, err := rt.RoundTrip(req)
	if !errors.Is(err, context.Canceled) || resp != nil || hits.Load() != 1 {
		t.Errorf("%v %v after %d requests, want context.Canceled after one", resp, err, hits.Load())
	}
}

// A context that ends while an answer is judged: the error alone, the
// answer closed (a RoundTripper returns one or the other).
func TestSoftLayerRetryContextEndsWithAnAnswer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	body := &closeCounter{}
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}, Body: body, Request: r}, nil
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:9/SoftLayer_Account.json", nil)
	resp, err := slRetry(next, 3, time.Millisecond, time.Second).RoundTrip(req)
	if !errors.Is(err, context.Canceled) || resp != nil || body.closed.Load() == 0 {
		t.Errorf("%v %v, body closed %d times; want context.Canceled alone, the body closed", resp, err, body.closed.Load())
	}
}

type closeCounter struct{ closed atomic.Int32 }

func (c *closeCounter) Read([]byte) (int, error) { return 0, io.EOF }
func (c *closeCounter) Close() error             { c.closed.Add(1); return nil }

// Retries off (KS_DOCTOR_RETRIES=0 gives -1) is one request; and the
// retrying client never logs (its default logger would print every URL).
func TestSoftLayerRetryClientSetup(t *testing.T) {
	if rt := slRetry(http.DefaultTransport, 0, time.Millisecond, time.Second); rt != http.DefaultTransport {
		t.Errorf("retries 0: %T, want the transport itself", rt)
	}
	if rt := slRetry(http.DefaultTransport, -1, time.Millisecond, time.Second); rt != http.DefaultTransport {
		t.Errorf("retries -1: %T, want the transport itself", rt)
	}
	g, ok := slRetry(http.DefaultTransport, 3, time.Millisecond, time.Second).(getOnly)
	if !ok {
		t.Fatal("not a getOnly")
	}
	c := g.retrying.(oneOf).next.(*retryablehttp.RoundTripper).Client
	if c.Logger != nil || c.RequestLogHook != nil || c.ResponseLogHook != nil {
		t.Errorf("the retrying client logs: %T", c.Logger)
	}
	if c.RetryMax != 3 || c.RetryWaitMin != time.Millisecond || c.RetryWaitMax != time.Second {
		t.Errorf("retry settings %d %v %v", c.RetryMax, c.RetryWaitMin, c.RetryWaitMax)
	}
}

// The same holds for the services on go-sdk-core's retrying client
// (Client.setup): a context that ends while an answer is judged gives the
// error alone and closes the answer.
func TestServiceRetryContextEndsWithAnAnswer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	body := &closeCounter{}
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}, Body: body, Request: r}, nil
	})
	c := &Client{hc: &http.Client{Transport: next}, opts: Options{Retries: 3, RetryWait: time.Millisecond, CallTimeout: time.Second}}
	s, err := core.NewBaseService(&core.ServiceOptions{URL: "http://127.0.0.1:9", Authenticator: &core.NoAuthAuthenticator{}})
	if err != nil {
		t.Fatal(err)
	}
	c.setup(s)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:9/v1/clusters", nil)
	resp, err := s.Client.Do(req)
	if !errors.Is(err, context.Canceled) || resp != nil || body.closed.Load() == 0 {
		t.Errorf("%v %v, body closed %d times; want context.Canceled alone, the body closed", resp, err, body.closed.Load())
	}
}
