package bundle

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// The files of a gather archive, besides manifest.json. The names are stable:
// support tooling and the tests look for them.
const (
	FileTarget         = "target.json"
	FileCluster        = "cluster.json"
	FileAPIKeyInfo     = "api-key-info.json"
	FileCredentials    = "credentials.json"
	FilePermissions    = "infra-permissions.json"
	FileCredentialsTgt = "credentials-targeted.json"
	FilePermissionsTgt = "infra-permissions-targeted.json"
	FileWorkers        = "workers.json"
	FileCheck          = "check.json"

	gatherTimeLayout = "20060102T150405Z"
)

// GatherDest is where a gather archive goes: file (--file), the default
// name inside file when it is a directory, or the default name in the
// current directory.
func GatherDest(file, cluster string, now time.Time) string {
	name := "ks-doctor-gather-" + safeName(cluster) + "-" + now.Format(gatherTimeLayout) + ".tar.gz"
	if file == "" {
		return name
	}
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return filepath.Join(file, name)
	}
	return file
}

// safeName keeps a cluster name or ID usable in a file name everywhere.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '_'
		}
	}
	return strings.Trim(string(b), ".")
}

// GatherNeeds is what the checks read (checks) plus what the archive's
// documents show: the facts a gather run collects.
func GatherNeeds(checks []facts.Key) []facts.Key {
	needs := slices.Clone(checks)
	for _, k := range []facts.Key{facts.KeyWorkers, facts.KeyAPIKeyOwner, facts.KeyCredentials, facts.KeyInfraPermissions,
		facts.KeyResourceGroups, facts.KeyTargetCredentials, facts.KeyTargetInfraPermissions} {
		if !slices.Contains(needs, k) {
			needs = append(needs, k)
		}
	}
	return needs
}

// GatherManifest is the manifest of a gather archive of set, before Write
// lists its files.
func GatherManifest(p Plugin, t *i18n.Translator, set *facts.Set) Manifest {
	mc := Cluster{Query: set.ClusterQuery}
	if cl, ok := set.ReadCluster(); ok {
		mc.ID, mc.Name, mc.Provider, mc.Region = cl.ID, cl.Name, cl.Provider, cl.Region
		mc.ResourceGroup = &Group{ID: cl.ResourceGroupID, Name: cl.ResourceGroupName}
	}
	withheld := append(Withheld(t),
		t.T("{{.File}} lists only the worker nodes whose state is not normal or deployed, or that have a status message; the others are counted, not listed.",
			map[string]any{"File": FileWorkers}),
	)
	return Manifest{Plugin: p, Locale: t.Locale(), Cluster: mc, Withheld: withheld}
}

// scope is the credentials and infrastructure permissions of one region
// and resource group, as a pair of files shows them.
type scope struct {
	name               string // cluster or target
	credFile, permFile string
	region             string
	group              Group  // the group whose credentials apply
	sent               string // the X-Auth-Resource-Group sent; "" lets IKS apply the default group
	creds              facts.Slot[facts.Credentials]
	perms              facts.Slot[facts.InfraPermissions]
}

// scopes are the cluster's scope and, when the session targets another one
// and its reads were made, the target's.
func scopes(set *facts.Set) []scope {
	cl, _ := set.ReadCluster()
	out := []scope{{name: "cluster", credFile: FileCredentials, permFile: FilePermissions, region: cl.Region,
		group: Group{ID: cl.ResourceGroupID, Name: cl.ResourceGroupName}, sent: cl.ResourceGroupID,
		creds: set.Credentials, perms: set.InfraPermissions}}
	if t, ok := set.Target(); ok && (set.TargetCredentials.Loaded || set.TargetInfraPermissions.Loaded) {
		out = append(out, scope{name: "target", credFile: FileCredentialsTgt, permFile: FilePermissionsTgt, region: t.Region,
			group: Group{ID: t.Group.ID, Name: t.Group.Name}, sent: t.Sent(),
			creds: set.TargetCredentials, perms: set.TargetInfraPermissions})
	}
	return out
}

// GatherFiles builds every file of a gather archive from the facts one run
// read, and check.json from that run's `check --output json`: redaction at
// the source. Nothing here holds a token, a key or a raw HTTP exchange.
func GatherFiles(set *facts.Set, check []byte, t *i18n.Translator) []File {
	cl, clusterOK := set.ReadCluster()
	ref := set.ClusterQuery // how commands name the cluster: its ID once known
	if clusterOK {
		ref = cl.ID
	}
	var files []File
	add := func(name, source, api string, v any, err error) {
		f := File{Name: name, Source: source, API: api}
		if err != nil {
			v = errorDoc(err)
			f.Error = err.Error()
		}
		f.Data = jsonDoc(v)
		files = append(files, f)
	}

	add(FileTarget, "ibmcloud target", t.T("none: the CLI session of 'ibmcloud login' and 'ibmcloud target' (config.json)"),
		targetDoc(set.Session), nil)

	add(FileCluster, "ibmcloud ks cluster get --cluster "+ref, "IKS GET /v2/getCluster?cluster="+set.ClusterQuery,
		clusterDoc(cl), set.Cluster.Err)

	add(FileAPIKeyInfo, "ibmcloud ks api-key info --cluster "+ref, "IKS GET /v1/logging/"+ref+"/clusterkeyowner",
		apiKeyDoc(cl, set.APIKeyOwner.Value), set.APIKeyOwner.Err)

	for _, s := range scopes(set) {
		add(s.credFile, s.command("ibmcloud ks credential get"), s.api("/v1/credentials"), credentialsDoc(s), s.creds.Err)
		add(s.permFile, s.command("ibmcloud ks infra-permissions get"), s.api("/v1/infra-permissions"), permissionsDoc(s), s.perms.Err)
	}

	// The API the adapter reads workers with: v2 for VPC clusters.
	workersAPI := "IKS GET /v1/clusters/" + ref + "/workers?showDeleted=true"
	if cl.Infrastructure() == facts.InfraVPC {
		workersAPI = "IKS GET /v2/getWorkers?cluster=" + ref + "&showDeleted=true"
	}
	add(FileWorkers, t.T("{{.List}}; {{.Get}} for each listed worker", map[string]any{
		"List": "ibmcloud ks worker ls --cluster " + ref + " --show-deleted", "Get": "ibmcloud ks worker get --cluster " + ref + " --worker WORKER_ID"}),
		workersAPI, workersDoc(ref, set.Workers.Value), set.Workers.Err)

	return append(files, File{Name: FileCheck, Source: "ibmcloud ks-doctor check --cluster " + ref + " --output json",
		API: t.T("the reads of every check that 'ibmcloud ks-doctor checks' lists"), Data: check})
}

// command is the command a person runs for the scope: the resource group
// is targeted first, as seed 000 says.
func (s scope) command(cmd string) string {
	cmd += " --region " + orRegion(s.region)
	if s.sent != "" && s.group.Name != "" {
		return "ibmcloud target -g " + s.group.Name + " && " + cmd
	}
	return cmd // no resource group targeted: IKS applies the default one
}

func (s scope) api(path string) string {
	api := "IKS GET " + path + " (X-Region: " + orRegion(s.region)
	if s.sent != "" {
		api += ", X-Auth-Resource-Group: " + s.sent
	}
	return api + ")"
}

func orRegion(r string) string {
	if r == "" {
		return "REGION"
	}
	return r
}
