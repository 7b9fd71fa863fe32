package facts

// Session is what the `ibmcloud login` / `ibmcloud target` session says. It is
// read from the CLI's config without any network call.
type Session struct {
	UserEmail     string
	IAMID         string
	AccountID     string
	AccountName   string
	IMSAccountID  string         // the linked classic infrastructure account, from the token
	Region        string         // "" when no region is targeted
	ResourceGroup *ResourceGroup // nil when no resource group is targeted
	ServiceID     bool           // logged in with a service ID API key
	Profile       bool           // logged in as a trusted profile
	Refreshed     bool           // the access token had expired and was refreshed
	Private       bool           // private endpoints are in use
}

// ResourceGroup is an IBM Cloud resource group.
type ResourceGroup struct {
	ID      string
	Name    string
	Default bool
}

// DefaultGroup is the account's default resource group among groups: the
// one IBM Cloud applies when none is targeted.
func DefaultGroup(groups []ResourceGroup) (ResourceGroup, bool) {
	for _, g := range groups {
		if g.Default {
			return g, true
		}
	}
	return ResourceGroup{}, false
}

// Target is the region and resource group the session targets, as IKS
// applies them.
type Target struct {
	Region string
	// Group is the targeted group, else the account's default one (which
	// IKS applies when no group is sent); zero when neither is known.
	Group ResourceGroup
	// Targeted is set when the session targets Group: only then is it sent
	// with a read, as the CLI does.
	Targeted bool
}

// Sent is the resource group ID sent with a read of this scope: "" lets
// IKS apply the account's default group.
func (t Target) Sent() string {
	if t.Targeted {
		return t.Group.ID
	}
	return ""
}

// Target is the targeted scope when it is not the cluster's: seed 000 says
// credentials are per region and resource group, and a mismatch is the
// usual story. ok is false when no region is targeted, or when the target
// is the cluster's own region and group. It reads the cluster and the
// resource groups, so the collector calls it once both are done.
func (s *Set) Target() (t Target, ok bool) {
	sess := s.Session
	if sess.Region == "" {
		return Target{}, false
	}
	t.Region = sess.Region
	if g := sess.ResourceGroup; g != nil {
		t.Group, t.Targeted = *g, true
	} else if s.ResourceGroups.Loaded && s.ResourceGroups.Err == nil {
		t.Group, _ = DefaultGroup(s.ResourceGroups.Value)
	}
	if cl, read := s.ReadCluster(); read && cl.Region == t.Region && t.Group.ID != "" && t.Group.ID == cl.ResourceGroupID {
		return Target{}, false
	}
	return t, true
}
