package hostile

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Payloads appended to data strings. ControlPayload would, printed raw,
// return the cursor, clear the screen, set the terminal title, ring the
// bell and back up a character; ShellPayload would, pasted into a shell
// unquoted, end the command, run two others and split words.
const (
	ControlPayload = "\r\x1b[2J\x1b]0;pwned\x07\b"
	ShellPayload   = "; touch /tmp/pwned $(id) `uname -a` 'sq' \"dq\" a b"
)

// dataKeys: a string is data when its key names text a person wrote or
// reads (names, messages, descriptions, statuses); ids, states and dates
// stay, so the rest of the answer still means what it meant.
var dataKeys = []string{"name", "message", "description", "status", "reason", "email", "hostname", "domain", "note", "title"}

func isDataKey(k string) bool {
	k = strings.ToLower(k)
	for _, d := range dataKeys {
		if strings.Contains(k, d) {
			return true
		}
	}
	return false
}

// rewrite answers with the simulator's JSON, every data string ending in
// payload. A body that is not JSON passes unchanged.
func (l *Layer) rewrite(w http.ResponseWriter, r *http.Request, payload string) {
	rec := l.capture(r)
	body := rec.Body.Bytes()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(poison(v, "", payload)) == nil {
			body = b.Bytes()
		}
	}
	copyHeader(w, rec)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// poison appends payload to every data string in v, found by its key.
func poison(v any, key, payload string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = poison(e, k, payload)
		}
	case []any:
		for i, e := range x {
			x[i] = poison(e, key, payload)
		}
	case string:
		if isDataKey(key) {
			return x + payload
		}
	}
	return v
}
