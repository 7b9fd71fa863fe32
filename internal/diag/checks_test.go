package diag

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// world builds the facts of one classic or VPC cluster in us-south/team-a,
// whose session is linked to infrastructure account 111; each case changes
// what it needs.
func world(provider string, edit func(*facts.Set)) *facts.Set {
	s := &facts.Set{
		Now:     time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		Session: facts.Session{AccountID: "acct", IMSAccountID: "111", Region: "us-south", ResourceGroup: &teamA},
		Cluster: facts.Slot[facts.Cluster]{Loaded: true, Value: facts.Cluster{ID: "c1", Name: "mycluster", Provider: provider,
			Region: "us-south", ResourceGroupID: teamA.ID, ResourceGroupName: "team-a", State: "normal", MasterHealth: "normal"}},
		ResourceGroups: groups,
		Workers: facts.Slot[[]facts.Worker]{Loaded: true, Value: []facts.Worker{
			{ID: "w1", State: "normal", PrivateIP: "10.0.0.1", SubnetID: "s1", Zone: "us-south-1"},
			{ID: "w2", State: "normal", PrivateIP: "10.0.0.2", SubnetID: "s1", Zone: "us-south-1"}}},
		APIKeyOwner:      facts.Slot[facts.Owner]{Loaded: true, Value: facts.Owner{IAMID: "IBMid-1", Email: "jane@example.com"}},
		Users:            facts.Slot[[]facts.User]{Loaded: true, Value: []facts.User{{IAMID: "IBMid-1", Email: "jane@example.com", State: "ACTIVE"}}},
		Credentials:      facts.Slot[facts.Credentials]{Loaded: true},
		InfraPermissions: facts.Slot[facts.InfraPermissions]{Loaded: true, Value: facts.InfraPermissions{Account: "111"}},
		AccountSettings:  facts.Slot[facts.AccountSettings]{Loaded: true, Value: facts.AccountSettings{MFA: "NONE"}},
		Account:          facts.Slot[facts.Account]{Loaded: true, Value: facts.Account{Type: "PAYG", IMSAccount: "111"}},
		Devices: facts.Slot[facts.Devices]{Loaded: true, Value: facts.Devices{Accounts: map[string]facts.Searched{"111": {Complete: true,
			ByHost: map[string]facts.Device{"w1": {Account: "111"}, "w2": {Account: "111"}}}}}},
		Pools: facts.Slot[[]facts.Pool]{Loaded: true, Value: []facts.Pool{{Name: "default", Zones: []facts.PoolZone{{Zone: "dal10", PrivateVLAN: "2918270", PublicVLAN: "2918268"}}}}},
		VLANs: facts.Slot[facts.VLANs]{Loaded: true, Value: facts.VLANs{Accounts: map[string][]facts.VLAN{"111": {{ID: "2918270"}, {ID: "2918268"}}}}},
		VPE: facts.Slot[facts.VPE]{Loaded: true, Value: facts.VPE{
			Gateway: &facts.Gateway{Name: "iks-c1", State: "stable", IPs: []facts.GatewayIP{{SubnetID: "s1", Zone: "us-south-1"}}}}},
		OwnerAccess: facts.Slot[facts.Access]{Loaded: true, Value: facts.Access{Complete: true, Policies: []facts.Policy{
			{Roles: []string{"Administrator"}, ServiceName: "containers-kubernetes"},
			{Roles: []string{"Administrator"}, ServiceName: "container-registry", Region: "us-south"},
		}}},
		OwnerMembership: facts.Slot[facts.Membership]{Loaded: true, Value: facts.Membership{Member: true, State: "ACTIVE"}},
	}
	if edit != nil {
		edit(s)
	}
	return s
}

var (
	e500   = &facts.ReadError{Op: "x", Status: 500, Message: "Internal Server Error"}
	e403   = &facts.ReadError{Op: "x", Status: 403, Message: "Forbidden"}
	depErr = &facts.DependencyError{Needs: facts.KeyCluster, Err: e500}
)

