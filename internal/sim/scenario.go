package sim

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Scenario is one simulated IBM Cloud world. The YAML schema is documented in
// docs/scenario.md; field names below are the YAML keys.
type Scenario struct {
	Description string `yaml:"description"`
	// Canary is a secret string planted so tests can grep output and
	// archives for it: it must never appear anywhere.
	Canary         string          `yaml:"canary"`
	Account        Account         `yaml:"account"`
	Users          []User          `yaml:"users"`
	ResourceGroups []ResourceGroup `yaml:"resourceGroups"`
	Session        Session         `yaml:"session"`
	Clusters       []Cluster       `yaml:"clusters"`

	// File is where the scenario came from ("scenarios/NAME.yaml" for a
	// bundled one); error messages name it.
	File string `yaml:"-"`
}

// Account is the IBM Cloud (BSS) account.
type Account struct {
	ID    string `yaml:"id"`    // 32 hex digits
	Name  string `yaml:"name"`  // e.g. "ACME Corp"
	Owner string `yaml:"owner"` // e-mail of one of Users
	Type  string `yaml:"type"`  // PAYG, SUBSCRIPTION, TRIAL or LITE
	// IMSAccount is the linked classic infrastructure account number
	// (token claim account.ims); empty when none is linked.
	IMSAccount string `yaml:"imsAccount"`
}

// User is a member of the account.
type User struct {
	IAMID     string `yaml:"iamId"` // e.g. IBMid-550006ABCD
	Email     string `yaml:"email"`
	Name      string `yaml:"name"`      // full name; given/family names are split from it
	State     string `yaml:"state"`     // user-management state, default ACTIVE
	IMSUserID int64  `yaml:"imsUserId"` // linked classic user id, 0 if none
	// APIKeys are secret values that log this user in through the apikey grant.
	APIKeys []string `yaml:"apiKeys"`
}

// ResourceGroup is a resource group of the account.
type ResourceGroup struct {
	ID        string `yaml:"id"` // 32 hex digits
	Name      string `yaml:"name"`
	Default   bool   `yaml:"default"`
	QuotaID   string `yaml:"quotaId"`
	CreatedAt string `yaml:"createdAt"`
}

// Session is the `ibmcloud login` + `ibmcloud target` state that
// WriteSession writes by default.
type Session struct {
	User          string        `yaml:"user"`          // e-mail or IAM id of one of Users
	APIKey        string        `yaml:"apiKey"`        // secret; also accepted by the apikey grant
	Region        string        `yaml:"region"`        // "" = no region targeted
	ResourceGroup string        `yaml:"resourceGroup"` // group name, "" = none targeted
	Locale        string        `yaml:"locale"`        // e.g. en_US, ja_JP
	TokenLifetime time.Duration `yaml:"tokenLifetime"` // access token lifetime, default 1h
}

// Cluster is an IKS cluster.
type Cluster struct {
	ID            string   `yaml:"id"` // 20 lowercase letters/digits
	Name          string   `yaml:"name"`
	Provider      string   `yaml:"provider"` // classic, vpc-gen2 or vpc-classic
	Region        string   `yaml:"region"`
	Location      string   `yaml:"location"`      // metro, e.g. Dallas
	Datacenter    string   `yaml:"datacenter"`    // e.g. dal10 (classic) or us-south-1
	ResourceGroup string   `yaml:"resourceGroup"` // group name
	State         string   `yaml:"state"`         // default normal
	Status        string   `yaml:"status"`        // default "All Workers Normal"
	Master        Master   `yaml:"master"`
	KubeVersion   string   `yaml:"kubeVersion"` // default 1.30.4_1532
	CreatedDate   string   `yaml:"createdDate"` // 2006-01-02T15:04:05-0700
	Workers       []Worker `yaml:"workers"`
}

// Master is the cluster master's lifecycle (v1 top level, v2 `lifecycle`).
type Master struct {
	State  string `yaml:"state"`  // default deployed
	Status string `yaml:"status"` // default Ready
	Health string `yaml:"health"` // default normal
}

// Worker is a worker node. State/Status are what `ibmcloud ks worker ls`
// shows (v1 state/status, v2 health.state/health.message); Message is the
// error text (v1 errorMessage, v2 lifecycle.message).
type Worker struct {
	ID          string `yaml:"id"`
	State       string `yaml:"state"`  // default normal
	Status      string `yaml:"status"` // default Ready
	Message     string `yaml:"message"`
	PrivateIP   string `yaml:"privateIP"`
	PublicIP    string `yaml:"publicIP"`
	PrivateVlan string `yaml:"privateVlan"`
	PublicVlan  string `yaml:"publicVlan"`
	Location    string `yaml:"location"` // datacenter or zone
	PoolName    string `yaml:"poolName"` // default "default"
	Flavor      string `yaml:"flavor"`   // default b3c.4x16
	KubeVersion string `yaml:"kubeVersion"`
	Deleted     bool   `yaml:"deleted"` // only listed with showDeleted=true
}

