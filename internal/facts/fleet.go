package facts

// Fleet is what `orphan` reads: every classic cluster in the walked regions
// and resource groups, their workers, which infrastructure account each
// region + resource group's credentials use, and where each worker's device
// was found.
type Fleet struct {
	Scopes   []Scope
	Clusters []FleetCluster
	// Devices are the worker devices ("kube-…") of every infrastructure
	// account this session can reach.
	Devices Devices
	// LeftOut counts the clusters of the walked scopes that are not
	// classic, by infrastructure (facts.InfraVPC, facts.InfraSatellite):
	// their workers have no classic device, so there is nothing to walk.
	// LeftOutErr is why they could not be counted.
	LeftOut    map[string]int
	LeftOutErr error
	// Rejected are the classic credentials the user gave that SoftLayer did
	// not accept: their accounts were not searched.
	Rejected []Rejected
	// Incomplete is set when the walk was cancelled or ran out of time.
	Incomplete bool
	// Requests counts the HTTP requests the walk made (for the benchmark).
	Requests int
	// HandBackErr is set when the session's refreshed tokens could not be
	// saved after account-bound exchanges: the user may need to log in again.
	HandBackErr error
}

// Scope is one region + resource group and the credentials that apply there.
type Scope struct {
	Region      string
	Group       ResourceGroup
	Credentials Slot[Credentials]
	// Account is the infrastructure account those credentials use: the
	// manually set one, else the linked one; "" when the credentials could
	// not be read.
	Account string
}

// FleetCluster is one classic cluster and its workers: read, or — where the
// devices found for it are as many as the cluster listing's worker count —
// known from their devices (Attributed: the worker IDs, not read).
type FleetCluster struct {
	Cluster    Cluster
	Workers    Slot[[]Worker]
	Attributed []string
}

// LiveWorkers are the cluster's workers as the walk knows them: read, or
// the attributed IDs (every one of which has a device, so its state does
// not matter to where it is).
func (fc FleetCluster) LiveWorkers() []Worker {
	if fc.Workers.Loaded || fc.Attributed == nil {
		return fc.Workers.Value
	}
	ws := make([]Worker, len(fc.Attributed))
	for i, id := range fc.Attributed {
		ws[i] = Worker{ID: id}
	}
	return ws
}

// Key of a scope, for maps.
func (s Scope) Key() string { return ScopeKey(s.Region, s.Group.ID) }

// ScopeKey names a region + resource group (by id) in maps: the one place
// that spells it.
func ScopeKey(region, groupID string) string { return region + "/" + groupID }

// Rejected is a classic credential SoftLayer did not accept; the key itself
// is never kept.
type Rejected struct {
	Source   string // "creds.txt, line 3", or SL_USERNAME/SL_API_KEY
	Username string
	Err      error
}