type tcase struct {
	name string
	s    *facts.Set
	want []Status
	keys []string
}

func run(t *testing.T, judge func(*facts.Set) []Finding, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		got := judge(c.s)
		if len(got) != len(c.keys) {
			t.Errorf("%s: %d findings %+v, want %v", c.name, len(got), got, c.keys)
			continue
		}
		for i, f := range got {
			if f.Key != c.keys[i] || f.Status != c.want[i] {
				t.Errorf("%s: finding %d = %s %s, want %s %s", c.name, i, f.Status, f.Key, c.want[i], c.keys[i])
			}
			if (f.Status == Fail || f.Status == Warn) && (f.Actor == "" || len(f.Fix) == 0) {
				t.Errorf("%s: a problem needs an actor and a fix: %+v", c.name, f)
			}
		}
	}
}

// via judges through Run, as a real run does: where the check does not
// apply to the cluster, it is skipped without being judged.
func via(c Check) func(*facts.Set) []Finding {
	return func(s *facts.Set) []Finding { return Run([]Check{c}, s).Findings }
}

func one(st Status, key string) ([]Status, []string) { return []Status{st}, []string{key} }

func tc(name string, s *facts.Set, st Status, key string) tcase {
	w, k := one(st, key)
	return tcase{name, s, w, k}
}

func TestAPIKeyOwner(t *testing.T) {
	member := func(m facts.Membership) func(*facts.Set) {
		return func(s *facts.Set) { s.OwnerMembership.Value = m }
	}
	run(t, judgeAPIKeyOwner, []tcase{
		tc("active member", world("classic", nil), OK, "apikey.owner.ok"),
		tc("pending deletion", world("classic", member(facts.Membership{Member: true, State: "PENDING"})), Fail, "apikey.owner.inactive"),
		tc("disabled for classic", world("classic", member(facts.Membership{Member: true, State: "DISABLED_CLASSIC_INFRASTRUCTURE"})), Fail, "apikey.owner.inactive"),
		tc("not a member (404 on the owner's own record)", world("classic", member(facts.Membership{})), Fail, "apikey.owner.not-member"),
		tc("record denied", world("classic", func(s *facts.Set) { s.OwnerMembership.Err = e403 }), Unknown, "apikey.owner.unverified"),
		tc("restricted list, owner not in it", world("classic", func(s *facts.Set) {
			s.OwnerMembership.Err = &facts.NotVisibleError{Op: "x", Access: "user-management"}
		}), Unknown, "apikey.owner.hidden"),
		tc("owner unreadable", world("classic", func(s *facts.Set) { s.APIKeyOwner.Err = e500 }), Unknown, "read.failed"),
		tc("cluster failed", world("classic", func(s *facts.Set) { s.APIKeyOwner.Err = depErr }), Skipped, "read.skipped"),
		tc("membership skipped", world("classic", func(s *facts.Set) { s.OwnerMembership.Err = depErr }), Skipped, "read.skipped"),
	})
}

