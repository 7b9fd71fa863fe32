package commands

import (
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ks-doctor/ks-doctor/internal/catalog"
	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/render"
)

func newExplain(env *Env) *cobra.Command {
	g := &global{}
	c := &cobra.Command{
		Use:   "explain [TEXT] [--output FORMAT]",
		Short: env.T.T("Explain an IKS or infrastructure error message, offline"),
		Long: env.T.T("Explain an IKS or infrastructure error message, offline. Give the message as an argument or on standard input " +
			"(for example a Terraform log or the output of 'ibmcloud ks worker get'); every known error in it is explained. " +
			"No login is needed and nothing is sent anywhere."),
		RunE: func(c *cobra.Command, args []string) error {
			if err := g.validate(env, c); err != nil {
				return err
			}
			return runExplain(env, c, g, args)
		},
	}
	addGlobal(env, c, g)
	return c
}

func runExplain(env *Env, c *cobra.Command, g *global, args []string) error {
	text := strings.Join(args, " ")
	if len(args) == 0 {
		if env.Stdin == nil || env.StdinTerminal {
			// Never wait on a terminal for input nobody announced.
			return usageErr(env, c, errors.New(env.T.T("give the error message as an argument or on standard input")))
		}
		data, err := io.ReadAll(io.LimitReader(env.Stdin, catalog.MaxInput))
		if err != nil {
			return &Failure{Msg: env.T.T("Could not read standard input: {{.Error}}", map[string]any{"Error": err.Error()})}
		}
		text = string(data)
	}
	if strings.TrimSpace(text) == "" {
		return usageErr(env, c, errors.New(env.T.T("give the error message as an argument or on standard input")))
	}
	hits := catalog.Match(text)
	var err error
	if g.json() {
		err = render.ExplainJSON(env.Stdout, env.T, hits)
	} else {
		err = render.Text{W: env.Stdout, T: env.T, Color: colour(env)}.Explain(hits)
	}
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		return &diag.Verdict{Code: diag.ExitFail}
	}
	return nil
}
