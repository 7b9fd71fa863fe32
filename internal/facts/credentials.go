package facts

// Owner is the user whose API key IKS uses for a region and resource group
// (`ibmcloud ks api-key info`).
type Owner struct {
	IAMID string
	Name  string
	Email string
}

// Credentials are the manually set classic infrastructure credentials of a
// region and resource group (`ibmcloud ks credential get`). Set is false on
// IKS error E0051: none are set, so the account's linked infrastructure
// account is used through the API key owner.
type Credentials struct {
	Set           bool
	Region        string
	ResourceGroup string
	APIUser       string // classic username, e.g. 1234567_jane@example.com
}

// Account is the classic infrastructure account these credentials make IKS
// use: the manually set one, else the account linked to the IBM Cloud
// account (linkedIMS). The one place that decides it.
func (c Credentials) Account(linkedIMS string) string {
	if c.Set {
		return c.InfraAccount()
	}
	return linkedIMS
}

// InfraAccount is the classic infrastructure account a username belongs to:
// IBMid-linked classic usernames are "<IMS account id>_<email>".
func (c Credentials) InfraAccount() string {
	for i := 0; i < len(c.APIUser); i++ {
		if c.APIUser[i] == '_' {
			if i > 0 && digits(c.APIUser[:i]) {
				return c.APIUser[:i]
			}
			break
		}
	}
	return ""
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// InfraPermissions is `ibmcloud ks infra-permissions get`: what the
// credentials of a region and resource group lack.
type InfraPermissions struct {
	Account     string // the infrastructure account the credentials reach
	AccountType string // "linked" or "iaas"
	Missing     []MissingPermissions
}

// MissingPermissions of one category (virtual worker, physical worker,
// network, storage) and level (required or recommended).
type MissingPermissions struct {
	Category    string
	Required    bool
	Permissions []string
}
