package facts

import "time"

// The keys of every fact ks-doctor reads. Each is one entry of table below;
// keys_test.go fails for a key without one.
const (
	KeyCluster        Key = "cluster"         // IKS: `ibmcloud ks cluster get`
	KeyResourceGroups Key = "resource-groups" // `ibmcloud resource groups`

	KeyWorkers          Key = "workers"           // `ibmcloud ks worker ls --show-deleted`
	KeyPools            Key = "worker-pools"      // `ibmcloud ks worker-pool ls`, with each pool's zones
	KeyAPIKeyOwner      Key = "apikey-owner"      // `ibmcloud ks api-key info`
	KeyCredentials      Key = "credentials"       // `ibmcloud ks credential get`, the cluster's region and group
	KeyInfraPermissions Key = "infra-permissions" // `ibmcloud ks infra-permissions get`, the same scope
	KeyUsers            Key = "users"             // `ibmcloud account users`
	KeyOwnerMembership  Key = "owner-membership"  // the API key owner's own user record
	KeyAccountSettings  Key = "account-settings"  // IAM identity account settings (MFA, user list visibility)
	KeyAccount          Key = "account"           // `ibmcloud account show`
	KeyDevices          Key = "devices"           // classic infrastructure: the devices of the cluster's workers
	KeyVLANs            Key = "vlans"             // classic infrastructure: the account's VLANs
	KeyVPE              Key = "vpe-gateway"       // VPC: the cluster's virtual private endpoint gateway
	KeyOwnerAccess      Key = "owner-access"      // IAM: the API key owner's access policies

	KeyVersions    Key = "versions"     // IKS: `ibmcloud ks versions`
	KeyKubectl     Key = "kubectl"      // this machine: `kubectl version --client`
	KeyNodes       Key = "nodes"        // the cluster's API: `kubectl get nodes`
	KeyCalicoNodes Key = "calico-nodes" // the cluster's API: `calicoctl get nodes`

	// The targeted region and resource group's credentials and permissions
	// when they are not the cluster's (Set.Target): what `gather` adds.
	KeyTargetCredentials      Key = "target-credentials"
	KeyTargetInfraPermissions Key = "target-infra-permissions"
)

// Set is everything one run read. Each Slot field is the slot of exactly
// one key of the table below (keys_test.go holds them to each other): a
// new key is its constant above, its field here and its entry below.
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

	// The targeted region and resource group's, read only when they are
	// not the cluster's (Set.Target): what `gather` adds to the archive.
	TargetCredentials      Slot[Credentials]
	TargetInfraPermissions Slot[InfraPermissions]
}

