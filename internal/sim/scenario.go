package sim

import "time"

// Scenario is one simulated IBM Cloud world. The YAML schema is documented in
// docs/scenario.md; field names below are the YAML keys.
type Scenario struct {
	Description string `yaml:"description"`
	// Canary is a secret string planted so tests can grep output and
	// archives for it: it must never appear anywhere.
	Canary  string  `yaml:"canary"`
	Account Account `yaml:"account"`
	// OtherAccounts are further IBM Cloud accounts some users belong to
	// (`ibmcloud account list`); a token can be bound to them with the
	// refresh grant's account parameter (`ibmcloud target -c`).
	OtherAccounts  []OtherAccount    `yaml:"otherAccounts"`
	Users          []User            `yaml:"users"`
	ResourceGroups []ResourceGroup   `yaml:"resourceGroups"`
	AccessGroups   []AccessGroup     `yaml:"accessGroups"`
	Session        Session           `yaml:"session"`
	APIKeys        []ClusterAPIKey   `yaml:"apiKeys"`     // IKS API key per region + resource group
	Credentials    []InfraCredential `yaml:"credentials"` // `ibmcloud ks credential set` per region + group
	InfraAccounts  []InfraAccount    `yaml:"infraAccounts"`
	Clusters       []Cluster         `yaml:"clusters"`
	VPCs           []VPC             `yaml:"vpcs"`
	Wire           Wire              `yaml:"wire"`
	// Versions is `ibmcloud ks versions`; nil = derived (kube_scenario.go).
	Versions *Versions `yaml:"versions"`

	// File is where the scenario came from ("scenarios/NAME.yaml" for a
	// bundled one); error messages name it.
	File string `yaml:"-"`
}

// Account is the IBM Cloud (BSS) account the session is logged in to.
type Account struct {
	ID    string `yaml:"id"`    // 32 hex digits
	Name  string `yaml:"name"`  // e.g. "ACME Corp"
	Owner string `yaml:"owner"` // e-mail of one of Users
	Type  string `yaml:"type"`  // PAYG, SUBSCRIPTION, TRIAL, LITE or STANDARD (the Lite type)
	// IMSAccount is the linked classic infrastructure account number
	// (token claim account.ims); empty when none is linked.
	IMSAccount string `yaml:"imsAccount"`
	MFA        string `yaml:"mfa"` // IAM account setting: NONE, TOTP, TOTP4ALL ... default NONE
	// RestrictUserListVisibility is the IAM account setting
	// restrict_user_list_visibility: RESTRICTED or NOT_RESTRICTED (default).
	// Restricted, a caller without a User Management role (users[].limited:
	// users) lists only itself.
	RestrictUserListVisibility string `yaml:"restrictUserListVisibility"`
	// UserMFA is the IAM account setting user_mfa: users exempted from the
	// account's mfa or given their own level.
	UserMFA []UserMFA `yaml:"userMfa"`
}

// UserMFA is one user_mfa entry of the IAM account settings.
type UserMFA struct {
	User string `yaml:"user"` // e-mail or IAM id of one of Users
	MFA  string `yaml:"mfa"`  // NONE, NONE_NO_ROPC, TOTP ... (an mfa value)
}

// OtherAccount is another IBM Cloud account that some users belong to. It
// has no clusters, groups or policies of its own in the simulator: it
// exists so that a token bound to it reaches its linked infrastructure.
type OtherAccount struct {
	ID         string   `yaml:"id"` // 32 hex digits
	Name       string   `yaml:"name"`
	Owner      string   `yaml:"owner"` // e-mail, free text
	Type       string   `yaml:"type"`  // default SUBSCRIPTION
	IMSAccount string   `yaml:"imsAccount"`
	MFA        string   `yaml:"mfa"`
	Members    []string `yaml:"members"` // e-mails or IAM ids of users; default the session user
}

