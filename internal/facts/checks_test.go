package facts_test

import (
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Every key a check needs has a table entry: Collect would otherwise stop
// at it, and the check would judge a zero value.
func TestChecksNeedOnlyKeysOfTheTable(t *testing.T) {
	for _, c := range diag.All {
		for _, k := range c.Needs {
			if !facts.Known(k) {
				t.Errorf("check %s needs %q, which has no entry in facts' table", c.ID, k)
			}
		}
	}
}
