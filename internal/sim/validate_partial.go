package sim

import "fmt"

// validatePartial checks the fields that model partial visibility and the
// newer wire knobs (docs/scenario.md); validate calls it last.
func (sc *Scenario) validatePartial(c *checker) {
	for i, ia := range sc.InfraAccounts {
		for j, u := range ia.Users {
			for k, d := range u.Devices {
				if d == "" {
					c.add(fmt.Sprintf("infraAccounts[%d].users[%d].devices[%d]", i, j, k), "want a device hostname or id, got \"\"")
				}
			}
		}
	}
}
