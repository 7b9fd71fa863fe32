package commands

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/bundle"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

type gatherOpts struct {
	global
	cluster string
	file    string
	timeout string
}

func newGather(env *Env) *cobra.Command {
	o := &gatherOpts{}
	T := env.T.T
	c := &cobra.Command{
		Use:   "gather (-c, --cluster CLUSTER) [--file PATH] [--timeout DURATION] [--output FORMAT] [-q]",
		Short: T("Collect what IBM Cloud support needs about a cluster into one archive, without secrets"),
		Long: T("Collect what IBM Cloud support needs about a cluster into one archive: the API key owner, the target, " +
			"the infrastructure credentials and permissions of the cluster's region and resource group (and of the targeted " +
			"ones when they differ), the cluster, its unhealthy worker nodes, and the findings of 'ibmcloud ks-doctor check'. " +
			"No API key or token is read into the archive and the account ID is masked; manifest.json lists every file " +
			"with its source, size and SHA-256."),
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.validate(env, c); err != nil {
				return err
			}
			return runGather(env, c, o)
		},
	}
	c.Flags().StringVarP(&o.cluster, "cluster", "c", "", T("Name or ID of the cluster"))
	c.Flags().StringVar(&o.file, "file", "", T("Write the archive to PATH, a zip archive if PATH ends in .zip (default: ks-doctor-gather-CLUSTER-TIMESTAMP.tar.gz in the current directory)"))
	c.Flags().StringVar(&o.timeout, "timeout", "2m", T("Stop reading IBM Cloud after DURATION, for example 90s"))
	kubeconfigFlag(env, c)
	addGlobal(env, c, &o.global)
	return c
}

// The files of a gather archive, besides manifest.json. The names are stable:
// support tooling and the tests look for them.
const (
	fileTarget          = "target.json"
	fileCluster         = "cluster.json"
	fileAPIKeyInfo      = "api-key-info.json"
	fileCredentials     = "credentials.json"
	filePermissions     = "infra-permissions.json"
	fileCredentialsTgt  = "credentials-targeted.json"
	filePermissionsTgt  = "infra-permissions-targeted.json"
	fileWorkers         = "workers.json"
	fileCheck           = "check.json"
	gatherTimeLayout    = "20060102T150405Z"
	maskedAccountNotice = "account id masked"
)

func runGather(env *Env, c *cobra.Command, o *gatherOpts) error {
	T := env.T.T
	o.cluster = strings.TrimSpace(o.cluster)
	if o.cluster == "" {
		return usageErr(env, c, errors.New(T("give the cluster name or ID with -c or --cluster")))
	}
	timeout, err := parseTimeout(env, c, o.timeout)
	if err != nil {
		return err
	}
	checks, err := diag.Select(diag.ClusterScope, nil, nil)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(env.context(), timeout)
	defer cancel()
	sess, client, err := connectCtx(ctx, env)
	if err != nil {
		return err
	}
	env.addSecrets(SessionSecrets(env, client)...)
	now := time.Now().UTC()
	dest := gatherDest(o.file, o.cluster, now)
	// Before anything is read: an archive that cannot be written is known
	// now, not after two minutes of reading IBM Cloud.
	if err := bundle.CheckDest(dest); err != nil {
		return archiveErr(env, dest, err)
	}
	if !o.quiet {
		fmt.Fprintln(env.Stderr, T("Gathering support information for cluster {{.Cluster}}...", map[string]any{"Cluster": render.Safe(o.cluster)}))
	}

	withClusterReader(env, c, client)
	set := facts.Collect(ctx, client, sess, o.cluster, gatherNeeds(checks), 8)
	if errors.Is(set.Cluster.Err, facts.ErrClusterNotFound) {
		return clusterNotFound(env, sess, o.cluster)
	}
	report := diag.Run(checks, set)
	targeted := readTargeted(ctx, client, set)
	// Ctrl-C means stop, not "write what there is": an archive of
	// cancelled reads would only look complete, so none is written (exit 2,
	// as for any archive that cannot be written). A timeout, by contrast, is
	// recorded file by file and check.json says it is incomplete.
	if env.context().Err() != nil {
		return &Failure{Msg: T("Interrupted: no archive was written.")}
	}

	env.addSecrets(SessionSecrets(env, client)...) // a token refreshed during the reads
	files, err := gatherFiles(env, report, targeted, ctx.Err() != nil)
	if err != nil {
		return err
	}
	m := bundle.Manifest{
		Plugin:   bundle.Plugin{Name: Name, Version: Version},
		Locale:   env.T.Locale(),
		Cluster:  manifestCluster(set),
		Withheld: gatherWithheld(),
	}
	// The run's scrubber, the one of stdout and stderr: fed with the
	// session's secrets.
	entries, err := bundle.Write(dest, m, files, bundle.Options{Format: bundle.FormatOf(dest), Time: now, Scrub: env.scrub})
	if err != nil {
		return archiveErr(env, dest, err)
	}
	return printGather(env, o, set, dest, entries)
}

