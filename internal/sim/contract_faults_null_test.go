package sim_test

import (
	"testing"

	"github.com/softlayer/softlayer-go/services"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// The null and emptyobject faults: 200 with a body that parses and says
// nothing. What each official client makes of it is pinned here, so a
// reader knows which of them can pass for "no items".
func TestFaultNullAndEmptyObject(t *testing.T) {
	srv := start(t, "healthy-classic", nil)
	tok := login(t, srv)
	k := iks(t, srv, tok)
	sl := services.GetAccountService(slBearer(srv, tok))

	check(t, srv.SetFaults(sim.Fault{Service: "iks", Path: "/workers$", Kind: sim.FaultNull}, sim.Fault{Service: "softlayer", Path: "getVirtualGuests", Kind: sim.FaultNull}))
	// go-sdk-core refuses to unmarshal null; softlayer-go, which falls back
	// to a single object, turns it into one guest with no fields at all.
	w, resp, err := k.GetClusterWorkers(k.NewGetClusterWorkersOptions("mycluster"))
	if resp == nil || resp.StatusCode != 200 || len(w) != 0 || err == nil {
		t.Fatalf("iks null: %v %v %v", w, resp, err)
	}
	guests, err := sl.GetVirtualGuests()
	if err != nil || len(guests) != 1 || guests[0].Id != nil || guests[0].Hostname != nil {
		t.Fatalf("softlayer null: %d guests %v", len(guests), err)
	}

	check(t, srv.SetFaults(sim.Fault{Service: "iks", Path: "/workers$", Kind: sim.FaultEmptyObject}, sim.Fault{Service: "softlayer", Path: "getVirtualGuests", Kind: sim.FaultEmptyObject}))
	_, resp, err = k.GetClusterWorkers(k.NewGetClusterWorkersOptions("mycluster"))
	if resp == nil || resp.StatusCode != 200 || err == nil {
		t.Fatalf("iks {} for a list must fail to decode: %v %v", resp, err)
	}
	if guests, err := sl.GetVirtualGuests(); err != nil || len(guests) != 1 || guests[0].Id != nil {
		t.Fatalf("softlayer {}: %d guests %v", len(guests), err)
	}
	c, _, err := k.GetCluster(k.NewGetClusterOptions("mycluster"))
	if err != nil || c.ID == nil {
		t.Fatalf("faults must not touch other paths: %+v %v", c, err)
	}
	check(t, srv.SetFaults(sim.Fault{Service: "iks", Path: "getCluster", Kind: sim.FaultEmptyObject}))
	c, resp, err = k.GetCluster(k.NewGetClusterOptions("mycluster"))
	if err != nil || resp.StatusCode != 200 || c.ID != nil {
		t.Fatalf("iks {} for an object decodes into an empty struct: %+v %v", c, err)
	}
}