//go:embed scenarios/*.yaml
var bundled embed.FS

// Names lists the bundled scenarios.
func Names() []string {
	entries, _ := fs.ReadDir(bundled, "scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// Load reads a bundled scenario by name, or a scenario file by path.
func Load(nameOrPath string) (*Scenario, error) {
	if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, ".yaml") && !strings.HasSuffix(nameOrPath, ".yml") {
		file := "scenarios/" + nameOrPath + ".yaml"
		data, err := bundled.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("unknown scenario %q (bundled: %s; or give a file path)", nameOrPath, strings.Join(Names(), ", "))
		}
		return Parse(file, data)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, err
	}
	return Parse(nameOrPath, data)
}

// Parse decodes and validates a scenario; file is only used in messages.
// Errors read "file:line: path: message".
func Parse(file string, data []byte) (*Scenario, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, nil, err)
	}
	idx := indexNodes(&root)
	var sc Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a typo in a key must not silently drop data
	if err := dec.Decode(&sc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty scenario", file)
		}
		return nil, yamlError(file, idx, err)
	}
	sc.File = file
	if errs := sc.validate(); len(errs) > 0 {
		var out []error
		for _, e := range errs {
			out = append(out, &ScenarioError{File: file, Line: idx.line(e.path), Path: e.path, Msg: e.msg})
		}
		return nil, errors.Join(out...)
	}
	sc.applyDefaults()
	return &sc, nil
}

// ScenarioError is one fault in a scenario file.
type ScenarioError struct {
	File string
	Line int
	Path string // e.g. clusters[0].region
	Msg  string
}

func (e *ScenarioError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}

// nodeIndex maps a field path (clusters[0].region) to its YAML node, so that
// validation, which works on decoded structs, can still report a line.
type nodeIndex struct {
	byPath map[string]*yaml.Node
	keys   []keyNode // every mapping key, for yaml.v3 errors that only give a line
}

type keyNode struct {
	path string
	node *yaml.Node
}

func indexNodes(root *yaml.Node) *nodeIndex {
	idx := &nodeIndex{byPath: map[string]*yaml.Node{}}
	var walk func(n *yaml.Node, p string)
	walk = func(n *yaml.Node, p string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p)
			}
			return
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				cp := k.Value
				if p != "" {
					cp = p + "." + k.Value
				}
				idx.keys = append(idx.keys, keyNode{cp, k})
				walk(v, cp)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", p, i))
			}
		}
		idx.byPath[p] = n
	}
	walk(root, "")
	return idx
}

// line finds the line of path, or of its nearest existing parent (a missing
// required field is reported where its parent starts).
func (idx *nodeIndex) line(p string) int {
	for p != "" {
		if n, ok := idx.byPath[p]; ok {
			return n.Line
		}
		if i := strings.LastIndexAny(p, ".["); i >= 0 {
			p = p[:i]
		} else {
			p = ""
		}
	}
	if n, ok := idx.byPath[""]; ok {
		return n.Line
	}
	return 0
}

var lineRe = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlError rewrites yaml.v3's "line N: ..." messages into file:line: path: msg.
func yamlError(file string, idx *nodeIndex, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
		}
		return fmt.Errorf("%s: %s", file, msg)
	}
	var out []error
	for _, e := range te.Errors {
		m := lineRe.FindStringSubmatch(e)
		if m == nil {
			out = append(out, fmt.Errorf("%s: %s", file, e))
			continue
		}
		var line int
		fmt.Sscan(m[1], &line)
		out = append(out, &ScenarioError{File: file, Line: line, Path: idx.pathAt(line, m[2]), Msg: m[2]})
	}
	return errors.Join(out...)
}

// pathAt names the key on line whose name appears in msg (yaml.v3 says
// "field foo not found in type ..."), or else any key on that line.
func (idx *nodeIndex) pathAt(line int, msg string) string {
	if idx == nil {
		return ""
	}
	found := ""
	for _, k := range idx.keys {
		if k.node.Line != line {
			continue
		}
		if strings.Contains(msg, "field "+k.node.Value+" ") {
			return k.path
		}
		if found == "" {
			found = k.path
		}
	}
	return found
}

