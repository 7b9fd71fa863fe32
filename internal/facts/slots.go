package facts

// setErr marks k as loaded with err, for reads that were never attempted.
func (s *Set) setErr(k Key, err error) {
	mark := func(loaded *bool, e *error) { *loaded, *e = true, err }
	switch k {
	case KeyWorkers:
		mark(&s.Workers.Loaded, &s.Workers.Err)
	case KeyPools:
		mark(&s.Pools.Loaded, &s.Pools.Err)
	case KeyAPIKeyOwner:
		mark(&s.APIKeyOwner.Loaded, &s.APIKeyOwner.Err)
	case KeyCredentials:
		mark(&s.Credentials.Loaded, &s.Credentials.Err)
	case KeyInfraPermissions:
		mark(&s.InfraPermissions.Loaded, &s.InfraPermissions.Err)
	case KeyDevices:
		mark(&s.Devices.Loaded, &s.Devices.Err)
	case KeyVLANs:
		mark(&s.VLANs.Loaded, &s.VLANs.Err)
	case KeyVPE:
		mark(&s.VPE.Loaded, &s.VPE.Err)
	case KeyOwnerRoles:
		mark(&s.OwnerRoles.Loaded, &s.OwnerRoles.Err)
	}
}
