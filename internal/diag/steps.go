package diag

import "strings"

// Step kinds: what a fix command does to the world.
const (
	StepTarget = "target" // sets the CLI's region or resource group for the steps after it
	StepCheck  = "check"  // only reads: run it to confirm before changing anything
	StepDo     = "do"     // changes something in the account, the cluster or the CLI's files
	// StepAlternative is a command of the finding's other way to the same
	// end: after every step of the fix, never run together with them.
	StepAlternative = "alternative"
)

// Step is one command of a fix, in order, with its kind and who runs it.
type Step struct {
	Kind    string
	Command string
	Actor   Actor
}

// readVerbs are the sub-commands of ibmcloud, kubectl and calicoctl that
// only read (`ibmcloud is endpoint-gateway ID` shows one gateway).
var readVerbs = map[string]bool{
	"get": true, "ls": true, "list": true, "info": true, "groups": true, "describe": true, "version": true,
	"versions": true, "flavors": true, "endpoint-gateway": true, "endpoint-gateways": true,
}

// Steps is the finding's fix as ordered steps, then its alternative's
// commands. Reading and targeting are anyone's to run; a change is the
// finding's actor's.
func (f Finding) Steps() []Step {
	out := make([]Step, 0, len(f.Fix)+len(f.Alternative))
	for _, cmd := range f.Fix {
		kind := stepKind(cmd)
		out = append(out, Step{Kind: kind, Command: cmd, Actor: f.actorOf(kind)})
	}
	for _, cmd := range f.Alternative {
		out = append(out, Step{Kind: StepAlternative, Command: cmd, Actor: f.actorOf(stepKind(cmd))})
	}
	return out
}

func (f Finding) actorOf(kind string) Actor {
	if kind != StepDo || f.Actor == "" {
		return User
	}
	return f.Actor
}

// stepKind reads the command words before the first flag.
func stepKind(cmd string) string {
	var words []string
	for _, w := range strings.Fields(cmd) {
		if strings.HasPrefix(w, "-") {
			break
		}
		words = append(words, w)
	}
	switch {
	case len(words) < 2:
		return StepDo
	case words[0] == "ibmcloud" && words[1] == "target":
		return StepTarget
	case words[0] == "ibmcloud" && words[1] == "ks-doctor":
		return StepCheck // ks-doctor is read-only
	}
	for _, w := range words[1:] {
		if readVerbs[w] {
			return StepCheck
		}
	}
	return StepDo
}
