package ibm

import (
	"slices"
	"strings"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/endpoints"
)

// Endpoints are the base URLs of every service ks-doctor reads.
type Endpoints struct {
	IAM               string
	IKS               string
	ResourceManager   string
	UserManagement    string
	AccountManagement string
	SoftLayer         string
	VPC               string // contains "{region}"
}

// Environment overrides, one per service, for the simulator and for
// enterprise proxies. Documented in the README.
const (
	EnvIAM               = "KS_DOCTOR_IAM_URL"
	EnvIKS               = "KS_DOCTOR_IKS_URL"
	EnvResourceManager   = "KS_DOCTOR_RESOURCE_MANAGER_URL"
	EnvUserManagement    = "KS_DOCTOR_USER_MANAGEMENT_URL"
	EnvAccountManagement = "KS_DOCTOR_ACCOUNT_MANAGEMENT_URL"
	EnvSoftLayer         = "KS_DOCTOR_SOFTLAYER_URL"
	EnvVPC               = "KS_DOCTOR_VPC_URL"
)

// Network is what the CLI session says about how IBM Cloud is reached.
type Network struct {
	CloudDomain string // "cloud.ibm.com"
	Region      string
	Private     bool   // `ibmcloud login -a private.cloud.ibm.com`
	VPC         bool   // `ibmcloud login -a private.cloud.ibm.com --vpc`: from a VPC, through VPE gateways
	IAM         string // the session's IAM endpoint for this network (PluginContext.IAMEndpoint)
}

// platformPrivateRegions are the only regions with a private (classic,
// cloud service endpoint) form of the global platform services: resource
// manager, user management, account management. "If your deployment uses
// the Classic environment, regional support is provided … us-south,
// us-east"; from a VPC "private endpoints are exposed through global
// endpoints" (IBM docs, ibm-cloud-docs/cli service-connection.md). The
// same two regions in ibm-cloud-docs/overview endpoints.md (tables "Private
// endpoints for User Management API", "… Resource Manager V2 API": Dallas
// and Washington DC only), in the Resource Controller API docs' "Endpoint
// URLs", and in IBM-Cloud/bluemix-go endpoints/endpoints.go
// (privateRegions "accounts" and "resource"), which, like ks-doctor, falls
// back to us-south elsewhere ("As there is no global private endpoint").
var platformPrivateRegions = []string{"us-south", "us-east"}

