package ibm

// Regions are the IBM Cloud Kubernetes Service regions: the multizone
// regions of IBM's own VPC SDK table (vpc-go-sdk, vpcv1/vpc_v1.go,
// GetServiceURLForRegion), which IKS uses as its region names (X-Region),
// plus eu-fr2, the restricted region. The CLI SDK has no region list.
var Regions = []string{"au-syd", "br-sao", "ca-mon", "ca-tor", "eu-de", "eu-es", "eu-fr2", "eu-gb", "in-che",
	"jp-osa", "jp-tok", "us-east", "us-south"}
