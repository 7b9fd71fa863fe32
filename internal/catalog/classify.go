package catalog

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// The second layer. What no catalog entry matches word for word is classified by the service
// that answered, its status and code family, and its wording, into a topic-level entry (ids
// C-…). The confidences are lower than an exact match's and were calibrated on the public
// corpus (testdata/corpus.jsonl): a rule that needs a decoded status or code besides the words
// is right more often than one that reads words alone.
const (
	confClassCode  = 0.75 // a rule met by a decoded code or status and the wording
	confClassWords = 0.6  // a rule met by wording alone, in a text that names an IBM Cloud service
	confFallback   = 0.3  // an IBM Cloud error no rule places: explained, not blamed on a topic
)

// Layers of a Hit.
const (
	LayerExact    = "exact"    // a catalog entry's message or code
	LayerClass    = "class"    // a classifier rule (service, status, code family, wording)
	LayerFallback = "fallback" // a decoded IBM Cloud error outside every topic
)

// fallbackID is the entry of an IBM Cloud error no rule places. Best never returns it: for one
// worker's message it says nothing a raw message does not.
const fallbackID = "C-ibm-cloud-error"

type rule struct {
	entry string                 // catalog id
	words *regexp.Regexp         // over the lower-cased message and code
	need  func(ev *evidence) int // 0: no; 1: yes, backed by structure; 2: yes, by words alone
	bare  bool                   // need may accept without the words (a 403 from the service)
	keys  []string               // literals one of which the words need: a cheap filter before the regexp
}

// hasKey reports whether low contains one of keys.
func hasKey(low string, keys []string) bool {
	for _, k := range keys {
		if strings.Contains(low, k) {
			return true
		}
	}
	return false
}

type evidence struct {
	d         Decoded
	msg       string // lower-case: code, message
	ctx       string // lower-case: the record with a few hundred bytes around it
	structure bool   // a decoded code or status backs the words
	ibm       bool   // the record or its surroundings name an IBM Cloud service
}

