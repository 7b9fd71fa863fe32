package ibm

import (
	"slices"
	"testing"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

type readerWithSecrets struct{ facts.ClusterReader }

func (readerWithSecrets) Secrets() []string { return []string{"kubeconfig-token-1234"} }

// The cluster reader's credentials join the session's in Secrets, which
// feed the run's scrubber; a reader without any adds none.
func TestSecretsIncludeTheClusterReaders(t *testing.T) {
	c := &Client{auth: &sessionAuth{seen: []string{"iam-token-5678"}}}
	if got := c.Secrets(); !slices.Equal(got, []string{"iam-token-5678"}) {
		t.Errorf("no reader: %v", got)
	}
	c.SetClusterReader(readerWithSecrets{})
	if got := c.Secrets(); !slices.Equal(got, []string{"iam-token-5678", "kubeconfig-token-1234"}) {
		t.Errorf("with a reader: %v", got)
	}
}
