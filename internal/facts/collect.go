package facts

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Source reads facts from IBM Cloud. internal/ibm implements it over the
// official SDK clients; nothing else does, so tests reach it through the
// simulator.
type Source interface {
	Cluster(ctx context.Context, query string) (Cluster, error)
	ResourceGroups(ctx context.Context, accountID string) ([]ResourceGroup, error)
}

// Collect reads every fact in needs, once, concurrently where the reads do
// not depend on each other, and never fails: a failed read is a fact.
func Collect(ctx context.Context, src Source, sess Session, cluster string, needs []Key) *Set {
	s := &Set{Session: sess, ClusterQuery: cluster}
	var wg sync.WaitGroup
	if cluster != "" && slices.Contains(needs, KeyCluster) {
		wg.Go(func() { read(&s.Cluster, func() (Cluster, error) { return src.Cluster(ctx, cluster) }) })
	}
	if slices.Contains(needs, KeyResourceGroups) {
		wg.Go(func() {
			read(&s.ResourceGroups, func() ([]ResourceGroup, error) { return src.ResourceGroups(ctx, sess.AccountID) })
		})
	}
	wg.Wait()
	return s
}

func read[T any](slot *Slot[T], f func() (T, error)) {
	start := time.Now()
	slot.Value, slot.Err = f()
	slot.Loaded, slot.Took = true, time.Since(start)
}
