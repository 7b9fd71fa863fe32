package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decode reads a scenario strictly (a typo in a key must not silently drop
// data) and indexes its YAML nodes, so that validation, which works on the
// decoded structs, can still name the line of a field.
func decode(file string, data []byte) (*Scenario, *nodeIndex, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, nil, yamlError(file, nil, err)
	}
	idx := indexNodes(&root)
	var sc Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&sc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("%s: empty scenario", file)
		}
		return nil, nil, yamlError(file, idx, err)
	}
	sc.File = file
	return &sc, idx, nil
}

// nodeIndex maps a field path (clusters[0].region) to its YAML node, so that
// validation, which works on decoded structs, can still report a line.
type nodeIndex struct {
	byPath map[string]*yaml.Node
	keys   []keyNode // every mapping key, for yaml.v3 errors that only give a line
}

type keyNode struct {
	path string
	node *yaml.Node
}

func indexNodes(root *yaml.Node) *nodeIndex {
	idx := &nodeIndex{byPath: map[string]*yaml.Node{}}
	var walk func(n *yaml.Node, p string)
	walk = func(n *yaml.Node, p string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, p)
			}
			return
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				cp := k.Value
				if p != "" {
					cp = p + "." + k.Value
				}
				idx.keys = append(idx.keys, keyNode{cp, k})
				walk(v, cp)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", p, i))
			}
		}
		idx.byPath[p] = n
	}
	walk(root, "")
	return idx
}

// line finds the line of path, or of its nearest existing parent (a missing
// required field is reported where its parent starts).
func (idx *nodeIndex) line(p string) int {
	if idx == nil {
		return 0
	}
	for p != "" {
		if n, ok := idx.byPath[p]; ok {
			return n.Line
		}
		if i := strings.LastIndexAny(p, ".["); i >= 0 {
			p = p[:i]
		} else {
			p = ""
		}
	}
	if n, ok := idx.byPath[""]; ok {
		return n.Line
	}
	return 0
}

var lineRe = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlError rewrites yaml.v3's "line N: ..." messages into file:line: path: msg.
func yamlError(file string, idx *nodeIndex, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
		}
		return fmt.Errorf("%s: %s", file, msg)
	}
	var out []error
	for _, e := range te.Errors {
		m := lineRe.FindStringSubmatch(e)
		if m == nil {
			out = append(out, fmt.Errorf("%s: %s", file, e))
			continue
		}
		var line int
		fmt.Sscan(m[1], &line)
		out = append(out, &ScenarioError{File: file, Line: line, Path: idx.pathAt(line, m[2]), Msg: m[2]})
	}
	return errors.Join(out...)
}

// pathAt names the key on line whose name appears in msg (yaml.v3 says
// "field foo not found in type ..."), or else any key on that line.
func (idx *nodeIndex) pathAt(line int, msg string) string {
	if idx == nil {
		return ""
	}
	found := ""
	for _, k := range idx.keys {
		if k.node.Line != line {
			continue
		}
		if strings.Contains(msg, "field "+k.node.Value+" ") {
			return k.path
		}
		if found == "" {
			found = k.path
		}
	}
	return found
}
