package ibm

import "testing"

func TestResolveEndpoints(t *testing.T) {
	none := func(string) string { return "" }
	pub := ResolveEndpoints(Network{CloudDomain: "cloud.ibm.com", Region: "eu-de"}, none)
	want := Endpoints{
		IAM: "https://iam.cloud.ibm.com", IKS: "https://containers.cloud.ibm.com/global",
		ResourceManager: "https://resource-controller.cloud.ibm.com", UserManagement: "https://user-management.cloud.ibm.com",
		AccountManagement: "https://accounts.cloud.ibm.com", SoftLayer: "https://api.softlayer.com/rest/v3.1",
		VPC: "https://{region}.iaas.cloud.ibm.com/v1",
	}
	if pub != want {
		t.Errorf("public:\n got %+v\nwant %+v", pub, want)
	}
	if got := pub.VPCURL("jp-tok"); got != "https://jp-tok.iaas.cloud.ibm.com/v1" {
		t.Errorf("VPCURL = %s", got)
	}

	priv := ResolveEndpoints(Network{CloudDomain: "cloud.ibm.com", Region: "jp-tok", Private: true, IAM: "https://private.iam.cloud.ibm.com"}, none)
	for got, want := range map[string]string{
		priv.IAM:             "https://private.iam.cloud.ibm.com",
		priv.ResourceManager: "https://private.jp-tok.resource-controller.cloud.ibm.com",
		priv.IKS:             "https://private.jp-tok.containers.cloud.ibm.com/global",
		priv.SoftLayer:       "https://api.service.softlayer.com/rest/v3.1",
		priv.VPC:             "https://{region}.private.iaas.cloud.ibm.com/v1",
	} {
		if got != want {
			t.Errorf("private: got %s, want %s", got, want)
		}
	}
	vpc := ResolveEndpoints(Network{CloudDomain: "cloud.ibm.com", Private: true, VPC: true}, none)
	if vpc.ResourceManager != "https://private.resource-controller.cloud.ibm.com" {
		t.Errorf("private from VPC: %s", vpc.ResourceManager)
	}

	env := map[string]string{EnvIKS: "http://127.0.0.1:9/iks/global/", EnvVPC: "http://127.0.0.1:9/vpc/{region}/v1"}
	o := ResolveEndpoints(Network{}, func(k string) string { return env[k] })
	if o.IKS != "http://127.0.0.1:9/iks/global" || o.VPCURL("us-south") != "http://127.0.0.1:9/vpc/us-south/v1" {
		t.Errorf("overrides: %+v", o)
	}
}
