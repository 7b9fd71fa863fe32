package commands

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
)

// scopeFlags choose the regions and resource groups a fleet-wide verb
// covers (orphan, check --all-clusters): the target by default.
type scopeFlags struct {
	region, group      string
	allRegions, allRGs bool
}

// add declares the flags; allRegions and allGroups are the help texts of
// --all-regions and --all-resource-groups, which say what is walked.
func (s *scopeFlags) add(env *Env, c *cobra.Command, allRegions, allGroups string) {
	T := env.T.T
	f := c.Flags()
	f.StringVarP(&s.region, "region", "r", "", T("Walk REGION instead of the targeted region"))
	f.BoolVar(&s.allRegions, "all-regions", false, allRegions)
	f.StringVarP(&s.group, "resource-group", "g", "", T("Walk resource group GROUP (name or ID) instead of the targeted one"))
	f.BoolVar(&s.allRGs, "all-resource-groups", false, allGroups)
}

// check checks the flags before anything is read.
func (s *scopeFlags) check(env *Env, c *cobra.Command) error {
	if s.region != "" && s.allRegions {
		return usageErr(env, c, errors.New("--region, --all-regions"))
	}
	if s.group != "" && s.allRGs {
		return usageErr(env, c, errors.New("--resource-group, --all-resource-groups"))
	}
	if c.Flags().Changed("region") {
		s.region = strings.ToLower(strings.TrimSpace(s.region))
		if !slices.Contains(ibm.Regions, s.region) {
			return badValue(env, c, "--region", s.region, strings.Join(ibm.Regions, ", "))
		}
	}
	return nil
}

// walkOptions resolve the flags against the session: -g by name or ID, and
// a region there must be.
func (s *scopeFlags) walkOptions(ctx context.Context, env *Env, c *cobra.Command, src facts.Source, sess facts.Session) (ibm.WalkOptions, error) {
	wo := ibm.WalkOptions{Region: s.region, AllRegions: s.allRegions, AllGroups: s.allRGs}
	if s.group != "" {
		g, err := findGroup(ctx, env, src, sess, s.group)
		if err != nil {
			return wo, err
		}
		wo.Group = g
	}
	if wo.Region == "" && !wo.AllRegions && sess.Region == "" {
		return wo, usageErr(env, c, errors.New(env.T.T("no region is targeted: pass --region REGION or --all-regions")))
	}
	return wo, nil
}
