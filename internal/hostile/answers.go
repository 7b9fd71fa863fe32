package hostile

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// answer writes ru's hostile answer to r.
func (l *Layer) answer(w http.ResponseWriter, r *http.Request, ru rule) {
	switch ru.Kind {
	case Null:
		writeBody(w, http.StatusOK, "application/json", []byte("null\n"))
	case EmptyObject:
		writeBody(w, http.StatusOK, "application/json", []byte("{}\n"))
	case HTML:
		writeBody(w, http.StatusOK, "text/html; charset=utf-8", []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"+
			"<body><h1>502 Bad Gateway</h1><p>The upstream did not answer.</p></body></html>\n"))
	case EchoAuth:
		writeBody(w, ru.Status, "application/json", errorBody(ru.Service, ru.Status, "ECHO", echo(r)))
	case RetryAfter:
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
		writeBody(w, http.StatusTooManyRequests, "application/json",
			errorBody(ru.Service, http.StatusTooManyRequests, "RATE", "Too many requests: try again later."))
	case Redirect:
		http.Redirect(w, r, l.tgURL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	case Drip:
		l.drip(w, r)
	case Huge:
		l.huge(w, r)
	case Control:
		l.rewrite(w, r, ControlPayload)
	case Shell:
		l.rewrite(w, r, ShellPayload)
	}
}

func writeBody(w http.ResponseWriter, status int, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// credentialHeaders are the request headers that carry a credential.
var credentialHeaders = []string{"Authorization", "X-Auth-Refresh-Token", "X-Auth-User-Token", "Cookie"}

// echo is an error message quoting every credential of r, and the form of
// a POST (IAM's token grant carries the refresh token or API key there), as
// a careless service's debug output would.
func echo(r *http.Request) string {
	var b strings.Builder
	b.WriteString("Request rejected.")
	for _, h := range credentialHeaders {
		if v := r.Header.Get(h); v != "" {
			b.WriteString(" Received " + h + ": " + v + ";")
		}
	}
	if r.Body != nil && r.Method == http.MethodPost {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		b.WriteString(" body: " + string(body))
	}
	return b.String()
}

// errorBody is an error in the shape each service sends (the same shapes
// internal/sim/services.go writes).
func errorBody(service string, status int, code, msg string) []byte {
	var v any
	switch service {
	case "iks":
		v = map[string]string{"incidentID": "00000000-0000-4000-8000-000000000000", "code": code, "description": msg, "type": "General"}
	case "iam":
		v = map[string]any{"errorCode": code, "errorMessage": msg, "context": map[string]string{"requestId": "hostile"}}
	case "softlayer":
		v = map[string]string{"error": msg, "code": "SoftLayer_Exception_" + code}
	default: // the platform services and VPC
		v = map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}, "trace": "hostile", "status_code": status}
	}
	b, _ := json.Marshal(v)
	return append(b, '\n')
}

// capture runs the simulator for r and returns its answer.
func (l *Layer) capture(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	l.inner.ServeHTTP(rec, r)
	return rec
}

// copyHeader copies the inner answer's headers except its length.
func copyHeader(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
}

// drip writes the real answer DripBytes at a time, flushing each.
func (l *Layer) drip(w http.ResponseWriter, r *http.Request) {
	rec := l.capture(r)
	copyHeader(w, rec)
	w.WriteHeader(rec.Code)
	rc := http.NewResponseController(w)
	body := rec.Body.Bytes()
	for len(body) > 0 {
		n := min(len(body), l.opts.DripBytes)
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		rc.Flush()
		body = body[n:]
		if len(body) > 0 && !l.opts.Tick(r) {
			return
		}
	}
}

// huge streams HugeSize bytes of whitespace, then the real answer: valid
// JSON that no reader gets to without reading the whole padding. Nothing
// but one 64 KiB block is held in memory.
func (l *Layer) huge(w http.ResponseWriter, r *http.Request) {
	rec := l.capture(r)
	copyHeader(w, rec)
	w.WriteHeader(rec.Code)
	block := bytes.Repeat([]byte(" "), 64<<10)
	for left := l.opts.HugeSize; left > 0; {
		n := min(left, int64(len(block)))
		if _, err := w.Write(block[:n]); err != nil {
			return // the client stopped reading
		}
		left -= n
	}
	w.Write(rec.Body.Bytes())
}

// redirected serves the redirect target: it records every credential it
// is sent, then answers as the simulator would (a service that moved).
func (l *Layer) redirected(w http.ResponseWriter, r *http.Request) {
	var got []Received
	for _, h := range credentialHeaders {
		if v := r.Header.Get(h); v != "" {
			got = append(got, Received{Method: r.Method, Path: r.URL.Path, Header: h, Value: v})
		}
	}
	if r.Method == http.MethodPost && r.Body != nil {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if len(body) > 0 {
			got = append(got, Received{Method: r.Method, Path: r.URL.Path, Header: "(body)", Value: string(body)})
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	l.mu.Lock()
	l.received = append(l.received, got...)
	l.mu.Unlock()
	l.inner.ServeHTTP(w, r)
}
