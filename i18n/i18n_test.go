package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ids reads every message file of the locale that name ("all.en_US.json")
// names: resources/*.en_US.json together.
func ids(t *testing.T, name string) map[string]string {
	t.Helper()
	locale := strings.TrimSuffix(name[strings.Index(name, ".")+1:], ".json")
	paths, err := fs.Glob(resources, "resources/*."+locale+".json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no message files for %s: %v", locale, err)
	}
	m := map[string]string{}
	for _, path := range paths {
		data, err := resources.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var list []struct {
			ID          string
			Translation json.RawMessage
		}
		if err := json.Unmarshal(data, &list); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, e := range list {
			if _, dup := m[e.ID]; dup {
				t.Errorf("%s: duplicate id %q", path, e.ID)
			}
			m[e.ID] = text(t, path, e.ID, e.Translation)
		}
	}
	return m
}

// text is a translation's text: the string, or for a message with plural
// forms every form, joined (the tests read their words and placeholders).
// Plural forms are "one" and "other" in English, "other" alone in Japanese
// (CLDR); each must be non-empty.
func text(t *testing.T, path, id string, raw json.RawMessage) string {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var forms map[string]string
	if err := json.Unmarshal(raw, &forms); err != nil {
		t.Fatalf("%s: %q: %v", path, id, err)
	}
	want := []string{"one", "other"}
	if strings.Contains(path, ".ja_JP.") {
		want = []string{"other"}
	}
	var all []string
	for _, f := range want {
		if strings.TrimSpace(forms[f]) == "" {
			t.Errorf("%s: %q has no %q form", path, id, f)
		}
		all = append(all, forms[f])
	}
	if len(forms) != len(want) {
		t.Errorf("%s: %q: plural forms %v, want %v", path, id, slices.Sorted(maps.Keys(forms)), want)
	}
	return strings.Join(all, "\n")
}

var placeholder = regexp.MustCompile(`{{\s*\.\w+\s*}}`)

// Both files hold the same ids, every translation is non-empty, and each
// Japanese text uses the same template fields as the English one.
func TestParity(t *testing.T) {
	en, ja := ids(t, "all.en_US.json"), ids(t, "all.ja_JP.json")
	for id, e := range en {
		j, ok := ja[id]
		switch {
		case !ok:
			t.Errorf("ja_JP lacks %q", id)
		case strings.TrimSpace(e) == "" || strings.TrimSpace(j) == "":
			t.Errorf("empty translation for %q", id)
		case !samePlaceholders(e, j):
			t.Errorf("%q: placeholders differ: en %v, ja %v", id, placeholder.FindAllString(e, -1), placeholder.FindAllString(j, -1))
		}
	}
	for id := range ja {
		if _, ok := en[id]; !ok {
			t.Errorf("en_US lacks %q", id)
		}
	}
}

func samePlaceholders(a, b string) bool {
	set := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, p := range placeholder.FindAllString(s, -1) {
			m[strings.ReplaceAll(p, " ", "")] = true
		}
		return m
	}
	x, y := set(a), set(b)
	if len(x) != len(y) {
		return false
	}
	for k := range x {
		if !y[k] {
			return false
		}
	}
	return true
}

// Every literal passed to T(...) anywhere in the module has an entry, so no
// user-facing string can be written without its translation. Ids built at
// run time (check texts) are covered by the diag and render tests.
func TestEveryTLiteralHasAnEntry(t *testing.T) {
	en := ids(t, "all.en_US.json")
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != root) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if name != "T" || !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			if _, ok := en[id]; !ok {
				t.Errorf("%s: T(%q) has no entry in all.en_US.json", path, id)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Finding texts are looked up as "<Key>.title" and "<Key>.cause", and check
// titles as "check.<ID>.title": every Key and check ID literal in
// internal/diag must have its texts.
func TestEveryFindingKeyHasTexts(t *testing.T) {
	en := ids(t, "all.en_US.json")
	files, _ := filepath.Glob("../internal/diag/*.go")
	inspectSources(t, files, func(path string, n ast.Node) {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return
		}
		k, ok1 := kv.Key.(*ast.Ident)
		v, ok2 := kv.Value.(*ast.BasicLit)
		if !ok1 || !ok2 || v.Kind != token.STRING {
			return
		}
		val, _ := strconv.Unquote(v.Value)
		var want []string
		switch k.Name {
		case "Key":
			want = []string{val + ".title", val + ".cause"}
		case "ID":
			want = []string{"check." + val + ".title"}
		case "Category":
			want = []string{"category." + val}
		}
		for _, id := range want {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %s %q needs i18n id %q", path, k.Name, val, id)
			}
		}
	})
}

