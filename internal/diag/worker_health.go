package diag

import (
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// The one rule of a worker's health (seed 001's table of states): the
// checks judge by it, and `gather` lists in workers.json the workers it
// says need a look.

// normalState is a state that needs no attention: normal, or deployed as
// older clusters write it.
func normalState(state string) bool {
	switch strings.ToLower(state) {
	case "normal", "deployed":
		return true
	}
	return false
}

// hasMessage: the worker carries a status message, the error that
// `ibmcloud ks worker get` shows.
func hasMessage(w facts.Worker) bool { return strings.TrimSpace(w.Message) != "" }

// WorkerHealthy reports a worker that neither workers.state nor
// workers.message has anything to say about: its state is normal and it
// carries no message.
func WorkerHealthy(w facts.Worker) bool { return normalState(w.State) && !hasMessage(w) }