func TestPermissions(t *testing.T) {
	missing := func(required bool) func(*facts.Set) {
		return func(s *facts.Set) {
			s.InfraPermissions.Value.Missing = []facts.MissingPermissions{{Category: "virtual-worker", Required: required, Permissions: []string{"Cancel Server"}}}
		}
	}
	policies := func(complete bool, ps ...facts.Policy) func(*facts.Set) {
		return func(s *facts.Set) { s.OwnerAccess.Value = facts.Access{Complete: complete, Policies: ps} }
	}
	admin := func(p facts.Policy) facts.Policy { p.Roles = []string{"Administrator"}; return p }
	run(t, judgePermissions, []tcase{
		tc("nothing missing", world("classic", nil), OK, "apikey.permissions.ok"),
		tc("required missing", world("classic", missing(true)), Fail, "apikey.permissions.missing-required"),
		tc("suggested missing", world("classic", missing(false)), Warn, "apikey.permissions.missing-recommended"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.InfraPermissions.Err = e403 }), Unknown, "read.denied"),
		tc("owner removed: not judged", world("classic", func(s *facts.Set) { s.OwnerMembership.Value = facts.Membership{} }), Info, "apikey.permissions.owner-gone"),
		tc("vpc admin", world("vpc-gen2", missing(true)), OK, "apikey.permissions.vpc-ok"),
		tc("vpc admin on all IAM services", world("vpc-gen2", policies(true, admin(facts.Policy{ServiceType: "service"}))), OK, "apikey.permissions.vpc-ok"),
		tc("vpc admin on all Account Management services only", world("vpc-gen2", policies(true, admin(facts.Policy{ServiceType: "platform_service"}))), Fail, "apikey.permissions.vpc-admin"),
		tc("vpc admin in another resource group", world("vpc-gen2", policies(true, admin(facts.Policy{ServiceName: "containers-kubernetes", ResourceGroupID: "other"}))), Fail, "apikey.permissions.vpc-admin"),
		tc("vpc admin through an access group", world("vpc-gen2", policies(false, admin(facts.Policy{ServiceName: "containers-kubernetes", Group: "ops"}))), OK, "apikey.permissions.vpc-ok"),
		tc("vpc not admin, all policies seen", world("vpc-gen2", policies(true)), Fail, "apikey.permissions.vpc-admin"),
		tc("vpc not admin, policies hidden (200 empty)", world("vpc-gen2", policies(false)), Unknown, "apikey.permissions.vpc-unverified"),
		tc("vpc policies unreadable", world("vpc-gen2", func(s *facts.Set) { s.OwnerAccess.Err = e403 }), Unknown, "read.denied"),
		tc("create scope", world("classic", func(s *facts.Set) { s.Cluster = facts.Slot[facts.Cluster]{} }), OK, "apikey.permissions.ok"),
	})
	f := judgePermissions(world("classic", func(s *facts.Set) {
		missing(true)(s)
		s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
	}))
	if f[0].Params["user"] != "222_ops@example.com" {
		t.Errorf("manually set credentials are whose permissions count: %v", f[0].Params)
	}
}

func TestManualCredentials(t *testing.T) {
	set := func(user string) func(*facts.Set) {
		return func(s *facts.Set) { s.Credentials.Value = facts.Credentials{Set: true, APIUser: user} }
	}
	run(t, judgeManualCredentials, []tcase{
		tc("none (E0051)", world("classic", nil), OK, "credentials.manual.none"),
		tc("another account", world("classic", set("222_ops@example.com")), Warn, "credentials.manual.other-account"),
		tc("the linked account", world("classic", set("111_jane@example.com")), Info, "credentials.manual.linked"),
		tc("account unknown", world("classic", set("SL12345")), Info, "credentials.manual.set"),
		tc("vpc", world("vpc-gen2", set("222_ops@example.com")), Info, "credentials.manual.vpc"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Credentials.Err = e500 }), Unknown, "read.failed"),
	})
}

func TestRegistry(t *testing.T) {
	failed := func(admin bool) func(*facts.Set) {
		return func(s *facts.Set) {
			s.Workers.Value[0].Message = "The cluster could not be configured with the registry. Make sure that you have the Administrator role for Container Registry."
			if !admin {
				s.OwnerAccess.Value.Policies = s.OwnerAccess.Value.Policies[:1]
			}
		}
	}
	run(t, judgeRegistry, []tcase{
		tc("no failure", world("classic", nil), OK, "credentials.registry.no-failure"),
		tc("failure, no role", world("classic", failed(false)), Fail, "credentials.registry.missing-role"),
		tc("failure, role", world("classic", failed(true)), Warn, "credentials.registry.has-role"),
		tc("failure, roles unreadable", world("classic", func(s *facts.Set) { failed(false)(s); s.OwnerAccess.Err = e403 }), Unknown, "read.denied"),
		tc("failure, no role seen, policies hidden", world("classic", func(s *facts.Set) {
			failed(false)(s)
			s.OwnerAccess.Value.Complete = false
		}), Unknown, "credentials.registry.unverified"),
	})
}

