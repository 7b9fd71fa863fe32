package i18n

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// The message files, as written: the tests read them, the product reads
// messages_gen.go.
//
//go:embed resources/*.json
var resources embed.FS

// messages_gen.go is the message files, message for message, in their
// order, read with go-i18n's own parser: a text changed in a file and not
// regenerated fails here.
func TestGeneratedMessages(t *testing.T) {
	for locale, generated := range map[string][]goi18n.Message{English: enUS, Japanese: jaJP} {
		paths, _ := fs.Glob(resources, "resources/*."+locale+".json")
		var want []goi18n.Message
		for _, p := range paths {
			data, _ := resources.ReadFile(p)
			mf, err := goi18n.ParseMessageFileBytes(data, path.Base(p), nil)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, m := range mf.Messages {
				want = append(want, goi18n.Message{ID: m.ID, One: m.One, Other: m.Other})
			}
		}
		if !slices.Equal(generated, want) {
			t.Errorf("%s: messages_gen.go is stale: run `go generate ./i18n` (or `make i18n`)", locale)
		}
	}
}
