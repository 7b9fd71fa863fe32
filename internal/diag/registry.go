package diag

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// All is the check registry in SPEC order. Ids are stable: JSON and --only
// carry them.
var All = []Check{
	sessionLogin,
	sessionRegion,
	sessionResourceGroup,
	apikeyOwner,
	apikeyPermissions,
	credentialsManual,
	credentialsRegistry,
	accountTOTP,
	accountPaid,
	infraOrphan,
	infraVLAN,
	vpcVPEGateway,
	workersState,
	workersMessage,
	workersDuplicateIP,
	workersVersion,
	clusterState,
	clusterVersion,
	kubectlSkew,
	nodesDuplicate,
	calicoStaleNode,
}

// Lookup returns the check with id.
func Lookup(id string) (Check, bool) {
	i := slices.IndexFunc(All, func(c Check) bool { return c.ID == id })
	if i < 0 {
		return Check{}, false
	}
	return All[i], true
}

// Select returns the checks of scope, narrowed by --only and --skip. An
// unknown id is an error, so a typo never silently runs nothing.
func Select(scope Scope, only, skip []string) ([]Check, error) {
	for _, id := range append(slices.Clone(only), skip...) {
		if _, ok := Lookup(id); !ok {
			return nil, &UnknownCheckError{ID: id}
		}
	}
	for _, id := range only {
		if slices.Contains(skip, id) {
			return nil, &ConflictError{ID: id}
		}
	}
	var out []Check
	for _, c := range All {
		if c.Scope&scope == 0 || slices.Contains(skip, c.ID) {
			continue
		}
		if len(only) > 0 && !slices.Contains(only, c.ID) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// Needs is the union of the facts the checks read.
func Needs(checks []Check) []facts.Key {
	var keys []facts.Key
	for _, c := range checks {
		for _, k := range c.Needs {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// UnknownCheckError is a --only/--skip id that no check has.
type UnknownCheckError struct{ ID string }

func (e *UnknownCheckError) Error() string {
	ids := make([]string, len(All))
	for i, c := range All {
		ids[i] = c.ID
	}
	return fmt.Sprintf("unknown check %q (known: %s)", e.ID, strings.Join(ids, ", "))
}

// ConflictError is a check that --only asks for and --skip leaves out.
type ConflictError struct{ ID string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("check %q is named by both --only and --skip", e.ID)
}
