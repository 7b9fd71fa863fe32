package sim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/configuration/core_config"
	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/bluemix/models"
)

// SessionOptions choose what `ibmcloud login` + `ibmcloud target` left behind.
type SessionOptions struct {
	// Server mints the tokens and is where the IAM endpoint points; it must
	// be started (Start) so its URL is known.
	Server *Server
	Region string // targeted region, "" = none
	Group  string // targeted resource group name, "" = none targeted
	Locale string // e.g. en_US; "" leaves the CLI default
	// ExpiredAccessToken writes an access token whose exp is in the past
	// (with a valid refresh token), so the CLI SDK must refresh through
	// the simulator before any call.
	ExpiredAccessToken bool
}

// DefaultSessionOptions targets what the scenario's session says.
func DefaultSessionOptions(srv *Server) SessionOptions {
	s := srv.Scenario().Session
	return SessionOptions{Server: srv, Region: s.Region, Group: s.ResourceGroup, Locale: s.Locale}
}

// WriteSession writes <home>/.bluemix/config.json through the CLI SDK's own
// config code, so the file is byte-for-byte what the CLI would write and
// any format drift in the SDK shows up here first.
func WriteSession(home string, opts SessionOptions) error {
	srv := opts.Server
	if srv == nil || srv.URL() == "" {
		return errors.New("sim: SessionOptions.Server must be a started server")
	}
	sc := srv.Scenario()
	var group *ResourceGroup
	if opts.Group != "" {
		if group = sc.GroupByName(opts.Group); group == nil {
			return fmt.Errorf("sim: scenario %s has no resource group %q", sc.File, opts.Group)
		}
	}
	if opts.Region != "" && !set(Regions...)[opts.Region] {
		return fmt.Errorf("sim: unknown region %q", opts.Region)
	}
	path := filepath.Join(home, ".bluemix", "config.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	var errs []error
	cfg := core_config.NewCoreConfigFromPath(path, func(err error) { errs = append(errs, err) })

	iam := srv.URL() + PrefixIAM
	// APIEndpoint stays the real one, as after a real login: every service
	// URL reaches the simulator through the KS_DOCTOR_*_URL variables, and
	// a client that forgets them fails loudly instead of half-working.
	cfg.SetAPIEndpoint("https://cloud.ibm.com")
	cfg.SetConsoleEndpoints(models.Endpoints{PublicEndpoint: "https://cloud.ibm.com"})
	// All three IAM endpoints point at the simulator so a refresh can never
	// leave the machine, whatever the private-endpoint setting.
	cfg.SetIAMEndpoints(models.Endpoints{PublicEndpoint: iam, PrivateEndpoint: iam, PrivateVPCEndpoint: iam})
	cfg.SetCloudType("public")
	cfg.SetCloudName("bluemix")
	cfg.SetRegion(models.Region{Name: opts.Region})
	cfg.SetAccount(models.Account{GUID: sc.Account.ID, Name: sc.Account.Name, Owner: sc.Account.Owner})
	if group != nil {
		cfg.SetResourceGroup(models.ResourceGroup{GUID: group.ID, Name: group.Name, State: "ACTIVE", Default: group.Default, QuotaID: group.QuotaID})
	}
	cfg.SetLocale(opts.Locale)
	cfg.SetLoginAt(time.Now().UTC())
	access, refresh := srv.issueSession(opts.ExpiredAccessToken)
	// Tokens last: their setters save the raw map, which the struct
	// setters above have filled.
	cfg.SetIAMToken("Bearer " + access)
	cfg.SetIAMRefreshToken(refresh)
	return errors.Join(append(errs, writeKube(home, srv))...)
}
