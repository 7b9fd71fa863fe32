package facts

import "time"

// Key names one kind of fact; checks declare the keys they need and the
// collector reads the union, once. Every key is one entry of the table in
// keys.go.
type Key string

// Slot is one read: its value, or the error that stopped it. Loaded is false
// when no selected check asked for it, or when its read did not apply (the
// owner's policies of a classic cluster without a registry failure).
type Slot[T any] struct {
	Value  T
	Err    error
	Loaded bool
	Took   time.Duration
}

// slot is what every Slot[T] answers whatever its T: the collector, the
// evidence of findings and the durations read slots through it.
type slot interface {
	loaded() bool
	failed() error
	took() time.Duration
	fail(err error)
}

func (s *Slot[T]) loaded() bool        { return s.Loaded }
func (s *Slot[T]) failed() error       { return s.Err }
func (s *Slot[T]) took() time.Duration { return s.Took }
func (s *Slot[T]) fail(err error)      { s.Loaded, s.Err = true, err }

// Took is how long the read behind k took, from the start of the run (0 when
// it was not read): reads wait for the reads they depend on.
func (s *Set) Took(k Key) time.Duration { return lookup(k).slot(s).took() }

// Loaded reports whether the read behind k was done (or attempted).
func (s *Set) Loaded(k Key) bool { return lookup(k).slot(s).loaded() }

// err is the error of the read behind k (nil when it was not read).
func (s *Set) err(k Key) error { return lookup(k).slot(s).failed() }

// Complete reports whether the read behind k answered in full for this
// caller: read without error and, for the listings that IBM Cloud trims to
// what a caller may see, known to hold everything (the entry's complete).
// Findings carry it as their evidence.
func (s *Set) Complete(k Key) bool {
	if e := lookup(k); e.complete != nil {
		return e.complete(s)
	}
	return s.err(k) == nil
}

// ReadCluster is the cluster when its read succeeded.
func (s *Set) ReadCluster() (Cluster, bool) {
	if s.Cluster.Loaded && s.Cluster.Err == nil {
		return s.Cluster.Value, true
	}
	return Cluster{}, false
}