type fieldErr struct{ path, msg string }

// Regions are the IKS region names a scenario may use.
var Regions = []string{"us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-de", "eu-gb", "eu-es", "eu-fr2", "jp-tok", "jp-osa", "au-syd", "in-che"}

var (
	hex32       = regexp.MustCompile(`^[0-9a-f]{32}$`)
	clusterIDRe = regexp.MustCompile(`^[a-z0-9]{20}$`)
	digits      = regexp.MustCompile(`^[0-9]+$`)

	accountTypes   = set("PAYG", "SUBSCRIPTION", "TRIAL", "LITE")
	providers      = set("classic", "vpc-gen2", "vpc-classic")
	clusterStates  = set("aborted", "critical", "delete_failed", "deleted", "deleting", "deploy_failed", "deploying", "normal", "pending", "requested", "updating", "unsupported", "warning")
	masterStates   = set("deployed", "deploying", "deploy_failed", "deleting", "delete_failed", "updating", "update_cancelled", "update_failed")
	masterHealths  = set("error", "normal", "unavailable", "unsupported", "warning", "critical")
	workerStates   = set("critical", "deployed", "deploying", "deploy_failed", "normal", "provisioning", "provision_failed", "provision_pending", "reloading", "reload_failed", "reload_pending", "unknown", "warning", "deleting", "deleted")
	ikstimeLayout  = "2006-01-02T15:04:05-0700"
	defaultVersion = "1.30.4_1532"
)

func set(vals ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vals {
		m[v] = true
	}
	return m
}

func keys(m map[string]bool) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// validate checks formats and cross references; it returns every fault so a
// scenario author fixes them in one pass.
func (sc *Scenario) validate() []fieldErr {
	var errs []fieldErr
	add := func(p, format string, a ...any) { errs = append(errs, fieldErr{p, fmt.Sprintf(format, a...)}) }
	enum := func(p, v string, allowed map[string]bool) {
		if v != "" && !allowed[v] {
			add(p, "unknown value %q (one of: %s)", v, keys(allowed))
		}
	}
	regions := set(Regions...)

	a := sc.Account
	if !hex32.MatchString(a.ID) {
		add("account.id", "must be 32 lowercase hex digits, got %q", a.ID)
	}
	if a.Name == "" {
		add("account.name", "required")
	}
	enum("account.type", a.Type, accountTypes)
	if a.IMSAccount != "" && !digits.MatchString(a.IMSAccount) {
		add("account.imsAccount", "must be a number, got %q", a.IMSAccount)
	}

	userByKey := map[string]bool{}
	for i, u := range sc.Users {
		p := fmt.Sprintf("users[%d]", i)
		if u.IAMID == "" {
			add(p+".iamId", "required")
		}
		if !strings.Contains(u.Email, "@") {
			add(p+".email", "must be an e-mail address, got %q", u.Email)
		}
		for _, k := range []string{u.IAMID, u.Email} {
			if k != "" && userByKey[k] {
				add(p, "duplicate user %q", k)
			}
			userByKey[k] = true
		}
	}
	if a.Owner != "" && !userByKey[a.Owner] {
		add("account.owner", "unknown user %q (must be the e-mail of one of users)", a.Owner)
	}

	groups := map[string]bool{}
	defaults := 0
	for i, g := range sc.ResourceGroups {
		p := fmt.Sprintf("resourceGroups[%d]", i)
		if !hex32.MatchString(g.ID) {
			add(p+".id", "must be 32 lowercase hex digits, got %q", g.ID)
		}
		if g.Name == "" {
			add(p+".name", "required")
		} else if groups[g.Name] {
			add(p+".name", "duplicate resource group %q", g.Name)
		}
		groups[g.Name] = true
		if g.Default {
			defaults++
		}
	}
	if defaults != 1 {
		add("resourceGroups", "exactly one resource group must be default, found %d", defaults)
	}

	s := sc.Session
	if s.User == "" {
		add("session.user", "required")
	} else if !userByKey[s.User] {
		add("session.user", "unknown user %q", s.User)
	}
	if s.Region != "" && !regions[s.Region] {
		add("session.region", "unknown region %q", s.Region)
	}
	if s.ResourceGroup != "" && !groups[s.ResourceGroup] {
		add("session.resourceGroup", "unknown resource group %q", s.ResourceGroup)
	}
	if s.TokenLifetime < 0 {
		add("session.tokenLifetime", "must not be negative")
	}

	clusterKeys := map[string]bool{}
	workerIDs := map[string]bool{}
	for i, c := range sc.Clusters {
		p := fmt.Sprintf("clusters[%d]", i)
		if !clusterIDRe.MatchString(c.ID) {
			add(p+".id", "must be 20 lowercase letters or digits, got %q", c.ID)
		}
		if c.Name == "" {
			add(p+".name", "required")
		}
		for _, k := range []string{c.ID, c.Name} {
			if k != "" && clusterKeys[k] {
				add(p, "duplicate cluster id or name %q", k)
			}
			clusterKeys[k] = true
		}
		if !providers[c.Provider] {
			add(p+".provider", "unknown provider %q (one of: %s)", c.Provider, keys(providers))
		}
		if !regions[c.Region] {
			add(p+".region", "unknown region %q", c.Region)
		}
		if !groups[c.ResourceGroup] {
			add(p+".resourceGroup", "unknown resource group %q", c.ResourceGroup)
		}
		enum(p+".state", c.State, clusterStates)
		enum(p+".master.state", c.Master.State, masterStates)
		enum(p+".master.health", c.Master.Health, masterHealths)
		if c.CreatedDate != "" {
			if _, err := time.Parse(ikstimeLayout, c.CreatedDate); err != nil {
				add(p+".createdDate", "want a date like 2026-07-01T10:02:11+0000, got %q", c.CreatedDate)
			}
		}
		for j, w := range c.Workers {
			wp := fmt.Sprintf("%s.workers[%d]", p, j)
			if w.ID == "" {
				add(wp+".id", "required")
			} else if workerIDs[w.ID] {
				add(wp+".id", "duplicate worker id %q", w.ID)
			}
			workerIDs[w.ID] = true
			enum(wp+".state", w.State, workerStates)
			for f, ip := range map[string]string{"privateIP": w.PrivateIP, "publicIP": w.PublicIP} {
				if ip != "" && net.ParseIP(ip) == nil {
					add(wp+"."+f, "not an IP address: %q", ip)
				}
			}
		}
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].path < errs[j].path })
	return errs
}

