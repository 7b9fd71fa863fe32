// Package simtest starts the simulator for tests: one place for what every
// test that meets "IBM Cloud" does first.
package simtest

import "github.com/ks-doctor/ks-doctor/internal/sim"

// T is what the helpers need of a test (testing.TB has it).
type T interface {
	Helper()
	Fatal(args ...any)
	TempDir() string
	Cleanup(func())
}

// Load is a bundled scenario (or a scenario file), or the test fails.
func Load(t T, name string) *sim.Scenario {
	t.Helper()
	sc, err := sim.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// Bundled are every bundled scenario.
func Bundled(t T) []*sim.Scenario {
	t.Helper()
	var out []*sim.Scenario
	for _, name := range sim.Names() {
		out = append(out, Load(t, name))
	}
	return out
}

// Start serves sc on a loopback address for the rest of the test.
func Start(t T, sc *sim.Scenario, o sim.Options) *sim.Server {
	t.Helper()
	srv := sim.New(sc, o)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// Login writes the session `ibmcloud login` would leave for srv into a new
// home directory (IBMCLOUD_HOME), edit changing the defaults first; it
// returns the home.
func Login(t T, srv *sim.Server, edit func(*sim.SessionOptions)) string {
	t.Helper()
	home := t.TempDir()
	o := sim.DefaultSessionOptions(srv)
	if edit != nil {
		edit(&o)
	}
	if err := sim.WriteSession(home, o); err != nil {
		t.Fatal(err)
	}
	return home
}
