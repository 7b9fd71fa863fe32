package catalog

import (
	"strings"
	"testing"
)

// paste10K is what a person pastes into `explain`: CLI output, a Terraform error, JSON bodies and
// log lines, with a handful of known errors among them, about 10 KiB.
var paste10K = func() string {
	var b strings.Builder
	errs := []string{
		"'classic' infrastructure exception: The worker node instance 'kube-dal10-cr9b7371a7fcbe46d08e04f046d5e6d8b4-w2' can't be found. Review 'classic' infrastructure user permissions.\n",
		`Error: Request failed with status code: 403, ServerErrorResponse: {"incidentID":"6c2bd3c0","code":"E0057","description":"Unable to connect to the IBM Cloud account. Ensure that you have a paid account.","type":"Authentication"}` + "\n",
		"2024-05-29T10:11:12Z worker kube-x: Pending endpoint gateway creation\n",
	}
	for i := 0; b.Len() < 10<<10; i++ {
		b.WriteString(noise)
		b.WriteString(errs[i%len(errs)])
	}
	return b.String()[:10<<10]
}()

func BenchmarkMatch(b *testing.B) {
	Match("warm up") // parse and compile once, outside the timing
	b.SetBytes(int64(len(paste10K)))
	for b.Loop() {
		if len(Match(paste10K)) == 0 {
			b.Fatal("no hits")
		}
	}
}

func BenchmarkBestWorkerMessage(b *testing.B) {
	msg := "'classic' infrastructure exception: incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account."
	Match("warm up")
	for b.Loop() {
		Best(msg)
	}
}

// BenchmarkFirstUse is the one-time cost an `explain` run pays: parse the YAML, compile the patterns.
func BenchmarkFirstUse(b *testing.B) {
	for b.Loop() {
		c, err := parse(catalogYAML)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := build(c.entries); err != nil {
			b.Fatal(err)
		}
	}
}