// User is a member of the account.
type User struct {
	IAMID     string `yaml:"iamId"` // e.g. IBMid-550006ABCD
	Email     string `yaml:"email"`
	Name      string `yaml:"name"`      // full name; given/family names are split from it
	State     string `yaml:"state"`     // user-management state, default ACTIVE
	IMSUserID int64  `yaml:"imsUserId"` // linked classic user id, 0 if none
	// APIKeys are secret values that log this user in through the apikey grant.
	APIKeys []string `yaml:"apiKeys"`
	// Removed users are no longer members of the account: user management
	// does not list them, but what IKS recorded about them (the API key
	// owner) still names them.
	Removed bool `yaml:"removed"`
	// Denied names reads that fail with 403 for this caller (see Denials).
	Denied []string `yaml:"denied"`
	// Limited names reads this caller holds no role for, which IBM answers
	// with 200 and a partial or empty list (see Limits).
	Limited  []string `yaml:"limited"`
	Policies []Policy `yaml:"policies"` // direct IAM access policies
}

// Policy is one IAM access policy: roles on a service, optionally narrowed.
type Policy struct {
	Roles   []string `yaml:"roles"`   // Administrator, Operator, Editor, Viewer, Manager, Writer, Reader
	Service string   `yaml:"service"` // serviceName, e.g. containers-kubernetes; "" = all IAM-enabled services
	// ServiceType without a Service: service (default, "All IAM services")
	// or platform_service ("All Account Management services").
	ServiceType   string `yaml:"serviceType"`
	Region        string `yaml:"region"`        // "" = all regions
	ResourceGroup string `yaml:"resourceGroup"` // group name, "" = all groups
	Cluster       string `yaml:"cluster"`       // serviceInstance (cluster id), "" = all
}

// AccessGroup is an IAM access group with its members and policies.
type AccessGroup struct {
	ID          string   `yaml:"id"` // default AccessGroupId-<uuid derived from the name>
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Members     []string `yaml:"members"` // e-mails or IAM ids of users
	// DynamicMembers belong through a dynamic rule (federated users): listed
	// by GET /v2/groups?iam_id= only with membership_type=all (or dynamic).
	DynamicMembers []string `yaml:"dynamicMembers"`
	Policies       []Policy `yaml:"policies"`
}

// ResourceGroup is a resource group of the account.
type ResourceGroup struct {
	ID        string `yaml:"id"` // 32 hex digits
	Name      string `yaml:"name"`
	Default   bool   `yaml:"default"`
	QuotaID   string `yaml:"quotaId"`
	CreatedAt string `yaml:"createdAt"`
}

// Session is the `ibmcloud login` + `ibmcloud target` state that
// WriteSession writes by default.
type Session struct {
	User          string        `yaml:"user"`          // e-mail or IAM id of one of Users
	APIKey        string        `yaml:"apiKey"`        // secret; also accepted by the apikey grant
	Region        string        `yaml:"region"`        // "" = no region targeted
	ResourceGroup string        `yaml:"resourceGroup"` // group name, "" = none targeted
	Locale        string        `yaml:"locale"`        // e.g. en_US, ja_JP
	TokenLifetime time.Duration `yaml:"tokenLifetime"` // access token lifetime, default 1h
	// Kubeconfig names the cluster whose kubeconfig context is current in
	// <home>/.kube/config; "" writes none. Kubectl is the version of the
	// kubectl in <home>/bin (e.g. v1.31.2); "" = not installed.
	Kubeconfig string `yaml:"kubeconfig"`
	Kubectl    string `yaml:"kubectl"`
	// KubeconfigAuth is how the kubeconfig's user signs in: "oidc" (the
	// default; what `ibmcloud ks cluster config` writes: IAM's id-token
	// and refresh-token under the oidc auth provider), "oidc-expired" (the
	// same an hour later, when the id-token has expired and only a refresh
	// would get another), or "token" (a static bearer token, as `oc login`
	// leaves for OpenShift).
	KubeconfigAuth string `yaml:"kubeconfigAuth"`
}

// KubeconfigAuths are the values of session.kubeconfigAuth.
var KubeconfigAuths = []string{"oidc", "oidc-expired", "token"}

