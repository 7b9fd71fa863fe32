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
