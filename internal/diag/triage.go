package diag

import (
	"github.com/ks-doctor/ks-doctor/internal/catalog"
)

// A worker's error message often names the cause another check decides
// (seed 000: an orphaned cluster shows as "incorrect account for worker"):
// rootOf maps a catalog topic to that check. The message then points to the
// check's finding rather than repeating its fix.
var rootOf = map[string]string{
	"orphaned_cluster":        "infra.orphan",
	"api_key_owner":           "apikey.owner",
	"credentials_permissions": "apikey.permissions",
	"totp_paid_account":       "account.totp",
	"vlan_invalid":            "infra.vlan",
	"vpe_endpoint":            "vpc.vpe-gateway",
	"registry_role":           "credentials.registry",
}

// linkCauses points each worker-message finding to the failing finding of
// the check that decides its cause, when there is one.
func linkCauses(fs []Finding) {
	failing := map[string]bool{}
	for _, f := range fs {
		if f.Status == Fail {
			failing[f.Check] = true
		}
	}
	messages := map[string]bool{} // workers whose message is judged (and points on)
	for _, f := range fs {
		if f.Check == "workers.message" && (f.Status == Fail || f.Status == Warn) {
			for _, w := range f.Subjects() {
				messages[w] = true
			}
		}
	}
	for i, f := range fs {
		// A worker on an unsupported version while the master is
		// unsupported too: the master is updated first (docs: update),
		// and cluster.version says how, or that there is no way.
		if f.Key == "workers.version.unsupported" && failing["cluster.version"] {
			fs[i].Root, fs[i].Fix, fs[i].Alternative = "cluster.version", nil, nil
			continue
		}
		// A failed worker whose message workers.message explains: the
		// message says why, and how to fix it.
		if f.Key == "workers.state.failed-message" && messages[f.Subject] {
			fs[i].Root, fs[i].Fix, fs[i].Alternative = "workers.message", nil, nil
			continue
		}
		if f.Catalog == "" || f.Root != "" {
			continue
		}
		e, ok := catalog.Lookup(f.Catalog)
		if root := rootOf[e.Topic]; ok && failing[root] && root != f.Check {
			fs[i].Root, fs[i].Fix, fs[i].Alternative = root, nil, nil
		}
	}
}

// Triage is the most likely cause in a report and the first thing to do:
// the first failing finding (else warning) that points to no other, in the
// order the runbooks take them — session, credentials, account,
// infrastructure, network, workers, cluster — which is the registry's.
func (r Report) Triage() (Finding, bool) {
	for _, st := range []Status{Fail, Warn} {
		for _, f := range r.Findings {
			if f.Status == st && f.Root == "" {
				return f, true
			}
		}
	}
	return Finding{}, false
}