// table is every fact ks-doctor reads, one entry per key: what the read
// waits for, whether it needs a cluster, the Source method that reads it
// and the Set field it fills. The collector, the routing of a failed
// dependency into the dependent's slot, the create-scope filter, Loaded,
// Took and Complete all read it; nothing else names a key's field.
var table = []entry{
	{key: KeyCluster, cluster: true,
		fact: bind(func(s *Set) *Slot[Cluster] { return &s.Cluster },
			func(r *run) (Cluster, error) { return r.src.Cluster(r.ctx, r.set.ClusterQuery) })},
	{key: KeyResourceGroups,
		fact: bind(func(s *Set) *Slot[[]ResourceGroup] { return &s.ResourceGroups },
			func(r *run) ([]ResourceGroup, error) { return r.src.ResourceGroups(r.ctx, r.set.Session.AccountID) })},
	{key: KeyWorkers, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[[]Worker] { return &s.Workers },
			func(r *run) ([]Worker, error) { return r.src.Workers(r.ctx, r.set.Cluster.Value) })},
	{key: KeyPools, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[[]Pool] { return &s.Pools },
			func(r *run) ([]Pool, error) { return r.src.Pools(r.ctx, r.set.Cluster.Value) })},
	{key: KeyAPIKeyOwner, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[Owner] { return &s.APIKeyOwner },
			func(r *run) (Owner, error) { return r.src.APIKeyOwner(r.ctx, r.set.Cluster.Value) })},
	// Without a cluster, credentials and permissions are the target's.
	{key: KeyCredentials, needs: []Key{KeyCluster},
		fact: bind(func(s *Set) *Slot[Credentials] { return &s.Credentials },
			func(r *run) (Credentials, error) {
				region, group := r.set.credentialsScope()
				return r.src.Credentials(r.ctx, region, group)
			})},
	{key: KeyInfraPermissions, needs: []Key{KeyCluster},
		fact: bind(func(s *Set) *Slot[InfraPermissions] { return &s.InfraPermissions },
			func(r *run) (InfraPermissions, error) {
				region, group := r.set.credentialsScope()
				return r.src.InfraPermissions(r.ctx, region, group)
			})},
	{key: KeyUsers, complete: usersComplete,
		fact: bind(func(s *Set) *Slot[[]User] { return &s.Users },
			func(r *run) ([]User, error) { return r.src.Users(r.ctx, r.set.Session.AccountID) })},
	{key: KeyAccountSettings,
		fact: bind(func(s *Set) *Slot[AccountSettings] { return &s.AccountSettings },
			func(r *run) (AccountSettings, error) { return r.src.AccountSettings(r.ctx, r.set.Session.AccountID) })},
	{key: KeyAccount,
		fact: bind(func(s *Set) *Slot[Account] { return &s.Account },
			func(r *run) (Account, error) { return r.src.Account(r.ctx, r.set.Session) })},
	{key: KeyDevices, needs: []Key{KeyCluster}, cluster: true, complete: devicesComplete,
		fact: bind(func(s *Set) *Slot[Devices] { return &s.Devices },
			func(r *run) (Devices, error) {
				return r.src.Devices(r.ctx, r.set.Cluster.Value, r.set.Session.IMSAccountID)
			})},
	{key: KeyVLANs,
		fact: bind(func(s *Set) *Slot[VLANs] { return &s.VLANs },
			func(r *run) (VLANs, error) { return r.src.VLANs(r.ctx, r.set.Session.IMSAccountID) })},
	{key: KeyVPE, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[VPE] { return &s.VPE },
			func(r *run) (VPE, error) { return r.src.VPE(r.ctx, r.set.Cluster.Value) })},
	// The owner's policies decide two things: a VPC cluster's Administrator
	// role, and Container Registry's role after a registry configuration
	// failure; elsewhere they are not read. A VPC cluster's are read
	// whatever its workers say: the workers matter only to spot a registry
	// failure on the others.
	{key: KeyOwnerAccess, cluster: true, complete: ownerAccessComplete,
		needs: []Key{KeyAPIKeyOwner, KeyAccount, KeyWorkers}, optional: []Key{KeyAccount, KeyWorkers},
		needless: map[Key]func(*Set) bool{KeyWorkers: vpc},
		when:     func(s *Set) bool { return vpc(s) || RegistryFailed(s.Cluster.Value, s.Workers.Value) },
		fact: bind(func(s *Set) *Slot[Access] { return &s.OwnerAccess },
			func(r *run) (Access, error) {
				return r.src.OwnerAccess(r.ctx, r.set.Session, r.set.Account.Value.OwnerIAMID, r.set.APIKeyOwner.Value)
			})},
	// Membership is read from the user list when it can tell, else from the
	// owner's own record: the list and the settings may fail.
	{key: KeyOwnerMembership, cluster: true,
		needs: []Key{KeyAPIKeyOwner, KeyUsers, KeyAccountSettings}, optional: []Key{KeyUsers, KeyAccountSettings},
		fact: bind(func(s *Set) *Slot[Membership] { return &s.OwnerMembership },
			func(r *run) (Membership, error) {
				s := r.set
				var settings *AccountSettings
				if s.AccountSettings.Err == nil {
					settings = &s.AccountSettings.Value
				}
				users := s.Users.Value
				if s.Users.Err != nil {
					users = nil
				}
				return r.src.OwnerMembership(r.ctx, s.Session.AccountID, s.APIKeyOwner.Value, users, settings)
			})},
	{key: KeyVersions, cluster: true,
		fact: bind(func(s *Set) *Slot[SupportedVersions] { return &s.Versions },
			func(r *run) (SupportedVersions, error) { return r.src.Versions(r.ctx) })},
	{key: KeyKubectl, cluster: true,
		fact: bind(func(s *Set) *Slot[Kubectl] { return &s.Kubectl },
			func(r *run) (Kubectl, error) { return r.src.Kubectl(r.ctx) })},
	{key: KeyNodes, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[[]Node] { return &s.Nodes },
			func(r *run) ([]Node, error) { return r.src.Nodes(r.ctx, r.set.Cluster.Value) })},
	{key: KeyCalicoNodes, needs: []Key{KeyCluster}, cluster: true,
		fact: bind(func(s *Set) *Slot[CalicoNodes] { return &s.CalicoNodes },
			func(r *run) (CalicoNodes, error) { return r.src.CalicoNodes(r.ctx, r.set.Cluster.Value) })},
	// The target's scope is known once the cluster and the resource groups
	// are; either may fail (the target is then read as it stands).
	{key: KeyTargetCredentials, cluster: true, when: targetDiffers,
		needs: []Key{KeyCluster, KeyResourceGroups}, optional: []Key{KeyCluster, KeyResourceGroups},
		fact: bind(func(s *Set) *Slot[Credentials] { return &s.TargetCredentials },
			func(r *run) (Credentials, error) {
				t, _ := r.set.Target()
				return r.src.Credentials(r.ctx, t.Region, t.Sent())
			})},
	{key: KeyTargetInfraPermissions, cluster: true, when: targetDiffers,
		needs: []Key{KeyCluster, KeyResourceGroups}, optional: []Key{KeyCluster, KeyResourceGroups},
		fact: bind(func(s *Set) *Slot[InfraPermissions] { return &s.TargetInfraPermissions },
			func(r *run) (InfraPermissions, error) {
				t, _ := r.set.Target()
				return r.src.InfraPermissions(r.ctx, t.Region, t.Sent())
			})},
}

func vpc(s *Set) bool { return s.Cluster.Value.Infrastructure() == InfraVPC }

func targetDiffers(s *Set) bool {
	_, ok := s.Target()
	return ok
}