// gatherNeeds is what `check -c` reads plus what the archive shows.
func gatherNeeds(checks []diag.Check) []facts.Key {
	needs := diag.Needs(checks)
	for _, k := range []facts.Key{facts.KeyWorkers, facts.KeyAPIKeyOwner, facts.KeyCredentials,
		facts.KeyInfraPermissions, facts.KeyResourceGroups} {
		if !slices.Contains(needs, k) {
			needs = append(needs, k)
		}
	}
	return needs
}

// gatherDest is where the archive goes: --file, the default name inside
// --file when it is a directory, or the default name in the current
// directory.
func gatherDest(file, cluster string, now time.Time) string {
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

func archiveErr(env *Env, dest string, err error) error {
	if errors.Is(err, bundle.ErrExists) {
		return &Failure{Msg: env.T.T("The file {{.File}} already exists. Give another path with --file.", map[string]any{"File": dest})}
	}
	var be *bundle.Error
	if errors.As(err, &be) {
		err = be.Err
	}
	return &Failure{Msg: env.T.T("Could not write the archive {{.File}}: {{.Error}}", map[string]any{"File": dest, "Error": err.Error()})}
}

// scopeRead is the credentials and infrastructure permissions of one region
// and resource group.
type scopeRead struct {
	Scope  string // cluster or target
	Region string
	Group  bundle.Group // the group whose credentials apply
	Header string       // the X-Auth-Resource-Group sent; "" lets IKS apply the default group
	Creds  facts.Slot[facts.Credentials]
	Perms  facts.Slot[facts.InfraPermissions]
}

// readTargeted reads the credentials and permissions of the targeted region
// and resource group when they are not the cluster's: seed 000 says they are
// per region and resource group, and a mismatch is the usual story. Nothing
// is read when no region is targeted, or when the target is the cluster's.
func readTargeted(ctx context.Context, src facts.Source, set *facts.Set) *scopeRead {
	s := set.Session
	if s.Region == "" {
		return nil
	}
	r := &scopeRead{Scope: "target", Region: s.Region}
	// The group IKS applies: the targeted one, else the account's default,
	// which is also what the CLI gets by sending no group at all.
	if g := s.ResourceGroup; g != nil {
		r.Group = bundle.Group{ID: g.ID, Name: g.Name}
		r.Header = g.ID
	} else if set.ResourceGroups.Loaded && set.ResourceGroups.Err == nil {
		for _, g := range set.ResourceGroups.Value {
			if g.Default {
				r.Group = bundle.Group{ID: g.ID, Name: g.Name}
			}
		}
	}
	if cl, ok := readCluster(set); ok && cl.Region == s.Region && r.Group.ID != "" && r.Group.ID == cl.ResourceGroupID {
		return nil
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		r.Creds.Value, r.Creds.Err = src.Credentials(ctx, r.Region, r.Header)
		r.Creds.Loaded = true
	})
	wg.Go(func() {
		r.Perms.Value, r.Perms.Err = src.InfraPermissions(ctx, r.Region, r.Header)
		r.Perms.Loaded = true
	})
	wg.Wait()
	return r
}

func readCluster(set *facts.Set) (facts.Cluster, bool) {
	if set.Cluster.Loaded && set.Cluster.Err == nil {
		return set.Cluster.Value, true
	}
	return facts.Cluster{}, false
}

func manifestCluster(set *facts.Set) bundle.Cluster {
	mc := bundle.Cluster{Query: set.ClusterQuery}
	if cl, ok := readCluster(set); ok {
		mc.ID, mc.Name, mc.Provider, mc.Region = cl.ID, cl.Name, cl.Provider, cl.Region
		mc.ResourceGroup = &bundle.Group{ID: cl.ResourceGroupID, Name: cl.ResourceGroupName}
	}
	return mc
}

func gatherWithheld() []string {
	return append(slices.Clone(bundle.Withheld),
		"The IBM Cloud account ID is masked (only its first and last 4 characters are kept) in "+fileTarget+" and "+fileCheck+".",
		fileWorkers+" lists only the worker nodes whose state is not normal or deployed, or that have a status message; the others are counted, not listed.",
	)
}

