package facts

import (
	"fmt"
	"slices"
)

// entry is everything the collector knows of one key.
type entry struct {
	key Key
	// needs are the reads this one waits for, in that order. When one of
	// them fails, this read is not attempted: its slot holds a
	// DependencyError naming it.
	needs []Key
	// optional are the needs whose failure leaves this read another way to
	// answer: it waits for them, then reads all the same.
	optional []Key
	// needless says when a read need not wait for one of its needs after
	// all, given what the needs listed before that one found.
	needless map[Key]func(*Set) bool
	// cluster is set for reads that exist only for a cluster: without -c
	// (create scope) they are left out, with everything that needs them.
	cluster bool
	// when, if set, decides once the needs are done whether the read
	// applies at all; a read that does not apply leaves its slot unloaded.
	when func(*Set) bool
	// complete, if set, says whether a read that succeeded holds
	// everything (Set.Complete); nil means any read without error does.
	complete func(*Set) bool
	fact     binding
}

// binding ties a key's Set field to its read. bind makes both from one
// type T, so a read cannot fill another fact's slot, and the slot a
// failed dependency is routed to is the one the read would have filled.
type binding struct {
	slot func(*Set) slot
	read func(*run) error
}

func bind[T any](field func(*Set) *Slot[T], read func(*run) (T, error)) binding {
	return binding{
		slot: func(s *Set) slot { return field(s) },
		read: func(r *run) error {
			return fill(r.start, field(r.set), func() (T, error) { return read(r) })
		},
	}
}

func (e *entry) slot(s *Set) slot { return e.fact.slot(s) }

// read runs the entry's read, unless it does not apply.
func (e *entry) read(r *run) error {
	if e.when != nil && !e.when(r.set) {
		return nil
	}
	return e.fact.read(r)
}

func (e *entry) isOptional(d Key) bool { return slices.Contains(e.optional, d) }

// lookup is k's entry. Keys are constants of this package, each held to an
// entry by keys_test.go: a key without one is a programming error, and
// reading on without it would leave a zero value that looks like a healthy
// answer.
func lookup(k Key) *entry {
	for i := range table {
		if table[i].key == k {
			return &table[i]
		}
	}
	panic(fmt.Sprintf("facts: key %q has no entry in the table (keys.go)", k))
}

// Expand adds to needs every read they depend on. Without a cluster, the
// cluster itself is not added: reads that can do without it (credentials)
// then read the target's.
func Expand(needs []Key, withCluster bool) []Key {
	out := slices.Clone(needs)
	for i := 0; i < len(out); i++ {
		for _, d := range lookup(out[i]).needs {
			if d == KeyCluster && !withCluster {
				continue
			}
			if !slices.Contains(out, d) {
				out = append(out, d)
			}
		}
	}
	return out
}
