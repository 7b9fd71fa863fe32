package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Decoded is one IBM Cloud error reduced to what the classifier reads: which service answered,
// with which HTTP status and error code, and the message. Any of them may be empty (0).
type Decoded struct {
	Service string // iks, vpc, iam, softlayer, resource-manager, resource-controller, user-management, power, registry, kubernetes, or ""
	Status  int    // HTTP status, 0 when the paste does not say
	Code    string // e.g. E0051, not_authorized, BXNIM0415E, SoftLayer_Exception_Public
	Message string // the error's own text, at most MaxExcerpt bytes
	Frame   string // the shape it arrived in: iks-json, errors-array, iam-json, softlayer-json, softlayer-exception, bluemix-go, cli, status, text

	start, end int // span in the normalized paste
}

// The shapes of IBM Cloud errors, over lower-cased normalized text (JSON escapes already undone).
// Every field regexp allows missing quotes and spaces, so that a body a terminal or a log frame
// reflowed still decodes.
//
//   - IKS (containers API, seen through bluemix-go and the CLI): {"incidentID", "code", "description",
//     "type", "recoveryCLI"} (terraform-provider-ibm issues #485, #1150, #6816).
//   - VPC and the platform services: {"errors":[{"code","message","more_info"}],"trace","status_code"}
//     (go-sdk-core core/base_service.go getErrorMessage/getErrorCode read errors[0] first).
//   - IAM: {"errorCode":"BXNIM…","errorMessage","context"} (go-sdk-core reads errorMessage last).
//   - SoftLayer: {"error","code":"SoftLayer_Exception_…"} and its Go rendering
//     "SoftLayer_Exception_X: message (HTTP n)" (softlayer-go sl/errors.go Error.Error), the Python
//     client's "SoftLayerAPIError(SoftLayer_Exception_X): message".
//   - bluemix-go: "Request failed with status code: 403, CODE: message" or ", ServerErrorResponse: {…}".
//   - ibmcloud CLI: "FAILED\nmessage (CODE)" and "Status code: 400, error code: BXNIM…, message: …".
var shapes = sync.OnceValue(func() *decoders {
	const q = `\s*"?\s*` // an optional quote with spaces, between a key and its colon
	str := func(key string) string { return `"?` + key + q + `[:=]` + q }
	return &decoders{
		iksCode:   regexp.MustCompile(str(`incidentid`) + `[^"\n]*"?\s*,\s*` + str(`code`) + `([a-z0-9]{4,6})"?`),
		iksDesc:   regexp.MustCompile(str(`description`) + `([^"]{1,600})`),
		errArray:  regexp.MustCompile(`"?errors"?\s*:\s*\[\s*\{\s*` + str(`code`) + `([a-z0-9_.-]{2,60})"?\s*,\s*` + str(`message`) + `([^"\n]{1,600})`),
		errArrayR: regexp.MustCompile(`"?errors"?\s*:\s*\[\s*\{\s*` + str(`message`) + `([^"\n]{1,600})"?\s*,\s*` + str(`code`) + `([a-z0-9_.-]{2,60})`),
		iam:       regexp.MustCompile(str(`errorcode`) + `([a-z0-9_-]{2,40})"?\s*,\s*` + str(`errormessage`) + `([^"\n]{1,600})`),
		slJSON:    regexp.MustCompile(str(`error`) + `([^"\n]{1,600})"\s*,\s*` + str(`code`) + `(softlayer_exception_[a-z0-9_]+)`),
		slExc:     regexp.MustCompile(`(softlayer_exception_[a-z0-9_]+)\)?\s*[:'"]\s*'?([^\n]{0,600}?)'?\s*(?:\(http (\d{3})\)|$|\n)`),
		slAPI:     regexp.MustCompile(`softlayerapierror\((\d{3})\):\s*([^\n]{1,600})`),
		bmx:       regexp.MustCompile(`request failed with status code:?\s*(\d{3}),\s*([a-z0-9]{4,12}):\s*([^\n]{1,600})`),
		cliIAM:    regexp.MustCompile(`status code:?\s*(\d{3}),\s*error code:?\s*([a-z0-9]{4,12}),\s*message:?\s*([^\n]{1,600})`),
		bxnim:     regexp.MustCompile(`\b(bxnim\d{4}[a-z])\b[:,]?\s*(?:message:\s*)?([^\n]{0,600})`),
		cliCode:   regexp.MustCompile(`(?m)^([^\n]{8,600}?)\s*\(([eagp][0-9a-f]{4})\)\s*$`),
		status:    regexp.MustCompile(`(?:status[ _]?code"?\s*[:=]?\s*"?|"?status"?\s*:\s*|http/[12](?:\.[01])? |\(http |error |statuscode:\s*|"code"\s*:\s*)([1-5]\d\d)\b`),
	}
})

