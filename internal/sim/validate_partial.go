package sim

import "fmt"

// validatePartial checks the fields that model partial visibility and the
// newer wire knobs (docs/scenario.md); validate calls it last.
func (sc *Scenario) validatePartial(c *checker) {
	c.enum("account.restrictUserListVisibility", sc.Account.RestrictUserListVisibility, set(UserListRestricted, UserListNotRestricted))
	for i, u := range sc.Users {
		for j, l := range u.Limited {
			c.enum(fmt.Sprintf("users[%d].limited[%d]", i, j), l, set(Limits...))
		}
	}
	c.enum("wire.softlayerPageOrder", sc.Wire.SoftLayerPageOrder, set(PageOrderStable, PageOrderUnordered))
	if sc.Wire.SoftLayerMaxResultLimit < 0 {
		c.add("wire.softlayerMaxResultLimit", "must not be negative")
	}
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

// partialDefaults fills the defaults of the fields validatePartial checks;
// applyDefaults calls it first.
func (sc *Scenario) partialDefaults() {
	def(&sc.Wire.SoftLayerPageOrder, PageOrderStable)
	def(&sc.Account.RestrictUserListVisibility, UserListNotRestricted)
}
