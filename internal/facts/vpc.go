package facts

// Gateway is a VPC virtual private endpoint gateway.
type Gateway struct {
	ID     string
	Name   string
	State  string // lifecycle_state: stable, pending, failed, updating …
	Health string
	IPs    []GatewayIP
}

// GatewayIP is a reserved IP of a gateway.
type GatewayIP struct {
	Address  string
	SubnetID string
	Zone     string // the zone of its subnet; "" when it could not be read
}

// VPE is the lookup of a cluster's gateway "iks-<cluster ID>"; Gateway is nil
// when the region has none with that name. Its reserved IPs carry the zone
// of their subnet, read from the region's subnets.
type VPE struct {
	Gateway *Gateway
}
