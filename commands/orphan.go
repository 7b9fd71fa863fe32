package commands

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
	"github.com/ks-doctor/ks-doctor/internal/ibm"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

// EnvClassicCredentials names a file of extra classic infrastructure
// credentials, like --classic-credentials; SL_USERNAME and SL_API_KEY (the
// SoftLayer tools' variables) add one pair.
const EnvClassicCredentials = "KS_DOCTOR_CLASSIC_CREDENTIALS"

type orphanOpts struct {
	global
	scopeFlags
	credentialsFile string
	concurrency     int
	timeout         string
	statuses        []string
}

func newOrphan(env *Env) *cobra.Command {
	o := &orphanOpts{}
	T := env.T.T
	c := &cobra.Command{
		Use: "orphan [-r, --region REGION | --all-regions] [-g, --resource-group GROUP | --all-resource-groups] " +
			"[--status STATUS,...] [--classic-credentials FILE] [--concurrency N] [--timeout DURATION] [--output FORMAT] [-q]",
		Short: T("Find orphaned classic clusters and plan the credential setting that orphans the fewest"),
		Args:  noArgs(env),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := o.validate(env, c); err != nil {
				return err
			}
			return runOrphan(env, c, o)
		},
	}
	o.scopeFlags.add(env, c, T("Walk every region that has classic clusters"), T("Walk every resource group that has classic clusters"))
	f := c.Flags()
	f.StringSliceVar(&o.statuses, "status", nil, T("Show only the clusters of these statuses: orphaned, mixed, unknown, no-workers, ok (comma-separated, or the flag repeated); the summary still counts every cluster"))
	f.StringVar(&o.credentialsFile, "classic-credentials", "", T("FILE of extra classic infrastructure credentials, one 'USERNAME API_KEY' per line, for accounts that no IBM Cloud account of yours links"))
	f.IntVar(&o.concurrency, "concurrency", 8, T("Read at most N things from IBM Cloud at a time"))
	f.StringVar(&o.timeout, "timeout", "10m", T("Stop reading IBM Cloud after DURATION, for example 90s"))
	addGlobal(env, c, &o.global)
	return c
}

func runOrphan(env *Env, c *cobra.Command, o *orphanOpts) error {
	if err := o.scopeFlags.check(env, c); err != nil {
		return err
	}
	if o.concurrency < 1 || o.concurrency > 64 {
		return badValue(env, c, "--concurrency", strconv.Itoa(o.concurrency), env.T.T("a whole number from 1 to 64"))
	}
	statuses, err := orphanStatuses(env, c, o.statuses, c.Flags().Changed("status"))
	if err != nil {
		return err
	}
	timeout, err := parseTimeout(env, c, o.timeout)
	if err != nil {
		return err
	}
	creds, err := classicCredentials(env, o.credentialsFile)
	if err != nil {
		return err
	}
	for _, cr := range creds {
		env.addSecrets(cr.APIKey)
	}
	ctx, cancel := context.WithTimeout(env.runContext(), timeout)
	defer cancel()
	sess, client, err := connectCtx(ctx, env)
	if err != nil {
		return err
	}
	env.addSecrets(SessionSecrets(env, client)...)

	wo, err := o.scopeFlags.walkOptions(ctx, env, c, client, sess)
	if err != nil {
		return err
	}
	wo.Concurrency, wo.Classic = o.concurrency, creds
	var endProgress func()
	wo.Progress, endProgress = progressLine(env, o.quiet)
	fleet := client.Walk(ctx, sess, wo)
	endProgress()
	env.addSecrets(SessionSecrets(env, client)...) // the account-bound tokens of the walk
	if fleet.HandBackErr != nil {
		fmt.Fprintln(env.Stderr, env.T.T("Warning: the refreshed session could not be saved ({{.Error}}); if 'ibmcloud' asks you to, run 'ibmcloud login' again.",
			map[string]any{"Error": render.Safe(fleet.HandBackErr.Error())}))
	}
	for _, r := range fleet.Rejected {
		fmt.Fprintln(env.Stderr, env.T.T("{{.Source}}: the classic infrastructure API key of {{.User}} was not accepted ({{.Error}}); its account was not searched.",
			map[string]any{"Source": render.Safe(r.Source), "User": render.Safe(r.Username), "Error": render.Safe(r.Err.Error())}))
	}
	report := diag.Orphans(fleet, sess.IMSAccountID)
	if o.json() {
		err = render.OrphanJSON(env.Stdout, env.T, env.plugin(), sess, report, statuses)
	} else {
		err = textRenderer(env).Orphan(report, statuses)
	}
	if err != nil {
		return err
	}
	if v := report.Exit(); v != nil {
		return v
	}
	return nil
}