// applyDefaults fills what a short scenario may leave out; it runs after
// validation so the defaults themselves need no checking.
func (sc *Scenario) applyDefaults() {
	if sc.Account.Type == "" {
		sc.Account.Type = "PAYG"
	}
	for i := range sc.Users {
		if sc.Users[i].State == "" {
			sc.Users[i].State = "ACTIVE"
		}
	}
	for i := range sc.ResourceGroups {
		g := &sc.ResourceGroups[i]
		if g.QuotaID == "" {
			g.QuotaID = "a3d7b8d01e261c24677937c29ab33f3c"
		}
		if g.CreatedAt == "" {
			g.CreatedAt = "2020-03-01T12:00:00.000Z"
		}
	}
	if sc.Session.TokenLifetime == 0 {
		sc.Session.TokenLifetime = time.Hour
	}
	for i := range sc.Clusters {
		c := &sc.Clusters[i]
		def(&c.State, "normal")
		def(&c.Status, "All Workers Normal")
		def(&c.Master.State, "deployed")
		def(&c.Master.Status, "Ready")
		def(&c.Master.Health, "normal")
		def(&c.KubeVersion, defaultVersion)
		def(&c.CreatedDate, "2024-05-14T08:21:37+0000")
		for j := range c.Workers {
			w := &c.Workers[j]
			def(&w.State, "normal")
			if w.Deleted {
				w.State = "deleted"
			}
			def(&w.Status, "Ready")
			def(&w.PoolName, "default")
			def(&w.Flavor, "b3c.4x16")
			def(&w.KubeVersion, c.KubeVersion)
			def(&w.Location, c.Datacenter)
		}
	}
}

func def(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

// user finds a user by e-mail or IAM id.
func (sc *Scenario) user(key string) *User {
	for i := range sc.Users {
		if sc.Users[i].Email == key || sc.Users[i].IAMID == key {
			return &sc.Users[i]
		}
	}
	return nil
}

// GroupByName finds a resource group by name.
func (sc *Scenario) GroupByName(name string) *ResourceGroup {
	for i := range sc.ResourceGroups {
		if sc.ResourceGroups[i].Name == name {
			return &sc.ResourceGroups[i]
		}
	}
	return nil
}

// Secrets lists every secret value the scenario plants (API keys, canary),
// for redaction and for tests that grep output for leaks.
func (sc *Scenario) Secrets() []string {
	var out []string
	for _, v := range append([]string{sc.Canary, sc.Session.APIKey}, allKeys(sc.Users)...) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func allKeys(users []User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.APIKeys...)
	}
	return out
}
