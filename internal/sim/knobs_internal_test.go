package sim

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
)

// Huge padding keeps every body valid JSON of the same meaning.
func TestWriteHugeKeepsJSON(t *testing.T) {
	for _, body := range []string{`{}`, `{"a":1}` + "\n", ` { "a" : [1] }`, `[]`, `[{"a":1},{"b":2}]` + "\n", `[ {} ]`, `[1,2]`, `"s"`, `null`, ``} {
		rec := httptest.NewRecorder()
		writeHuge(rec, 200, []byte(body), 1000)
		out := rec.Body.Bytes()
		if !json.Valid(out) || len(out) < 1000 || rec.Header().Get("Content-Length") != strconv.Itoa(len(out)) {
			t.Errorf("%q: %d bytes, valid %v, Content-Length %s", body, len(out), json.Valid(out), rec.Header().Get("Content-Length"))
			continue
		}
		if body == "" {
			continue
		}
		var want, got any
		json.Unmarshal([]byte(body), &want)
		json.Unmarshal(out, &got)
		strip := func(v any) {
			if m, ok := v.(map[string]any); ok {
				delete(m, "simPadding")
			}
			if l, ok := v.([]any); ok && len(l) > 0 {
				if m, ok := l[0].(map[string]any); ok {
					delete(m, "simPadding")
				}
			}
		}
		strip(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: padded body means %v", body, got)
		}
	}
}
