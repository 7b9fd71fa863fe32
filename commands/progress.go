package commands

import (
	"fmt"
	"sync"

	"github.com/ks-doctor/ks-doctor/internal/scrub"
)

// progressLine is the "Reading IBM Cloud: 5/14" line a verb shows on
// stderr while it reads, rewritten in place, and the function that clears
// it before the report. Only on a terminal and without -q: a script, a
// pipe or a log file never gets it (report is then nil, end a no-op).
// report may be called from several goroutines (the orphan walk's).
func progressLine(env *Env, quiet bool) (report func(done, total int), end func()) {
	if !env.StderrTerminal || quiet {
		return nil, func() {}
	}
	var mu sync.Mutex
	shown := false
	report = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		shown = true
		fmt.Fprintf(env.Stderr, "\r%s", env.T.T("Reading IBM Cloud: {{.Done}}/{{.Total}}", map[string]any{"Done": done, "Total": total}))
		// The scrubber keeps an unfinished line back; a progress line
		// never ends, and holds nothing secret: show it now.
		_ = scrub.Flush(env.Stderr)
	}
	end = func() {
		mu.Lock()
		defer mu.Unlock()
		if shown {
			fmt.Fprint(env.Stderr, "\r\033[K")
			_ = scrub.Flush(env.Stderr) // cleared before the report, not after it
		}
	}
	return report, end
}
