package ibm

import (
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
	Private     bool // `ibmcloud login -a private.cloud.ibm.com`
	VPC         bool // logged in from a VPC compute resource
	IAM         string
}

// ResolveEndpoints picks each service's URL the way the CLI SDK does: public,
// private per region, or private from a VPC; then applies the environment
// overrides. Private endpoints never fall back to public: a user on the
// private network may have no route to the public ones.
func ResolveEndpoints(n Network, getenv func(string) string) Endpoints {
	domain := n.CloudDomain
	if domain == "" {
		domain = "cloud.ibm.com"
	}
	sdk := func(s endpoints.Service) string {
		u, err := endpoints.Endpoint(s, domain, n.Region, n.Private, n.VPC)
		if err != nil {
			// Only a private endpoint without a targeted region fails; the
			// VPC-private form needs no region and is the nearest working one.
			u, _ = endpoints.Endpoint(s, domain, "", true, true)
		}
		return u
	}
	e := Endpoints{
		IAM:               n.IAM,
		ResourceManager:   sdk(endpoints.ResourceController),
		UserManagement:    sdk(endpoints.UserManagement),
		AccountManagement: sdk(endpoints.AccountManagement),
		IKS:               "https://containers." + domain + "/global",
		SoftLayer:         "https://api.softlayer.com/rest/v3.1",
		VPC:               "https://{region}.iaas." + domain + "/v1",
	}
	// The CLI SDK's refresh takes IAM_ENDPOINT first, then the session's
	// (core_config repository.go RefreshIAMToken); so does ks-doctor.
	if v := strings.TrimSpace(getenv("IAM_ENDPOINT")); v != "" {
		e.IAM = strings.TrimRight(v, "/")
	}
	if e.IAM == "" {
		e.IAM = "https://iam." + domain
	}
	if n.Private {
		// The CLI SDK has no table entry for these three; these are the
		// private forms IBM documents for IKS, classic and VPC.
		e.IKS = "https://private." + orDefault(n.Region, "us-south") + ".containers." + domain + "/global"
		e.SoftLayer = "https://api.service.softlayer.com/rest/v3.1"
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
