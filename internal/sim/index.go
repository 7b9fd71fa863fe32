package sim

import "sync"

// index holds lookups a fleet of thousands of clusters and devices needs to
// stay fast, built from the scenario on first use (the scenario does not
// change once served): clusters by id and name, and the rendered SoftLayer
// lists, so a paged listing costs one filter pass per page instead of
// rebuilding every object.
type index struct {
	once     sync.Once
	clusters map[string]*Cluster // by id and by name (validation keeps them distinct)

	mu     sync.Mutex
	slList map[string][]map[string]any // "<account>/<property>" → rendered items
}

func (s *Server) clusterByKey(idOrName string) *Cluster {
	s.idx.once.Do(func() {
		s.idx.clusters = make(map[string]*Cluster, 2*len(s.sc.Clusters))
		for i := range s.sc.Clusters {
			cl := &s.sc.Clusters[i]
			for _, k := range []string{cl.ID, cl.Name} {
				if _, taken := s.idx.clusters[k]; !taken {
					s.idx.clusters[k] = cl
				}
			}
		}
	})
	return s.idx.clusters[idOrName]
}

// cachedList renders an infrastructure account's list once. The items are
// shared between requests and must only be read (applyMask copies).
func (s *Server) cachedList(ia *InfraAccount, property string, build func() []map[string]any) []map[string]any {
	key := ia.ID + "/" + property
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	if items, ok := s.idx.slList[key]; ok {
		return items
	}
	if s.idx.slList == nil {
		s.idx.slList = map[string][]map[string]any{}
	}
	items := build()
	s.idx.slList[key] = items
	return items
}
