package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FleetOptions describe a generated fleet of classic clusters (Fleet). A
// zero field takes its default.
type FleetOptions struct {
	Clusters int // classic clusters [10], up to 100000
	Workers  int // workers per cluster [3], up to 1000; at most 1,000,000 in all
	Regions  int // regions, the first of FleetRegions [1]
	Groups   int // resource groups: default, team-a, team-b ... [1], up to 27
	Accounts int // classic infrastructure accounts [1], up to 50; #1 is the one linked to the main account
	// Orphans is the fraction of clusters whose devices are in another
	// infrastructure account than the one their region + resource group's
	// credentials use [0]; round(Orphans × Clusters) clusters are orphaned.
	// Needs Accounts ≥ 2 when > 0.
	Orphans float64
	Seed    uint64 // placement, cluster ids and orphans follow from it [0]
}

// FleetRegion is a region the generator places classic clusters in.
type FleetRegion struct {
	Region, Metro string
	Datacenters   []string
}

// FleetRegions are the regions of a generated fleet, in the order used.
var FleetRegions = []FleetRegion{
	{"us-south", "Dallas", []string{"dal10", "dal12", "dal13"}},
	{"eu-de", "Frankfurt", []string{"fra02", "fra04", "fra05"}},
	{"us-east", "Washington D.C.", []string{"wdc04", "wdc06", "wdc07"}},
	{"eu-gb", "London", []string{"lon02", "lon04", "lon06"}},
	{"jp-tok", "Tokyo", []string{"tok02", "tok04", "tok05"}},
	{"au-syd", "Sydney", []string{"syd01", "syd04", "syd05"}},
	{"ca-tor", "Toronto", []string{"tor01"}},
	{"br-sao", "Sao Paulo", []string{"sao01"}},
	{"jp-osa", "Osaka", []string{"osa21", "osa22", "osa23"}},
	{"eu-es", "Madrid", []string{"mad02", "mad04", "mad05"}},
	{"ca-mon", "Montreal", []string{"mon01"}},
	{"in-che", "Chennai", []string{"che01"}},
	{"eu-fr2", "Paris", []string{"par01"}},
}

// FleetTruth is what a correct orphan walk over a generated fleet
// concludes, for tests and benchmarks to compare with.
type FleetTruth struct {
	Options  FleetOptions `json:"options"` // with defaults filled in
	Clusters int          `json:"clusters"`
	Workers  int          `json:"workers"`
	// Orphaned are the ids of the orphaned clusters, sorted; every other
	// cluster is ok (all its workers in its scope's current account).
	Orphaned      []string       `json:"orphaned"`
	OrphanedNames []string       `json:"orphanedNames"` // the same clusters' names, sorted
	Accounts      []FleetAccount `json:"accounts"`
	Scopes        []FleetScope   `json:"scopes"`
	ClusterList   []FleetCluster `json:"clusterList"`
}

// FleetAccount is one classic infrastructure account of a fleet.
type FleetAccount struct {
	IMS         string `json:"ims"`         // the infrastructure account number
	BSS         string `json:"bss"`         // the IBM Cloud account linked to it
	Linked      bool   `json:"linked"`      // linked to the session's own account (#1)
	Devices     int    `json:"devices"`     // worker devices it holds
	CurrentFor  int    `json:"currentFor"`  // scopes whose credentials use it
	ClusterHome int    `json:"clusterHome"` // clusters whose devices it holds
}

// FleetScope is a region + resource group with the infrastructure account
// its credentials use.
type FleetScope struct {
	Region          string `json:"region"`
	ResourceGroup   string `json:"resourceGroup"`
	ResourceGroupID string `json:"resourceGroupId"`
	InfraAccount    string `json:"infraAccount"` // the "current" account
	Credentials     string `json:"credentials"`  // the manually set username, "" = the linked account
	Clusters        int    `json:"clusters"`
}

// FleetCluster is one generated cluster with where its devices are.
type FleetCluster struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Region        string `json:"region"`
	ResourceGroup string `json:"resourceGroup"`
	Datacenter    string `json:"datacenter"`
	Workers       int    `json:"workers"`
	InfraAccount  string `json:"infraAccount"` // holds every worker's device
	Current       string `json:"current"`      // the scope's current account
	Orphaned      bool   `json:"orphaned"`
}

const (
	fleetUser    = "jane.doe@example.com"
	fleetIAMID   = "IBMid-550006ABCD"
	fleetAccount = "4e8f1c2a9b7d4c6e8a1f3b5d7c9e0a2b"
)

