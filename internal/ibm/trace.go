package ibm

import (
	"fmt"
	"net/http"

	bhttp "github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/http"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/trace"

	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

// tracing dumps requests and responses through the CLI SDK's trace transport
// to trace.Logger, which plugin/ wraps with TraceLogger. The SDK redacts
// Authorization and X-Auth-* headers and token, apikey and password fields;
// TraceLogger then masks every token the session has held or obtained and
// anything shaped like a credential (scrub).
func tracing(next http.RoundTripper) http.RoundTripper {
	return bhttp.NewTraceLoggingTransport(next)
}

// traceScrub masks, in the trace, every secret this process has seen:
// sessionAuth adds each token as it appears.
var traceScrub = scrub.New()

// AddTraceSecrets makes the trace mask more values (an infrastructure API
// key read from a file, for example).
func AddTraceSecrets(secrets ...string) { traceScrub.Add(secrets...) }

// TraceLogger wraps the CLI SDK's trace printer so that everything written
// goes through the scrubber first.
func TraceLogger(p trace.Printer) trace.Printer { return scrubbedPrinter{p} }

type scrubbedPrinter struct{ p trace.Printer }

func (s scrubbedPrinter) Print(v ...any) { s.p.Print(traceScrub.String(fmt.Sprint(v...))) }
func (s scrubbedPrinter) Printf(format string, v ...any) {
	s.p.Print(traceScrub.String(fmt.Sprintf(format, v...)))
}
func (s scrubbedPrinter) Println(v ...any) { s.p.Print(traceScrub.String(fmt.Sprintln(v...))) }
