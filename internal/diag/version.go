package diag

import (
	"strconv"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const (
	DocVersions     = "https://cloud.ibm.com/docs/containers?topic=containers-cs_versions"
	DocUpdateMaster = "https://cloud.ibm.com/docs/containers?topic=containers-update#master"
	DocUpdateWorker = "https://cloud.ibm.com/docs/containers?topic=containers-update#worker_node"
)

// eosSoon is when an announced end of support is near enough to warn:
// IBM gives clusters on a deprecated version at least 30 days to update
// before it becomes unsupported (ibm-cloud-docs/containers cs_versions.md,
// "Deprecated versions").
const eosSoon = 30 * 24 * time.Hour

// How IBM updates a master today (docs: containers-update#master, "You can
// update the API server only to the next version ahead of its current
// version (n+1)"; containers-cs_versions, release lifecycle: an
// unsupported cluster can still be updated to the next version, but "if
// the cluster master runs two or more versions behind the oldest supported
// version, you can no longer apply updates and must delete the cluster and
// create a new one"). Older pages allowed skipping minors with
// --force-update; the CLI no longer offers that path.
const noUpdatePathBehind = 2

var clusterVersion = Check{
	ID: "cluster.version", Category: "cluster", Seed: "001",
	Needs: []facts.Key{facts.KeyCluster, facts.KeyVersions},
	Reads: []string{"ibmcloud ks cluster get", "ibmcloud ks versions"},
	Doc:   DocVersions, Scope: ClusterScope,
	Judge: judgeClusterVersion,
}

// Seed 001 "Keep your cluster environment up to date": the master on a
// version IBM supports, not about to lose support, with its patches.
func judgeClusterVersion(s *facts.Set) []Finding {
	if s.Cluster.Err != nil {
		return []Finding{unknownRead(s.Cluster.Err)}
	}
	c := s.Cluster.Value
	v, ok := facts.ParseVersion(c.Version)
	p := map[string]string{"cluster": c.Name, "version": c.Version}
	if !ok {
		return []Finding{{Status: Unknown, Key: "cluster.version.unreadable", Params: p}}
	}
	eos := facts.ParseEOS(c.VersionEOS)
	if s.Versions.Err != nil && (eos.IsZero() || s.Now.Before(eos)) {
		return []Finding{unknownRead(s.Versions.Err)}
	}
	entry, listed := s.Versions.Value.Find(v)
	if eos.IsZero() {
		eos = entry.EndOfService
	}
	if !eos.IsZero() {
		p["eos"] = eos.UTC().Format("2006-01-02")
	}
	update := []string{masterUpdate(c, v)}
	withNext := func(p map[string]string) map[string]string { p["next"] = nextMinor(v); return p }
	unsupported := s.Versions.Err == nil && len(s.Versions.Value.Of(v)) > 0 && !listed ||
		!eos.IsZero() && !s.Now.Before(eos) ||
		strings.EqualFold(c.State, "unsupported") || strings.EqualFold(c.MasterHealth, "unsupported")
	oldest, behind := behindOldest(s.Versions.Value, v)
	switch {
	case unsupported && behind >= noUpdatePathBehind:
		p["oldest"] = versionLabel(oldest, false)
		return []Finding{{Status: Fail, Key: "cluster.version.no-update-path", Params: p, Actor: User, Doc: DocVersions,
			Fix: []string{cmd("ibmcloud", "ks", "versions")}}}
	case unsupported:
		return []Finding{{Status: Fail, Key: "cluster.version.unsupported", Params: withNext(p), Actor: User, Fix: update, Doc: DocUpdateMaster}}
	case !eos.IsZero() && eos.Sub(s.Now) <= eosSoon:
		return []Finding{{Status: Warn, Key: "cluster.version.eos-soon", Params: withNext(p), Actor: User, Fix: update, Doc: DocUpdateMaster}}
	}
	latest := entry.Version
	latest.OpenShift, latest.Fix = v.OpenShift, 0
	if t, ok := facts.ParseVersion(c.TargetVersion); ok && t.Compare(latest) > 0 && t.Major == v.Major && t.Minor == v.Minor {
		latest = t
	}
	if latest.Major == v.Major && latest.Minor == v.Minor && latest.Compare(v) > 0 {
		p["latest"] = versionLabel(latest, true)
		return []Finding{{Status: Warn, Key: "cluster.version.patch", Params: p, Actor: User, Doc: DocUpdateMaster,
			Fix: []string{cmd("ibmcloud", "ks", "cluster", "master", "update", "--cluster", c.Name, "--version", versionLabel(latest, true))}}}
	}
	if def, ok := defaultVersion(s.Versions.Value, v); ok && def.Compare(facts.Version{Major: v.Major, Minor: v.Minor}) > 0 {
		p["default"] = versionLabel(def, false)
		return []Finding{{Status: Info, Key: "cluster.version.behind-default", Params: withNext(p), Actor: User, Doc: DocUpdateMaster,
			Fix: update}}
	}
	return []Finding{{Status: OK, Key: "cluster.version.ok", Params: p}}
}

// nextMinor is the only version IBM updates a master to, the next minor,
// as `--version` spells it.
func nextMinor(v facts.Version) string {
	return versionLabel(facts.Version{Major: v.Major, Minor: v.Minor + 1, OpenShift: v.OpenShift}, false)
}

// behindOldest is the oldest supported minor of v's product and how many
// minor versions v is behind it (0 when not behind, or when the list does
// not say).
func behindOldest(list facts.SupportedVersions, v facts.Version) (facts.Version, int) {
	var oldest *facts.Version
	for _, e := range list.Of(v) {
		if e.Version.Major == v.Major && (oldest == nil || e.Version.Compare(*oldest) < 0) {
			ev := e.Version
			oldest = &ev
		}
	}
	if oldest == nil || oldest.Minor <= v.Minor {
		return facts.Version{}, 0
	}
	oldest.OpenShift = v.OpenShift
	return *oldest, oldest.Minor - v.Minor
}

// defaultVersion is the version IKS creates clusters with ("the latest
// default version" of seed 001).
func defaultVersion(list facts.SupportedVersions, v facts.Version) (facts.Version, bool) {
	for _, e := range list.Of(v) {
		if e.Default {
			d := facts.Version{Major: e.Version.Major, Minor: e.Version.Minor, OpenShift: v.OpenShift}
			return d, true
		}
	}
	return facts.Version{}, false
}

// versionLabel is how `ibmcloud ks cluster master update --version` takes
// a version: 1.31 or 1.31.4, OpenShift's with _openshift.
func versionLabel(v facts.Version, patch bool) string {
	s := v.MajorMinor()
	if patch {
		s += "." + strconv.Itoa(v.Patch)
	}
	if v.OpenShift {
		s += "_openshift"
	}
	return s
}

// masterUpdate updates the master to the next minor version.
func masterUpdate(c facts.Cluster, v facts.Version) string {
	return cmd("ibmcloud", "ks", "cluster", "master", "update", "--cluster", c.Name, "--version", nextMinor(v))
}

var workersVersion = Check{
	ID: "workers.version", Category: "workers", Seed: "001",
	Needs: []facts.Key{facts.KeyWorkers, facts.KeyVersions},
	Reads: []string{"ibmcloud ks worker ls", "ibmcloud ks versions"},
	Doc:   DocUpdateWorker, Scope: ClusterScope,
	Judge: judgeWorkersVersion,
}

// Seed 001 "Check monthly for available security and operating system
// patches to update your worker nodes": each worker on a supported
// version, on its master's minor version, with its fix packs applied.
// Major and minor updates go master first, then workers (docs: update).
func judgeWorkersVersion(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	c := s.Cluster.Value
	mv, masterOK := facts.ParseVersion(c.Version)
	list := s.Versions.Value
	judged := s.Versions.Err == nil && s.Versions.Loaded
	var out []Finding
	live := 0
	for _, w := range s.Workers.Value {
		if w.Deleted {
			continue
		}
		live++
		wv, ok := facts.ParseVersion(w.Version)
		if !ok {
			continue
		}
		p := map[string]string{"cluster": c.Name, "worker": w.ID, "version": w.Version, "master": c.Version, "target": w.Target}
		update := workerUpdate(c, w)
		f := Finding{Subject: w.ID, Params: p, Actor: User}
		_, listed := list.Find(wv)
		target, hasTarget := facts.ParseVersion(w.Target)
		switch {
		case judged && len(list.Of(wv)) > 0 && !listed:
			f.Status, f.Key, f.Fix = Fail, "workers.version.unsupported", []string{update}
			if masterOK && mv.Major == wv.Major && mv.Minor == wv.Minor {
				// The master is on the same unsupported minor: it goes first.
				f.Fix = []string{masterUpdate(c, mv), update}
			}
		case masterOK && (wv.Major < mv.Major || wv.Major == mv.Major && wv.Minor < mv.Minor):
			f.Status, f.Key, f.Fix = Warn, "workers.version.behind-master", []string{update}
		case hasTarget && wv.Compare(target) < 0:
			f.Status, f.Key, f.Fix = Warn, "workers.version.patch", []string{update}
		default:
			continue
		}
		out = append(out, f)
	}
	if len(out) > 0 {
		return out
	}
	p := map[string]string{"cluster": c.Name, "count": itoa(live), "master": c.Version}
	if !judged && s.Versions.Err != nil {
		return []Finding{unknownRead(s.Versions.Err)}
	}
	if live == 0 {
		return []Finding{{Status: OK, Key: "workers.version.none", Params: p}}
	}
	return []Finding{{Status: OK, Key: "workers.version.ok", Params: p}}
}

// workerUpdate: classic workers are updated in place; VPC (and Satellite)
// workers are replaced with a worker on the new version (docs: update
// #worker_node, #vpc_worker_node).
func workerUpdate(c facts.Cluster, w facts.Worker) string {
	if c.Infrastructure() == facts.InfraClassic {
		return cmd("ibmcloud", "ks", "worker", "update", "--cluster", c.Name, "--worker", w.ID)
	}
	return cmd("ibmcloud", "ks", "worker", "replace", "--cluster", c.Name, "--worker", w.ID, "--update")
}
