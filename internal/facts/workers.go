package facts

import (
	"strings"
	"time"
)

// Worker is one worker node as the IKS API lists it (deleted ones included).
type Worker struct {
	ID          string
	State       string    // normal, critical, provisioning, provision_failed, deleted …
	Status      string    // "Ready", "Out of disk" …
	Message     string    // the error message of `ibmcloud ks worker get`
	StatusSince time.Time // when the state or message last changed; zero if unknown
	PrivateIP   string
	PublicIP    string
	Zone        string
	Pool        string
	Flavor      string
	PrivateVLAN string
	PublicVLAN  string
	SubnetID    string // VPC: the subnet of the primary network interface
	Deleted     bool
	Version     string // kubeVersion (v2 kubeVersion.actual)
	Target      string // targetVersion (v2 kubeVersion.target): the version an update brings
}

// BareMetal reports whether the worker runs on a bare metal server: IKS bare
// metal flavors start with "mb", "md", "mr" or "ms" (the machine families),
// virtual ones with "b", "c", "m", "u" followed by a digit.
func (w Worker) BareMetal() bool {
	f := w.Flavor
	return len(f) > 2 && f[0] == 'm' && (f[1] == 'b' || f[1] == 'd' || f[1] == 'r' || f[1] == 's') && f[2] >= '0' && f[2] <= '9'
}

// Pool is a worker pool with the VLANs of each of its zones (classic).
type Pool struct {
	ID    string
	Name  string
	Zones []PoolZone
}

// PoolZone is one zone of a worker pool.
type PoolZone struct {
	Zone        string
	PrivateVLAN string
	PublicVLAN  string
	Workers     int
}

// RegistryFailed is seed 000's symptom "The cluster could not be configured
// with the registry. Make sure that you have the Administrator role for
// Container Registry.", in the cluster's status or a worker's message.
func RegistryFailed(c Cluster, workers []Worker) bool {
	has := func(t string) bool { return strings.Contains(strings.ToLower(t), "configured with the registry") }
	if has(c.Status) {
		return true
	}
	for _, w := range workers {
		if has(w.Message) {
			return true
		}
	}
	return false
}
