package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
)

// bssAccount is an IBM Cloud account as the platform services see it: the
// scenario's account or one of its otherAccounts.
type bssAccount struct {
	ID, Name, Owner, Type, IMS, MFA string
	members                         []string // nil for the main account: every user not removed
}

func (sc *Scenario) bssAccounts() []bssAccount {
	a := sc.Account
	out := []bssAccount{{ID: a.ID, Name: a.Name, Owner: a.Owner, Type: a.Type, IMS: a.IMSAccount, MFA: a.MFA}}
	for _, o := range sc.OtherAccounts {
		m := o.Members
		if len(m) == 0 {
			m = []string{sc.Session.User}
		}
		out = append(out, bssAccount{ID: o.ID, Name: o.Name, Owner: o.Owner, Type: o.Type, IMS: o.IMSAccount, MFA: o.MFA, members: m})
	}
	return out
}

func (sc *Scenario) bssAccount(id string) *bssAccount {
	for _, a := range sc.bssAccounts() {
		if a.ID == id {
			return &a
		}
	}
	return nil
}

// isMember tells whether u belongs to the IBM Cloud account id.
func (sc *Scenario) isMember(u *User, id string) bool {
	a := sc.bssAccount(id)
	if a == nil || u == nil {
		return false
	}
	if a.ID == sc.Account.ID {
		return !u.Removed
	}
	return slices.Contains(a.members, u.Email) || slices.Contains(a.members, u.IAMID)
}

// user finds a user by e-mail or IAM id.
func (sc *Scenario) user(key string) *User {
	for i := range sc.Users {
		if sc.Users[i].Email == key || sc.Users[i].IAMID == key {
			return &sc.Users[i]
		}
	}
	return nil
}

// iamIDOf is the IAM id of the user key names (e-mail or IAM id), "" when
// it names none.
func (sc *Scenario) iamIDOf(key string) string {
	if u := sc.user(key); u != nil {
		return u.IAMID
	}
	return ""
}

func (u *User) denies(read string) bool { return u != nil && slices.Contains(u.Denied, read) }

// GroupByName finds a resource group by name.
func (sc *Scenario) GroupByName(name string) *ResourceGroup {
	for i := range sc.ResourceGroups {
		if sc.ResourceGroups[i].Name == name {
			return &sc.ResourceGroups[i]
		}
	}
	return nil
}

func (sc *Scenario) groupByID(id string) *ResourceGroup {
	for i := range sc.ResourceGroups {
		if sc.ResourceGroups[i].ID == id {
			return &sc.ResourceGroups[i]
		}
	}
	return nil
}

func (sc *Scenario) defaultGroup() *ResourceGroup {
	for i := range sc.ResourceGroups {
		if sc.ResourceGroups[i].Default {
			return &sc.ResourceGroups[i]
		}
	}
	return nil
}

// Cluster finds a cluster by id or name.
func (sc *Scenario) Cluster(idOrName string) *Cluster {
	for i := range sc.Clusters {
		if sc.Clusters[i].ID == idOrName || sc.Clusters[i].Name == idOrName {
			return &sc.Clusters[i]
		}
	}
	return nil
}

// InfraAccountByID finds a classic infrastructure account by number.
func (sc *Scenario) InfraAccountByID(id string) *InfraAccount {
	for i := range sc.InfraAccounts {
		if sc.InfraAccounts[i].ID == id {
			return &sc.InfraAccounts[i]
		}
	}
	return nil
}

// infraUser finds a classic user by username in any account.
func (sc *Scenario) infraUser(username string) (*InfraAccount, *InfraUser) {
	for i := range sc.InfraAccounts {
		if u := sc.InfraAccounts[i].user(username); u != nil {
			return &sc.InfraAccounts[i], u
		}
	}
	return nil, nil
}

func (ia *InfraAccount) user(username string) *InfraUser {
	for i := range ia.Users {
		if ia.Users[i].Username == username {
			return &ia.Users[i]
		}
	}
	return nil
}

func (ia *InfraAccount) userByID(id int64) *InfraUser {
	for i := range ia.Users {
		if ia.Users[i].ID == id {
			return &ia.Users[i]
		}
	}
	return nil
}

func (ia *InfraAccount) userByIAMID(iamID string) *InfraUser {
	for i := range ia.Users {
		if iamID != "" && ia.Users[i].IAMID == iamID {
			return &ia.Users[i]
		}
	}
	return nil
}

// apiKeyFor is the IKS API key of a region and resource group (by name).
func (sc *Scenario) apiKeyFor(region, group string) *ClusterAPIKey {
	for i := range sc.APIKeys {
		if sc.APIKeys[i].Region == region && sc.APIKeys[i].ResourceGroup == group {
			return &sc.APIKeys[i]
		}
	}
	return nil
}

// credentialFor is the manually set infrastructure credential of a region
// and resource group (by name), if any.
func (sc *Scenario) credentialFor(region, group string) *InfraCredential {
	for i := range sc.Credentials {
		if sc.Credentials[i].Region == region && sc.Credentials[i].ResourceGroup == group {
			return &sc.Credentials[i]
		}
	}
	return nil
}

// Secrets lists every secret value the scenario plants (IAM and
// infrastructure API keys, the canary), for redaction and for tests that
// grep output for leaks.
func (sc *Scenario) Secrets() []string {
	all := []string{sc.Canary, sc.Session.APIKey}
	for _, u := range sc.Users {
		all = append(all, u.APIKeys...)
	}
	for _, k := range sc.APIKeys {
		all = append(all, k.Value)
	}
	for _, c := range sc.Credentials {
		all = append(all, c.APIKey)
	}
	for _, ia := range sc.InfraAccounts {
		for _, u := range ia.Users {
			all = append(all, u.APIKeys...)
		}
	}
	var out []string
	for _, v := range all {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// uuidFrom derives a stable UUID-shaped id from seed, so the same
// scenario always yields the same ids.
func uuidFrom(seed string) string {
	b := sha256.Sum256([]byte(seed))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// numFrom derives a stable positive number with exactly n digits.
func numFrom(seed string, n int) int64 {
	b := sha256.Sum256([]byte(seed))
	lo := int64(1)
	for range n - 1 {
		lo *= 10
	}
	return lo + int64(binary.BigEndian.Uint64(b[:8])%uint64(9*lo))
}
