package ibm

import (
	"context"

	"github.com/IBM-Cloud/container-services-go-sdk/kubernetesserviceapiv1"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// Versions is `ibmcloud ks versions`: GET /v1/versions, which answers
// {"kubernetes": [...], "openshift": [...]} of {major, minor, patch,
// default, end_of_service} (container-services-go-sdk: GetVersions,
// KubeVersion). It needs no resource group and no region.
func (c *Client) Versions(ctx context.Context) (facts.SupportedVersions, error) {
	const op = "ibmcloud ks versions"
	res, resp, err := c.iks.GetVersionsWithContext(ctx, c.iks.NewGetVersionsOptions())
	if err := failed(op, resp, err, res == nil); err != nil {
		return facts.SupportedVersions{}, err
	}
	return facts.SupportedVersions{
		Kubernetes: supported(res["kubernetes"], false),
		OpenShift:  supported(res["openshift"], true),
	}, nil
}

func supported(list []kubernetesserviceapiv1.KubeVersion, openshift bool) []facts.SupportedVersion {
	out := make([]facts.SupportedVersion, 0, len(list))
	for _, v := range list {
		if v.Major == nil || v.Minor == nil {
			continue // an entry without a version says nothing
		}
		sv := facts.SupportedVersion{Version: facts.Version{Major: int(*v.Major), Minor: int(*v.Minor), OpenShift: openshift},
			Default: v.Default != nil && *v.Default, EndOfService: facts.ParseEOS(str(v.EndOfService))}
		if v.Patch != nil {
			sv.Version.Patch = int(*v.Patch)
		}
		out = append(out, sv)
	}
	return out
}

// v2Versions are a v2 worker's version and the version an update brings
// (GetWorkerResponseKubeVersion: actual, target).
func v2Versions(v *kubernetesserviceapiv1.GetWorkerResponseKubeVersion) (actual, target string) {
	if v == nil {
		return "", ""
	}
	return str(v.Actual), str(v.Target)
}
