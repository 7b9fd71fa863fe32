package sim

import (
	"context"
	"net/http"
	"time"
)

// reqInfo travels in the request context from the log wrapper to dispatch
// and back, through whatever middleware sits in between.
type reqInfo struct {
	service   string
	violation bool
	knob      string        // which knob answered: "rate-limit", "fault:<kind>"
	latency   time.Duration // injected before the handler
	reset     bool          // the connection was reset without an answer
}

type infoKey struct{}

// Handler is the whole simulator as one http.Handler: the request log
// (log.go) around the behaviour knobs (Server.wrap, knobs.go) around
// dispatch, which routes (router.go).
func (s *Server) Handler() http.Handler {
	var h http.Handler = http.HandlerFunc(s.dispatch)
	for i := len(s.wrap) - 1; i >= 0; i-- {
		h = s.wrap[i](h)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
		seq := s.seq.Add(1)
		info := &reqInfo{service: "unknown"}
		if svc := serviceOf(r.URL.Path); svc != nil {
			info.service = svc.name
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		status := rec.status
		if !rec.wrote && (info.reset || r.Context().Err() != nil) {
			status = 0 // nothing was answered: the connection was reset, or the client left
		}
		s.record(r, entryMeta{seq: seq, start: start, service: info.service, status: status, d: time.Since(start),
			violation: info.violation, knob: info.knob, latency: info.latency, bytes: rec.bytes})
	})
}

func reqInfoOf(r *http.Request) *reqInfo {
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return info
	}
	return &reqInfo{service: "unknown"}
}

// statusRecorder remembers what was answered; Unwrap lets
// http.ResponseController reach the connection (Hijack, Flush).
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool // a header or body byte was written
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
