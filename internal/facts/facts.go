// Package facts is the plain data ks-doctor reads from IBM Cloud before it
// judges anything. Each slot holds a value or the error that stopped its read,
// so a check can tell "the API said no" from "we could not ask".
package facts

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Key names one kind of fact; checks declare the keys they need and the
// collector reads the union, once.
type Key string

const (
	KeyCluster        Key = "cluster"
	KeyResourceGroups Key = "resource-groups"
)

// Slot is one read: its value, or the error that stopped it. Loaded is false
// when no selected check asked for it.
type Slot[T any] struct {
	Value  T
	Err    error
	Loaded bool
	Took   time.Duration
}

// Set is everything one run read.
type Set struct {
	Now            time.Time // when the run started: "stuck" states are judged by age
	Session        Session
	ClusterQuery   string // what the user typed after -c, name or id
	Cluster        Slot[Cluster]
	ResourceGroups Slot[[]ResourceGroup]

	Workers          Slot[[]Worker]
	Pools            Slot[[]Pool]
	APIKeyOwner      Slot[Owner]
	Credentials      Slot[Credentials]
	InfraPermissions Slot[InfraPermissions]
	Users            Slot[[]User]
	AccountSettings  Slot[AccountSettings]
	Account          Slot[Account]
	Devices          Slot[Devices]
	VLANs            Slot[VLANs]
	VPE              Slot[VPE]
	OwnerAccess      Slot[Access]
	OwnerMembership  Slot[Membership]
	Versions         Slot[SupportedVersions]
	Kubectl          Slot[Kubectl]
	Nodes            Slot[[]Node]
	CalicoNodes      Slot[CalicoNodes]
}

// Session is what the `ibmcloud login` / `ibmcloud target` session says. It is
// read from the CLI's config without any network call.
type Session struct {
	UserEmail     string
	IAMID         string
	AccountID     string
	AccountName   string
	IMSAccountID  string         // the linked classic infrastructure account, from the token
	Region        string         // "" when no region is targeted
	ResourceGroup *ResourceGroup // nil when no resource group is targeted
	ServiceID     bool           // logged in with a service ID API key
	Profile       bool           // logged in as a trusted profile
	Refreshed     bool           // the access token had expired and was refreshed
	Private       bool           // private endpoints are in use
}

// ResourceGroup is an IBM Cloud resource group.
type ResourceGroup struct {
	ID      string
	Name    string
	Default bool
}

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

// ReadError describes a read that failed, in terms a finding can show: which
// call, the HTTP status and the service's own error code and message.
type ReadError struct {
	Op       string // e.g. "ibmcloud ks cluster get"
	Status   int    // HTTP status, 0 when no answer came back
	Code     string // service error code, e.g. G0004
	Message  string
	Incident string
	Err      error
}

func (e *ReadError) Error() string {
	switch {
	case e.Status != 0 && e.Code != "":
		return fmt.Sprintf("%s: HTTP %d %s: %s", e.Op, e.Status, e.Code, e.Message)
	case e.Status != 0:
		return fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, e.Message)
	default:
		return fmt.Sprintf("%s: %s", e.Op, e.Message)
	}
}

func (e *ReadError) Unwrap() error { return e.Err }

// DependencyError is the error of a read that was not attempted because a
// read it needs failed; checks report it as skipped, not unknown.
type DependencyError struct {
	Needs Key
	Err   error
}

func (e *DependencyError) Error() string {
	return fmt.Sprintf("needs %s, which could not be read: %v", e.Needs, e.Err)
}
func (e *DependencyError) Unwrap() error { return e.Err }

// ErrClusterNotFound marks a cluster lookup that found nothing.
var ErrClusterNotFound = errors.New("cluster not found")

// Unauthorized reports whether err is an HTTP 401 from a service: the session
// token was refused even after a refresh.
func Unauthorized(err error) bool {
	var re *ReadError
	return errors.As(err, &re) && re.Status == 401
}

// InternalError is a read that panicked: a bug, or an answer ks-doctor did
// not foresee. Its finding is unknown and asks for a report; the stack is
// not kept, so nothing of the answer leaks into output.
type InternalError struct{ Panic string }

func (e *InternalError) Error() string { return "internal error: " + e.Panic }

// NotVisibleError is a read whose answer this caller may only see in part:
// what it was, and the access that would let ks-doctor decide.
type NotVisibleError struct {
	Op     string // the read
	Access string // the access that would make it complete: "user-management"
}

func (e *NotVisibleError) Error() string {
	return e.Op + ": the answer may be partial for this caller; " + e.Access + " would let ks-doctor decide"
}

// UnreachableAccountError is a classic infrastructure account this session
// holds no way into (no token or credentials open it), so nothing of it was
// read: what it holds is unknown, not absent.
type UnreachableAccountError struct {
	Op      string // the read that was not made
	Account string // "" when the credentials' account itself is not known
}

func (e *UnreachableAccountError) Error() string {
	return e.Op + ": infrastructure account " + orUnknown(e.Account) + " cannot be read with this session"
}

// Complete reports whether the read behind k answered in full for this
// caller: read without error and, for the listings that IBM Cloud trims to
// what a caller may see, known to hold everything. Findings carry it as
// their evidence.
func (s *Set) Complete(k Key) bool {
	switch k {
	case KeyDevices:
		if s.Devices.Err != nil || s.Credentials.Err != nil {
			return false
		}
		complete, _, err := s.Devices.Value.Searchable(s.Credentials.Value.Account(s.Session.IMSAccountID))
		return complete && err == nil
	case KeyOwnerAccess:
		return s.OwnerAccess.Err == nil && s.OwnerAccess.Value.Complete
	case KeyUsers:
		return s.Users.Err == nil && s.AccountSettings.Err == nil && s.AccountSettings.Loaded &&
			s.AccountSettings.Value.RestrictUserList != "RESTRICTED"
	}
	return s.err(k) == nil
}
