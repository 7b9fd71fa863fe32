package commands

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"mvdan.cc/sh/v3/syntax"

	"github.com/ks-doctor/ks-doctor/internal/sim"
	"github.com/ks-doctor/ks-doctor/internal/sim/simtest"
)

// evilGroup is a resource group name a shell would split, expand or run.
const evilGroup = `Default Group; touch /tmp/pwned $(id) "x" 'y' ` + "`z`"

// fixCommands runs check on every cluster of the scenario and orphan, and
// returns every command they print for a person to paste.
func fixCommands(t *testing.T, sc *sim.Scenario) []string {
	t.Helper()
	w := newWorldOf(t, sc, sim.Options{}, session{})
	var out []string
	for _, c := range sc.Clusters {
		stdout, _, _ := w.run(t, "en_US", "check", "-c", c.Name, "--output", "json")
		var doc struct {
			Findings []struct {
				Fix   []string
				Steps []struct{ Command string }
			}
		}
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for _, f := range doc.Findings {
			out = append(out, f.Fix...)
			for _, s := range f.Steps {
				out = append(out, s.Command)
			}
		}
	}
	stdout, _, _ := w.run(t, "en_US", "orphan", "--all-regions", "--all-resource-groups", "--output", "json")
	var plan struct {
		Plan []struct{ Recommended struct{ Commands []string } }
	}
	if err := json.Unmarshal([]byte(stdout), &plan); err == nil {
		for _, p := range plan.Plan {
			out = append(out, p.Recommended.Commands...)
		}
	}
	return out
}

var placeholderWord = regexp.MustCompile(`<[A-Za-z0-9_.-]+>`)

// groupRef is a resource group named in a scenario (its definition or a
// reference), the name captured: default or team-a.
var groupRef = regexp.MustCompile(`(, name|resourceGroup): (default|team-a)([},\n ])`)

// pasted parses a command as a POSIX shell would, after the user replaced
// its placeholders, and returns its words; it fails on anything but one
// plain command (no expansion, substitution, redirection, second command).
func pasted(t *testing.T, command string) []string {
	t.Helper()
	src := placeholderWord.ReplaceAllString(command, "PLACEHOLDER")
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(src), "")
	if err != nil {
		t.Errorf("%q does not parse: %v", command, err)
		return nil
	}
	if len(f.Stmts) != 1 || len(f.Stmts[0].Redirs) != 0 || f.Stmts[0].Background {
		t.Errorf("%q is not one plain command", command)
		return nil
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) != 0 {
		t.Errorf("%q is not a simple command", command)
		return nil
	}
	var words []string
	for _, w := range call.Args {
		var b strings.Builder
		for _, part := range w.Parts {
			switch p := part.(type) {
			case *syntax.Lit:
				b.WriteString(unescape(p.Value))
			case *syntax.SglQuoted:
				b.WriteString(p.Value)
			default:
				t.Errorf("%q: word %d expands or substitutes (%T)", command, len(words), part)
			}
		}
		words = append(words, b.String())
	}
	return words
}

// Every fix command of every bundled scenario, and of scenarios whose
// resource group names hold spaces and shell metacharacters, pastes into a
// POSIX shell as one plain command whose arguments are the values meant.
func TestTableFixCommandsPaste(t *testing.T) {
	heavyTable(t)
	worlds := simtest.Bundled(t)
	for _, name := range []string{"rg-mismatch", "manual-credentials-other-account", "orphan-cluster1", "totp-payg", "vlan-reclaimed", "worker-states"} {
		worlds = append(worlds, variant(t, name, func(y string) string {
			quoted := "'" + strings.ReplaceAll(evilGroup, "'", "''")
			y = groupRef.ReplaceAllString(y, "${1}: "+quoted+" ${2}'${3}")
			return y
		}))
	}
	var evil atomic.Int32
	t.Run("worlds", func(t *testing.T) {
		for _, sc := range worlds {
			t.Run(sc.File, func(t *testing.T) {
				t.Parallel()
				groups, clusters, regions := map[string]bool{}, map[string]bool{}, map[string]bool{}
				for _, g := range sc.ResourceGroups {
					groups[g.Name] = true
				}
				for _, c := range sc.Clusters {
					clusters[c.Name], clusters[c.ID], regions[c.Region] = true, true, true
				}
				for _, command := range fixCommands(t, sc) {
					words := pasted(t, command)
					for i := 0; i+1 < len(words); i++ {
						v := words[i+1]
						switch {
						case v == "PLACEHOLDER":
						case slices.Contains([]string{"-g", "--resource-group"}, words[i]) && !groups[v]:
							t.Errorf("%s: %q: -g %q is not a resource group of the account", sc.File, command, v)
						case slices.Contains([]string{"-c", "--cluster"}, words[i]) && words[0] == "ibmcloud" && !clusters[v]:
							t.Errorf("%s: %q: --cluster %q is not a cluster", sc.File, command, v)
						case slices.Contains([]string{"-r", "--region"}, words[i]) && !regions[v] && sc.Session.Region != v:
							t.Errorf("%s: %q: --region %q is no cluster's region", sc.File, command, v)
						}
						if strings.HasPrefix(v, "Default Group;") {
							evil.Add(1)
						}
					}
				}
			})
		}
	})
	if evil.Load() == 0 {
		t.Error("no command named the resource group with metacharacters: the test proves nothing")
	}
}

// unescape is what the shell makes of an unquoted literal: a backslash
// keeps the next character.
func unescape(lit string) string {
	var b strings.Builder
	for i := 0; i < len(lit); i++ {
		if lit[i] == '\\' && i+1 < len(lit) {
			i++
		}
		b.WriteByte(lit[i])
	}
	return b.String()
}

// No fix command of any bundled scenario leaves a placeholder for a value
// the run knows: the cluster, its region and resource group, a worker, its
// zone and pool, the API key owner. What stays is what the user must
// choose or bring (a VLAN to move to, an infrastructure API key).
func TestFixCommandsFillInWhatIsKnown(t *testing.T) {
	known := map[string]bool{"cluster": true, "cluster_name_or_ID": true, "cluster_ID": true, "worker": true, "worker_node_ID": true,
		"region": true, "resource_group": true, "zone": true, "worker_pool": true, "pool": true, "user_email": true, "owner_email": true}
	for _, sc := range simtest.Bundled(t) {
		t.Run(sc.File, func(t *testing.T) {
			t.Parallel()
			w := newWorldOf(t, sc, sim.Options{}, session{})
			for _, c := range sc.Clusters {
				stdout, _, _ := w.run(t, "en_US", "check", "-c", c.Name, "--output", "json")
				var doc struct {
					Findings []struct {
						Check string
						Fix   []string
					}
				}
				if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
					t.Fatal(err)
				}
				for _, f := range doc.Findings {
					for _, cmd := range f.Fix {
						for _, p := range placeholderWord.FindAllString(cmd, -1) {
							if known[strings.Trim(p, "<>")] {
								t.Errorf("%s: %s: %q leaves %s for a value the run knows", c.Name, f.Check, cmd, p)
							}
						}
					}
				}
			}
		})
	}
}