func TestTOTP(t *testing.T) {
	totp := func(s *facts.Set) { s.AccountSettings.Value.MFA = "TOTP" }
	run(t, judgeTOTP, []tcase{
		tc("no MFA", world("classic", nil), OK, "account.totp.off"),
		tc("TOTP, linked, no API key", world("classic", totp), Fail, "account.totp.blocks"),
		tc("TOTP4ALL", world("classic", func(s *facts.Set) { s.AccountSettings.Value.MFA = "TOTP4ALL" }), Fail, "account.totp.blocks"),
		tc("TOTP, infrastructure API key set", world("classic", func(s *facts.Set) {
			totp(s)
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "111_jane@example.com"}
		}), OK, "account.totp.api-key-set"),
		tc("TOTP, VPC", world("vpc-gen2", totp), Info, "account.totp.vpc"),
		tc("email MFA", world("classic", func(s *facts.Set) { s.AccountSettings.Value.MFA = "LEVEL1" }), OK, "account.totp.off"),
		tc("settings unreadable", world("classic", func(s *facts.Set) { s.AccountSettings.Err = e403 }), Unknown, "read.denied"),
		tc("TOTP, credentials unreadable", world("classic", func(s *facts.Set) { totp(s); s.Credentials.Err = e500 }), Unknown, "read.failed"),
		tc("TOTP, owner exempted by user_mfa", world("classic", func(s *facts.Set) {
			totp(s)
			s.AccountSettings.Value.UserMFA = map[string]string{"IBMid-1": "NONE"}
		}), OK, "account.totp.owner-exempt"),
		tc("TOTP, someone else exempted", world("classic", func(s *facts.Set) {
			totp(s)
			s.AccountSettings.Value.UserMFA = map[string]string{"IBMid-9": "NONE"}
		}), Fail, "account.totp.blocks"),
		tc("TOTP, exemptions, owner unreadable", world("classic", func(s *facts.Set) {
			totp(s)
			s.AccountSettings.Value.UserMFA = map[string]string{"IBMid-9": "NONE"}
			s.APIKeyOwner.Err = e500
		}), Unknown, "read.failed"),
	})
}

func TestPaid(t *testing.T) {
	run(t, judgePaid, []tcase{
		tc("PAYG linked", world("classic", nil), OK, "account.paid.ok"),
		tc("lite", world("classic", func(s *facts.Set) { s.Account.Value.Type = "LITE" }), Fail, "account.paid.not-paid"),
		tc("trial", world("classic", func(s *facts.Set) { s.Account.Value.Type = "TRIAL" }), Fail, "account.paid.not-paid"),
		tc("standard is Lite", world("classic", func(s *facts.Set) { s.Account.Value.Type = "STANDARD" }), Fail, "account.paid.not-paid"),
		tc("no linked account", world("classic", func(s *facts.Set) { s.Account.Value.IMSAccount = "" }), Fail, "account.paid.no-infrastructure"),
		tc("no linked account, credentials set", world("classic", func(s *facts.Set) {
			s.Account.Value.IMSAccount = ""
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_x@example.com"}
		}), OK, "account.paid.ok"),
		tc("vpc needs no classic", world("vpc-gen2", func(s *facts.Set) { s.Account.Value.IMSAccount = "" }), OK, "account.paid.ok"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Account.Err = e403 }), Unknown, "read.denied"),
	})
}

