package commands

import (
	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

func newChecks(env *Env) *cobra.Command {
	g := &global{}
	c := &cobra.Command{
		Use:   "checks [--output FORMAT]",
		Short: env.T.T("List all checks with their IDs, categories and the data they read"),
		Args:  noArgs(env),
		RunE: func(c *cobra.Command, _ []string) error {
			if err := g.validate(env, c); err != nil {
				return err
			}
			if g.json() {
				return render.ChecksJSON(env.Stdout, env.T, diag.All)
			}
			return textRenderer(env).Checks(diag.All)
		},
	}
	addGlobal(env, c, g)
	return c
}
