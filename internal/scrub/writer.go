package scrub

import (
	"bytes"
	"io"
	"sync"
)

// Writer masks what passes through it to an underlying writer. It passes
// each finished line on at once and keeps back the tail of an unfinished
// one (as long as the longest secret form, plus room for a shape's
// start), so a secret split across two Write calls is still masked. Flush
// (or Close) writes what is kept back: call it when the output ends.
//
// It is safe for concurrent use; each Write is masked as one piece of the
// stream, in the order the calls took the lock.
type Writer struct {
	s   *Scrubber
	w   io.Writer
	mu  sync.Mutex
	buf []byte
	// inToken: a huge match was cut at the buffer limit and masked; the
	// token characters that follow belong to it and are dropped.
	inToken bool
	// scanned is len(buf) after the last emit: an unfinished line is
	// scanned again only once buf doubled, so byte-by-byte writes and a
	// long held match cost linear time, not quadratic.
	scanned int
	err     error
}

// maxPending bounds what a Writer keeps back while one match goes on (a
// multi-megabyte "token" from a hostile server).
const maxPending = 256 << 10

// Writer returns a masking writer in front of w; its dynamic type is
// *Writer: flush it with Flush(w) or a type assertion when the output ends.
// A nil Scrubber's writer masks the shapes only.
func (s *Scrubber) Writer(w io.Writer) io.Writer { return s.NewWriter(w) }

// NewWriter is Writer with the concrete type, for callers that flush.
func (s *Scrubber) NewWriter(w io.Writer) *Writer { return &Writer{s: s, w: w} }

// Flush writes out what w keeps back, when w is a *Writer made by this
// package (or wraps one behind a Flush() error method); otherwise it does
// nothing.
func Flush(w io.Writer) error {
	if f, ok := w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// Write masks p as part of the stream. It reports len(p) written unless
// the underlying writer failed (then the error is sticky).
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	if w.inToken {
		i := 0
		for i < len(p) && tokenChar(p[i]) {
			i++
		}
		if i == len(p) {
			return len(p), nil
		}
		w.inToken = false
		w.buf = append(w.buf, p[i:]...)
	} else {
		w.buf = append(w.buf, p...)
	}
	if bytes.IndexByte(p, '\n') < 0 && len(w.buf) < 2*max(w.scanned, hold) {
		return len(p), nil
	}
	if err := w.emit(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush masks and writes everything kept back.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	w.inToken = false
	return w.emit(true)
}

// Close flushes; it does not close the underlying writer.
func (w *Writer) Close() error { return w.Flush() }

// emit writes the part of buf that can no longer change: everything when
// final, else up to a cut that no match (found or possibly still growing)
// straddles.
func (w *Writer) emit(final bool) error {
	forms := w.s.snapshot()
	sp := spans(w.buf, forms)
	cut := len(w.buf)
	if !final {
		keep := hold
		if len(forms) > 0 { // sorted longest first
			keep += len(forms[0])
		}
		cut = max(0, len(w.buf)-keep)
		if !w.s.multiline() {
			if nl := bytes.LastIndexAny(w.buf, "\n"); nl+1 > cut {
				cut = nl + 1
			}
		}
	}
	var out []span
	forced := false
	for _, x := range sp {
		if x.end <= cut {
			out = append(out, x)
			continue
		}
		if x.from < cut { // straddles: keep the whole match back ...
			cut = x.from
			if len(w.buf)-cut > maxPending { // ... unless it grew huge: mask it now
				out = append(out, x)
				cut = x.end
				forced = x.end == len(w.buf) // it may go on: drop its rest as it comes
			}
		}
		break
	}
	w.scanned = len(w.buf) - cut
	if cut == 0 {
		w.scanned = len(w.buf)
		return nil
	}
	chunk := settle(render(w.buf[:cut], out), forms)
	w.buf = append(w.buf[:0], w.buf[cut:]...)
	w.inToken = w.inToken || forced
	if _, err := w.w.Write(chunk); err != nil {
		w.err = err
		return err
	}
	return nil
}
