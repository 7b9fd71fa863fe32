package cliconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
)

// member is one top-level key of the object and the byte span of its value.
type member struct {
	key        string
	start, end int
}

// members lists the top-level members of a JSON object document, with the
// exact byte span of each value, so a value can be replaced without
// re-encoding (and so reordering or reformatting) anything else.
func members(b []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	var out []member
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		key, _ := kt.(string)
		afterKey := int(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		end := int(dec.InputOffset())
		start := valueStart(b, afterKey)
		if start < 0 || start > end || !bytes.Equal(b[start:end], raw) {
			return nil, errors.New("cannot locate the value of " + key)
		}
		out = append(out, member{key: key, start: start, end: end})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not one JSON object: data after the closing brace")
	}
	return out, nil
}

// valueStart skips the white space and the colon after a key.
func valueStart(b []byte, i int) int {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipSpace(b, i+1)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// splice sets string values of top-level keys: each existing value (every
// occurrence of a duplicated key) is replaced in place; a missing key is
// added before the closing brace. Every other byte stays.
func splice(b []byte, set map[string]string) ([]byte, error) {
	ms, err := members(b)
	if err != nil {
		return nil, err
	}
	type edit struct {
		start, end int
		text       []byte
	}
	var edits []edit
	seen := map[string]bool{}
	for _, m := range ms {
		if v, ok := set[m.key]; ok {
			edits = append(edits, edit{m.start, m.end, quote(v)})
			seen[m.key] = true
		}
	}
	var missing []string
	for k := range set {
		if !seen[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		at := bytes.LastIndexByte(b, '}')
		sep := len(ms) > 0
		var add []byte
		for _, k := range missing {
			if sep {
				add = append(add, ',')
			}
			sep = true
			add = append(append(append(add, quote(k)...), ':'), quote(set[k])...)
		}
		pos := at
		if len(ms) > 0 {
			pos = ms[len(ms)-1].end
		}
		edits = append(edits, edit{pos, pos, add})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(b[last:e.start])
		out.Write(e.text)
		last = e.end
	}
	out.Write(b[last:])
	if _, err := members(out.Bytes()); err != nil {
		return nil, fmt.Errorf("edit made invalid JSON: %w", err)
	}
	return out.Bytes(), nil
}

func quote(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
