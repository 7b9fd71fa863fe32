package diag

import (
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

func TestWorkerHealthy(t *testing.T) {
	for _, c := range []struct {
		w    facts.Worker
		want bool
	}{
		{facts.Worker{State: "normal"}, true},
		{facts.Worker{State: "Deployed", Message: "  "}, true},
		{facts.Worker{State: "normal", Message: "The worker node could not be reached."}, false},
		{facts.Worker{State: "critical"}, false},
		{facts.Worker{State: "provisioning"}, false},
		{facts.Worker{State: "deleted", Deleted: true}, false},
	} {
		if got := WorkerHealthy(c.w); got != c.want {
			t.Errorf("WorkerHealthy(%+v) = %v, want %v", c.w, got, c.want)
		}
	}
}
