package sim

import (
	"fmt"
	"hash/fnv"
	"net"
	"slices"
	"strings"
)

// The JSON shapes of IKS clusters and workers, v1 and v2
// (container-services-go-sdk kubernetesserviceapiv1 models).

func zones(cl *Cluster) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, w := range workers(cl, false, "") {
		if !seen[w.Location] {
			seen[w.Location] = true
			out = append(out, w.Location)
		}
	}
	return out
}

// hashN gives stable per-cluster numbers (master port, server name) so the
// same scenario always produces the same bodies.
func hashN(s string, n uint32) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32() % n
}

func masterURL(cl *Cluster, private bool) string {
	host := fmt.Sprintf("c%d.%s.containers.cloud.ibm.com", 100+hashN(cl.ID, 20), cl.Region)
	if private {
		host = fmt.Sprintf("c%d.private.%s.containers.cloud.ibm.com", 100+hashN(cl.ID, 20), cl.Region)
	}
	return fmt.Sprintf("https://%s:%d", host, 30000+hashN(cl.ID+"port", 2767))
}

func (s *Server) common(cl *Cluster) map[string]any {
	paid := !freeAccountType(s.sc.Account.Type)
	return map[string]any{
		"id": cl.ID, "name": cl.Name, "region": cl.Region, "location": cl.Location,
		"resourceGroup": s.groupID(cl), "resourceGroupName": cl.ResourceGroup,
		"state": cl.State, "status": cl.Status, "type": cl.Type, "provider": cl.Provider,
		"masterKubeVersion": cl.KubeVersion, "targetVersion": cl.TargetVersion, "versionEOS": cl.VersionEOS,
		"workerCount": len(workers(cl, false, "")), "workerZones": zones(cl),
		"crn":         fmt.Sprintf("crn:v1:bluemix:public:containers-kubernetes:%s:a/%s:%s::", cl.Region, s.sc.Account.ID, cl.ID),
		"createdDate": cl.CreatedDate, "isPaid": paid, "multiAzCapable": true,
		"podSubnet": "172.30.0.0/16", "serviceSubnet": "172.21.0.0/16",
		"masterURL": masterURL(cl, false), "ownerEmail": s.sc.Account.Owner, "addons": []any{},
		"apiUser": s.apiUser(cl),
	}
}

// apiUser is the "Infrastructure User" the console shows for a cluster
// (seed 001 #orphaned) [I]: the manually set credentials' user of its
// region and group, "" when the linked account is used.
func (s *Server) apiUser(cl *Cluster) string {
	if cr := s.sc.credentialFor(cl.Region, cl.ResourceGroup); cr != nil {
		return cr.Username
	}
	return ""
}

// v1Cluster is the v1 Cluster shape: master fields at top level.
func (s *Server) v1Cluster(cl *Cluster) map[string]any {
	m := s.common(cl)
	m["dataCenter"] = cl.Datacenter
	m["masterState"] = cl.Master.State
	m["masterStatus"] = cl.Master.Status
	m["masterHealth"] = cl.Master.Health
	m["masterStatusModifiedDate"] = cl.CreatedDate
	m["modifiedDate"] = cl.CreatedDate
	m["serverURL"] = masterURL(cl, false)
	m["publicServiceEndpointEnabled"] = true
	m["publicServiceEndpointURL"] = masterURL(cl, false)
	m["privateServiceEndpointEnabled"] = false
	return m
}

