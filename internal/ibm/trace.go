package ibm

import (
	"net/http"

	bhttp "github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/http"
)

// tracing dumps requests and responses through the CLI SDK's trace transport
// (to the SDK's trace.Logger, which plugin/ sets from IBMCLOUD_TRACE). The
// SDK redacts Authorization and X-Auth-* headers and token, apikey and
// password fields before anything is written.
func tracing(next http.RoundTripper) http.RoundTripper {
	return bhttp.NewTraceLoggingTransport(next)
}
