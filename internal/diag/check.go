// Package diag decides. A Check is data plus a pure function that judges the
// facts read from IBM Cloud and returns findings; nothing here does I/O.
//
// Reading order for a newcomer: check.go (this file) → registry.go (every
// check, in SPEC order) → session.go and session_test.go (the checks that
// decide session.login, session.region and session.resource-group) →
// commands/check.go → a golden file under commands/testdata.
package diag

import (
	"strings"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Status of a finding. The order matters: worse statuses sort later.
type Status string

const (
	OK      Status = "ok"
	Info    Status = "info"
	Skipped Status = "skipped"
	Unknown Status = "unknown"
	Warn    Status = "warn"
	Fail    Status = "fail"
)

// Statuses lists every status in summary order.
var Statuses = []Status{OK, Info, Warn, Fail, Unknown, Skipped}

// Actor says who must act on a finding.
type Actor string

const (
	User         Actor = "user"
	AccountOwner Actor = "account-owner"
)

// Scope says when a check applies: to one cluster (`check -c`), before a
// cluster is created (`check` without -c), or both.
type Scope int

const (
	ClusterScope Scope = 1 << iota
	CreateScope
	BothScopes = ClusterScope | CreateScope
)

// Check is one decision of the runbooks.
type Check struct {
	ID       string
	Category string
	Seed     string      // the seed page(s) the decision comes from
	Needs    []facts.Key // what Judge reads; the collector reads the union
	Reads    []string    // the IBM Cloud calls behind Needs, for `checks`
	Doc      string
	Scope    Scope
	// Infra lists the infrastructures (facts.InfraClassic …) whose
	// clusters the check applies to; nil = every one. On another cluster
	// the check is skipped with the reason, never judged.
	Infra []string
	Judge func(*facts.Set) []Finding
}

// Finding is one judgement. Its title and cause are not stored as text: the
// renderer looks up "<Key>.title" and "<Key>.cause" in i18n with Params, so
// every language is complete or a test fails.
type Finding struct {
	Check    string
	Category string
	Status   Status
	Key      string
	Params   map[string]string
	Actor    Actor
	Fix      []string
	// Alternative is another way to the same end, from the same runbook
	// ("alternatively, ..."): shown apart, never to be run after Fix.
	Alternative []string
	Doc         string
	Subject     string
	Raw         string
	Catalog     string
	Duration    time.Duration
	// Evidence is what the finding rests on: each read the check used and
	// whether it answered in full for this caller (facts.Set.Complete).
	Evidence []Evidence
	// Root is the check whose failing finding is this finding's cause: its
	// fix comes first, and this finding repeats none.
	Root string
}

// subjectSep joins the things a finding is about in Subject. IKS names
// (workers, pools, zones, gateways, nodes) and IP addresses never hold it.
const subjectSep = ", "

// Subjects is what Subject names, one by one: the workers, pool/zone pairs,
// gateways or addresses the finding is about.
func (f Finding) Subjects() []string {
	if f.Subject == "" {
		return nil
	}
	return strings.Split(f.Subject, subjectSep)
}

// Evidence is one read behind a finding.
type Evidence struct {
	Read     facts.Key
	Complete bool
}

// Doc links of the seed sections the checks come from.
const (
	DocCredentials = "https://cloud.ibm.com/docs/containers?topic=containers-cluster_infra_errors#cs_credentials"
	DocAccess      = "https://cloud.ibm.com/docs/containers?topic=containers-access_cluster"
)
