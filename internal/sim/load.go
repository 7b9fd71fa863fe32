package sim

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Loading a scenario is three steps, each in files of its own: decode
// (decode.go: strict YAML, an unknown key is an error, and the line of
// every field is kept for messages), validate (validate*.go: one function
// per section of the schema; every fault is reported, with file, line and
// field) and derive (derive*.go: the defaults, and what follows from the
// scenario as written: linked infrastructure users, each classic worker's
// device and VLANs, worker pools, VPC ids). Handlers only read the result.

//go:embed scenarios/*.yaml
var bundled embed.FS

// Names lists the bundled scenarios.
func Names() []string {
	entries, _ := fs.ReadDir(bundled, "scenarios")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// Load reads a bundled scenario by name, or a scenario file by path.
func Load(nameOrPath string) (*Scenario, error) {
	if !strings.ContainsAny(nameOrPath, `/\`) && !strings.HasSuffix(nameOrPath, ".yaml") && !strings.HasSuffix(nameOrPath, ".yml") {
		file := "scenarios/" + nameOrPath + ".yaml"
		data, err := bundled.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("unknown scenario %q (bundled: %s; or give a file path)", nameOrPath, strings.Join(Names(), ", "))
		}
		return Parse(file, data)
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, err
	}
	return Parse(nameOrPath, data)
}

// Parse decodes, validates and derives a scenario; file is only used in
// messages. Errors read "file:line: path: message".
func Parse(file string, data []byte) (*Scenario, error) {
	sc, idx, err := decode(file, data)
	if err != nil {
		return nil, err
	}
	if err := sc.complete(idx); err != nil {
		return nil, err
	}
	return sc, nil
}

// complete validates a decoded (or generated) scenario and derives what
// follows from it. idx gives the errors their lines; nil (a generated
// scenario has no file) leaves them out.
func (sc *Scenario) complete(idx *nodeIndex) error {
	if errs := sc.validate(); len(errs) > 0 {
		var out []error
		for _, e := range errs {
			out = append(out, &ScenarioError{File: sc.File, Line: idx.line(e.path), Path: e.path, Msg: e.msg})
		}
		return errors.Join(out...)
	}
	sc.derive()
	return nil
}

// ScenarioError is one fault in a scenario file.
type ScenarioError struct {
	File string
	Line int
	Path string // e.g. clusters[0].region
	Msg  string
}

func (e *ScenarioError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}