// ResolveEndpoints picks each service's URL for the session's network:
// public, private (cloud service endpoints, per region) or private from a
// VPC (VPE gateways, mostly global names); then applies the environment
// overrides. A private session never falls back to a public URL (CLI SDK
// plugin_developer_guide.md §9: "The plug-in should not fall back to the
// public endpoint if the region does not have private endpoint support"):
// a user on the private network may have no route to the public ones.
func ResolveEndpoints(n Network, getenv func(string) string) Endpoints {
	domain := orDefault(n.CloudDomain, "cloud.ibm.com")
	region := orDefault(n.Region, "us-south")

	// Resource manager, user management and account management: the CLI
	// SDK's own table (IBM-Cloud/ibm-cloud-cli-sdk bluemix/endpoints
	// endpoints.go, the table PluginContext.GetEndpoint reads):
	//   public       https://resource-controller.<domain>   https://user-management.<domain>   https://accounts.<domain>
	//   private      https://private.<region>.resource-controller.<domain>, …user-management…, …accounts…
	//   private+VPC  https://private.resource-controller.<domain>, https://private.user-management.<domain>, https://private.accounts.<domain>
	// with the region limited to platformPrivateRegions (the SDK would
	// build private.jp-tok.… hosts that IBM documents nowhere). The VPC
	// forms are the global names IBM documents for VPE gateways
	// (ibm-cloud-docs/cli service-connection.md: "Account Management:
	// https://private.accounts.cloud.ibm.com"; the Resource Controller API
	// docs, "Endpoint URLs": "Private endpoint URL for VPC infrastructure:
	// https://private.resource-controller.cloud.ibm.com").
	platformRegion := region
	if n.Private && !n.VPC && !slices.Contains(platformPrivateRegions, platformRegion) {
		platformRegion = platformPrivateRegions[0]
	}
	platform := func(s endpoints.Service) string {
		// Cannot fail: the services are in the table, the domain and region
		// are set.
		u, _ := endpoints.Endpoint(s, domain, platformRegion, n.Private, n.VPC)
		return u
	}
	e := Endpoints{
		// The session's IAM endpoint, as the CLI SDK picks it
		// (core_config repository.go IAMEndpoint: IAMPrivateVPCEndpoint
		// from a VPC, IAMPrivateEndpoint on the private network,
		// IAMEndpoint otherwise), defaulted below.
		IAM:               n.IAM,
		ResourceManager:   platform(endpoints.ResourceController),
		UserManagement:    platform(endpoints.UserManagement),
		AccountManagement: platform(endpoints.AccountManagement),
		// IBM-Cloud/container-services-go-sdk kubernetesserviceapiv1
		// DefaultServiceURL; IBM docs containers cs_api_install.
		IKS: "https://containers." + domain + "/global",
		// softlayer/softlayer-go session.DefaultEndpoint.
		SoftLayer: "https://api.softlayer.com/rest/v3.1",
		// IBM/vpc-go-sdk vpcv1 GetServiceURLForRegion:
		// https://<region>.iaas.cloud.ibm.com/v1.
		VPC: "https://{region}.iaas." + domain + "/v1",
	}
	// The CLI SDK's refresh takes IAM_ENDPOINT first, then the session's
	// (core_config repository.go RefreshIAMToken); so does ks-doctor.
	if v := strings.TrimSpace(getenv("IAM_ENDPOINT")); v != "" {
		e.IAM = strings.TrimRight(v, "/")
	}
	if e.IAM == "" {
		// A session that names no IAM endpoint for its network. Public:
		// https://iam.<domain> (IBM/platform-services-go-sdk iamidentityv1
		// DefaultServiceURL). Private, classic or VPC: the global private
		// name, https://private.iam.<domain> (ibm-cloud-docs/overview
		// endpoints.md, "Private endpoints for IAM Identity Services API",
		// Global; IBM-Cloud/bluemix-go endpoints.go IAMEndpoint outside
		// us-south/us-east; the VPE target in ibm-cloud-docs/vpc
		// vpe-supported-services).
		e.IAM = "https://iam." + domain
		if n.Private {
			e.IAM = "https://private.iam." + domain
		}
	}
	if n.Private {
		// Kubernetes Service API over the private network:
		// https://private.<region>.containers.<domain>/global
		// (IBM-Cloud/bluemix-go endpoints/endpoints.go ContainerEndpoint,
		// what IBM-Cloud/terraform-provider-ibm uses with visibility
		// "private"; ibm-cloud-docs/containers lists
		// private.<region>.containers.cloud.ibm.com as the API's private
		// name). It is a cloud service endpoint (166.8.0.0/14), which VPC
		// workers reach too (ibm-cloud-docs/containers: the kube-<clusterID>
		// security group "allows traffic to the entire CSE service range").
		// The /global path is the same as the public API's.
		e.IKS = "https://private." + region + ".containers." + domain + "/global"
		// Classic infrastructure over its private (backend) network:
		// https://api.service.softlayer.com/rest/v3.1: softlayer/softlayer-go
		// README names api.service.softlayer.com "the backend network
		// endpoint" (its session.DefaultEndpoint has the /rest/v3.1 path);
		// the SoftLayer API python client's API_PRIVATE_ENDPOINT_REST;
		// cloudfoundry bosh-softlayer-cpi SoftlayerAPIEndpointPrivateDefault
		// is this URL exactly. Not under the cloud domain: one name for
		// every region and network.
		e.SoftLayer = "https://api.service.softlayer.com/rest/v3.1"
		// VPC API, private: https://<region>.private.iaas.<domain>/v1
		// (IBM docs vpc service-endpoints-for-vpc, "Private Endpoint"
		// column, every region; IBM-Cloud/terraform-provider-ibm
		// ibm/conns/config.go "%s.private.iaas" with "/v1"; the VPE name in
		// ibm-cloud-docs/containers' shared VPE gateways). Classic and VPC
		// sessions alike.
		e.VPC = "https://{region}.private.iaas." + domain + "/v1"
	}
	for env, field := range map[string]*string{
		EnvIAM: &e.IAM, EnvIKS: &e.IKS, EnvResourceManager: &e.ResourceManager,
		EnvUserManagement: &e.UserManagement, EnvAccountManagement: &e.AccountManagement,
		EnvSoftLayer: &e.SoftLayer, EnvVPC: &e.VPC,
	} {
		if v := strings.TrimSpace(getenv(env)); v != "" {
			*field = strings.TrimRight(v, "/")
		}
	}
	return e
}

// VPCURL is the VPC API base URL of region.
func (e Endpoints) VPCURL(region string) string {
	return strings.ReplaceAll(e.VPC, "{region}", region)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
