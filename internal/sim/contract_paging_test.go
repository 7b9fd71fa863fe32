package sim_test

import (
	"testing"

	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/session"
	"github.com/softlayer/softlayer-go/sl"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// startFleet serves a generated one-cluster fleet with n workers.
func startFleet(t *testing.T, n int, opts sim.Options, edit func(*sim.Scenario)) *sim.Server {
	t.Helper()
	sc, _, err := sim.Fleet(sim.FleetOptions{Clusters: 1, Workers: n})
	check(t, err)
	if edit != nil {
		edit(sc)
	}
	srv := sim.New(sc, opts)
	check(t, srv.Start("127.0.0.1:0"))
	t.Cleanup(func() { srv.Close() })
	return srv
}

// pageAll pages getVirtualGuests naively (offset += limit) with an
// optional filter, and counts how often each hostname came back.
func pageAll(t *testing.T, sess *session.Session, objectFilter string, limit int) (seen map[string]int, total int) {
	t.Helper()
	seen = map[string]int{}
	for offset := 0; ; offset += limit {
		opts := sl.Options{Mask: "id;hostname", Filter: objectFilter, Limit: ptr(limit), Offset: ptr(offset)}
		var page []datatypes.Virtual_Guest
		check(t, sess.DoRequest("SoftLayer_Account", "getVirtualGuests", nil, &opts, &page))
		for _, g := range page {
			seen[*g.Hostname]++
		}
		if offset+limit >= opts.TotalItems {
			return seen, opts.TotalItems
		}
	}
}

// Without orderBy, an unordered scenario pages in a different order per
// offset (SLDN using-result-limits-softlayer-api): naive paging repeats and
// skips devices; with softlayer-go's OrderBy every device comes once.
func TestSoftLayerUnorderedPaging(t *testing.T) {
	srv := startFleet(t, 30, sim.Options{}, func(sc *sim.Scenario) { sc.Wire.SoftLayerPageOrder = sim.PageOrderUnordered })
	sess := slBearer(srv, login(t, srv))

	naive, total := pageAll(t, sess, "", 10)
	if total != 30 || len(naive) == 30 {
		t.Fatalf("naive paging saw %d distinct of %d: the order must differ between pages", len(naive), total)
	}
	again, _ := pageAll(t, sess, "", 10)
	for h, n := range naive {
		if again[h] != n {
			t.Fatalf("unordered pages must be deterministic per request: %s %d vs %d", h, n, again[h])
		}
	}
	ordered, total := pageAll(t, sess, filter.Build(filter.Path("virtualGuests.id").OrderBy("ASC")), 10)
	if total != 30 || len(ordered) != 30 {
		t.Fatalf("ordered paging saw %d distinct of %d", len(ordered), total)
	}
	for h, n := range ordered {
		if n != 1 {
			t.Fatalf("%s came %d times", h, n)
		}
	}

	// The default (stable) keeps today's answer: naive paging is complete.
	stable := startFleet(t, 30, sim.Options{}, nil)
	if seen, _ := pageAll(t, slBearer(stable, login(t, stable)), "", 10); len(seen) != 30 {
		t.Fatalf("stable paging saw %d", len(seen))
	}
}

// The resultLimit ceiling gives a shorter page than asked; the total still
// says how many there are.
func TestSoftLayerMaxResultLimit(t *testing.T) {
	srv := startFleet(t, 30, sim.Options{SoftLayerMaxResultLimit: 7}, nil)
	sess := slBearer(srv, login(t, srv))
	opts := sl.Options{Limit: ptr(25), Offset: ptr(0)}
	var page []datatypes.Virtual_Guest
	check(t, sess.DoRequest("SoftLayer_Account", "getVirtualGuests", nil, &opts, &page))
	if len(page) != 7 || opts.TotalItems != 30 {
		t.Fatalf("page %d, total %d", len(page), opts.TotalItems)
	}
}