// withDefaults fills zero fields and checks the bounds.
func (o FleetOptions) withDefaults() (FleetOptions, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Clusters, 10)
	def(&o.Workers, 3)
	def(&o.Regions, 1)
	def(&o.Groups, 1)
	def(&o.Accounts, 1)
	var errs []error
	bound := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("fleet: %s must be %d-%d, got %d", name, lo, hi, v))
		}
	}
	bound("clusters", o.Clusters, 1, 100000)
	bound("workers", o.Workers, 1, 1000)
	bound("regions", o.Regions, 1, len(FleetRegions))
	bound("groups", o.Groups, 1, 27)
	bound("accounts", o.Accounts, 1, 50)
	if o.Clusters*o.Workers > 1000000 {
		errs = append(errs, fmt.Errorf("fleet: at most 1000000 workers in all, got %d", o.Clusters*o.Workers))
	}
	if math.IsNaN(o.Orphans) || o.Orphans < 0 || o.Orphans > 1 {
		errs = append(errs, fmt.Errorf("fleet: orphans is a fraction 0-1, got %v", o.Orphans))
	} else if o.Orphans > 0 && o.Accounts < 2 {
		errs = append(errs, errors.New("fleet: orphans need at least 2 infrastructure accounts"))
	}
	return o, errors.Join(errs...)
}

// String renders the options in the --fleet syntax.
func (o FleetOptions) String() string {
	return fmt.Sprintf("clusters=%d,workers=%d,regions=%d,groups=%d,accounts=%d,orphans=%s,seed=%d",
		o.Clusters, o.Workers, o.Regions, o.Groups, o.Accounts, strconv.FormatFloat(o.Orphans, 'f', -1, 64), o.Seed)
}

// ParseFleet reads the --fleet syntax: comma-separated key=value pairs of
// clusters, workers, regions, groups, accounts (integers), orphans (a
// fraction) and seed, e.g.
// "clusters=1000,workers=10,regions=6,groups=3,accounts=3,orphans=0.05,seed=1".
// Keys left out take their defaults.
func ParseFleet(spec string) (FleetOptions, error) {
	var o FleetOptions
	seen := map[string]bool{}
	for _, kv := range strings.Split(spec, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return o, fmt.Errorf("fleet: %q is not key=value", kv)
		}
		if seen[k] {
			return o, fmt.Errorf("fleet: %s given twice", k)
		}
		seen[k] = true
		var err error
		switch k {
		case "clusters":
			o.Clusters, err = strconv.Atoi(v)
		case "workers":
			o.Workers, err = strconv.Atoi(v)
		case "regions":
			o.Regions, err = strconv.Atoi(v)
		case "groups":
			o.Groups, err = strconv.Atoi(v)
		case "accounts":
			o.Accounts, err = strconv.Atoi(v)
		case "orphans":
			o.Orphans, err = strconv.ParseFloat(v, 64)
		case "seed":
			o.Seed, err = strconv.ParseUint(v, 10, 64)
		default:
			return o, fmt.Errorf("fleet: unknown key %q (clusters, workers, regions, groups, accounts, orphans, seed)", k)
		}
		if err != nil {
			return o, fmt.Errorf("fleet: bad %s %q", k, v)
		}
	}
	_, err := o.withDefaults()
	return o, err
}

// hexFrom derives 32 stable lowercase hex digits (an account or group id).
func hexFrom(seed string) string {
	b := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(b[:16])
}

