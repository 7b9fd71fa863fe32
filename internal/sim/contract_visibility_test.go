package sim_test

import (
	"slices"
	"testing"

	"github.com/softlayer/softlayer-go/datatypes"
	"github.com/softlayer/softlayer-go/filter"
	"github.com/softlayer/softlayer-go/services"
	"github.com/softlayer/softlayer-go/session"
	"github.com/softlayer/softlayer-go/sl"

	"github.com/ks-doctor/ks-doctor/internal/sim"
)

// A classic user without ACCESS_ALL_GUEST sees only the devices granted to
// it: 200 with a shorter list, and 404 ObjectNotFound for the others
// (SLDN permission-enforcement-softlayer-api), whether it calls with its
// IAM token or with Basic username:apikey.
func TestSoftLayerDeviceVisibility(t *testing.T) {
	srv := start(t, "limited-classic-user", nil)
	sc := srv.Scenario()
	ia := sc.InfraAccountByID("2093847")
	sam := ia.Users[0]
	workers := workerIDs(sc, "shop")
	var names []any
	for _, w := range workers {
		names = append(names, w)
	}

	for _, sess := range []*session.Session{slBearer(srv, login(t, srv)), slBasic(srv, sam.Username, sam.APIKeys[0])} {
		acct := services.GetAccountService(sess)
		me, err := acct.Mask("id;username;isMasterUserFlag;permissions.keyName").GetCurrentUser()
		check(t, err)
		var keys []string
		for _, p := range me.Permissions {
			keys = append(keys, *p.KeyName)
		}
		if *me.Id != 7301264 || *me.Username != sam.Username || *me.IsMasterUserFlag || slices.Contains(keys, "ACCESS_ALL_GUEST") ||
			!slices.Contains(keys, "VIRTUAL_GUEST_VIEW") || me.Email != nil /* masked out */ {
			t.Fatalf("current user: %+v %v", me, keys)
		}
		all, err := acct.Mask("id;hostname").GetVirtualGuests()
		if err != nil || len(all) != 1 || *all[0].Hostname != "jumpbox01" {
			t.Fatalf("guests: %+v %v", all, err)
		}
		// The workers' guests exist, but a filtered, paged listing finds none.
		opts := sl.Options{Filter: filter.Build(filter.Path("virtualGuests.hostname").In(names...)), Limit: ptr(50), Offset: ptr(0)}
		var page []datatypes.Virtual_Guest
		check(t, sess.DoRequest("SoftLayer_Account", "getVirtualGuests", nil, &opts, &page))
		if len(page) != 0 || opts.TotalItems != 0 {
			t.Fatalf("filtered workers: %d, total %d", len(page), opts.TotalItems)
		}
		_, err = services.GetVirtualGuestService(sess).Id(int(guestID(t, ia, workers[0]))).GetObject()
		slErr(t, err, 404, "SoftLayer_Exception_ObjectNotFound")
		g, err := services.GetVirtualGuestService(sess).Id(*all[0].Id).GetObject()
		if err != nil || *g.Hostname != "jumpbox01" {
			t.Fatalf("granted guest: %+v %v", g, err)
		}
	}

	// The master user of the same account sees every guest, and says so.
	jane := services.GetAccountService(slBearer(srv, tokenOf(t, srv, "KSDOCTORCANARY-jane-key-Bv6Nw1Ts8Qe3")))
	me, err := jane.Mask("id;isMasterUserFlag;permissions.keyName").GetCurrentUser()
	if err != nil || !*me.IsMasterUserFlag {
		t.Fatalf("master: %+v %v", me, err)
	}
	guests, err := jane.Filter(filter.Build(filter.Path("virtualGuests.hostname").In(names...))).GetVirtualGuests()
	if err != nil || len(guests) != 3 {
		t.Fatalf("master's guests: %d %v", len(guests), err)
	}
}

func guestID(t *testing.T, ia *sim.InfraAccount, hostname string) int64 {
	t.Helper()
	for _, d := range ia.VirtualGuests {
		if d.Hostname == hostname {
			return d.ID
		}
	}
	t.Fatalf("no guest %s", hostname)
	return 0
}

// provisioning-workers: only the normal worker has a device; the workers
// that have none yet, and the deleted one, have none anywhere.
func TestBundledProvisioningWorkers(t *testing.T) {
	srv := start(t, "provisioning-workers", nil)
	sc := srv.Scenario()
	tok := login(t, srv)
	k := iks(t, srv, tok)
	ws, _, err := k.GetClusterWorkers(k.NewGetClusterWorkersOptions("growing").SetShowDeleted("true"))
	check(t, err)
	states := map[string]string{}
	for _, w := range ws {
		states[*w.ID] = *w.State
	}
	ids := workerIDs(sc, "growing")
	if len(ws) != 5 || states[ids[1]] != "provisioning" || states[ids[2]] != "provision_pending" || states[ids[3]] != "provision_failed" ||
		states[ids[4]] != "deleted" {
		t.Fatalf("states: %v", states)
	}
	got := devices(t, slBearer(srv, tok), ids...)
	if len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("devices: %v", got)
	}
}