type decoders struct {
	iksCode, iksDesc, errArray, errArrayR, iam, slJSON, slExc, slAPI, bmx, cliIAM, bxnim, cliCode, status *regexp.Regexp
}

// Decode reduces every IBM Cloud error body or rendering in text to (service, status, code,
// message), in input order. It reads at most MaxInput bytes, like Match.
func Decode(text string) []Decoded {
	if len(text) > MaxInput {
		text = text[:MaxInput]
	}
	disp := normalize(text)
	return decode(&scan{disp: disp, low: lowerASCII(disp)})
}

func decode(sc *scan) []Decoded {
	d := shapes()
	var out []Decoded
	add := func(frame string, s, e int, code, msg string, status int) {
		for _, o := range out { // one error, two shapes (a body inside a bluemix-go line)
			if s < o.end && o.start < e {
				return
			}
		}
		out = append(out, Decoded{Frame: frame, Code: code, Message: clip(strings.TrimSpace(strings.Trim(msg, ` ".,'`))), Status: status, start: s, end: e})
	}
	sub := func(m []int, g int) string {
		if m[2*g] < 0 {
			return ""
		}
		return sc.disp[m[2*g]:m[2*g+1]]
	}
	if strings.Contains(sc.low, "incidentid") {
		for _, m := range d.iksCode.FindAllStringSubmatchIndex(sc.low, perPattern) {
			msg, end := "", m[1]
			win := sc.low[m[0]:min(len(sc.low), m[1]+800)]
			if dm := d.iksDesc.FindStringSubmatchIndex(win); dm != nil {
				msg, end = sc.disp[m[0]+dm[2]:m[0]+dm[3]], m[0]+dm[3]
			}
			add("iks-json", m[0], end, strings.ToUpper(sub(m, 1)[:1])+sub(m, 1)[1:], msg, 0)
		}
	}
	if strings.Contains(sc.low, "errors") {
		for _, m := range d.errArray.FindAllStringSubmatchIndex(sc.low, perPattern) {
			add("errors-array", m[0], m[1], sub(m, 1), sub(m, 2), 0)
		}
		for _, m := range d.errArrayR.FindAllStringSubmatchIndex(sc.low, perPattern) {
			add("errors-array", m[0], m[1], sub(m, 2), sub(m, 1), 0)
		}
	}
	if strings.Contains(sc.low, "errorcode") {
		for _, m := range d.iam.FindAllStringSubmatchIndex(sc.low, perPattern) {
			add("iam-json", m[0], m[1], strings.ToUpper(sub(m, 1)), sub(m, 2), 0)
		}
	}
	if strings.Contains(sc.low, "softlayer") {
		for _, m := range d.slJSON.FindAllStringSubmatchIndex(sc.low, perPattern) {
			add("softlayer-json", m[0], m[1], sub(m, 2), sub(m, 1), 0)
		}
		for _, m := range d.slAPI.FindAllStringSubmatchIndex(sc.low, perPattern) {
			st, _ := strconv.Atoi(sub(m, 1))
			add("softlayer-exception", m[0], m[1], "", sub(m, 2), st)
		}
		for _, m := range d.slExc.FindAllStringSubmatchIndex(sc.low, perPattern) {
			st, _ := strconv.Atoi(sub(m, 3))
			add("softlayer-exception", m[0], m[1], sub(m, 1), sub(m, 2), st)
		}
	}
	if strings.Contains(sc.low, "status code") {
		for _, m := range d.cliIAM.FindAllStringSubmatchIndex(sc.low, perPattern) {
			st, _ := strconv.Atoi(sub(m, 1))
			add("cli", m[0], m[1], strings.ToUpper(sub(m, 2)), sub(m, 3), st)
		}
		for _, m := range d.bmx.FindAllStringSubmatchIndex(sc.low, perPattern) {
			st, _ := strconv.Atoi(sub(m, 1))
			code := sub(m, 2)
			if strings.EqualFold(code, "servererrorresponse") {
				continue // the body follows; the iks-json decoder reads it
			}
			add("bluemix-go", m[0], m[1], strings.ToUpper(code), sub(m, 3), st)
		}
	}
	if strings.Contains(sc.low, "bxnim") {
		for _, m := range d.bxnim.FindAllStringSubmatchIndex(sc.low, perPattern) {
			add("iam", m[0], m[1], strings.ToUpper(sub(m, 1)), sub(m, 2), 0)
		}
	}
	if strings.Contains(sc.low, "(") {
		for _, m := range d.cliCode.FindAllStringSubmatchIndex(sc.low, perPattern) {
			c := sub(m, 2)
			add("cli", m[0], m[1], strings.ToUpper(c[:1])+c[1:], sub(m, 1), 0)
		}
	}
	for i := range out {
		o := &out[i]
		if o.Status == 0 {
			o.Status = statusNear(sc.low, o.start, o.end, d.status)
		}
		o.Service = serviceOf(o.Code, sc.low, o.start, o.end)
	}
	// No body: a bare status line still tells the classifier something. The literal test keeps
	// the regexp off texts that can't hold one (Go's regexp costs some 400 ns a byte here).
	if len(out) == 0 && (strings.Contains(sc.low, "status") || strings.Contains(sc.low, "http") || strings.Contains(sc.low, "error") || strings.Contains(sc.low, "code")) {
		if m := d.status.FindStringSubmatchIndex(sc.low); m != nil {
			st, _ := strconv.Atoi(sc.low[m[2]:m[3]])
			if st >= 400 {
				ls := strings.LastIndexByte(sc.low[:m[0]], '\n') + 1
				le := len(sc.low)
				if j := strings.IndexByte(sc.low[m[1]:], '\n'); j >= 0 {
					le = m[1] + j
				}
				out = append(out, Decoded{Frame: "status", Status: st, Message: clip(sc.disp[ls:le]), start: ls, end: le,
					Service: serviceOf("", sc.low, ls, le)})
			}
		}
	}
	return out
}