func TestOrphan(t *testing.T) {
	// in places the workers' devices: found in the account the credentials
	// use (111, searched with a complete listing), elsewhere in the account
	// each device names.
	in := func(found, elsewhere map[string]facts.Device) func(*facts.Set) {
		return func(s *facts.Set) {
			acc := map[string]facts.Searched{"111": {Complete: true, ByHost: found}}
			for id, dev := range elsewhere {
				a := acc[dev.Account]
				if a.ByHost == nil {
					a.ByHost = map[string]facts.Device{}
				}
				a.ByHost[id] = dev
				acc[dev.Account] = a
			}
			s.Devices.Value.Accounts = acc
		}
	}
	d := func(acct string) facts.Device { return facts.Device{Account: acct} }
	orphaned := world("classic", in(map[string]facts.Device{}, map[string]facts.Device{"w1": d("111"), "w2": d("111")}))
	orphaned.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
	w2 := func(state string) func(*facts.Set) {
		return func(s *facts.Set) {
			in(map[string]facts.Device{"w1": d("111")}, map[string]facts.Device{})(s)
			s.Workers.Value[1].State = state
		}
	}
	run(t, via(infraOrphan), []tcase{
		tc("all found", world("classic", nil), OK, "infra.orphan.ok"),
		tc("all in the linked account, credentials elsewhere", orphaned, Fail, "infra.orphan.elsewhere"),
		tc("mixed", world("classic", in(map[string]facts.Device{"w1": d("111")}, map[string]facts.Device{"w2": d("333")})), Fail, "infra.orphan.mixed"),
		tc("unreachable, listing complete", world("classic", in(map[string]facts.Device{"w1": d("111")}, map[string]facts.Device{})), Fail, "infra.orphan.unreachable"),
		tc("unreachable, listing partial (no ACCESS_ALL_GUEST)", world("classic", func(s *facts.Set) {
			in(map[string]facts.Device{"w1": d("111")}, map[string]facts.Device{})(s)
			s.Devices.Value.Accounts["111"] = facts.Searched{ByHost: s.Devices.Value.Accounts["111"].ByHost, Visibility: "ACCESS_ALL_GUEST"}
		}), Unknown, "infra.orphan.not-visible"),
		tc("unreachable, visibility unread", world("classic", func(s *facts.Set) {
			in(map[string]facts.Device{"w1": d("111")}, map[string]facts.Device{})(s)
			s.Devices.Value.Accounts["111"] = facts.Searched{ByHost: s.Devices.Value.Accounts["111"].ByHost, Visibility: "?"}
		}), Unknown, "infra.orphan.not-visible-unread"),
		tc("provisioning worker without a device", world("classic", w2("provisioning")), OK, "infra.orphan.ok-pending"),
		tc("provision_pending worker without a device", world("classic", w2("provision_pending")), OK, "infra.orphan.ok-pending"),
		tc("provision_failed worker without a device", world("classic", w2("provision_failed")), OK, "infra.orphan.ok-pending"),
		tc("deploy_failed worker without a device", world("classic", w2("deploy_failed")), OK, "infra.orphan.ok-pending"),
		tc("deleting worker without a device", world("classic", w2("deleting")), OK, "infra.orphan.ok-pending"),
		tc("critical worker without a device", world("classic", w2("critical")), Fail, "infra.orphan.unreachable"),
		tc("no workers", world("classic", func(s *facts.Set) { s.Workers.Value = []facts.Worker{{ID: "w0", Deleted: true}} }), Info, "infra.orphan.no-workers"),
		tc("vpc", world("vpc-gen2", nil), Skipped, "check.classic-only"),
		tc("satellite: workers on the customer's hosts", world("satellite", nil), Skipped, "check.not-satellite"),
		tc("openshift on classic", world("classic", func(s *facts.Set) { s.Cluster.Value.Type = "openshift" }), OK, "infra.orphan.ok"),
		tc("devices unreadable", world("classic", func(s *facts.Set) { s.Devices.Err = e500 }), Unknown, "read.failed"),
		tc("credentials unreadable", world("classic", func(s *facts.Set) { s.Credentials.Err = e500 }), Unknown, "read.failed"),
		tc("manual credentials for an account this session cannot read, devices nowhere", world("classic", func(s *facts.Set) {
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
			in(map[string]facts.Device{}, map[string]facts.Device{})(s)
		}), Unknown, "read.account-unreachable"),
		tc("manual credentials for an account this session cannot read, devices in the linked one", world("classic", func(s *facts.Set) {
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
		}), Fail, "infra.orphan.elsewhere"),
		tc("current account unsearchable", world("classic", func(s *facts.Set) {
			s.Devices.Value.Accounts = map[string]facts.Searched{"111": {Err: e403}}
		}), Unknown, "read.denied"),
	})
	for _, f := range judgeOrphan(orphaned) {
		for _, c := range f.Fix {
			if strings.Contains(c, "credential unset") || strings.Contains(c, "credential set") {
				t.Errorf("one cluster's finding never changes the scope's credentials (the orphan plan weighs every cluster): %q", f.Fix)
			}
		}
	}
}

