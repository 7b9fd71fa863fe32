package commands

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ks-doctor/ks-doctor/internal/render"
)

// flagError says in the user's language what pflag found wrong with a flag
// (pflag's own messages are English and fixed). Errors of another kind are
// returned as they are.
func flagError(env *Env, err error) error {
	T := env.T.T
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		return errors.New(T("unknown flag {{.Flag}}", map[string]any{"Flag": specified(notExist.GetSpecifiedName(), notExist.GetSpecifiedShortnames())}))
	case errors.As(err, &noValue):
		return errors.New(T("flag {{.Flag}} needs a value", map[string]any{"Flag": specified(noValue.GetSpecifiedName(), noValue.GetSpecifiedShortnames())}))
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return errors.New(T("{{.Flag}} {{.Value}}: use {{.Allowed}}",
			map[string]any{"Flag": "--" + f.Name, "Value": render.Safe(invalid.GetValue()), "Allowed": allowedValues(env, f)}))
	case errors.As(err, &syntax):
		return errors.New(T("bad flag syntax: {{.Flag}}", map[string]any{"Flag": render.Safe(syntax.GetSpecifiedFlag())}))
	}
	return err
}

// specified is the flag as the user typed it: -x when pflag was reading a
// group of shorthands (then name is the one letter), else --name.
func specified(name, shorthands string) string {
	if shorthands != "" {
		return "-" + name
	}
	return "--" + name
}

// allowedValues names what a flag of f's type accepts.
func allowedValues(env *Env, f *pflag.Flag) string {
	switch f.Value.Type() {
	case "int":
		return env.T.T("a whole number")
	case "bool":
		return "true, false"
	}
	return env.T.T("a value of the form the help shows")
}

// noArgs is cobra.NoArgs in the user's language (cobra's is English),
// naming what was given.
func noArgs(env *Env) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return usageErr(env, c, errors.New(env.T.T("{{.Command}} takes no arguments, but was given: {{.Args}}",
			map[string]any{"Command": "ibmcloud " + c.CommandPath(), "Args": render.Safe(strings.Join(args, " "))})))
	}
}

// unknownCommand is the root's answer to a command it does not have: the
// commands it does have, in the user's language (cobra's own is English).
func unknownCommand(env *Env) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		var names []string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, "'"+sub.Name()+"'") // command names quoted, as the CLI quotes them
			}
		}
		return usageErr(env, c, errors.New(env.T.T("unknown command {{.Command}}; the commands are: {{.Commands}}",
			map[string]any{"Command": render.Safe(args[0]), "Commands": strings.Join(names, ", ")})))
	}
}
