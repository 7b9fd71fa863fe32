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

// explain is offline: it reads neither the CLI session nor its config (not even the colour
// setting, which the other commands take from the plug-in context), only its input.
func newExplain(env *Env) *cobra.Command {
	g := &global{}
	list := false
	c := &cobra.Command{
		Use:   "explain [TEXT | ENTRY_ID | --list] [--output FORMAT]",
		Short: env.T.T("Explain an IKS or infrastructure error message, offline"),
		Long: env.T.T("Explain an IKS or infrastructure error message, offline. Give the message as an argument or on standard input "+
			"(for example a Terraform log or the output of 'ibmcloud ks worker get'); every known error in it is explained, and IBM Cloud "+
			"errors that no entry knows word for word are classified by service, status, code and wording. Standard input is read up to "+
			"{{.Limit}} MiB. 'explain ENTRY_ID' shows one entry, 'explain --list' lists them all. No login is needed, nothing is read "+
			"from the CLI session and nothing is sent anywhere.", map[string]any{"Limit": catalog.MaxInput >> 20}),
		RunE: func(c *cobra.Command, args []string) error {
			if err := g.validate(env, c); err != nil {
				return err
			}
			if list {
				if len(args) > 0 {
					return usageErr(env, c, errors.New(env.T.T("--list takes no message")))
				}
				if g.json() {
					return render.EntriesJSON(env.Stdout, env.T, catalog.Entries())
				}
				return textRenderer(env).Entries(catalog.Entries())
			}
			return runExplain(env, c, g, args)
		},
	}
	addGlobal(env, c, g)
	c.Flags().BoolVar(&list, "list", false, env.T.T("List the catalog's entries (id, topic, title)"))
	return c
}

// explainLimit is catalog.MaxInput; tests lower it to check truncation without 8 MiB of input.
var explainLimit = catalog.MaxInput

func runExplain(env *Env, c *cobra.Command, g *global, args []string) error {
	text := strings.Join(args, " ")
	if len(args) == 1 {
		if e, ok := catalog.Lookup(args[0]); ok { // `explain E-could-not-place-order`
			if g.json() {
				return render.EntryJSON(env.Stdout, env.T, e)
			}
			return textRenderer(env).Entry(e)
		}
	}
	if len(args) == 0 {
		if env.Stdin == nil || env.StdinTerminal {
			// Never wait on a terminal for input nobody announced.
			return usageErr(env, c, errors.New(env.T.T("give the error message as an argument or on standard input")))
		}
		// One byte past the limit tells a paste that was cut from one that just fits.
		data, err := io.ReadAll(io.LimitReader(env.Stdin, int64(explainLimit)+1))
		if err != nil {
			return &Failure{Msg: env.T.T("Could not read standard input: {{.Error}}", map[string]any{"Error": err.Error()})}
		}
		text = string(data)
	}
	if strings.TrimSpace(text) == "" {
		return usageErr(env, c, errors.New(env.T.T("give the error message as an argument or on standard input")))
	}
	if len(text) > explainLimit {
		text = text[:explainLimit]
		io.WriteString(env.Stderr, env.T.T("The input is longer than {{.Limit}} MiB: only the first {{.Limit}} MiB were read and explained.",
			map[string]any{"Limit": explainLimit >> 20})+"\n")
	}
	hits := catalog.Match(text)
	var err error
	if g.json() {
		err = render.ExplainJSON(env.Stdout, env.T, hits)
	} else {
		err = textRenderer(env).Explain(hits)
	}
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		return &diag.Exit{Code: diag.ExitFail}
	}
	return nil
}