// Every reason an in-cluster read has no access (facts.NoAccessError, set
// as Reason: "…" or through kube's noAccess("…")) becomes the finding
// "incluster.<reason>", which needs its texts.
func TestEveryNoAccessReasonHasTexts(t *testing.T) {
	en := ids(t, "all.en_US.json")
	files, _ := filepath.Glob("../internal/kube/*.go")
	files = append(files, "../internal/ibm/kube.go")
	found := 0
	inspectSources(t, files, func(path string, n ast.Node) {
		var lit ast.Expr
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Reason" {
				lit = n.Value
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "noAccess" && len(n.Args) == 1 {
				lit = n.Args[0]
			}
		}
		if v, ok := lit.(*ast.BasicLit); ok && v.Kind == token.STRING {
			reason, _ := strconv.Unquote(v.Value)
			found++
			for _, id := range []string{"incluster." + reason + ".title", "incluster." + reason + ".cause"} {
				if _, ok := en[id]; !ok {
					t.Errorf("%s: reason %q needs i18n id %q", path, reason, id)
				}
			}
		}
	})
	if found < 8 {
		t.Errorf("found %d reasons; the scan no longer sees how they are set", found)
	}
}

// inspectSources calls visit on every syntax node of the non-test Go files.
func inspectSources(t *testing.T, files []string, visit func(path string, n ast.Node)) {
	t.Helper()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			visit(path, n)
			return true
		})
	}
}

func TestResolve(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		cli  string
		env  map[string]string
		want string
	}{
		{"ja_JP", nil, Japanese},
		{"ja-JP", nil, Japanese},
		{"ja", nil, Japanese},
		{"en_US", map[string]string{"LANG": "ja_JP.UTF-8"}, English},
		{"", map[string]string{"LANG": "ja_JP.UTF-8"}, Japanese},
		{"", map[string]string{"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US"}, Japanese},
		{"", map[string]string{"LC_ALL": "C", "LANG": "ja"}, Japanese},
		{"fr_FR", map[string]string{"LANG": "ja_JP"}, English},
		{"", nil, English},
		{"jam", nil, English},
	} {
		if got := Resolve(c.cli, env(c.env)); got != c.want {
			t.Errorf("Resolve(%q, %v) = %s, want %s", c.cli, c.env, got, c.want)
		}
	}
}

func TestTranslate(t *testing.T) {
	ja := New(Japanese)
	if got := ja.T("FAILED"); got != "失敗" {
		t.Errorf("ja FAILED = %q", got)
	}
	got := ja.T("Incorrect usage: {{.Error}}", map[string]any{"Error": "x"})
	if got != "使用法が正しくありません: x" {
		t.Errorf("template: %q", got)
	}
	if New("fr_FR").Locale() != English {
		t.Error("unknown locale must fall back to English")
	}
}

// A message with plural forms is told its count: English picks "one" or
// "other", Japanese has one form; a missing form would print the id.
func TestPluralForms(t *testing.T) {
	en, ja := New(English), New(Japanese)
	for _, tc := range []struct {
		id   string
		data any
		want string
	}{
		{"workers.state.ok.title", map[string]string{"count": "1"}, "The 1 worker node is Normal or Deployed"},
		{"workers.state.ok.title", map[string]string{"count": "3"}, "All 3 worker nodes are Normal or Deployed"},
		{"workers.state.ok.title", map[string]any{"count": 1}, "The 1 worker node is Normal or Deployed"},
		{"nodes.duplicate.none.cause", map[string]string{"count": "1"}, "The cluster's 1 node is not a NotReady node left behind under a public IP."},
	} {
		if got := en.T(tc.id, tc.data); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.id, tc.data, got, tc.want)
		}
	}
	for id := range plural() {
		for _, n := range []string{"0", "1", "2"} {
			data := map[string]any{"count": n, "Count": n}
			for _, tr := range []*Translator{en, ja} {
				if got := tr.T(id, data); got == id || got == "" || strings.Contains(got, "{{") {
					t.Errorf("%s %s count %s: %q", tr.Locale(), id, n, got)
				}
			}
		}
	}
}
