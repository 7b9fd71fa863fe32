package ibm

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"

	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

// tracer dumps every request and response, as `ibmcloud` does with
// IBMCLOUD_TRACE (the CLI SDK's TraceLoggingTransport: REQUEST/RESPONSE
// blocks, trace.Sanitize for Authorization, X-Auth-* headers and token,
// apikey and password fields), to the run's own printer rather than the
// SDK's global one, so that runs in one process do not share a trace; the
// printer is wrapped by TraceLogger, which masks every token this process
// has seen and anything shaped like a credential.
type tracer struct {
	next http.RoundTripper
	out  trace.Printer
}

func (t tracer) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	if dump, err := httputil.DumpRequestOut(req, true); err == nil {
		t.out.Printf("\nREQUEST: [%s]\n%s\n", start.Format(time.RFC3339), trace.Sanitize(string(dump)))
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	// A body past the cap (capBody, below this layer) fails its read here
	// and is traced as the error it is.
	body := !strings.Contains(resp.Header.Get("Content-Type"), "octet-stream")
	if dump, derr := httputil.DumpResponse(resp, body); derr == nil {
		t.out.Printf("\nRESPONSE: [%s] Elapsed: %.0fms\n%s\n", time.Now().Format(time.RFC3339),
			time.Since(start).Seconds()*1000, trace.Sanitize(string(dump)))
	} else {
		t.out.Printf("\nRESPONSE: %s\n", derr)
	}
	return resp, nil
}

// traceScrub masks, in the trace, every secret this process has seen:
// sessionAuth adds each token as it appears.
var traceScrub = scrub.New()

// AddTraceSecrets makes the trace mask more values (an infrastructure API
// key read from a file, for example).
func AddTraceSecrets(secrets ...string) { traceScrub.Add(secrets...) }

// TraceLogger wraps a trace printer so that everything written goes
// through the scrubber first.
func TraceLogger(p trace.Printer) trace.Printer { return scrubbedPrinter{p} }

type scrubbedPrinter struct{ p trace.Printer }

func (s scrubbedPrinter) Print(v ...any) { s.p.Print(traceScrub.String(fmt.Sprint(v...))) }
func (s scrubbedPrinter) Printf(format string, v ...any) {
	s.p.Print(traceScrub.String(fmt.Sprintf(format, v...)))
}
func (s scrubbedPrinter) Println(v ...any) { s.p.Print(traceScrub.String(fmt.Sprintln(v...))) }