// orphanStatuses checks --status: each value one of diag.OrphanStatuses,
// each once, in the order given. No flag means every status; an empty one
// is a mistake, not "everything".
func orphanStatuses(env *Env, c *cobra.Command, values []string, given bool) ([]string, error) {
	if given && len(values) == 0 {
		return nil, badValue(env, c, "--status", "''", strings.Join(diag.OrphanStatuses, ", "))
	}
	var out []string
	for _, v := range values {
		s := strings.ToLower(strings.TrimSpace(v))
		if !slices.Contains(diag.OrphanStatuses, s) {
			return nil, badValue(env, c, "--status", v, strings.Join(diag.OrphanStatuses, ", "))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// findGroup resolves -g by name or ID.
func findGroup(ctx context.Context, env *Env, src facts.Source, sess facts.Session, name string) (*facts.ResourceGroup, error) {
	groups, err := src.ResourceGroups(ctx, sess.AccountID)
	if err != nil {
		return nil, &Failure{Msg: err.Error()}
	}
	for _, g := range groups {
		if g.Name == name || g.ID == name {
			return &g, nil
		}
	}
	return nil, &Failure{Msg: env.T.T("Resource group '{{.Group}}' was not found in account {{.Account}}. To list resource groups, run 'ibmcloud resource groups'.",
		map[string]any{"Group": name, "Account": sess.AccountName})}
}

// classicCredentials reads extra classic credentials from a file (the flag,
// else KS_DOCTOR_CLASSIC_CREDENTIALS) and from SL_USERNAME/SL_API_KEY. Keys
// are secrets: errors name the file and line, never the content.
func classicCredentials(env *Env, file string) ([]ibm.ClassicCredential, error) {
	if file == "" && env.Getenv != nil {
		file = env.Getenv(EnvClassicCredentials)
	}
	var out []ibm.ClassicCredential
	if env.Getenv != nil && env.Getenv("SL_USERNAME") != "" && env.Getenv("SL_API_KEY") != "" {
		out = append(out, ibm.ClassicCredential{Username: env.Getenv("SL_USERNAME"), APIKey: env.Getenv("SL_API_KEY"), Source: "SL_USERNAME/SL_API_KEY"})
	}
	if file == "" {
		return out, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, &Failure{Msg: env.T.T("Could not read the classic credentials file {{.File}}: {{.Error}}", map[string]any{"File": file, "Error": errors.Unwrap(err)})}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(strings.Replace(line, ":", " ", 1))
		if len(fields) != 2 {
			return nil, &Failure{Msg: env.T.T("{{.File}}, line {{.Line}}: expected 'USERNAME API_KEY'.", map[string]any{"File": file, "Line": n})}
		}
		out = append(out, ibm.ClassicCredential{Username: fields[0], APIKey: fields[1],
			Source: env.T.T("{{.File}}, line {{.Line}}", map[string]any{"File": file, "Line": n})})
	}
	if err := sc.Err(); err != nil {
		// A line longer than the scanner takes (a pasted blob, a binary
		// file): named by number, never quoted.
		return nil, &Failure{Msg: env.T.T("{{.File}}, line {{.Line}}: the line could not be read ({{.Error}}).",
			map[string]any{"File": file, "Line": n + 1, "Error": err.Error()})}
	}
	return out, nil
}
