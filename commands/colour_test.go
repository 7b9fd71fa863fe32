package commands

import "testing"

// Colour as the CLI and https://no-color.org have it: a terminal gets it
// unless NO_COLOR is set or IBMCLOUD_COLOR says false; IBMCLOUD_COLOR=true
// forces it, even into a pipe, but never over NO_COLOR.
func TestColour(t *testing.T) {
	for _, c := range []struct {
		name            string
		terminal        bool
		noColor, ibmcli string
		want            bool
	}{
		{"terminal", true, "", "", true},
		{"pipe", false, "", "", false},
		{"NO_COLOR", true, "1", "", false},
		{"IBMCLOUD_COLOR=false", true, "", "false", false},
		{"IBMCLOUD_COLOR=true into a pipe", false, "", "true", true},
		{"NO_COLOR beats IBMCLOUD_COLOR=true", true, "1", "TRUE", false},
	} {
		env := &Env{Terminal: c.terminal, Getenv: func(k string) string {
			return map[string]string{"NO_COLOR": c.noColor, "IBMCLOUD_COLOR": c.ibmcli}[k]
		}}
		if got := colour(env); got != c.want {
			t.Errorf("%s: colour %v, want %v", c.name, got, c.want)
		}
	}
}
