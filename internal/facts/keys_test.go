package facts

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every Key constant of the package has exactly one entry, and the table
// has no key that is not a constant: a key cannot be declared and forgotten.
func TestEveryKeyHasOneEntry(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var consts []Key
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Key" {
					continue
				}
				for _, v := range vs.Values {
					s, err := strconv.Unquote(v.(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					consts = append(consts, Key(s))
				}
			}
		}
	}
	if len(consts) < 20 {
		t.Fatalf("found only %d Key constants: %v", len(consts), consts)
	}
	for _, k := range consts {
		n := 0
		for _, e := range table {
			if e.key == k {
				n++
			}
		}
		if n != 1 {
			t.Errorf("key %q has %d table entries, want 1", k, n)
		}
	}
	for _, e := range table {
		if !slices.Contains(consts, e.key) {
			t.Errorf("table entry %q is no Key constant", e.key)
		}
	}
}

// Every Slot field of Set is filled by exactly one entry: a field without
// one would stay a zero value that looks like a healthy answer.
func TestEverySlotBelongsToOneEntry(t *testing.T) {
	var s Set
	owner := map[uintptr][]Key{}
	for _, e := range table {
		if e.fact.slot == nil || e.fact.read == nil {
			t.Errorf("%s: no bind(field, read)", e.key)
			continue
		}
		p := reflect.ValueOf(e.slot(&s)).Pointer()
		owner[p] = append(owner[p], e.key)
	}
	v := reflect.ValueOf(&s).Elem()
	fields := 0
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if !strings.HasPrefix(f.Type.Name(), "Slot[") {
			continue
		}
		fields++
		if keys := owner[v.Field(i).Addr().Pointer()]; len(keys) != 1 {
			t.Errorf("Set.%s is the slot of %v, want one key", f.Name, keys)
		}
	}
	if fields != len(table) {
		t.Errorf("Set has %d slots, the table %d entries", fields, len(table))
	}
}

// Needs name keys, optional and needless ones are among the needs, there
// is no cycle (Collect would wait forever), and a read that runs without a
// cluster needs nothing that exists only for one, except the cluster itself
// (without which it reads the target's): in create scope such a need would
// be left out and the read would go on with its zero value.
func TestEntriesAreSound(t *testing.T) {
	for _, e := range table {
		for _, d := range e.needs {
			if !known(d) {
				t.Errorf("%s needs %q, which has no entry", e.key, d)
				continue
			}
			if !e.cluster && d != KeyCluster && lookup(d).cluster {
				t.Errorf("%s is read without a cluster but needs %s, which is not", e.key, d)
			}
		}
		for _, d := range e.optional {
			if !slices.Contains(e.needs, d) {
				t.Errorf("%s: optional %s is not among its needs", e.key, d)
			}
		}
		for d := range e.needless {
			if !slices.Contains(e.needs, d) {
				t.Errorf("%s: needless %s is not among its needs", e.key, d)
			}
		}
	}
	var visit func(k Key, path []Key)
	visit = func(k Key, path []Key) {
		if slices.Contains(path, k) {
			t.Fatalf("dependency cycle: %v", append(path, k))
		}
		if !known(k) {
			return
		}
		for _, d := range lookup(k).needs {
			visit(d, append(path, k))
		}
	}
	for _, e := range table {
		visit(e.key, nil)
	}
}

// A failed read is loaded and never complete, whatever the key.
func TestFailedReadIsNeverComplete(t *testing.T) {
	for _, e := range table {
		var s Set
		e.slot(&s).fail(errors.New("HTTP 500"))
		if !s.Loaded(e.key) || s.Complete(e.key) || s.err(e.key) == nil {
			t.Errorf("%s: a failed read is loaded %v, complete %v", e.key, s.Loaded(e.key), s.Complete(e.key))
		}
	}
}

func TestLookupRefusesAnUnknownKey(t *testing.T) {
	if known("no-such-key") {
		t.Error("an unknown key must not be looked up quietly")
	}
}

// known reports whether k has an entry (lookup panics otherwise).
func known(k Key) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	lookup(k)
	return true
}

// Known is known for the external tests (checks_test.go).
var Known = known
