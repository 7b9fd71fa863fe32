package commands

import (
	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/ibm"
	"github.com/ks-doctor/ks-doctor/internal/kube"
)

// kubeconfigFlag is --kubeconfig: the kubeconfig whose current context the
// in-cluster checks read (kubectl's flag of the same name). Without it,
// $KUBECONFIG, then ~/.kube/config. Only a context that points at the
// checked cluster is ever read (kube.Reader).
func kubeconfigFlag(env *Env, c *cobra.Command) {
	c.Flags().String("kubeconfig", "", env.T.T("Read the cluster's Kubernetes API with this kubeconfig's current context, if it is the cluster's"))
}

// withClusterReader gives the client its reader of the cluster's own API and of
// the local kubectl, from the run's environment.
func withClusterReader(env *Env, c *cobra.Command, client *ibm.Client) {
	path, _ := c.Flags().GetString("kubeconfig")
	client.SetClusterReader(&kube.Reader{Kubeconfig: path, Getenv: env.Getenv})
}