// statusNear finds an HTTP status in the record or on the lines just before it (a Terraform or
// CLI frame prints the status first and the body after it).
func statusNear(low string, s, e int, re *regexp.Regexp) int {
	from := max(0, s-300)
	to := min(len(low), e+400)
	best := 0
	for _, m := range re.FindAllStringSubmatchIndex(low[from:to], 8) {
		st, _ := strconv.Atoi(low[from+m[2] : from+m[3]])
		if st >= 400 {
			best = st // the last one before or inside the record wins
		}
	}
	return best
}

// serviceHints name the service from what surrounds the error: API hosts, SDK and Terraform
// resource names, the docs link of a VPC error (more_info).
var serviceHints = []struct{ word, service string }{
	{"iaas.cloud.ibm.com", "vpc"}, {"docs/vpc", "vpc"}, {"ibm_is_", "vpc"}, {"ibmcloud is ", "vpc"}, {"vpcv1", "vpc"}, {"ibmvpc", "vpc"},
	{"iam.cloud.ibm.com", "iam"}, {"iam.bluemix.net", "iam"}, {"iam-id", "iam"}, {"ibm_iam_", "iam"}, {"iam identity", "iam"},
	{"softlayer", "softlayer"}, {"ibm_compute_", "softlayer"}, {"classic infrastructure", "softlayer"},
	{"resource-controller", "resource-controller"}, {"ibm_resource_instance", "resource-controller"}, {"service broker", "resource-controller"},
	{"resource-manager", "resource-manager"}, {"ibm_resource_group", "resource-manager"}, {"resource group", "resource-manager"},
	{"user-management", "user-management"}, {"accounts.cloud.ibm.com", "user-management"},
	{"icr.io", "registry"}, {"container registry", "registry"}, {"ibmcloud cr ", "registry"},
	{"power-iaas", "power"}, {"ibm_pi_", "power"},
	{"containers.cloud.ibm.com", "iks"}, {"ibm_container_", "iks"}, {"ibmcloud ks ", "iks"}, {"ibmcloud oc ", "iks"}, {"kubernetes service", "iks"},
	{"kubelet", "kubernetes"}, {"reconciler error", "kubernetes"}, {"failed to pull image", "kubernetes"},
}

var iksCodeRE = regexp.MustCompile(`^[eagp][0-9a-f]{4}$`)

func serviceOf(code, low string, s, e int) string {
	lc := strings.ToLower(code)
	switch {
	case strings.HasPrefix(lc, "bxnim"):
		return "iam"
	case strings.HasPrefix(lc, "softlayer_exception"):
		return "softlayer"
	case iksCodeRE.MatchString(lc):
		return "iks"
	}
	// The record itself first, then its neighbourhood.
	for _, w := range []string{low[s:e], low[max(0, s-400):min(len(low), e+400)]} {
		for _, h := range serviceHints {
			if strings.Contains(w, h.word) {
				return h.service
			}
		}
	}
	return ""
}