func TestVLAN(t *testing.T) {
	zone := func(priv string) func(*facts.Set) {
		return func(s *facts.Set) { s.Pools.Value[0].Zones[0].PrivateVLAN = priv }
	}
	run(t, via(infraVLAN), []tcase{
		tc("all exist", world("classic", nil), OK, "infra.vlan.ok"),
		tc("reclaimed", world("classic", zone("2999999")), Fail, "infra.vlan.missing"),
		tc("not in the account: the cluster is orphaned", world("classic", func(s *facts.Set) {
			zone("2999999")(s)
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "111_ops@example.com"}
			s.Devices.Value.Accounts = map[string]facts.Searched{"111": {Complete: true, ByHost: map[string]facts.Device{}},
				"222": {Complete: true, ByHost: map[string]facts.Device{"w1": {Account: "222"}, "w2": {Account: "222"}}}}
		}), Info, "infra.vlan.other-account"),
		tc("missing, devices unreadable", world("classic", func(s *facts.Set) { zone("2999999")(s); s.Devices.Err = e500 }), Unknown, "read.failed"),
		tc("missing, but this caller may not see the whole account", world("classic", func(s *facts.Set) {
			zone("2999999")(s)
			acc := s.Devices.Value.Accounts[s.Session.IMSAccountID]
			acc.Complete, acc.Visibility = false, "ACCESS_ALL_GUEST"
			s.Devices.Value.Accounts[s.Session.IMSAccountID] = acc
		}), Unknown, "infra.vlan.not-visible"),
		tc("number not id", world("classic", zone("1234")), Fail, "infra.vlan.number"),
		tc("vlans unreadable", world("classic", func(s *facts.Set) { s.VLANs.Err = e403 }), Unknown, "read.denied"),
		tc("credentials' account unreadable", world("classic", func(s *facts.Set) {
			s.Credentials.Value = facts.Credentials{Set: true, APIUser: "222_ops@example.com"}
		}), Unknown, "read.account-unreachable"),
		tc("vpc", world("vpc-gen2", nil), Skipped, "check.classic-only"),
	})
}

// vpeGone: no gateway listed, and a worker reports seed 000's symptom of it.
func vpeGone(s *facts.Set) {
	s.VPE.Value.Gateway = nil
	s.Workers.Value[0].State, s.Workers.Value[0].Message = "deploy_failed",
		"Worker deploy failed due to network communications failing to master or registry endpoints. Please verify your network setup is allowing traffic from this subnet then attempt a worker replace on this worker"
}

