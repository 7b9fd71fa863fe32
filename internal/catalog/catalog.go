// Package catalog is ks-doctor's known-error catalog and its matcher, used offline by `explain`
// and by the workers.message check.
//
// The data is catalog.yaml, embedded: one entry per message family of the runbooks (seeds 000
// and 001) and of the error-catalog research, with English and Japanese text. Match finds every
// known error in a paste however it arrives (provider prefixes, Terraform frames, IKS/SoftLayer/
// IAM JSON bodies, log timestamps, reflowed lines, curly quotes, truncation, error codes alone);
// Best picks one for a single worker status message.
//
// Nothing is parsed or compiled until first use, so importing the package costs nothing.
//
// Fix commands use these placeholders, which callers may fill with Entry.FixWith:
// <cluster_name_or_ID> <region> <resource_group> <worker_node_ID> <worker_pool> <zone>
// <private_vlan_ID> <public_vlan_ID> <number_of_workers_per_zone> <user_email>
// <infrastructure_API_username> <infrastructure_API_authentication_key>.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed catalog.yaml
var catalogYAML []byte

// Entry is one known message family.
type Entry struct {
	ID       string   // stable, never translated, e.g. "E-orphan-incorrect-account"
	Topic    string   // e.g. "orphaned_cluster" (SPEC.md topics; unknown_other for the rest)
	Actor    string   // who can apply the fix: "user" or "account-owner"
	Doc      string   // IBM Cloud docs URL of the runbook section
	Fix      []string // copy-paste commands with placeholders; empty when the docs give none
	Codes    []string // error codes that identify the entry on their own (E0051, P0005, …)
	Patterns []string // the message families, as templates (see template in pattern.go)
	Sources  []string // public pages where the shapes and wordings of a class entry were read
	Class    bool     // a second-layer entry (classify.go): matched by service, status, code and wording

	title, cause, note text
	regex              []rawRegex
	state              string // worker State word this entry explains, e.g. "critical"
	weight             float64
}

type text struct {
	En string `yaml:"en"`
	Ja string `yaml:"ja"`
}

type rawRegex struct {
	RE     string  `yaml:"re"`
	Filter string  `yaml:"filter"` // a word the text must contain before RE runs
	Weight float64 `yaml:"weight"`
}

// unfold undoes what YAML's folded style does to Japanese: a line break
// becomes a space, but Japanese puts none between Japanese words, so a
// space between two Japanese characters is dropped (one next to a Latin
// word stays: "API キー").
func (t text) unfold() text {
	r := []rune(t.Ja)
	out := make([]rune, 0, len(r))
	for i, c := range r {
		if c == ' ' && i > 0 && i+1 < len(r) && r[i-1] > 0x2e7f && r[i+1] > 0x2e7f {
			continue
		}
		out = append(out, c)
	}
	t.Ja = string(out)
	return t
}

func (t text) in(lang string) string {
	if isJa(lang) && t.Ja != "" {
		return t.Ja
	}
	return t.En
}

// isJa accepts the CLI's and the OS's spellings: ja, ja_JP, ja-JP, ja_JP.UTF-8.
func isJa(lang string) bool {
	return len(lang) >= 2 && strings.EqualFold(lang[:2], "ja") && (len(lang) == 2 || lang[2] == '_' || lang[2] == '-')
}

// Title is a one-line name of the problem in lang ("en" or "ja"; anything else is English).
func (e Entry) Title(lang string) string { return e.title.in(lang) }

// Cause says why the message appears, in lang.
func (e Entry) Cause(lang string) string { return e.cause.in(lang) }

// Note says what the commands in Fix cannot (console steps, support cases), in lang; often empty.
func (e Entry) Note(lang string) string { return e.note.in(lang) }

// FixWith returns Fix with the placeholders named in vals ("cluster_name_or_ID" → "mycluster")
// filled in; placeholders without a value stay as they are.
func (e Entry) FixWith(vals map[string]string) []string {
	out := slices.Clone(e.Fix)
	for i, cmd := range out {
		for k, v := range vals {
			if v != "" {
				cmd = strings.ReplaceAll(cmd, "<"+k+">", v)
			}
		}
		out[i] = cmd
	}
	return out
}

func (e Entry) clone() Entry {
	e.Fix, e.Codes, e.Patterns, e.Sources = slices.Clone(e.Fix), slices.Clone(e.Codes), slices.Clone(e.Patterns), slices.Clone(e.Sources)
	return e
}

type catalog struct {
	entries []Entry
	byID    map[string]int
}

// load parses the embedded catalog on first use.
var load = sync.OnceValue(func() *catalog {
	c, err := parse(catalogYAML)
	if err != nil {
		panic("catalog: " + err.Error()) // embedded data; the tests keep it valid
	}
	return c
})

func parse(data []byte) (*catalog, error) {
	var raw []struct {
		ID       string     `yaml:"id"`
		Topic    string     `yaml:"topic"`
		Actor    string     `yaml:"actor"`
		Doc      string     `yaml:"doc"`
		Codes    []string   `yaml:"codes"`
		Patterns []string   `yaml:"patterns"`
		Regex    []rawRegex `yaml:"regex"`
		State    string     `yaml:"state"`
		Weight   float64    `yaml:"weight"`
		Title    text       `yaml:"title"`
		Cause    text       `yaml:"cause"`
		Note     text       `yaml:"note"`
		Fix      []string   `yaml:"fix"`
		Class    bool       `yaml:"class"`
		Sources  []string   `yaml:"sources"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key would silently drop a pattern or a fix
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	c := &catalog{byID: make(map[string]int, len(raw))}
	for _, r := range raw {
		if _, dup := c.byID[strings.ToLower(r.ID)]; dup || r.ID == "" {
			return nil, fmt.Errorf("missing or duplicate id %q", r.ID)
		}
		c.byID[strings.ToLower(r.ID)] = len(c.entries)
		c.entries = append(c.entries, Entry{
			ID: r.ID, Topic: r.Topic, Actor: r.Actor, Doc: r.Doc, Fix: r.Fix, Codes: r.Codes, Patterns: r.Patterns, Sources: r.Sources, Class: r.Class,
			title: r.Title.unfold(), cause: r.Cause.unfold(), note: r.Note.unfold(), regex: r.Regex, state: r.State, weight: r.Weight,
		})
	}
	return c, nil
}

// Entries returns the whole catalog in its file order. The slice is the caller's own.
func Entries() []Entry {
	es := load().entries
	out := make([]Entry, len(es))
	for i, e := range es {
		out[i] = e.clone()
	}
	return out
}

// Lookup returns the entry with id (case-insensitive), for `explain ID`.
func Lookup(id string) (Entry, bool) {
	c := load()
	i, ok := c.byID[strings.ToLower(strings.TrimSpace(id))]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i].clone(), true
}
