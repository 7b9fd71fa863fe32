package facts

import (
	"strings"
	"time"
)

// Cluster is what ks-doctor needs to know of one IKS cluster.
type Cluster struct {
	ID                string
	Name              string
	Provider          string // classic, vpc-gen2, vpc-classic, satellite
	Type              string // kubernetes or openshift (Red Hat OpenShift on IBM Cloud)
	Version           string // masterKubeVersion: 1.30.4_1532, 4.16.12_1545_openshift
	TargetVersion     string // targetVersion: what the master is updated to
	VersionEOS        string // versionEOS: end of support of the master's version, "" if none
	Region            string
	Location          string
	ResourceGroupID   string
	ResourceGroupName string
	State             string
	Status            string
	MasterState       string
	MasterStatus      string
	MasterHealth      string
	CreatedDate       string    // as IKS wrote it, for reports
	Created           time.Time // parsed; zero when IKS gave none
	// WorkerCount is the cluster listing's count of its (live) workers;
	// -1 when the listing did not say.
	WorkerCount int
}

// Where a cluster's workers run, from its provider.
const (
	InfraClassic   = "classic"
	InfraVPC       = "vpc"
	InfraSatellite = "satellite"
)

// Infrastructure is where the cluster's workers run: InfraClassic,
// InfraVPC or InfraSatellite (workers on the customer's own hosts in a
// Satellite location), else the provider as IKS wrote it. This is the one
// place that reads it from the provider; OpenShift clusters run on the same
// three.
func (c Cluster) Infrastructure() string {
	switch p := strings.ToLower(c.Provider); {
	case p == "" || p == "classic":
		return InfraClassic
	case strings.HasPrefix(p, "vpc"):
		return InfraVPC
	default:
		return p
	}
}

// OpenShift reports a Red Hat OpenShift on IBM Cloud cluster: the same API,
// runbooks and `ibmcloud ks` commands (`ibmcloud oc` is its alias).
func (c Cluster) OpenShift() bool { return strings.EqualFold(c.Type, "openshift") }