func TestVPE(t *testing.T) {
	run(t, via(vpcVPEGateway), []tcase{
		tc("stable", world("vpc-gen2", nil), OK, "vpc.vpe-gateway.ok"),
		tc("missing", world("vpc-gen2", vpeGone), Fail, "vpc.vpe-gateway.missing"),
		tc("not listed, and no worker reports it: the caller may not see it", world("vpc-gen2", func(s *facts.Set) { s.VPE.Value.Gateway = nil }), Unknown, "vpc.vpe-gateway.not-visible"),
		tc("pending", world("vpc-gen2", func(s *facts.Set) { s.VPE.Value.Gateway.State = "pending" }), Fail, "vpc.vpe-gateway.not-stable"),
		tc("zone without an IP", world("vpc-gen2", func(s *facts.Set) { s.Workers.Value[1].Zone, s.Workers.Value[1].SubnetID = "us-south-2", "s2" }), Fail, "vpc.vpe-gateway.ips-missing"),
		tc("second subnet of a covered zone", world("vpc-gen2", func(s *facts.Set) { s.Workers.Value[1].SubnetID = "s3" }), OK, "vpc.vpe-gateway.ok"),
		tc("IP zone unreadable", world("vpc-gen2", func(s *facts.Set) { s.VPE.Value.Gateway.IPs[0].Zone = "" }), Unknown, "vpc.vpe-gateway.zone-unknown"),
		tc("unreadable", world("vpc-gen2", func(s *facts.Set) { s.VPE.Err = e403 }), Unknown, "read.denied"),
		tc("classic", world("classic", nil), Skipped, "check.vpc-only"),
		tc("satellite", world("satellite", nil), Skipped, "check.not-satellite"),
		tc("openshift on vpc", world("vpc-gen2", func(s *facts.Set) { s.Cluster.Value.Type = "openshift" }), OK, "vpc.vpe-gateway.ok"),
	})
	if f := judgeVPE(world("vpc-gen2", vpeGone)); f[0].Fix[0] != "ibmcloud ks cluster master refresh -c mycluster" {
		t.Errorf("fix %q", f[0].Fix)
	}
}

func TestWorkerStates(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	state := func(st string, since time.Duration) func(*facts.Set) {
		return func(s *facts.Set) { s.Workers.Value[0].State, s.Workers.Value[0].StatusSince = st, now.Add(-since) }
	}
	run(t, judgeWorkerStates, []tcase{
		tc("all normal", world("classic", nil), OK, "workers.state.ok"),
		tc("deployed", world("classic", state("deployed", 0)), OK, "workers.state.ok"),
		tc("critical", world("classic", state("critical", 0)), Fail, "workers.state.critical"),
		tc("warning", world("classic", state("warning", 0)), Warn, "workers.state.warning"),
		tc("provision_failed", world("classic", state("provision_failed", 0)), Fail, "workers.state.failed"),
		tc("reload_failed", world("classic", state("reload_failed", 0)), Fail, "workers.state.failed"),
		tc("provision_failed with a message", world("classic", func(s *facts.Set) {
			state("provision_failed", 0)(s)
			s.Workers.Value[0].Message = "The location provided for this order is invalid."
		}), Fail, "workers.state.failed-message"),
		tc("deleting", world("classic", state("deleting", 0)), Info, "workers.state.deleting"),
		tc("one worker", world("classic", func(s *facts.Set) { s.Workers.Value = s.Workers.Value[:1] }), OK, "workers.state.ok-one"),
		tc("no workers", world("classic", func(s *facts.Set) { s.Workers.Value = nil }), Info, "workers.state.none"),
		tc("unknown", world("classic", state("unknown", 0)), Warn, "workers.state.unknown"),
		tc("provisioning, fresh", world("classic", state("provisioning", 10*time.Minute)), Info, "workers.state.in-progress"),
		tc("provisioning, stuck", world("classic", state("provisioning", 5*time.Hour)), Warn, "workers.state.stuck"),
		tc("reloading, stuck", world("classic", state("reloading", 2*time.Hour)), Warn, "workers.state.stuck"),
		tc("deploying, stuck", world("classic", state("deploying", 3*time.Hour)), Warn, "workers.state.stuck"),
		tc("reload_pending", world("classic", state("reload_pending", time.Minute)), Info, "workers.state.in-progress"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Workers.Err = e500 }), Unknown, "read.failed"),
	})
	if f := judgeWorkerStates(world("vpc-gen2", state("critical", 0))); f[0].Fix[len(f[0].Fix)-1] != "ibmcloud ks worker replace --cluster mycluster --worker w1" {
		t.Errorf("VPC workers are replaced, not reloaded: %q", f[0].Fix)
	}
}

