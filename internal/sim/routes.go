package sim

import "net/http"

// serveFunc answers one request for a server.
type serveFunc func(s *Server, w http.ResponseWriter, r *http.Request)

// route is one simulated endpoint: a ServeMux pattern (method and the full
// simulator path: the service prefix, then the production path) and its
// handler.
type route struct {
	pattern string
	serve   serveFunc
}

// A gate is what a service checks before it looks at the path, and what it
// learns there: who calls (IAM token, SoftLayer Basic or Bearer, a
// cluster's own token) and, for some services, more (the VPC region and
// version, denied reads). It writes the service's refusal itself and
// reports false. Each service's gate lives beside its handlers.
type gate[T any] func(s *Server, w http.ResponseWriter, r *http.Request) (T, bool)

// through runs h after gate g has let the request pass.
func through[T any](g gate[T], h func(s *Server, w http.ResponseWriter, r *http.Request, v T)) serveFunc {
	return func(s *Server, w http.ResponseWriter, r *http.Request) {
		if v, ok := g(s, w, r); ok {
			h(s, w, r, v)
		}
	}
}

// routes are every endpoint the simulator serves; router.go says what
// happens around them (read-only refusal, the SoftLayer path form, unknown
// paths) and docs/scenario.md how to add one. GET patterns serve HEAD too.
var routes = []route{
	// IAM (https://iam.cloud.ibm.com): iam.go, identity.go, policies.go,
	// accessgroups.go. The token grant is the one write the simulator
	// allows: it authenticates by its form, not by a token.
	{"POST /iam/identity/token", (*Server).token},
	{"GET /iam/identity/.well-known/openid-configuration", (*Server).oidcDiscovery},
	{"GET /iam/v1/apikeys", through(iamCaller, (*Server).listAPIKeys)},
	{"GET /iam/v1/apikeys/details", through(iamCaller, (*Server).apiKeyDetails)},
	{"GET /iam/v1/apikeys/{id}", through(iamCaller, (*Server).apiKeyByID)},
	{"GET /iam/v1/accounts/{account}/settings/identity", through(iamCaller, (*Server).accountSettings)},
	{"GET /iam/v1/policies", through(iamCaller, policyList("v1"))},
	{"GET /iam/v2/policies", through(iamCaller, policyList("v2"))},
	{"GET /iam/v2/groups", through(iamCaller, (*Server).listAccessGroups)},
	{"GET /iam/v2/groups/{group}", through(iamCaller, (*Server).getAccessGroup)},
	{"GET /iam/v2/groups/{group}/members", through(iamCaller, (*Server).listGroupMembers)},
	{"GET /iam/v2/groups/{group}/members/{iam_id}", through(iamCaller, (*Server).isGroupMember)},

	// Kubernetes Service (https://containers.cloud.ibm.com/global): iks.go,
	// iksinfra.go, kube_scenario.go (versions). A v1 call names its cluster
	// (worker, pool) in the path, a v2 call in the query (cluster=,
	// worker=, workerpool=); the provider variants of a v2 call answer alike.
	{"GET /iks/global/v1/clusters", through(iksCaller, (*Server).listClustersV1)},
	{"GET /iks/global/v1/clusters/{cluster}", through(iksCaller, (*Server).getClusterV1)},
	{"GET /iks/global/v1/clusters/{cluster}/workers", through(iksCaller, (*Server).listWorkersV1)},
	{"GET /iks/global/v1/clusters/{cluster}/workers/{worker}", through(iksCaller, (*Server).getWorkerV1)},
	{"GET /iks/global/v1/clusters/{cluster}/workerpools", through(iksCaller, (*Server).listPoolsV1)},
	{"GET /iks/global/v1/clusters/{cluster}/workerpools/{pool}", through(iksCaller, (*Server).getPoolV1)},
	{"GET /iks/global/v1/clusters/{cluster}/subnets", through(iksCaller, (*Server).listClusterSubnets)},
	{"GET /iks/global/v1/logging/{cluster}/clusterkeyowner", through(iksCaller, (*Server).clusterKeyOwner)},
	{"GET /iks/global/v1/credentials", through(iksCaller, (*Server).credentials)},
	{"GET /iks/global/v1/infra-permissions", through(iksCaller, (*Server).infraPermissions)},
	{"GET /iks/global/v1/user-config", through(iksCaller, (*Server).userConfig)},
	{"GET /iks/global/v1/datacenters/{dc}/vlans", through(iksCaller, (*Server).datacenterVLANs)},
	{"GET /iks/global/v1/versions", through(iksCaller, (*Server).listVersions)},
	{"GET /iks/global/v2/vpc/getClusters", through(iksCaller, clusterListV2(""))},
	{"GET /iks/global/v2/classic/getClusters", through(iksCaller, clusterListV2("classic"))},
	{"GET /iks/global/v2/satellite/getClusters", through(iksCaller, clusterListV2("satellite"))},
	{"GET /iks/global/v2/getCluster", through(iksCaller, (*Server).getClusterV2)},
	{"GET /iks/global/v2/vpc/getCluster", through(iksCaller, (*Server).getClusterV2)},
	{"GET /iks/global/v2/classic/getCluster", through(iksCaller, (*Server).getClusterV2)},
	{"GET /iks/global/v2/satellite/getCluster", through(iksCaller, (*Server).getClusterV2)},
	{"GET /iks/global/v2/getWorkers", through(iksCaller, (*Server).listWorkersV2)},
	{"GET /iks/global/v2/classic/getWorkers", through(iksCaller, (*Server).listWorkersV2)},
	{"GET /iks/global/v2/vpc/getWorkers", through(iksCaller, (*Server).listWorkersV2)},
	{"GET /iks/global/v2/getWorker", through(iksCaller, (*Server).getWorkerV2)},
	{"GET /iks/global/v2/classic/getWorker", through(iksCaller, (*Server).getWorkerV2)},
	{"GET /iks/global/v2/vpc/getWorker", through(iksCaller, (*Server).getWorkerV2)},
	{"GET /iks/global/v2/getWorkerPools", through(iksCaller, (*Server).listPoolsV2)},
	{"GET /iks/global/v2/classic/getWorkerPools", through(iksCaller, (*Server).listPoolsV2)},
	{"GET /iks/global/v2/vpc/getWorkerPools", through(iksCaller, (*Server).listPoolsV2)},
	{"GET /iks/global/v2/getWorkerPool", through(iksCaller, (*Server).getPoolV2)},
	{"GET /iks/global/v2/classic/getWorkerPool", through(iksCaller, (*Server).getPoolV2)},
	{"GET /iks/global/v2/vpc/getWorkerPool", through(iksCaller, (*Server).getPoolV2)},

	// Resource Manager, user management, account management: platform.go,
	// accountfacts.go.
	{"GET /resource-manager/v2/resource_groups", through(platformCaller, (*Server).listResourceGroups)},
	{"GET /user-management/v2/accounts/{account}/users", through(platformCaller, (*Server).listUsers)},
	{"GET /user-management/v2/accounts/{account}/users/{iam_id}", through(platformCaller, (*Server).getUserProfile)},
	{"GET /account-management/coe/v2/accounts", through(accountsCaller, (*Server).listCOEAccounts)},
	{"GET /account-management/coe/v2/accounts/{account}", through(accountsCaller, (*Server).getCOEAccount)},
	{"GET /account-management/v4/accounts/{account}", through(accountsCaller, (*Server).getAccountV4)},

	// Classic infrastructure (https://api.softlayer.com/rest/v3.1):
	// softlayer.go. Written as /Service/method; a request reaches them as
	// softlayer-go sends it, /Service[/id][/method].json (router.go), and
	// a handler reads the id with slID.
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getObject", through(slCaller, (*Server).slAccountObject)},
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getCurrentUser", through(slCaller, (*Server).slCurrentUser)},
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getUsers", through(slCaller, (*Server).slUsers)},
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getVirtualGuests", through(slCaller, slDeviceList(false))},
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getHardware", through(slCaller, slDeviceList(true))},
	{"GET /softlayer/rest/v3.1/SoftLayer_Account/getNetworkVlans", through(slCaller, (*Server).slNetworkVlans)},
	{"GET /softlayer/rest/v3.1/SoftLayer_User_Customer/getObject", through(slCaller, (*Server).slUserObject)},
	{"GET /softlayer/rest/v3.1/SoftLayer_User_Customer/getPermissions", through(slCaller, (*Server).slUserPermissions)},
	{"GET /softlayer/rest/v3.1/SoftLayer_User_Customer/getUserStatus", through(slCaller, (*Server).slUserStatus)},
	{"GET /softlayer/rest/v3.1/SoftLayer_Virtual_Guest/getObject", through(slCaller, slDeviceObject(false))},
	{"GET /softlayer/rest/v3.1/SoftLayer_Hardware/getObject", through(slCaller, slDeviceObject(true))},
	{"GET /softlayer/rest/v3.1/SoftLayer_Hardware_Server/getObject", through(slCaller, slDeviceObject(true))},
	{"GET /softlayer/rest/v3.1/SoftLayer_Network_Vlan/getObject", through(slCaller, (*Server).slVLANObject)},

	// VPC (https://{region}.iaas.cloud.ibm.com/v1): vpc.go. The gate
	// checks the region and the required version and generation.
	{"GET /vpc/{region}/v1/endpoint_gateways", through(vpcCaller, (*Server).listGateways)},
	{"GET /vpc/{region}/v1/endpoint_gateways/{id}", through(vpcCaller, (*Server).getGateway)},
	{"GET /vpc/{region}/v1/endpoint_gateways/{id}/ips", through(vpcCaller, (*Server).listGatewayIPs)},
	{"GET /vpc/{region}/v1/subnets", through(vpcCaller, (*Server).listSubnets)},
	{"GET /vpc/{region}/v1/subnets/{id}", through(vpcCaller, (*Server).getSubnet)},
	{"GET /vpc/{region}/v1/subnets/{id}/reserved_ips", through(vpcCaller, (*Server).listReservedIPs)},
	{"GET /vpc/{region}/v1/vpcs", through(vpcCaller, (*Server).listVPCs)},
	{"GET /vpc/{region}/v1/vpcs/{id}", through(vpcCaller, (*Server).getVPC)},

	// Each cluster's own Kubernetes API: kube.go.
	{"GET /kube/{cluster}/version", through(kubeCaller, (*Server).kubeVersion)},
	{"GET /kube/{cluster}/api/v1/nodes", through(kubeCaller, (*Server).kubeNodeList)},
	{"GET /kube/{cluster}/apis/projectcalico.org/v3", through(kubeCaller, (*Server).calicoResources)},
	{"GET /kube/{cluster}/apis/projectcalico.org/v3/nodes", through(kubeCaller, (*Server).calicoNodeList)},
}