// ClusterAPIKey is the API key IKS keeps per region and resource group
// (`ibmcloud ks api-key info`, `api-key reset`): its owner's permissions are
// what IKS acts with.
type ClusterAPIKey struct {
	Region        string `yaml:"region"`
	ResourceGroup string `yaml:"resourceGroup"` // group name
	Owner         string `yaml:"owner"`         // e-mail or IAM id of one of Users
	ID            string `yaml:"id"`            // default ApiKey-<uuid derived from region and group>
	Value         string `yaml:"value"`         // secret, optional: makes the key resolvable by value
	CreatedAt     string `yaml:"createdAt"`     // default 2024-05-14T08:20+0000
}

// InfraCredential is a manually set classic infrastructure credential
// (`ibmcloud ks credential set classic`) for one region and resource group.
type InfraCredential struct {
	Region        string `yaml:"region"`
	ResourceGroup string `yaml:"resourceGroup"` // group name
	Username      string `yaml:"username"`      // a user of one of InfraAccounts
	// APIKey is the infrastructure API key that was set (secret); default
	// the infrastructure user's first API key.
	APIKey string `yaml:"apiKey"`
}

// InfraAccount is a classic infrastructure (SoftLayer / IMS) account.
type InfraAccount struct {
	ID        string `yaml:"id"`   // account number, 5-8 digits
	Name      string `yaml:"name"` // companyName
	Email     string `yaml:"email"`
	Suspended bool   `yaml:"suspended"` // accountStatus Suspended instead of Active
	// LinkedAccount is the IBM Cloud account linked to it; derived from
	// the accounts' imsAccount, never written.
	LinkedAccount string      `yaml:"-"`
	Users         []InfraUser `yaml:"users"`
	VirtualGuests []Device    `yaml:"virtualGuests"`
	Hardware      []Device    `yaml:"hardware"`
	VLANs         []VLAN      `yaml:"vlans"`
}

// InfraUser is a user of a classic infrastructure account.
type InfraUser struct {
	ID       int64    `yaml:"id"`       // default derived from the username
	Username string   `yaml:"username"` // <account>_<email> for IBMid-linked users
	Email    string   `yaml:"email"`
	IAMID    string   `yaml:"iamId"` // the linked IBMid, "" for a classic-only user
	Name     string   `yaml:"name"`
	Status   string   `yaml:"status"` // ACTIVE, DISABLED, INACTIVE, VPN_ONLY, CANCEL_PENDING; default ACTIVE
	Master   bool     `yaml:"master"`
	APIKeys  []string `yaml:"apiKeys"` // secrets for HTTP Basic username:apikey
	// Permissions are keyNames (SERVER_ADD ...). Omitted means every
	// permission ks-doctor knows of; [] means none.
	Permissions []string `yaml:"permissions"`
	// Devices are the virtual guests and bare-metal servers (hostname or
	// id) granted to a user who is neither the master user nor holds
	// ACCESS_ALL_GUEST / ACCESS_ALL_HARDWARE: the only ones it sees
	// (slvisibility.go).
	Devices []string `yaml:"devices"`
}

// Device is a virtual guest or bare-metal server.
type Device struct {
	ID               int64  `yaml:"id"`
	Hostname         string `yaml:"hostname"`
	Domain           string `yaml:"domain"`    // default iks.ibm
	PrivateIP        string `yaml:"privateIP"` // primaryBackendIpAddress
	PublicIP         string `yaml:"publicIP"`  // primaryIpAddress
	Datacenter       string `yaml:"datacenter"`
	Status           string `yaml:"status"`     // ACTIVE ... default ACTIVE
	PowerState       string `yaml:"powerState"` // RUNNING, HALTED; default RUNNING
	ProvisionDate    string `yaml:"provisionDate"`
	GlobalIdentifier string `yaml:"globalIdentifier"` // default derived
	PrivateVlan      string `yaml:"privateVlan"`
	PublicVlan       string `yaml:"publicVlan"`
}

