package scrub

import "bytes"

// The shapes of credentials, masked whoever the Scrubber knows. They are
// scanned by hand from cheap trigger words, not by regexps: Go's
// case-folding regexp engine manages a few MB/s, and a hostile server can
// send far more than that.
//
// Every shape is line-local (blanks are [ \t], never a line break) and its
// context before the secret is short (at most 16 blanks), which lets the
// Writer pass finished lines on at once. Token characters never include
// '[' or ']', so Redacted is never masked again.

// findShapes returns a span for the secret part of every shape in b.
func findShapes(b []byte) []span {
	lower := asciiLower(b)
	sp := findAuth(b, lower)
	sp = append(sp, findJWT(b)...)
	return append(sp, findKeys(b, lower)...)
}

// findAuth: Authorization header values (RFC 9110 §11.4: scheme, blank,
// token68). "Basic authentication" is prose; a credential is 12 or more
// token characters with a digit or a base64 symbol.
func findAuth(b, lower []byte) []span {
	var sp []span
	for _, scheme := range []string{"bearer", "basic"} {
		for at := 0; ; {
			i := bytes.Index(lower[at:], []byte(scheme))
			if i < 0 {
				break
			}
			i += at
			j := i + len(scheme)
			at = j
			if i > 0 && wordChar(b[i-1]) {
				continue
			}
			k := blanks(b, j)
			if k == j {
				continue
			}
			e := scan(b, k, authChar)
			if e-k >= 12 && bytes.ContainsAny(b[k:e], "0123456789+/=") {
				sp = append(sp, span{i, k, e})
			}
			at = e
		}
	}
	return sp
}

// findJWT: a JWT (three base64url parts, the header first; base64url of
// `{"` is eyJ), or any base64url-encoded JSON object, which is how many
// opaque tokens start too.
func findJWT(b []byte) []span {
	var sp []span
	for at := 0; ; {
		i := bytes.Index(b[at:], []byte("eyJ"))
		if i < 0 {
			return sp
		}
		i += at
		e := scan(b, i+3, jwtChar)
		at = e
		if (i == 0 || !wordChar(b[i-1])) && e-i-3 >= 8 {
			sp = append(sp, span{i, i, e})
		}
	}
}

// keyNames are the usual secret names (as IAM's token endpoint,
// SoftLayer's apiKey and the CLI's config spell them), without '_' and
// '-'. A name that ends with one of them counts (x_refresh_token,
// delegated_refresh_token); a bare "token" does not ("IAM token: linked"
// is ks-doctor's own prose).
var keyNames = []string{"apikey", "accesstoken", "refreshtoken", "idtoken", "iamtoken", "imstoken",
	"clientsecret", "secret", "password", "passwd", "passcode"}

// keyTriggers: every name in keyNames holds one of them.
var keyTriggers = []string{"key", "token", "secret", "pass"}

// findKeys: key=value, "key": "value" and key: value pairs, found from each
// trigger word: the name around it, then `"`? blanks [:=] blanks `"`? and
// a value of 4 or more characters.
func findKeys(b, lower []byte) []span {
	var sp []span
	for _, w := range keyTriggers {
		for at := 0; ; {
			i := bytes.Index(lower[at:], []byte(w))
			if i < 0 {
				break
			}
			i += at
			ns, ne := i, scan(lower, i, nameChar)
			at = ne
			for ns > 0 && nameChar(lower[ns-1]) {
				ns--
			}
			if !secretName(lower[ns:ne]) {
				continue
			}
			if ns > 0 && b[ns-1] == '"' {
				ns--
			}
			k := ne
			if k < len(b) && b[k] == '"' {
				k++
			}
			k = blanks(b, k)
			if k >= len(b) || b[k] != ':' && b[k] != '=' {
				continue
			}
			k = blanks(b, k+1)
			if k < len(b) && b[k] == '"' {
				k++
			}
			if e := scan(b, k, valueChar); e-k >= 4 {
				sp = append(sp, span{ns, k, e})
				at = e
			}
		}
	}
	return sp
}

func secretName(name []byte) bool {
	n := bytes.ReplaceAll(bytes.ReplaceAll(name, []byte("_"), nil), []byte("-"), nil)
	for _, k := range keyNames {
		if bytes.HasSuffix(n, []byte(k)) {
			return true
		}
	}
	return false
}

// blanks skips up to 16 spaces and tabs.
func blanks(b []byte, i int) int {
	for j := 0; j < 16 && i < len(b) && (b[i] == ' ' || b[i] == '\t'); j++ {
		i++
	}
	return i
}

func scan(b []byte, i int, ok func(byte) bool) int {
	for i < len(b) && ok(b[i]) {
		i++
	}
	return i
}

func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

func alnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func wordChar(c byte) bool { return alnum(c) || c == '_' }
func nameChar(c byte) bool { return alnum(c) || c == '_' || c == '-' }
func authChar(c byte) bool { return alnum(c) || bytes.IndexByte([]byte("._~+/=-"), c) >= 0 }
func jwtChar(c byte) bool  { return alnum(c) || bytes.IndexByte([]byte("_-+/=."), c) >= 0 }

// valueChar: a value runs to a quote, a blank or a separator.
func valueChar(c byte) bool { return bytes.IndexByte([]byte("\" \t\n\v\f\r,;&}[]"), c) < 0 }

// hold is how many trailing bytes a Writer keeps back beyond the longest
// secret form: enough for a shape's context ("refresh_token": " and the
// first characters of its value) to arrive whole.
const hold = 256

// tokenChar tells whether c can continue a masked token; the Writer drops
// such bytes after it had to cut inside a huge match.
func tokenChar(c byte) bool { return jwtChar(c) || authChar(c) || c == '%' || c == '\\' }
