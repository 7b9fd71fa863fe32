package diag

import (
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

const orphanMessage = "incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account."

// An orphaned cluster (seed 000): the workers' messages point to
// infra.orphan instead of repeating its fix, the same message of two
// workers is one finding, and the triage names infra.orphan first.
func TestTriageAndSharedCauses(t *testing.T) {
	s := world("classic", func(s *facts.Set) {
		s.Workers.Value[0].Message, s.Workers.Value[1].Message = orphanMessage, orphanMessage
		s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
	})
	r := Run(All, s)
	var messages []Finding
	for _, f := range r.Findings {
		if f.Check == "workers.message" {
			messages = append(messages, f)
		}
	}
	if len(messages) != 1 || messages[0].Key != "workers.message.known-many" || messages[0].Subject != "w1, w2" || messages[0].Params["count"] != "2" {
		t.Fatalf("one finding for the two workers' same message, got %+v", messages)
	}
	if messages[0].Root != "infra.orphan" || len(messages[0].Fix) != 0 {
		t.Errorf("the message points to infra.orphan and repeats no fix: %+v", messages[0])
	}
	f, ok := r.Triage()
	if !ok || f.Check != "infra.orphan" {
		t.Errorf("triage %+v, want infra.orphan", f)
	}
}

// With nothing failing or warning there is no triage.
func TestNoTriageWhenHealthy(t *testing.T) {
	if f, ok := Run(All, world("classic", nil)).Triage(); ok {
		t.Errorf("triage %+v on a healthy cluster", f)
	}
}

// A worker on an unsupported version beside an unsupported master: the
// master is updated first, so the worker's finding points to
// cluster.version, and the triage starts there.
func TestUnsupportedWorkersFollowTheMaster(t *testing.T) {
	s := versioned("classic", "1.29.9_1550", "1.29.9_1540", "1.29.9_1550", farEOS, nil)
	r := Run(All, s)
	rooted := 0
	for _, f := range r.Findings {
		if f.Key == "workers.version.unsupported" {
			rooted++
			if f.Root != "cluster.version" || len(f.Fix) != 0 {
				t.Errorf("worker finding %+v: want it to point to cluster.version", f)
			}
		}
	}
	if rooted == 0 {
		t.Fatal("no workers.version.unsupported finding")
	}
	if f, ok := r.Triage(); !ok || f.Check != "cluster.version" || f.Fix[0] != "ibmcloud ks cluster master update --cluster mycluster --version 1.30" {
		t.Errorf("triage %+v, want cluster.version's master update", f)
	}
}