// VLAN is a classic network VLAN.
type VLAN struct {
	ID           int64  `yaml:"id"`         // 7 digits, the id IKS uses
	Number       int    `yaml:"vlanNumber"` // 3-4 digits, what the router calls it
	Name         string `yaml:"name"`
	NetworkSpace string `yaml:"networkSpace"` // PRIVATE or PUBLIC
	Datacenter   string `yaml:"datacenter"`
	Router       string `yaml:"router"` // default bcr01a.<dc> / fcr01a.<dc>
}

// Cluster is an IKS cluster.
type Cluster struct {
	ID       string `yaml:"id"` // 20 lowercase letters/digits (32 hex for old clusters)
	Name     string `yaml:"name"`
	Provider string `yaml:"provider"` // classic, vpc-gen2, vpc-classic or satellite
	// Type is kubernetes (default) or openshift (Red Hat OpenShift on IBM
	// Cloud); an OpenShift cluster's default version is 4.16.12_1545_openshift.
	Type          string       `yaml:"type"`
	Region        string       `yaml:"region"`
	Location      string       `yaml:"location"`      // metro, e.g. Dallas
	Datacenter    string       `yaml:"datacenter"`    // e.g. dal10 (classic) or us-south-1
	ResourceGroup string       `yaml:"resourceGroup"` // group name
	State         string       `yaml:"state"`         // default normal
	Status        string       `yaml:"status"`        // default "All Workers Normal"
	Master        Master       `yaml:"master"`
	KubeVersion   string       `yaml:"kubeVersion"` // default 1.30.4_1532
	CreatedDate   string       `yaml:"createdDate"` // 2006-01-02T15:04:05-0700
	Workers       []Worker     `yaml:"workers"`
	WorkerPools   []WorkerPool `yaml:"workerPools"` // default derived from the workers
	// TargetVersion (default kubeVersion) and VersionEOS (default none)
	// are the master's; Kube is what its own API shows (kube_scenario.go).
	TargetVersion string   `yaml:"targetVersion"`
	VersionEOS    string   `yaml:"versionEOS"`
	Kube          *KubeAPI `yaml:"kube"`
}

// Master is the cluster master's lifecycle (v1 top level, v2 `lifecycle`).
type Master struct {
	State  string `yaml:"state"`  // default deployed
	Status string `yaml:"status"` // default Ready
	Health string `yaml:"health"` // default normal
}

// Worker is a worker node. State/Status are what `ibmcloud ks worker ls`
// shows (v1 state/status, v2 health.state/health.message); Message is the
// error text (v1 errorMessage, v2 lifecycle.message).
type Worker struct {
	ID          string `yaml:"id"`
	State       string `yaml:"state"`  // default normal
	Status      string `yaml:"status"` // default Ready
	Message     string `yaml:"message"`
	StatusDate  string `yaml:"statusDate"` // when state/message last changed, IKS date format
	PrivateIP   string `yaml:"privateIP"`
	PublicIP    string `yaml:"publicIP"`
	PrivateVlan string `yaml:"privateVlan"`
	PublicVlan  string `yaml:"publicVlan"`
	Location    string `yaml:"location"` // datacenter or zone
	PoolName    string `yaml:"poolName"` // default "default"
	Flavor      string `yaml:"flavor"`   // default b3c.4x16
	KubeVersion string `yaml:"kubeVersion"`
	Deleted     bool   `yaml:"deleted"` // only listed with showDeleted=true
	// InfraAccount is the classic account that holds the worker's device:
	// default the linked account (classic, not deleted), "none" for no
	// device anywhere. VPC workers never have one.
	InfraAccount string `yaml:"infraAccount"`
	DeviceID     int64  `yaml:"deviceId"`  // default derived from the worker id
	BareMetal    bool   `yaml:"bareMetal"` // the device is hardware, not a virtual guest

	// TargetVersion is what an update brings; default the cluster's kubeVersion.
	TargetVersion string `yaml:"targetVersion"`
}

