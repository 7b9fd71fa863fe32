package facts

import (
	"sort"
	"strings"
	"time"
)

// Keys of the facts the credential, account, infrastructure, network and
// worker checks read.
const (
	KeyWorkers          Key = "workers"
	KeyPools            Key = "worker-pools"
	KeyAPIKeyOwner      Key = "apikey-owner"
	KeyCredentials      Key = "credentials"
	KeyInfraPermissions Key = "infra-permissions"
	KeyUsers            Key = "users"
	KeyOwnerMembership  Key = "owner-membership"
	KeyAccountSettings  Key = "account-settings"
	KeyAccount          Key = "account"
	KeyDevices          Key = "devices"
	KeyVLANs            Key = "vlans"
	KeyVPE              Key = "vpe-gateway"
	KeyOwnerAccess      Key = "owner-access"
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

// Owner is the user whose API key IKS uses for a region and resource group
// (`ibmcloud ks api-key info`).
type Owner struct {
	IAMID string
	Name  string
	Email string
}

// Credentials are the manually set classic infrastructure credentials of a
// region and resource group (`ibmcloud ks credential get`). Set is false on
// IKS error E0051: none are set, so the account's linked infrastructure
// account is used through the API key owner.
type Credentials struct {
	Set           bool
	Region        string
	ResourceGroup string
	APIUser       string // classic username, e.g. 1234567_jane@example.com
}

// Account is the classic infrastructure account these credentials make IKS
// use: the manually set one, else the account linked to the IBM Cloud
// account (linkedIMS). The one place that decides it.
func (c Credentials) Account(linkedIMS string) string {
	if c.Set {
		return c.InfraAccount()
	}
	return linkedIMS
}

// InfraAccount is the classic infrastructure account a username belongs to:
// IBMid-linked classic usernames are "<IMS account id>_<email>".
func (c Credentials) InfraAccount() string {
	for i := 0; i < len(c.APIUser); i++ {
		if c.APIUser[i] == '_' {
			if i > 0 && digits(c.APIUser[:i]) {
				return c.APIUser[:i]
			}
			break
		}
	}
	return ""
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// InfraPermissions is `ibmcloud ks infra-permissions get`: what the
// credentials of a region and resource group lack.
type InfraPermissions struct {
	Account     string // the infrastructure account the credentials reach
	AccountType string // "linked" or "iaas"
	Missing     []MissingPermissions
}

// MissingPermissions of one category (virtual worker, physical worker,
// network, storage) and level (required or recommended).
type MissingPermissions struct {
	Category    string
	Required    bool
	Permissions []string
}

// User is a member of the IBM Cloud account.
type User struct {
	IAMID string
	Email string
	State string // ACTIVE, PENDING, PROCESSING, VPN_ONLY, DISABLED_CLASSIC_INFRASTRUCTURE
}

// AccountSettings are the account's IAM identity settings.
type AccountSettings struct {
	MFA string // NONE, NONE_NO_ROPC, TOTP, TOTP4ALL, LEVEL1, LEVEL2, LEVEL3
	// UserMFA is the per-user MFA setting (`user_mfa`) that overrides MFA
	// for the users it names, by IAM id: an exempted user is not prompted.
	UserMFA map[string]string
	// RestrictUserList is restrict_user_list_visibility: RESTRICTED means a
	// caller without a User Management role sees only part of the user list.
	RestrictUserList string
}

// Membership is what user management says of one user of the account,
// read directly by IAM id (never concluded from a list that may be
// restricted).
type Membership struct {
	Member bool   // false only when user management answered that the user is not a member (404)
	State  string // ACTIVE, PENDING, PROCESSING, VPN_ONLY, DISABLED_CLASSIC_INFRASTRUCTURE …
}

// Account is the IBM Cloud account and its linked classic infrastructure.
type Account struct {
	ID         string
	Type       string // PAYG, SUBSCRIPTION, TRIAL, STANDARD (Lite) …
	IMSAccount string // linked classic infrastructure account, "" when none
	OwnerIAMID string // the account owner, who can read every policy
}

// Device is a classic infrastructure server that backs a worker.
type Device struct {
	ID        string
	Hostname  string
	BareMetal bool
	Account   string // infrastructure account id
}

// Devices are the classic devices found, by infrastructure account: for
// `check`, the cluster's (hostnames holding its ID); for `orphan`, every
// worker device ("kube-…") of every account this session can read. A device
// lives in exactly one account.
type Devices struct {
	Accounts map[string]Searched
}

// Searched is what one infrastructure account showed this session.
type Searched struct {
	ByHost map[string]Device // by hostname, which is the worker id
	// Err is why the account could not be searched; nil when it was.
	Err error
	// Complete is set when the listing holds every device of the account
	// for this caller (the master user, or a user with ACCESS_ALL_GUEST and
	// ACCESS_ALL_HARDWARE): only then is "not found" evidence. Visibility
	// names the permissions this caller lacks for it ("?" when they could
	// not be read).
	Complete   bool
	Visibility string
}

// Find is the device of a worker in whichever account holds it.
func (d Devices) Find(workerID string) (Device, bool) {
	for _, a := range d.Accounts {
		if dev, ok := a.ByHost[workerID]; ok {
			return dev, true
		}
	}
	return Device{}, false
}

// ByCluster groups the device hostnames of every account by the cluster ID
// each carries (ClusterOfWorker); hostnames that carry none are left out.
func (d Devices) ByCluster() map[string][]string {
	out := map[string][]string{}
	for _, a := range d.Accounts {
		for h := range a.ByHost {
			if id := ClusterOfWorker(h); id != "" {
				out[id] = append(out[id], h)
			}
		}
	}
	for _, hs := range out {
		sort.Strings(hs)
	}
	return out
}

// ClusterOfWorker is the cluster ID a classic worker ID carries:
// kube-<clusterID>-<name>-<pool>-<n>, or the older kube-<zone>-cr<clusterID>-w<n>
// (ibm-apis.md §12); "" for anything else.
func ClusterOfWorker(id string) string {
	rest, ok := strings.CutPrefix(id, "kube-")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "-")
	if len(parts) < 2 {
		return ""
	}
	if isZone(parts[0]) && strings.HasPrefix(parts[1], "cr") && len(parts[1]) > 2 {
		return parts[1][2:]
	}
	return parts[0]
}

// isZone: a classic zone name such as dal10 or tok02 (three letters, two
// digits); cluster IDs are 20 or 32 characters.
func isZone(s string) bool {
	if len(s) != 5 {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z'
		digit := r >= '0' && r <= '9'
		if i < 3 && !letter || i >= 3 && !digit {
			return false
		}
	}
	return true
}

// Searchable says whether account was searched with a complete listing, and
// if not, why: the permissions the caller lacks, or the error.
func (d Devices) Searchable(account string) (complete bool, visibility string, err error) {
	a, ok := d.Accounts[account]
	switch {
	case !ok:
		return false, "", &UnreachableAccountError{Op: "softlayer: SoftLayer_Account/getVirtualGuests", Account: account}
	case a.Err != nil:
		return false, "", a.Err
	}
	return a.Complete, a.Visibility, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// VLAN is a classic VLAN that exists in the infrastructure account.
type VLAN struct {
	ID     string // 7 digits: what IKS stores
	Number string // 3–4 digits: what people see in the console
	Zone   string
}

// Gateway is a VPC virtual private endpoint gateway.
type Gateway struct {
	ID     string
	Name   string
	State  string // lifecycle_state: stable, pending, failed, updating …
	Health string
	IPs    []GatewayIP
}

// GatewayIP is a reserved IP of a gateway.
type GatewayIP struct {
	Address  string
	SubnetID string
	Zone     string // the zone of its subnet; "" when it could not be read
}

// VPE is the lookup of a cluster's gateway "iks-<cluster ID>"; Gateway is nil
// when the region has none with that name. Its reserved IPs carry the zone
// of their subnet, read from the region's subnets.
type VPE struct {
	Gateway *Gateway
}

// VLANs are the VLANs of each classic infrastructure account this session
// can read, and why the others could not be.
type VLANs struct {
	Accounts map[string][]VLAN
	Errs     map[string]error
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

// Access is the IAM access policies that grant the API key owner something,
// directly or through access groups (dynamic memberships included). IAM
// answers a caller who may not read policies with an empty list, so a role
// missing from Policies is evidence only when Complete.
type Access struct {
	Policies []Policy
	// Complete is set when this caller can read every policy of the owner:
	// it is the owner or the account owner.
	Complete bool
}

// Policy is one access policy, as its resource attributes name it.
type Policy struct {
	Roles           []string // role CRNs' last part: Administrator, Editor, …
	ServiceName     string   // "" with ServiceType "service": all IAM-enabled services
	ServiceType     string   // "service", or "platform_service" (all Account Management services)
	Region          string
	ResourceGroupID string
	Instance        string // serviceInstance: one cluster
	Group           string // the access group it comes from, "" when direct
}