// v2Cluster is the v2 GetClusterResponse shape: master fields under lifecycle.
func (s *Server) v2Cluster(cl *Cluster) map[string]any {
	m := s.common(cl)
	m["datacenter"] = cl.Datacenter
	m["lifecycle"] = map[string]any{
		"masterState": cl.Master.State, "masterStatus": cl.Master.Status, "masterHealth": cl.Master.Health,
		"masterStatusModifiedDate": cl.CreatedDate, "modifiedDate": cl.CreatedDate,
	}
	m["serviceEndpoints"] = map[string]any{
		"publicServiceEndpointEnabled": true, "publicServiceEndpointURL": masterURL(cl, false),
		"privateServiceEndpointEnabled": cl.Provider != "classic", "privateServiceEndpointURL": masterURL(cl, true),
	}
	m["ingress"] = map[string]any{
		"hostname":   fmt.Sprintf("%s-%x-0000.%s.containers.appdomain.cloud", cl.Name, hashN(cl.ID, 1<<31), cl.Region),
		"secretName": fmt.Sprintf("%s-%x-0000", cl.Name, hashN(cl.ID, 1<<31)), "status": "healthy", "message": "",
	}
	m["entitlement"] = ""
	if cl.Provider == "satellite" {
		satelliteFields(m, cl)
	}
	if strings.HasPrefix(cl.Provider, "vpc") {
		// Not in the SDK model, but the real API sends it (bluemix-go).
		vpcs := []string{}
		for _, w := range workers(cl, false, "") {
			if vp, _ := s.subnetOf(cl.Region, w.PrivateIP); vp != nil && !slices.Contains(vpcs, vp.ID) {
				vpcs = append(vpcs, vp.ID)
			}
		}
		m["vpcs"] = vpcs
	}
	return m
}

func poolID(cl *Cluster, pool string) string {
	return fmt.Sprintf("%s-%07x", cl.ID, hashN(cl.ID+"/"+pool, 1<<28))
}

// v1Worker is the v1 Worker shape (note the lowercase poolid/privateVlan).
func v1Worker(cl *Cluster, w *Worker) map[string]any {
	return map[string]any{
		"id": w.ID, "state": w.State, "status": w.Status, "statusDate": w.StatusDate, "statusDetails": "",
		"errorMessage": w.Message, "errorMessageDate": messageDate(w), "pendingOperation": "", "reasonForDelete": "",
		"privateIP": w.PrivateIP, "publicIP": w.PublicIP, "privateVlan": w.PrivateVlan, "publicVlan": w.PublicVlan,
		"machineType": w.Flavor, "isolation": isolation(cl), "location": w.Location,
		"poolid": poolID(cl, w.PoolName), "poolName": w.PoolName,
		"kubeVersion": w.KubeVersion, "targetVersion": w.TargetVersion, "versionEOS": "", "masterVersionEOS": cl.VersionEOS,
		"trustedStatus": "unsupported",
	}
}

// actualState derives v2 lifecycle.actualState from the v1-style state:
// health problems (critical, warning ...) leave the lifecycle "deployed".
func actualState(state string) string {
	switch state {
	case "provisioning", "provision_pending", "provision_failed", "deploying", "deploy_failed",
		"reloading", "reload_pending", "reload_failed", "deleting", "deleted":
		return state
	}
	return "deployed"
}

func messageDate(w *Worker) string {
	if w.Message == "" {
		return ""
	}
	return w.StatusDate
}

// v2Worker is the v2 GetWorkerResponse shape; a VPC worker's interface
// names the subnet that holds its IP.
func (s *Server) v2Worker(cl *Cluster, w *Worker) map[string]any {
	desired := "deployed"
	if w.Deleted {
		desired = "deleted"
	}
	m := map[string]any{
		"id": w.ID, "flavor": w.Flavor, "location": w.Location,
		"poolID": poolID(cl, w.PoolName), "poolName": w.PoolName,
		"health": map[string]any{"state": w.State, "message": w.Status},
		"lifecycle": map[string]any{
			"desiredState": desired, "actualState": actualState(w.State), "message": w.Message,
			"messageDate": messageDate(w), "messageDetails": "", "messageDetailsDate": "", "pendingOperation": "", "reasonForDelete": "",
		},
		"kubeVersion":       map[string]any{"actual": w.KubeVersion, "desired": cl.KubeVersion, "target": w.TargetVersion, "eos": "", "masterEOS": cl.VersionEOS},
		"networkInterfaces": []any{},
	}
	if ip := net.ParseIP(w.PrivateIP).To4(); ip != nil {
		nic := map[string]any{
			"cidr":      (&net.IPNet{IP: ip.Mask(net.CIDRMask(24, 32)), Mask: net.CIDRMask(24, 32)}).String(),
			"ipAddress": w.PrivateIP, "primary": true,
		}
		if _, sn := s.subnetOf(cl.Region, w.PrivateIP); sn != nil {
			nic["cidr"], nic["subnetID"] = sn.CIDR, sn.ID
		}
		m["networkInterfaces"] = []any{nic}
	}
	return m
}
