package facts

import "time"

// slot is what every Slot[T] answers whatever its T: the collector, the
// evidence of findings and the durations read slots through it.
type slot interface {
	loaded() bool
	failed() error
	took() time.Duration
	fail(err error)
}

func (s *Slot[T]) loaded() bool        { return s.Loaded }
func (s *Slot[T]) failed() error       { return s.Err }
func (s *Slot[T]) took() time.Duration { return s.Took }
func (s *Slot[T]) fail(err error)      { s.Loaded, s.Err = true, err }

// slot is the slot that holds k's read: the one place that maps a key to
// its field.
func (s *Set) slot(k Key) slot {
	switch k {
	case KeyCluster:
		return &s.Cluster
	case KeyResourceGroups:
		return &s.ResourceGroups
	case KeyWorkers:
		return &s.Workers
	case KeyPools:
		return &s.Pools
	case KeyAPIKeyOwner:
		return &s.APIKeyOwner
	case KeyCredentials:
		return &s.Credentials
	case KeyInfraPermissions:
		return &s.InfraPermissions
	case KeyUsers:
		return &s.Users
	case KeyAccountSettings:
		return &s.AccountSettings
	case KeyAccount:
		return &s.Account
	case KeyDevices:
		return &s.Devices
	case KeyVLANs:
		return &s.VLANs
	case KeyVPE:
		return &s.VPE
	case KeyOwnerAccess:
		return &s.OwnerAccess
	case KeyOwnerMembership:
		return &s.OwnerMembership
	case KeyVersions:
		return &s.Versions
	case KeyKubectl:
		return &s.Kubectl
	case KeyNodes:
		return &s.Nodes
	case KeyCalicoNodes:
		return &s.CalicoNodes
	}
	return nil
}

// Took is how long the read behind k took, from the start of the run (0 when
// it was not read): reads wait for the reads they depend on.
func (s *Set) Took(k Key) time.Duration {
	if sl := s.slot(k); sl != nil {
		return sl.took()
	}
	return 0
}

// Loaded reports whether the read behind k was done (or attempted).
func (s *Set) Loaded(k Key) bool {
	sl := s.slot(k)
	return sl != nil && sl.loaded()
}

// err is the error of the read behind k (nil when it was not read).
func (s *Set) err(k Key) error {
	if sl := s.slot(k); sl != nil {
		return sl.failed()
	}
	return nil
}

// setErr marks k as loaded with err, for reads that were never attempted.
func (s *Set) setErr(k Key, err error) {
	if sl := s.slot(k); sl != nil {
		sl.fail(err)
	}
}
