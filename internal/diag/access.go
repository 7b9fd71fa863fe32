package diag

import (
	"slices"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// IAM service names the checks ask about.
const (
	serviceKubernetes = "containers-kubernetes"
	serviceRegistry   = "container-registry"
)

// grants reports whether one of the policies gives role on service where the
// cluster is: its region, resource group and instance ("" = not known, and
// then only a policy that is not narrowed to one counts). A policy without a
// service name covers every IAM-enabled service — unless its serviceType is
// platform_service, which is "All Account Management services" and grants
// nothing on the Kubernetes Service or Container Registry
// (terraform-provider-ibm ibm/flex/structures.go).
func grants(a facts.Access, role, service, region, groupID, instance string) bool {
	return slices.ContainsFunc(a.Policies, func(p facts.Policy) bool {
		switch {
		case !slices.Contains(p.Roles, role):
			return false
		case p.ServiceName != "" && p.ServiceName != service:
			return false
		case p.ServiceName == "" && p.ServiceType == "platform_service":
			return false
		}
		return within(p.Region, region) && within(p.ResourceGroupID, groupID) && within(p.Instance, instance)
	})
}

// within: a policy attribute that is not set covers everything; a set one
// covers only the same value.
func within(attr, v string) bool { return attr == "" || attr == v }

// ownerGone reports whether user management said the API key owner is not an
// active member: then the owner's permissions no longer matter, the key does
// not work (apikey.owner says so and how to fix it).
func ownerGone(s *facts.Set) bool {
	m := s.OwnerMembership
	return m.Loaded && m.Err == nil && (!m.Value.Member || !isActive(m.Value.State))
}