func words(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// wordsOnly accepts a rule's wording wherever IBM Cloud is named, weighting a decoded record more.
func wordsOnly(ev *evidence) int {
	switch {
	case ev.structure:
		return 1
	case ev.ibm:
		return 2
	}
	return 0
}

// anyText accepts the wording alone: it is specific enough to be IBM Cloud's own.
func anyText(ev *evidence) int {
	if ev.structure {
		return 1
	}
	return 2
}

var permissionWords = `not authori[sz]ed|unauthori[sz]ed|access denied|permission ?denied|forbidden|` +
	`(?:do(?:es)? not|doesn'?t|don'?t) have (?:the )?(?:required |necessary |sufficient |any )?(?:permission|access|role|iam)|` +
	`insufficient (?:permission|privilege|access)|access authority|not permitted to|` +
	`you must (?:be assigned|have) the [a-z ]{0,40}role|missing the [a-z ()]{0,60}authori[sz]ation`

var permKeys = []string{"author", "denied", "forbidden", "permission", "not have", "n't have", "insufficient", "access authority", "not permitted", "must be assigned", "must have", "missing the"}

// rules, most specific first; the first that accepts a record decides. Every entry here exists
// in catalog.yaml with English and Japanese text (TestClassEntries).
var rules = sync.OnceValue(func() []rule {
	perm := words(permissionWords)
	return []rule{
		{"C-totp-or-paid-account", words(`time-based one time password|\btotp\b|(?:need|have|ensure that you have) a paid account|upgrade (?:your|to a) (?:paid|pay-as-you-go|billable) account|lite account`), anyText, false, []string{"one time password", "totp", "paid account", "upgrade", "lite account"}},
		{"C-resource-group", words(`resource[ _-]?group[^\n]{0,120}(?:not (?:be )?found|could not be found|does not exist|not valid|is invalid|not permitted|not authori[sz]ed|no access|permission)|` +
			`(?:not found|invalid|unknown|not permitted to access|not authori[sz]ed to access|(?:could not|cannot|can't|unable to) find)[^\n]{0,40}resource[ _-]?group|no resource group (?:is )?targeted|resource_group_not_found`), wordsOnly, false, []string{"resource group", "resource_group", "resource-group", "resourcegroup"}},
		{"C-endpoint-gateway", words(`(?:endpoint[ _-]?gateway|\bvpe\b)[^\n]{0,120}(?:fail|error|not found|cannot|can't|unable|pending|timed out|timeout|not ready|unhealthy)|` +
			`(?:fail|error|unable|cannot|can ?not|can't)[^\n]{0,60}(?:endpoint[ _-]?gateway|\bvpe\b)`), wordsOnly, false, []string{"gateway", "vpe"}},
		{"C-vlan", words(`\bvlan\b[^\n]{0,80}(?:not found|could not be found|not available|invalid|does not exist|could not obtain|cannot be used|reclaimed)|` +
			`(?:could not obtain|invalid|unknown|no)[^\n]{0,30}\bvlans?\b`), wordsOnly, false, []string{"vlan"}},
		{"C-ordering-blocked", words(`prohibited from ordering|(?:ordering|orders?) (?:is |are )?(?:currently )?(?:prohibited|blocked|disabled|suspended)|not (?:allowed|permitted) to (?:place |submit )?(?:an? )?orders?`), wordsOnly, false, []string{"order"}},
		{"C-order-location", words(`order_invalidlocation|location provided for this order|cannot be ordered (?:with|in) (?:the )?location|` +
			`(?:not|no longer) (?:available|offered|supported|orderable) in (?:the |this )?(?:selected |specified |requested )?(?:location|zone|datacenter|data center|region|[a-z]{3}\d{2}\b|[a-z]{2}-[a-z]+-\d)|` +
			`(?:invalid|unsupported|unknown) (?:location|datacenter|data center|zone)\b|not valid for (?:the )?(?:location|datacenter)|(?:could not|cannot|unable to) find (?:a )?valid (?:location|datacenter)|` +
			`(?:location|datacenter|data center|zone)\b[^\n]{0,60}(?:is (?:not valid|invalid|not available|not supported|unavailable)|cannot (?:be used|fulfill|fill))`), wordsOnly, false, []string{"order", "location", "available", "offered", "supported", "zone", "datacenter", "data center", "valid"}},
		{"C-order-capacity", words(`insufficient (?:capacity|resources|inventory)|out of capacity|no (?:available )?capacity|capacity (?:is )?(?:not available|unavailable|exhausted)|` +
			`over[_ ]quota|quota (?:exceeded|reached|limit (?:exceeded|reached))|exceeded [a-z ]{0,40}quota|exceeds? (?:the |your )?(?:account )?(?:quota|limit of)|put (?:the )?user over quota|` +
			`could not place (?:the )?order|unable to (?:place|fulfill) (?:the )?order`), wordsOnly, false, []string{"capacity", "quota", "inventory", "order", "limit of"}},
		{"C-account-user", words(`bss account[^\n]{0,40}(?:not found|was not found)|not (?:a )?member of (?:the |this )?account|user (?:is )?not found or (?:is )?(?:not )?active|` +
			`invaliduserstatus|user account is (?:currently )?(?:cancel_pending|inactive|disabled|suspended)|no ims account|api key owner[^\n]{0,60}(?:not found|inactive|removed|deleted)`), wordsOnly, false, []string{"account", "member", "invaliduserstatus", "user", "owner"}},
		{"C-permission-registry", words(`(?:icr\.io|container registry|registry\.(?:ng\.)?bluemix\.net)[^\n]{0,200}(?:unauthori[sz]ed|denied|forbidden|not authori[sz]ed|authentication required|\b40[13]\b)|` +
			`(?:unauthori[sz]ed|denied|forbidden)[^\n]{0,120}icr\.io`), anyText, false, []string{"icr.io", "registry"}},
		{"C-api-key-invalid", words(`api ?key (?:could not be found|not found|is (?:not valid|invalid|locked|disabled|expired|deleted)|was deleted|has been (?:deleted|disabled|locked))|` +
			`(?:invalid|unknown|deleted|locked|disabled) api ?key|provided api ?key|token exchange|bxnim0415e|bxnim0416e|bxnim0101e|bxnim0107e|bxnim0437e`), iamKey, false, []string{"api key", "apikey", "api_key", "token exchange", "bxnim"}},
		{"C-session-expired", words(`(?:refresh |access |login |iam )?token (?:is |has |was )?expired|token has expired|session[^\n]{0,60}(?:invalidated|expired)|` +
			`log ?in again|please (?:re-?)?log ?in|bxnim0408e|bxnim0439e|bxnim0602e|credentials (?:you entered )?(?:were rejected|are incorrect)|` +
			`could not refresh (?:the )?(?:iam )?token|unable to refresh (?:the )?(?:iam |auth )?token`), wordsOnly, false, []string{"token", "session", "log in", "login", "logged in", "bxnim", "credentials"}},
		{"C-network", words(`i/o timeout|connection refused|no such host|client\.timeout exceeded|tls handshake timeout|connection reset by peer|context deadline exceeded|network is unreachable`), wordsOnly, false, []string{"timeout", "refused", "no such host", "reset by peer", "deadline", "unreachable"}},
		{"C-permission-softlayer", perm, service("softlayer", perm, words(`softlayer_exception_(?:permission|public\b[^\n]{0,20}access denied|user_customer_unauthori[sz]ed)`)), true, permKeys},
		{"C-permission-vpc", perm, service("vpc", perm, nil), true, permKeys},
		{"C-permission-iam", perm, service("iam", perm, nil), true, permKeys},
		{"C-permission-iks", perm, service("iks", perm, nil), true, permKeys},
		{"C-permission-service", perm, service("", perm, nil), true, permKeys},
	}
})

// iamKey: an API key message from IAM, or one that names no other service. A SoftLayer
// "Invalid API key" is about classic infrastructure credentials, a permission matter.
func iamKey(ev *evidence) int {
	if ev.d.Service == "softlayer" || strings.Contains(ev.msg, "softlayer") {
		return 0
	}
	if iamOwn.MatchString(ev.msg) {
		return anyText(ev)
	}
	return wordsOnly(ev) // "invalid API key" is every API's wording: only where IBM Cloud is named
}

var iamOwn = regexp.MustCompile(`bxnim\d|token exchange|provided api ?key`)

// service accepts a permission denial by that service ("" for any IBM Cloud service): its words
// with a 401/403 or an IBM Cloud context, or a 403 from it alone. codes, when set, are the
// service's own permission exception classes, accepted alone.
func service(name string, perm, codes *regexp.Regexp) func(*evidence) int {
	return func(ev *evidence) int {
		if name != "" && ev.d.Service != name {
			return 0
		}
		if codes != nil && codes.MatchString(ev.msg) {
			return 1
		}
		if strings.Contains(ev.ctx, "failed to pull image") || strings.Contains(ev.ctx, "docker login") ||
			strings.Contains(ev.ctx, "invalid username/password") || strings.Contains(ev.ctx, "login credentials are not valid") {
			return 0 // an image pull from another registry, a registry login refused: not an IBM Cloud permission
		}
		if name == "" && !ev.ibm {
			return 0 // a 403 from a service nothing names as IBM Cloud's
		}
		st := ev.d.Status
		switch {
		case (st == 401 || st == 403) && perm.MatchString(ev.msg):
			return 1
		case st == 403:
			return 1
		case perm.MatchString(ev.msg) && ev.ibm:
			if ev.structure {
				return 1
			}
			return 2
		}
		return 0
	}
}

// maxTextLine bounds the part of a line of plain text the rules read: an error sentence is
// short, and a megabyte-long line (a minified body, hostile input) must not cost seconds.
const maxTextLine = 2048

// readsLine reports whether some rule's wording is in the line: only then is the line a record.
func readsLine(line string) bool {
	for _, r := range rules() {
		if hasKey(line, r.keys) && r.words.MatchString(line) {
			return true
		}
	}
	return false
}

var ibmWords = []string{"ibm", "softlayer", "bluemix", "iks", "icr.io", "bxnim", "(iam)", " iam ", "cloud object storage", "vpe gateway"}

// classify turns the decoded records, and the lines of plain text no record covers, into
// candidates of the second layer.
// A record that holds an exact match is left to it: the first layer always wins.
func classify(sc *scan, recs []Decoded, exact []cand) []cand {
	c := load()
	ibmText := false
	for _, w := range ibmWords {
		if strings.Contains(sc.low, w) {
			ibmText = true
			break
		}
	}
	covered := func(s, e int) bool {
		for _, r := range recs {
			if s < r.end && r.start < e {
				return true
			}
		}
		return false
	}
	all := recs
	lines := 0
	for s := 0; s < len(sc.low) && lines < perPattern; {
		e := strings.IndexByte(sc.low[s:], '\n')
		if e < 0 {
			e = len(sc.low)
		} else {
			e += s
		}
		le := min(e, s+maxTextLine)
		for le > s && le < len(sc.low) && !utf8.RuneStart(sc.low[le]) {
			le--
		}
		if !covered(s, le) && readsLine(sc.low[s:le]) {
			all = append(all, Decoded{Frame: "text", Message: clip(sc.disp[s:le]), start: s, end: le, Service: serviceOf("", sc.low, s, le)})
			lines++
		}
		s = e + 1
	}
	var out []cand
	for _, d := range all {
		if slices.ContainsFunc(exact, func(c cand) bool { return !c.code && c.start < d.end && d.start < c.core }) {
			continue
		}
		ev := &evidence{d: d, ibm: ibmText || d.Service != ""}
		ev.structure = d.Frame != "text" && (d.Code != "" || d.Status != 0)
		ev.msg = strings.ToLower(d.Code + " " + sc.disp[d.start:d.end] + " " + d.Message)
		ev.ctx = sc.low[max(0, d.start-300):min(len(sc.low), d.end+300)]
		entry, conf := "", 0.0
		for _, r := range rules() {
			if !r.bare && !(hasKey(ev.msg, r.keys) && r.words.MatchString(ev.msg)) {
				continue
			}
			switch r.need(ev) {
			case 1:
				entry, conf = r.entry, confClassCode
			case 2:
				entry, conf = r.entry, confClassWords
			}
			if entry != "" {
				break
			}
		}
		if entry == "" && d.Frame != "text" && (d.Service != "" || d.Code != "") {
			entry, conf = fallbackID, confFallback
		}
		i, ok := c.byID[strings.ToLower(entry)]
		if !ok {
			continue
		}
		layer := LayerClass
		if entry == fallbackID {
			layer = LayerFallback
		}
		out = append(out, cand{entry: i, start: d.start, end: d.end, core: d.end, conf: conf, layer: layer, dec: d})
	}
	return out
}
