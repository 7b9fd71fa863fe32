package sim

// Red Hat OpenShift and Satellite clusters. The cluster models of
// container-services-go-sdk (kubernetesserviceapiv1 GetClusterResponse)
// carry type ("kubernetes" or "openshift"), provider ("classic",
// "vpc-gen2", "satellite") and, for Satellite, locationZones; OpenShift
// versions read <openshift version>_<build>_openshift (ibm-cloud-docs
// openshift, "Version information": e.g. 4.16.12_1545_openshift).
// A Satellite cluster runs on hosts of the customer's own Satellite
// location: its workers have no classic infrastructure device.

const defaultOpenShiftVersion = "4.16.12_1545_openshift"

// Cluster types.
var clusterTypes = set("kubernetes", "openshift")

// satelliteFields adds what a Satellite cluster's v2 body has beyond the
// common fields: its location's zones (the zones its workers run in) [I:
// the zone names are the location's own, e.g. zone-1]. location is the
// Satellite location's name and datacenter its id, as the scenario gives.
func satelliteFields(m map[string]any, cl *Cluster) {
	m["locationZones"] = zones(cl)
	m["multiAzCapable"] = len(zones(cl)) > 1
}
