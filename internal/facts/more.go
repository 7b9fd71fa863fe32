package facts

import "time"

// Keys of the facts the credential, account, infrastructure, network and
// worker checks read.
const (
	KeyWorkers          Key = "workers"
	KeyPools            Key = "worker-pools"
	KeyAPIKeyOwner      Key = "apikey-owner"
	KeyCredentials      Key = "credentials"
	KeyInfraPermissions Key = "infra-permissions"
	KeyUsers            Key = "users"
	KeyAccountSettings  Key = "account-settings"
	KeyAccount          Key = "account"
	KeyDevices          Key = "devices"
	KeyVLANs            Key = "vlans"
	KeyVPE              Key = "vpe-gateway"
	KeyOwnerRoles       Key = "owner-roles"
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
}

// Account is the IBM Cloud account and its linked classic infrastructure.
type Account struct {
	ID         string
	Type       string // PAYG, SUBSCRIPTION, TRIAL, LITE …
	IMSAccount string // linked classic infrastructure account, "" when none
}

// Device is a classic infrastructure server that backs a worker.
type Device struct {
	ID        string
	Hostname  string
	BareMetal bool
	PrivateIP string
	Account   string // infrastructure account id
}

// Devices is where the cluster's classic workers were found.
type Devices struct {
	// Account is the infrastructure account the current credentials reach.
	Account string
	// Found maps worker id to its device in Account.
	Found map[string]Device
	// Elsewhere maps worker id to the device found in another infrastructure
	// account that ks-doctor could read.
	Elsewhere map[string]Device
	// Unreadable is why Account itself could not be searched (for example
	// credentials set manually for an account ks-doctor has no access to);
	// nil when it was.
	Unreadable error
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
}

// VPE is the lookup of a cluster's gateway "iks-<cluster ID>"; Gateway is nil
// when the region has none with that name.
type VPE struct {
	Gateway       *Gateway
	WorkerSubnets []string // subnets the cluster's workers use
}

// Roles are the IAM platform roles the API key owner holds.
type Roles struct {
	KubernetesAdmin bool // Administrator on containers-kubernetes
	RegistryAdmin   bool // Administrator on container-registry
}
