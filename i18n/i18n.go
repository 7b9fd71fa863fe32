// Package i18n holds every user-facing string of ks-doctor, in en_US and ja_JP.
//
// Message ids follow the CLI SDK convention (the English text is the id) for
// interface strings; check texts use structured ids ("session.region.mismatch.cause")
// because they are looked up from data, not written at a call site.
// Japanese wording follows IBM's official translation of the troubleshooting
// page (seed 002): インフラストラクチャー, 資格情報, リソース・グループ, ワーカー・ノード.
package i18n

import (
	"cmp"
	"strconv"
	"strings"
	"sync"

	sdki18n "github.com/IBM-Cloud/ibm-cloud-cli-sdk/i18n"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The texts are written in resources/<part>.<locale>.json (one file per
// part of the product: all = the interface and the checks), in the CLI
// SDK's format; messages_gen.go holds them as Go literals, so that no
// process parses JSON to print a word (see internal/messagesgen).
//go:generate go run ./internal/messagesgen

// Supported locales, in the file naming of the CLI SDK.
const (
	English  = "en_US"
	Japanese = "ja_JP"
)

// Translator turns a message id and its template data into text in one locale.
type Translator struct {
	locale string
	tf     sdki18n.TranslateFunc
}

// bundles are built on first use, one per locale, so that a process pays
// only for the languages it speaks: SendMetadata and an English run build
// the English one; a Japanese run also the Japanese one, which holds the
// English messages too (the fallback of a missing translation).
var bundles = map[string]func() *goi18n.Bundle{
	English:  sync.OnceValue(func() *goi18n.Bundle { return newBundle(enUS) }),
	Japanese: sync.OnceValue(func() *goi18n.Bundle { return newBundle(enUS, jaJP...) }),
}

// newBundle adds the English messages, then the Japanese ones if given.
func newBundle(en []goi18n.Message, ja ...goi18n.Message) *goi18n.Bundle {
	b := goi18n.NewBundle(language.AmericanEnglish)
	add(b, language.AmericanEnglish, en)
	if len(ja) > 0 {
		add(b, language.MustParse("ja-JP"), ja)
	}
	return b
}

func add(b *goi18n.Bundle, tag language.Tag, set []goi18n.Message) {
	msgs := make([]*goi18n.Message, len(set))
	for i := range set {
		msgs[i] = &set[i]
	}
	if err := b.AddMessages(tag, msgs...); err != nil {
		panic(err) // generated from the files the tests read: a build defect
	}
}

// plural holds the ids whose English text has plural forms
// ({"one": …, "other": …}); T passes their "count" to go-i18n.
var plural = sync.OnceValue(func() map[string]bool {
	p := map[string]bool{}
	for _, m := range enUS {
		if m.One != "" {
			p[m.ID] = true
		}
	}
	return p
})

// New returns a translator for locale, which must be English or Japanese
// (use Resolve first). Missing Japanese messages fall back to English.
func New(locale string) *Translator {
	tag := "en-US"
	if locale == Japanese {
		tag = "ja-JP"
	} else {
		locale = English
	}
	loc := goi18n.NewLocalizer(bundles[locale](), tag, "en-US")
	return &Translator{locale: locale, tf: sdki18n.Translate(loc)}
}

// T translates id; data is a map[string]any (or struct) for {{.Name}} templates.
// A message with plural forms takes its plural count from the data's
// "count" (or "Count"), so callers and the data-driven check texts never
// choose a form themselves: "1 worker node", "2 worker nodes".
func (t *Translator) T(id string, data ...any) string {
	if len(data) == 0 {
		return t.tf(id)
	}
	if n, ok := pluralCount(id, data[0]); ok {
		return t.tf(id, n, data[0])
	}
	return t.tf(id, data[0])
}

// pluralCount is the count of a plural message's data: an integer, or a
// string of one (the check texts' parameters are strings).
func pluralCount(id string, data any) (any, bool) {
	if !plural()[id] {
		return nil, false
	}
	var n any
	switch m := data.(type) {
	case map[string]any:
		n = cmp.Or(m["count"], m["Count"])
	case map[string]string:
		n = cmp.Or(m["count"], m["Count"])
	}
	switch v := n.(type) {
	case int, int64:
		return v, true
	case string:
		if _, err := strconv.Atoi(v); err == nil {
			return v, true
		}
	}
	return nil, false
}

// Locale is "en_US" or "ja_JP".
func (t *Translator) Locale() string { return t.locale }

// Lang is the short language code used by data files that carry both
// languages side by side ("en" or "ja").
func (t *Translator) Lang() string { return t.locale[:2] }

// Resolve picks the locale from, in order, the CLI's setting (`ibmcloud config
// --locale`), LC_ALL, LC_MESSAGES and LANG. Any form of Japanese ("ja",
// "ja_JP", "ja-JP", "ja_JP.UTF-8") means Japanese; anything else, English.
func Resolve(cliLocale string, getenv func(string) string) string {
	for _, v := range []string{cliLocale, getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG")} {
		v = strings.TrimSpace(v)
		if v == "" || v == "C" || v == "POSIX" {
			continue
		}
		if isJapanese(v) {
			return Japanese
		}
		return English
	}
	return English
}

func isJapanese(v string) bool {
	v = strings.ToLower(v)
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	return v == "ja" || strings.HasPrefix(v, "ja_") || strings.HasPrefix(v, "ja-")
}