// Fleet generates a scenario of classic clusters for benchmarks, coherent
// with how `ks-doctor orphan` decides: the session user (Jane Doe of ACME
// Corp, as in the bundled scenarios) belongs to the main account, linked to
// infrastructure account #1 (2093847), and to Accounts-1 other IBM Cloud
// accounts ("Fleet Team N"), each linking one of the other infrastructure
// accounts, which a walk reaches through an account-bound token. Each
// region + resource group (scope j, in region-major order) uses
// infrastructure account #(j mod Accounts + 1): #1 through the link (no
// credentials), the others through credentials set to Jane's user there.
// Clusters fleet-0001 ... are spread round-robin over the scopes, each in
// one datacenter of its region with Workers workers in pool default; every
// worker has a virtual guest (hostname = worker id) in exactly one
// infrastructure account: its scope's current one, or, for the orphaned
// clusters, one other account (seeded). Private VLANs and public VLANs are
// one pair per infrastructure account and datacenter.
//
// The result is validated and completed like a loaded scenario. The truth
// lists the orphaned clusters and where every cluster's devices are.
func Fleet(o FleetOptions) (*Scenario, *FleetTruth, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x6b73646f63746f72)) // "ksdoctor"
	tag := fmt.Sprintf("%s-%d", "fleet", o.Seed)
	sc := &Scenario{
		Description: fmt.Sprintf("Generated fleet (%s): %d classic clusters of %d workers over %d regions, %d resource groups and %d infrastructure accounts, %d orphaned.",
			o, o.Clusters, o.Workers, o.Regions, o.Groups, o.Accounts, int(math.Round(o.Orphans*float64(o.Clusters)))),
		Canary:  "KSDOCTORCANARY-" + tag + "-" + hexFrom(tag + "/canary")[:8],
		File:    "fleet(" + o.String() + ")",
		Account: Account{ID: fleetAccount, Name: "ACME Corp", Owner: fleetUser, Type: "PAYG", IMSAccount: "2093847"},
		Users: []User{{IAMID: fleetIAMID, Email: fleetUser, Name: "Jane Doe", IMSUserID: 7283641,
			Policies: []Policy{{Roles: []string{"Administrator", "Manager"}}}}},
		Session: Session{User: fleetUser, APIKey: "KSDOCTORCANARY-" + tag + "-apikey-" + hexFrom(tag + "/apikey")[:24],
			Region: FleetRegions[0].Region, ResourceGroup: "default", Locale: "en_US"},
	}

	// Resource groups: default and team-a keep the bundled scenarios' ids.
	for g := range o.Groups {
		rg := ResourceGroup{Name: "default", ID: "5f6e7d8c9b0a4f1e8d2c3b4a59687766", Default: g == 0}
		switch {
		case g == 1:
			rg.Name, rg.ID = "team-a", "9c1d2e3f4a5b4c6d8e7f0a1b2c3d4e5f"
		case g > 1:
			rg.Name = "team-" + string(rune('a'+g-1))
			rg.ID = hexFrom("fleet/group/" + rg.Name)
		}
		sc.ResourceGroups = append(sc.ResourceGroups, rg)
	}

	// Infrastructure accounts: #1 linked to the main account, #2 to Team
	// Shared (1446722, as bundled), further ones to derived accounts.
	ims := []string{"2093847"}
	bss := []string{fleetAccount}
	for a := 1; a < o.Accounts; a++ {
		id, acct := "1446722", "7b3e9f1d2c4a4b6e8f0a1c3e5d7b9f21"
		name := "Team Shared"
		if a > 1 {
			for n := 0; slices.Contains(ims, id) || id == "1446722"; n++ {
				id = strconv.FormatInt(numFrom(fmt.Sprintf("fleet/ims/%d/%d", a, n), 7), 10)
			}
			acct, name = hexFrom(fmt.Sprintf("fleet/account/%d", a)), fmt.Sprintf("Fleet Team %d", a+1)
		}
		ims, bss = append(ims, id), append(bss, acct)
		sc.OtherAccounts = append(sc.OtherAccounts, OtherAccount{ID: acct, Name: name, Owner: "team.lead@example.com",
			Type: "SUBSCRIPTION", IMSAccount: id, Members: []string{fleetUser}})
		// Jane's user there, with an API key, so its credentials can be set
		// (and used with Basic auth).
		sc.InfraAccounts = append(sc.InfraAccounts, InfraAccount{ID: id, Name: name + " Infrastructure", Users: []InfraUser{{
			Username: id + "_" + fleetUser, IAMID: fleetIAMID,
			APIKeys: []string{"KSDOCTORCANARY-" + tag + "-slkey-" + id + "-" + hexFrom(tag + "/slkey/" + id)[:24]}}}})
	}

	truth := &FleetTruth{Options: o, Clusters: o.Clusters, Workers: o.Clusters * o.Workers}
	for a := range o.Accounts {
		truth.Accounts = append(truth.Accounts, FleetAccount{IMS: ims[a], BSS: bss[a], Linked: a == 0})
	}

	// Scopes: region-major; scope j uses account j mod A. Every scope gets
	// an IKS API key owned by Jane.
	type scope struct {
		region FleetRegion
		group  ResourceGroup
		acct   int
	}
	var scopes []scope
	for r := range o.Regions {
		for g := range o.Groups {
			sp := scope{FleetRegions[r], sc.ResourceGroups[g], len(scopes) % o.Accounts}
			scopes = append(scopes, sp)
			sc.APIKeys = append(sc.APIKeys, ClusterAPIKey{Region: sp.region.Region, ResourceGroup: sp.group.Name, Owner: fleetUser})
			fs := FleetScope{Region: sp.region.Region, ResourceGroup: sp.group.Name, ResourceGroupID: sp.group.ID, InfraAccount: ims[sp.acct]}
			if sp.acct > 0 {
				fs.Credentials = ims[sp.acct] + "_" + fleetUser
				sc.Credentials = append(sc.Credentials, InfraCredential{Region: sp.region.Region, ResourceGroup: sp.group.Name, Username: fs.Credentials})
			}
			truth.Scopes = append(truth.Scopes, fs)
			truth.Accounts[sp.acct].CurrentFor++
		}
	}

	// Which clusters are orphaned: the first round(f×N) of a seeded permutation.
	orphaned := make([]bool, o.Clusters)
	for _, i := range rng.Perm(o.Clusters)[:int(math.Round(o.Orphans*float64(o.Clusters)))] {
		orphaned[i] = true
	}
	dcIndex := map[string]int{}
	for _, fr := range FleetRegions {
		for _, dc := range fr.Datacenters {
			dcIndex[dc] = len(dcIndex)
		}
	}
	ids := map[string]bool{}
	width := max(4, len(strconv.Itoa(o.Clusters)))
	sc.Clusters = make([]Cluster, 0, o.Clusters)
	truth.ClusterList = make([]FleetCluster, 0, o.Clusters)
	created := time.Date(2024, 5, 14, 8, 21, 37, 0, time.UTC)
	worker := 0 // global worker number, for unique IPs
	for i := range o.Clusters {
		sp := scopes[i%len(scopes)]
		id := clusterID(rng)
		for ids[id] {
			id = clusterID(rng)
		}
		ids[id] = true
		name := fmt.Sprintf("fleet-%0*d", width, i+1)
		dc := sp.region.Datacenters[rng.IntN(len(sp.region.Datacenters))]
		holder := sp.acct
		if orphaned[i] {
			holder = (sp.acct + 1 + rng.IntN(o.Accounts-1)) % o.Accounts
		}
		privVlan := strconv.Itoa(2100000 + holder*1000 + dcIndex[dc]*2)
		pubVlan := strconv.Itoa(2100000 + holder*1000 + dcIndex[dc]*2 + 1)
		cl := Cluster{ID: id, Name: name, Provider: "classic", Region: sp.region.Region, Location: sp.region.Metro,
			Datacenter: dc, ResourceGroup: sp.group.Name,
			CreatedDate: created.Add(time.Duration(i) * time.Hour).Format(ikstimeLayout),
			Workers:     make([]Worker, o.Workers)}
		for w := range o.Workers {
			row, col := worker/252, 2+worker%252
			cl.Workers[w] = Worker{
				ID:          fmt.Sprintf("kube-%s-%s-default-%08d", id, name, w+1),
				PrivateIP:   fmt.Sprintf("10.%d.%d.%d", 100+row/256, row%256, col),
				PublicIP:    fmt.Sprintf("169.%d.%d.%d", 40+row/256, row%256, col),
				PrivateVlan: privVlan, PublicVlan: pubVlan, InfraAccount: ims[holder],
			}
			worker++
		}
		sc.Clusters = append(sc.Clusters, cl)
		truth.ClusterList = append(truth.ClusterList, FleetCluster{ID: id, Name: name, Region: cl.Region, ResourceGroup: cl.ResourceGroup,
			Datacenter: dc, Workers: o.Workers, InfraAccount: ims[holder], Current: ims[sp.acct], Orphaned: orphaned[i]})
		truth.Accounts[holder].Devices += o.Workers
		truth.Accounts[holder].ClusterHome++
		truth.Scopes[i%len(scopes)].Clusters++
		if orphaned[i] {
			truth.Orphaned = append(truth.Orphaned, id)
			truth.OrphanedNames = append(truth.OrphanedNames, name)
		}
	}
	slices.Sort(truth.Orphaned)
	slices.Sort(truth.OrphanedNames)
	if truth.Orphaned == nil {
		truth.Orphaned, truth.OrphanedNames = []string{}, []string{}
	}

	if err := sc.complete(nil); err != nil {
		return nil, nil, fmt.Errorf("fleet: generated an invalid scenario (a bug): %w", err)
	}
	return sc, truth, nil
}

// clusterID draws a 20-character id of lowercase letters and digits.
func clusterID(rng *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 20)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}