// WorkerPool is a worker pool with its zones.
type WorkerPool struct {
	Name        string     `yaml:"name"`
	Flavor      string     `yaml:"flavor"`      // default the first worker's, else b3c.4x16
	SizePerZone int        `yaml:"sizePerZone"` // default the most workers in one zone
	Zones       []PoolZone `yaml:"zones"`
}

// PoolZone is one zone of a worker pool; classic zones carry VLAN ids.
type PoolZone struct {
	ID          string `yaml:"id"`
	PrivateVlan string `yaml:"privateVlan"`
	PublicVlan  string `yaml:"publicVlan"`
}

// VPC is a VPC with its subnets and endpoint gateways, served at
// /vpc/{region}/v1.
type VPC struct {
	ID               string            `yaml:"id"` // default r<NNN>-<uuid derived from the name>
	Name             string            `yaml:"name"`
	Region           string            `yaml:"region"`
	ResourceGroup    string            `yaml:"resourceGroup"` // group name
	Subnets          []Subnet          `yaml:"subnets"`
	EndpointGateways []EndpointGateway `yaml:"endpointGateways"`
}

// Subnet is a VPC subnet.
type Subnet struct {
	ID          string       `yaml:"id"` // default <zone prefix>-<uuid derived from the name>
	Name        string       `yaml:"name"`
	Zone        string       `yaml:"zone"` // e.g. eu-de-1
	CIDR        string       `yaml:"cidr"`
	ReservedIPs []ReservedIP `yaml:"reservedIPs"` // besides the gateways' IPs, which are added
}

// ReservedIP is a reserved IP of a subnet.
type ReservedIP struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Address string `yaml:"address"`
	Owner   string `yaml:"owner"` // user or provider; default user
	// Gateway is the endpoint gateway the IP is bound to (derived from the
	// gateway's ips, never written).
	Gateway string `yaml:"-"`
}

// EndpointGateway is a VPE gateway; IKS names its own iks-<cluster ID>.
type EndpointGateway struct {
	ID        string      `yaml:"id"`
	Name      string      `yaml:"name"`    // default iks-<cluster>
	Cluster   string      `yaml:"cluster"` // the target cluster id
	State     string      `yaml:"state"`   // lifecycle_state, default stable
	Health    string      `yaml:"health"`  // health_state, default derived from state
	IPs       []GatewayIP `yaml:"ips"`
	CreatedAt string      `yaml:"createdAt"`
}

// GatewayIP is one reserved IP an endpoint gateway holds.
type GatewayIP struct {
	Subnet  string `yaml:"subnet"` // subnet name or id
	Address string `yaml:"address"`
	Name    string `yaml:"name"`
}

// Wire holds per-scenario wire-format choices where the sources disagree.
type Wire struct {
	// PoolZoneVlanKeys is the key case of worker-pool zone VLANs:
	// privateVlan (bluemix-go, default) or privateVLAN (the Go SDK).
	PoolZoneVlanKeys string `yaml:"poolZoneVlanKeys"`
	// SoftLayerPageOrder is the order of a SoftLayer list without an
	// orderBy in its objectFilter: stable (default) or unordered, a
	// different permutation for each resultLimit offset (slpaging.go).
	SoftLayerPageOrder string `yaml:"softlayerPageOrder"`
	// SoftLayerMaxResultLimit cuts a larger resultLimit limit to this many
	// items per page; 0 = no maximum.
	SoftLayerMaxResultLimit int `yaml:"softlayerMaxResultLimit"`
	// PolicyPageSize is the default page of GET /v1/policies and
	// /v2/policies without limit (default 50 [I]).
	PolicyPageSize int `yaml:"policyPageSize"`
	// AccessGroupPageSize is the default page of GET /v2/groups without
	// limit (default 50 [I]).
	AccessGroupPageSize int `yaml:"accessGroupPageSize"`
	// AccountPageSize pages GET /coe/v2/accounts with next_url; 0 = every
	// account on one page.
	AccountPageSize int `yaml:"accountPageSize"`
}
