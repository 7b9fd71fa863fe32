package scrub

import (
	"bytes"
	"sort"
)

// span is a half-open byte range [start, end) of the input to mask; from
// is where the match that found it starts (a shape's context, such as
// "Bearer ", comes before the secret): a Writer never cuts between them.
type span struct{ from, start, end int }

// spans finds every range of b to mask: each occurrence of each form
// (overlapping ones included) and the secret part of each credential shape,
// all found in the original text, then sorted and merged so that touching
// or overlapping ranges become one mask.
func spans(b []byte, forms [][]byte) []span {
	var sp []span
	for _, f := range forms {
		for i := 0; i < len(b); {
			j := bytes.Index(b[i:], f)
			if j < 0 {
				break
			}
			sp = append(sp, span{i + j, i + j, i + j + len(f)})
			i += j + 1
		}
	}
	return merge(append(sp, findShapes(b)...))
}

func merge(sp []span) []span {
	if len(sp) < 2 {
		return sp
	}
	sort.Slice(sp, func(i, j int) bool { return sp[i].start < sp[j].start })
	out := sp[:1]
	for _, x := range sp[1:] {
		last := &out[len(out)-1]
		if x.start <= last.end {
			last.end = max(last.end, x.end)
			last.from = min(last.from, x.from)
			continue
		}
		out = append(out, x)
	}
	return out
}

// render returns b with each span (sorted, disjoint, inside b) replaced
// by Redacted.
func render(b []byte, sp []span) []byte {
	out := make([]byte, 0, len(b)+len(sp)*len(Redacted))
	at := 0
	for _, x := range sp {
		out = append(out, b[at:x.start]...)
		out = append(out, Redacted...)
		at = x.end
	}
	return append(out, b[at:]...)
}

// settle guards against a secret that overlaps the mask's own letters
// (say "ED]abcde" around "[REDACTED]abcde"): masking can then form a new
// occurrence. Real keys and tokens never do, so this is a loop that runs
// once; after a few rounds it gives up and masks everything.
func settle(out []byte, forms [][]byte) []byte {
	for round := 0; round < 4; round++ {
		leak := false
		for _, f := range forms {
			if bytes.Contains(out, f) {
				leak = true
				break
			}
		}
		if !leak {
			return out
		}
		out = render(out, spans(out, forms))
	}
	return []byte(Redacted)
}
