package sim

import (
	"fmt"
	"math/rand/v2"
)

// SoftLayer paging order. SLDN "using-result-limits-softlayer-api": "Unless
// explicitly set, the order of the API results are dependant on the order
// they are returned from the database, which might be inconsistent between
// different API calls"; only an orderBy in the objectFilter (softlayer-go
// filter.Path("virtualGuests.id").OrderBy("ASC") builds
// {"operation":"orderBy","options":[{"name":"sort","value":["ASC"]}]})
// makes it stable. With wire.softlayerPageOrder: unordered, a paged list
// without orderBy comes back in a different permutation for every offset:
// deterministic, so tests are steady, yet naive paging skips and repeats
// items. Opt-in, because today's callers and golden files page without
// orderBy and rely on the scenario's order.

// Page orders of wire.softlayerPageOrder.
const (
	PageOrderStable    = "stable"
	PageOrderUnordered = "unordered"
)

// ordered tells whether the filter holds an orderBy.
func (f slFilter) ordered() bool {
	path, _ := findOrderBy(f, nil)
	return path != nil
}

// slUnordered tells whether unordered paging is on (Options win over the
// scenario).
func (s *Server) slUnordered() bool {
	if s.opts.SoftLayerPageOrder != "" {
		return s.opts.SoftLayerPageOrder == PageOrderUnordered
	}
	return s.sc.Wire.SoftLayerPageOrder == PageOrderUnordered
}

// slLimit cuts a requested resultLimit limit to the maximum knob [I]: the
// real maximum is not published, and a page shorter than asked is what a
// client that stops at "fewer than I asked for" must survive.
func (s *Server) slLimit(limit int) int {
	ceiling := s.opts.SoftLayerMaxResultLimit
	if ceiling <= 0 {
		ceiling = s.sc.Wire.SoftLayerMaxResultLimit
	}
	if ceiling > 0 && limit > ceiling {
		return ceiling
	}
	return limit
}

// shuffleFor permutes items in place, seeded by the page offset.
func shuffleFor(items []map[string]any, offset int) {
	r := rand.New(rand.NewPCG(uint64(offset)+1, 0x5eed))
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
}

// ValidPageOrder checks a --sl-page-order value.
func ValidPageOrder(v string) error {
	if v != "" && v != PageOrderStable && v != PageOrderUnordered {
		return fmt.Errorf("SoftLayer page order must be %s or %s, got %q", PageOrderStable, PageOrderUnordered, v)
	}
	return nil
}
