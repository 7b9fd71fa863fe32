package diag

import (
	"sort"
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const DocDuplicateIP = "https://cloud.ibm.com/docs/containers?topic=containers-debug_worker_nodes#cs_nodes_duplicate_ip"

var workersState = Check{
	ID: "workers.state", Category: "workers", Seed: "001",
	Needs: []facts.Key{facts.KeyWorkers},
	Reads: []string{"ibmcloud ks worker ls"},
	Doc:   DocDebugWorkers, Scope: ClusterScope,
	Judge: judgeWorkerStates,
}

// stuckAfter is when a transitional state counts as "stuck in this state for
// a long time" (seed 001): provisioning, deploying and reloading normally
// finish within minutes to half an hour.
const stuckAfter = time.Hour

// Seed 001's table of worker node states, one finding per worker that needs
// attention; one ok finding when none does. A failed worker always fails
// here, whatever its message: workers.message explains the message, this
// check says the worker is down.
func judgeWorkerStates(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	c := s.Cluster.Value
	var out []Finding
	live, normal := 0, 0
	for _, w := range s.Workers.Value {
		if w.Deleted {
			continue
		}
		live++
		state := strings.ToLower(w.State)
		p := map[string]string{"cluster": c.Name, "worker": w.ID, "state": w.State, "status": w.Status}
		get := cmd("ibmcloud", "ks", "worker", "get", "--cluster", c.Name, "--worker", w.ID)
		ip := orPlaceholder(w.PrivateIP, "<worker_private_IP>")
		reload := []string{
			cmd("kubectl", "cordon", ip),
			cmd("kubectl", "drain", ip, "--ignore-daemonsets", "--delete-emptydir-data"),
			reloadOrReplace(c, w),
		}
		if normalState(w.State) {
			normal++
			continue
		}
		f := Finding{Subject: w.ID, Params: p, Actor: User}
		switch state {
		case "deleting":
			f.Status, f.Key, f.Actor = Info, "workers.state.deleting", ""
		case "critical":
			f.Status, f.Key, f.Fix = Fail, "workers.state.critical", append([]string{get}, reload...)
		case "warning":
			f.Status, f.Key, f.Fix = Warn, "workers.state.warning", []string{get,
				cmd("ibmcloud", "ks", "worker-pool", "resize", "--cluster", c.Name, "--worker-pool", orPlaceholder(w.Pool, "<pool>"), "--size-per-zone", "<number_of_workers_per_zone>")}
		case "provision_failed", "reload_failed", "reloading_failed", "deploy_failed":
			f.Status, f.Key, f.Fix = Fail, "workers.state.failed", []string{get}
			if hasMessage(w) {
				f.Key = "workers.state.failed-message" // workers.message says why, with the catalog's fix
			}
		case "unknown":
			f.Status, f.Key, f.Fix = Warn, "workers.state.unknown", append([]string{cmd("ibmcloud", "ks", "cluster", "get", "-c", c.Name), get}, reload...)
		case "provisioning", "provision_pending", "deploying", "reloading", "reload_pending":
			if !w.StatusSince.IsZero() && s.Now.Sub(w.StatusSince) > stuckAfter {
				// The date, not the age: the same facts always render the same.
				p["since"] = w.StatusSince.UTC().Format("2006-01-02 15:04 UTC")
				f.Status, f.Key, f.Fix = Warn, "workers.state.stuck", []string{get}
			} else {
				f.Status, f.Key = Info, "workers.state.in-progress"
				f.Actor = ""
			}
		default:
			f.Status, f.Key, f.Fix = Warn, "workers.state.other", []string{get}
		}
		out = append(out, f)
	}
	p := map[string]string{"cluster": c.Name, "count": itoa(live), "normal": itoa(normal)}
	switch {
	case live == 0:
		return []Finding{{Status: Info, Key: "workers.state.none", Params: p, Actor: User,
			Fix: []string{cmd("ibmcloud", "ks", "worker-pool", "ls", "--cluster", c.Name)}}}
	case len(out) == 0 && live == 1:
		return []Finding{{Status: OK, Key: "workers.state.ok-one", Params: p}}
	case len(out) == 0:
		return []Finding{{Status: OK, Key: "workers.state.ok", Params: p}}
	}
	return out
}

// reloadOrReplace: classic workers are reloaded, VPC workers replaced.
func reloadOrReplace(c facts.Cluster, w facts.Worker) string {
	if c.Infrastructure() == facts.InfraVPC {
		return cmd("ibmcloud", "ks", "worker", "replace", "--cluster", c.Name, "--worker", w.ID)
	}
	return cmd("ibmcloud", "ks", "worker", "reload", "--cluster", c.Name, "--worker", w.ID)
}

var workersMessage = Check{
	ID: "workers.message", Category: "workers", Seed: "000/001",
	Needs: []facts.Key{facts.KeyWorkers, facts.KeyAPIKeyOwner},
	Reads: []string{"ibmcloud ks worker ls", "ibmcloud ks worker get", "ibmcloud ks api-key info"},
	Doc:   DocCommonIssues, Scope: ClusterScope,
	Judge: judgeWorkerMessages,
}

// Seed 001 step 3: a worker's error message, matched against the known-error
// catalog (the same one `explain` uses); the raw message travels with the
// finding so the user sees both.
func judgeWorkerMessages(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	c := s.Cluster.Value
	var out []Finding
	for _, w := range s.Workers.Value {
		if w.Deleted || !hasMessage(w) {
			continue
		}
		p := map[string]string{"cluster": c.Name, "worker": w.ID, "region": c.Region, "group": c.ResourceGroupName}
		hit, ok := catalog.Best(w.Message)
		if ok && (hit.Entry.Topic == "worker_state" || strings.HasPrefix(hit.Entry.ID, "I-")) {
			// A state word or an informational line: workers.state judges
			// states, and an informational entry is not a problem.
			continue
		}
		if !ok {
			out = append(out, Finding{Status: Warn, Key: "workers.message.unknown", Params: p, Actor: User, Subject: w.ID, Raw: w.Message,
				Fix: []string{cmd("ibmcloud", "ks", "worker", "get", "--cluster", c.Name, "--worker", w.ID)}})
			continue
		}
		e := hit.Entry
		// Every value ks-doctor knows fills its placeholder; only what the
		// user must choose or look up (a VLAN to move to, a key) stays.
		vals := map[string]string{"cluster": c.Name, "cluster_name_or_ID": c.Name, "cluster_ID": c.ID, "worker": w.ID, "worker_node_ID": w.ID,
			"region": c.Region, "resource_group": c.ResourceGroupName, "zone": w.Zone, "worker_pool": w.Pool}
		if s.APIKeyOwner.Loaded && s.APIKeyOwner.Err == nil && s.APIKeyOwner.Value.Email != "" {
			vals["user_email"] = s.APIKeyOwner.Value.Email
		}
		for k, v := range hit.Params {
			if _, set := vals[k]; !set {
				vals[k] = v
			}
		}
		// Each value fills one word of a command that will be pasted into
		// a shell; values from the message are server data.
		for k, v := range vals {
			vals[k] = shellWord(v)
		}
		status := Fail
		if hit.Confidence < 0.7 { // a bare code or a cut-off message: likely, not certain
			status = Warn
		}
		out = append(out, Finding{Status: status, Key: "workers.message.known", Params: p, Actor: Actor(e.Actor), Subject: w.ID,
			Raw: w.Message, Catalog: e.ID, Doc: e.Doc, Fix: e.FixWith(vals)})
	}
	if len(out) == 0 {
		return []Finding{{Status: OK, Key: "workers.message.none", Params: map[string]string{"cluster": c.Name}}}
	}
	return sameMessage(out)
}

// sameMessage makes one finding of the workers that report the same error:
// the workers listed once, each command once (a command that names a
// worker stays, one per worker).
func sameMessage(fs []Finding) []Finding {
	var out []Finding
	at := map[string]int{}
	for _, f := range fs {
		k := string(f.Status) + "\x00" + f.Key + "\x00" + f.Catalog + "\x00" + f.Raw
		i, seen := at[k]
		if !seen {
			at[k] = len(out)
			f.Params = merge(f.Params, map[string]string{"count": "1"})
			out = append(out, f)
			continue
		}
		g := &out[i]
		g.Subject += subjectSep + f.Subject
		g.Params["count"] = itoa(strings.Count(g.Subject, subjectSep) + 1)
		g.Key = strings.TrimSuffix(g.Key, "-many") + "-many"
		g.Fix = appendNew(g.Fix, f.Fix...)
	}
	return out
}

var workersDuplicateIP = Check{
	ID: "workers.duplicate-ip", Category: "workers", Seed: "001",
	Needs: []facts.Key{facts.KeyWorkers},
	Reads: []string{"ibmcloud ks worker ls --show-deleted"},
	Doc:   DocDuplicateIP, Scope: ClusterScope,
	Judge: judgeDuplicateIP,
}

// Seed 001 §cs_nodes_duplicate_ip: a new worker that got a deleted worker's
// private IP is unreachable, because Calico still tags the IP with the
// deleted node.
func judgeDuplicateIP(s *facts.Set) []Finding {
	if s.Workers.Err != nil {
		return []Finding{unknownRead(s.Workers.Err)}
	}
	c := s.Cluster.Value
	byIP := map[string][]facts.Worker{}
	for _, w := range s.Workers.Value {
		if w.PrivateIP != "" {
			byIP[w.PrivateIP] = append(byIP[w.PrivateIP], w)
		}
	}
	ips := make([]string, 0, len(byIP))
	for ip := range byIP {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	var out []Finding
	for _, ip := range ips {
		var live, gone []string
		for _, w := range byIP[ip] {
			if w.Deleted {
				gone = append(gone, w.ID)
			} else {
				live = append(live, w.ID)
			}
		}
		if len(live) == 0 || len(gone) == 0 {
			continue
		}
		p := map[string]string{"cluster": c.Name, "ip": ip, "live": strings.Join(live, ", "), "deleted": strings.Join(gone, ", ")}
		fix := []string{cmd("ibmcloud", "ks", "worker", "ls", "--cluster", c.Name, "--show-deleted"), "calicoctl get nodes --config=<path_to_file>/calicoctl.cfg"}
		for _, d := range gone {
			fix = append(fix, cmd("calicoctl", "delete", "node", d)+" --config=<path_to_file>/calicoctl.cfg")
		}
		for _, l := range live {
			fix = append(fix, cmd("ibmcloud", "ks", "worker", "reboot", "--cluster", c.Name, "--worker", l))
		}
		out = append(out, Finding{Status: Warn, Key: "workers.duplicate-ip.found", Params: p, Actor: User, Subject: ip, Fix: fix})
	}
	if len(out) == 0 {
		return []Finding{{Status: OK, Key: "workers.duplicate-ip.none", Params: map[string]string{"cluster": c.Name}}}
	}
	return out
}