// gatherFiles builds every file of the archive from plain facts: redaction at
// the source. Nothing here holds a token, a key or a raw HTTP exchange.
func gatherFiles(env *Env, r diag.Report, tgt *scopeRead, incomplete bool) ([]bundle.File, error) {
	set := r.Facts
	cl, clusterOK := readCluster(set)
	ref := set.ClusterQuery // how commands name the cluster: its ID once known
	if clusterOK {
		ref = cl.ID
	}
	var files []bundle.File
	add := func(name, source, api string, v any, err error, masked ...string) {
		f := bundle.File{Name: name, Source: source, API: api, Masked: masked}
		if err != nil {
			v = errorDoc(err)
			f.Error = err.Error()
		}
		f.Data = jsonDoc(v)
		files = append(files, f)
	}

	add(fileTarget, "ibmcloud target", "none: the CLI session of 'ibmcloud login' and 'ibmcloud target' (config.json)",
		targetDoc(set.Session), nil, maskedAccountNotice)

	add(fileCluster, "ibmcloud ks cluster get --cluster "+ref, "IKS GET /v2/getCluster?cluster="+set.ClusterQuery,
		clusterDoc(cl), set.Cluster.Err)

	add(fileAPIKeyInfo, "ibmcloud ks api-key info --cluster "+ref, "IKS GET /v1/logging/"+ref+"/clusterkeyowner",
		apiKeyDoc(cl, set.APIKeyOwner.Value), set.APIKeyOwner.Err)

	clusterScope := &scopeRead{Scope: "cluster", Region: cl.Region, Group: bundle.Group{ID: cl.ResourceGroupID, Name: cl.ResourceGroupName},
		Header: cl.ResourceGroupID, Creds: set.Credentials, Perms: set.InfraPermissions}
	for _, s := range []*scopeRead{clusterScope, tgt} {
		if s == nil {
			continue
		}
		credName, permName := fileCredentials, filePermissions
		if s.Scope == "target" {
			credName, permName = fileCredentialsTgt, filePermissionsTgt
		}
		add(credName, scopeCommand(s, "ibmcloud ks credential get"), scopeAPI(s, "/v1/credentials"),
			credentialsDoc(s), s.Creds.Err)
		add(permName, scopeCommand(s, "ibmcloud ks infra-permissions get"), scopeAPI(s, "/v1/infra-permissions"),
			permissionsDoc(s), s.Perms.Err)
	}

	workersAPI := "IKS GET /v1/clusters/" + ref + "/workers?showDeleted=true"
	if strings.HasPrefix(cl.Provider, "vpc") {
		workersAPI = "IKS GET /v2/getWorkers?cluster=" + ref + "&showDeleted=true"
	}
	add(fileWorkers, "ibmcloud ks worker ls --cluster "+ref+" --show-deleted; ibmcloud ks worker get --cluster "+ref+" --worker WORKER_ID for each listed worker",
		workersAPI, workersDoc(ref, set.Workers.Value), set.Workers.Err)

	var check bytes.Buffer
	if err := render.CheckJSON(&check, env.T, env.plugin(), r, incomplete); err != nil {
		return nil, err
	}
	files = append(files, bundle.File{Name: fileCheck, Source: "ibmcloud ks-doctor check --cluster " + ref + " --output json",
		API: "the reads of every check that 'ibmcloud ks-doctor checks' lists", Data: check.Bytes(), Masked: []string{maskedAccountNotice}})
	return files, nil
}

// scopeCommand is the command a person runs for one region and resource
// group: the resource group is targeted first, as seed 000 says.
func scopeCommand(s *scopeRead, cmd string) string {
	region := s.Region
	if region == "" {
		region = "REGION"
	}
	cmd += " --region " + region
	if s.Header != "" && s.Group.Name != "" {
		return "ibmcloud target -g " + s.Group.Name + " && " + cmd
	}
	return cmd // no resource group targeted: IKS applies the default one
}

func scopeAPI(s *scopeRead, path string) string {
	region := s.Region
	if region == "" {
		region = "REGION"
	}
	api := "IKS GET " + path + " (X-Region: " + region
	if s.Header != "" {
		api += ", X-Auth-Resource-Group: " + s.Header
	}
	return api + ")"
}

type gatherFileOut struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

type gatherOut struct {
	SchemaVersion string          `json:"schemaVersion"`
	File          string          `json:"file"`
	Files         []gatherFileOut `json:"files"`
}

func printGather(env *Env, o *gatherOpts, set *facts.Set, dest string, entries []bundle.Entry) error {
	if o.json() {
		doc := gatherOut{SchemaVersion: render.SchemaVersion, File: dest, Files: make([]gatherFileOut, 0, len(entries))}
		for _, e := range entries {
			doc.Files = append(doc.Files, gatherFileOut{Name: e.Name, Source: e.Source, Bytes: e.Bytes, SHA256: e.SHA256,
				Status: e.Status, Error: e.Error})
		}
		_, err := env.Stdout.Write(jsonDoc(doc))
		return err
	}
	name := set.ClusterQuery
	if cl, ok := readCluster(set); ok {
		name = cl.Name
	}
	name = render.Safe(name)
	failed := 0
	for _, e := range entries {
		if e.Status == bundle.StatusError {
			failed++
		}
	}
	data := map[string]any{"Count": len(entries), "Cluster": name, "Failed": failed}
	summary := env.T.T("Gathered {{.Count}} files for cluster {{.Cluster}}. Attach the archive to your IBM Cloud support case.", data)
	if failed > 0 {
		summary = env.T.T("Gathered {{.Count}} files for cluster {{.Cluster}}; {{.Failed}} of them record a read error (see manifest.json). Attach the archive to your IBM Cloud support case.", data)
	}
	_, err := fmt.Fprintf(env.Stdout, "%s\n%s\n", render.Safe(dest), summary)
	return err
}