func TestWorkerMessages(t *testing.T) {
	msg := func(m string) func(*facts.Set) { return func(s *facts.Set) { s.Workers.Value[0].Message = m } }
	run(t, judgeWorkerMessages, []tcase{
		tc("none", world("classic", nil), OK, "workers.message.none"),
		tc("orphaned", world("classic", msg("incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account.")), Fail, "workers.message.known"),
		tc("prefixed", world("classic", msg("'classic' infrastructure exception: The worker node instance '12345678' can't be found. Review 'classic' infrastructure user permissions.")), Fail, "workers.message.known"),
		tc("unrecognized", world("classic", msg("something odd happened to the flux capacitor")), Warn, "workers.message.unknown"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Workers.Err = e500 }), Unknown, "read.failed"),
	})
	f := judgeWorkerMessages(world("classic", msg("incorrect account for worker - The 'classic' infrastructure user credentials changed and no longer match the worker node instance infrastructure account.")))[0]
	if f.Catalog != "E-orphan-incorrect-account" || f.Raw == "" || f.Subject != "w1" {
		t.Errorf("catalog match must carry the entry, the raw message and the worker: %+v", f)
	}
}

func TestDuplicateIP(t *testing.T) {
	dup := func(s *facts.Set) {
		s.Workers.Value = append(s.Workers.Value, facts.Worker{ID: "w0", State: "deleted", Deleted: true, PrivateIP: "10.0.0.1"})
	}
	run(t, judgeDuplicateIP, []tcase{
		tc("unique", world("classic", nil), OK, "workers.duplicate-ip.none"),
		tc("deleted and live share", world("classic", dup), Warn, "workers.duplicate-ip.found"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Workers.Err = e500 }), Unknown, "read.failed"),
	})
}

func TestClusterState(t *testing.T) {
	st := func(state, created string) func(*facts.Set) {
		t, _ := time.Parse("2006-01-02T15:04:05-0700", created) // zero for ""
		return func(s *facts.Set) { s.Cluster.Value.State, s.Cluster.Value.Created = state, t }
	}
	run(t, judgeClusterState, []tcase{
		tc("normal", world("classic", nil), OK, "cluster.state.ok"),
		tc("critical", world("classic", st("critical", "")), Fail, "cluster.state.critical"),
		tc("delete_failed", world("classic", st("delete_failed", "")), Fail, "cluster.state.critical"),
		tc("warning", world("classic", st("warning", "")), Warn, "cluster.state.warning"),
		tc("pending long", world("classic", st("pending", "2026-11-24T08:00:00+0000")), Warn, "cluster.state.stuck"),
		tc("pending fresh", world("classic", st("pending", "2026-11-25T11:30:00+0000")), Info, "cluster.state.in-progress"),
		tc("master down", world("classic", func(s *facts.Set) { s.Cluster.Value.MasterHealth = "unavailable" }), Fail, "cluster.state.master"),
		tc("unreadable", world("classic", func(s *facts.Set) { s.Cluster.Err = errors.New("boom") }), Unknown, "read.failed"),
	})
}

// Satellite clusters are judged by the checks that apply to them (session,
// API key owner, workers, cluster) and never by a classic infrastructure,
// TOTP or VPE check.
func TestSatelliteApplicability(t *testing.T) {
	s := world("satellite", func(s *facts.Set) { s.Workers.Value[0].State = "provision_failed" })
	judged := map[string]Status{}
	for _, f := range Run(All, s).Findings {
		if st, seen := judged[f.Check]; !seen || st == OK {
			judged[f.Check] = f.Status
		}
	}
	for id, want := range map[string]Status{
		"infra.orphan": Skipped, "infra.vlan": Skipped, "vpc.vpe-gateway": Skipped, "account.totp": Skipped,
		"credentials.manual": Skipped, "apikey.permissions": Skipped,
		"apikey.owner": OK, "workers.state": Fail, "cluster.state": OK, "session.region": OK,
	} {
		if judged[id] != want {
			t.Errorf("%s on a Satellite cluster: %s, want %s", id, judged[id], want)
		}
	}
}
