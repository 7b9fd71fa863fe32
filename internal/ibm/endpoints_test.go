package ibm

import (
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin/pluginfakes"
)

func TestResolveEndpoints(t *testing.T) {
	none := func(string) string { return "" }
	for _, tc := range []struct {
		name string
		n    Network
		want Endpoints
	}{
		{"public", Network{CloudDomain: "cloud.ibm.com", Region: "eu-de", IAM: "https://iam.cloud.ibm.com"}, Endpoints{
			IAM: "https://iam.cloud.ibm.com", IKS: "https://containers.cloud.ibm.com/global",
			ResourceManager: "https://resource-controller.cloud.ibm.com", UserManagement: "https://user-management.cloud.ibm.com",
			AccountManagement: "https://accounts.cloud.ibm.com", SoftLayer: "https://api.softlayer.com/rest/v3.1",
			VPC: "https://{region}.iaas.cloud.ibm.com/v1",
		}},
		{"public, no IAM endpoint in the session", Network{}, Endpoints{
			IAM: "https://iam.cloud.ibm.com", IKS: "https://containers.cloud.ibm.com/global",
			ResourceManager: "https://resource-controller.cloud.ibm.com", UserManagement: "https://user-management.cloud.ibm.com",
			AccountManagement: "https://accounts.cloud.ibm.com", SoftLayer: "https://api.softlayer.com/rest/v3.1",
			VPC: "https://{region}.iaas.cloud.ibm.com/v1",
		}},
		{"private, us-east", Network{CloudDomain: "cloud.ibm.com", Region: "us-east", Private: true, IAM: "https://private.us-east.iam.cloud.ibm.com"}, Endpoints{
			IAM: "https://private.us-east.iam.cloud.ibm.com", IKS: "https://private.us-east.containers.cloud.ibm.com/global",
			ResourceManager:   "https://private.us-east.resource-controller.cloud.ibm.com",
			UserManagement:    "https://private.us-east.user-management.cloud.ibm.com",
			AccountManagement: "https://private.us-east.accounts.cloud.ibm.com",
			SoftLayer:         "https://api.service.softlayer.com/rest/v3.1", VPC: "https://{region}.private.iaas.cloud.ibm.com/v1",
		}},
		// Tokyo has a private Kubernetes Service and VPC API but no private
		// platform services: those go to Dallas's, still private.
		{"private, jp-tok", Network{CloudDomain: "cloud.ibm.com", Region: "jp-tok", Private: true, IAM: "https://private.iam.cloud.ibm.com"}, Endpoints{
			IAM: "https://private.iam.cloud.ibm.com", IKS: "https://private.jp-tok.containers.cloud.ibm.com/global",
			ResourceManager:   "https://private.us-south.resource-controller.cloud.ibm.com",
			UserManagement:    "https://private.us-south.user-management.cloud.ibm.com",
			AccountManagement: "https://private.us-south.accounts.cloud.ibm.com",
			SoftLayer:         "https://api.service.softlayer.com/rest/v3.1", VPC: "https://{region}.private.iaas.cloud.ibm.com/v1",
		}},
		{"private, no region, no IAM endpoint in the session", Network{CloudDomain: "cloud.ibm.com", Private: true}, Endpoints{
			IAM: "https://private.iam.cloud.ibm.com", IKS: "https://private.us-south.containers.cloud.ibm.com/global",
			ResourceManager:   "https://private.us-south.resource-controller.cloud.ibm.com",
			UserManagement:    "https://private.us-south.user-management.cloud.ibm.com",
			AccountManagement: "https://private.us-south.accounts.cloud.ibm.com",
			SoftLayer:         "https://api.service.softlayer.com/rest/v3.1", VPC: "https://{region}.private.iaas.cloud.ibm.com/v1",
		}},
		{"private from a VPC", Network{CloudDomain: "cloud.ibm.com", Region: "eu-gb", Private: true, VPC: true, IAM: "https://private.iam.cloud.ibm.com"}, Endpoints{
			IAM: "https://private.iam.cloud.ibm.com", IKS: "https://private.eu-gb.containers.cloud.ibm.com/global",
			ResourceManager:   "https://private.resource-controller.cloud.ibm.com",
			UserManagement:    "https://private.user-management.cloud.ibm.com",
			AccountManagement: "https://private.accounts.cloud.ibm.com",
			SoftLayer:         "https://api.service.softlayer.com/rest/v3.1", VPC: "https://{region}.private.iaas.cloud.ibm.com/v1",
		}},
		{"staging", Network{CloudDomain: "test.cloud.ibm.com", Region: "us-south", Private: true}, Endpoints{
			IAM: "https://private.iam.test.cloud.ibm.com", IKS: "https://private.us-south.containers.test.cloud.ibm.com/global",
			ResourceManager:   "https://private.us-south.resource-controller.test.cloud.ibm.com",
			UserManagement:    "https://private.us-south.user-management.test.cloud.ibm.com",
			AccountManagement: "https://private.us-south.accounts.test.cloud.ibm.com",
			SoftLayer:         "https://api.service.softlayer.com/rest/v3.1", VPC: "https://{region}.private.iaas.test.cloud.ibm.com/v1",
		}},
	} {
		if got := ResolveEndpoints(tc.n, none); got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}

	pub := ResolveEndpoints(Network{}, none)
	if got := pub.VPCURL("jp-tok"); got != "https://jp-tok.iaas.cloud.ibm.com/v1" {
		t.Errorf("VPCURL = %s", got)
	}
	priv := ResolveEndpoints(Network{Private: true}, none)
	if got := priv.VPCURL("br-sao"); got != "https://br-sao.private.iaas.cloud.ibm.com/v1" {
		t.Errorf("private VPCURL = %s", got)
	}

	env := map[string]string{EnvIKS: "http://127.0.0.1:9/iks/global/", EnvVPC: "http://127.0.0.1:9/vpc/{region}/v1", "IAM_ENDPOINT": "http://127.0.0.1:9/iam/"}
	o := ResolveEndpoints(Network{Private: true, IAM: "https://private.iam.cloud.ibm.com"}, func(k string) string { return env[k] })
	if o.IKS != "http://127.0.0.1:9/iks/global" || o.VPCURL("us-south") != "http://127.0.0.1:9/vpc/us-south/v1" || o.IAM != "http://127.0.0.1:9/iam" {
		t.Errorf("overrides: %+v", o)
	}
	// What is not overridden stays private.
	if o.SoftLayer != "https://api.service.softlayer.com/rest/v3.1" {
		t.Errorf("overrides: SoftLayer %s", o.SoftLayer)
	}
}

// NetworkOf reads the cloud domain from the API endpoint the CLI logged in
// to, private or not.
func TestNetworkOfDomain(t *testing.T) {
	for api, want := range map[string]string{
		"https://cloud.ibm.com":              "cloud.ibm.com",
		"https://private.cloud.ibm.com":      "cloud.ibm.com",
		"https://private.cloud.ibm.com/":     "cloud.ibm.com",
		"https://test.cloud.ibm.com":         "test.cloud.ibm.com",
		"https://api.us-south.bluemix.net":   "",
		"https://private.test.cloud.ibm.com": "test.cloud.ibm.com",
	} {
		ctx := &pluginfakes.FakePluginContext{}
		ctx.APIEndpointReturns(api)
		if got := NetworkOf(ctx).CloudDomain; got != want {
			t.Errorf("%s: domain %q, want %q", api, got, want)
		}
	}
}
