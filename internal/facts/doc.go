// Package facts is the plain data ks-doctor reads from IBM Cloud before it
// judges anything, and Collect, which reads it. Each slot holds a value or
// the error that stopped its read, so a check can tell "the API said no"
// from "we could not ask".
//
// Reading order: keys.go (every key, the Set field that holds it and its
// one table entry) → entry.go (what an entry says, and Expand) → set.go
// (Slot, and what a Set answers) → collect.go
// (Source, Collect) → the files of each idea's data:
// session.go, cluster.go, workers.go, credentials.go, account.go (IAM),
// classic.go (classic infrastructure), vpc.go, version.go, incluster.go (the
// cluster's own API and kubectl), fleet.go (what `orphan` walks),
// errors.go.
//
// # Adding a fact key
//
// A fact key is one table entry plus one Source method; nothing else
// changes in this package, and the collector, the routing of a failed
// dependency into the key's slot, the create-scope filter and the evidence
// of findings (Loaded, Took, Complete) pick it up from the entry:
//
//  1. Source (collect.go): the method that reads it, implemented in
//     internal/ibm over an official SDK client (an existing method when the
//     read is the same call for another scope, as KeyTargetCredentials
//     reuses Credentials), with a contract test against the simulator.
//  2. keys.go, one place: the Key constant, the Set field that holds its
//     Slot, and its table entry: needs (the reads it waits for; optional
//     and needless among them), cluster (it exists only for a cluster, so
//     create scope leaves it out), when (it may not apply), complete (its
//     listing may be partial for this caller), and bind(field, read), which
//     ties the field to the read by type.
//  3. The checks that judge it list the key in their Needs (internal/diag).
//
// keys_test.go fails when a Key constant has no entry, when a Slot field of
// Set belongs to no entry or to two, or when an entry names a need that is
// no key; checks_test.go when a check needs a key without an entry (and
// lookup panics on one rather than leave a zero value); collect_test.go holds
// Collect to its dependency, concurrency and read-once rules for every
// entry. A failed read therefore never looks like a healthy zero value.
package facts
