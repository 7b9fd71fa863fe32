package sim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// slFilter is a SoftLayer objectFilter below its relational property
// ({"virtualGuests":{"hostname":{"operation":"x"}}} → {"hostname":...}).
// Supported operations (what softlayer-go's filter package builds): a bare
// value (exact), _= (case-insensitive), != ~ !~ *= !*= ^= !^= $= !$= < <= >
// >=, "in" with options data, "is null", "not null", and orderBy.
type slFilter map[string]any

func parseFilter(raw, property string) (slFilter, error) {
	if raw == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber() // keep 2918270 as written, not 2.91827e+06
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	f, _ := root[property].(map[string]any)
	return f, nil
}

func (f slFilter) match(item map[string]any) bool { return matchNode(item, f) }

// matchNode walks the filter alongside the value; a list value (say
// tagReferences) matches when any element does.
func matchNode(val any, node map[string]any) bool {
	if op, ok := node["operation"]; ok {
		return matchOp(val, op, node["options"])
	}
	for k, child := range node {
		cn, ok := child.(map[string]any)
		if !ok {
			continue
		}
		var sub any
		if m, ok := val.(map[string]any); ok {
			sub = m[k]
		}
		if !matchAny(sub, cn) {
			return false
		}
	}
	return true
}

func matchAny(val any, node map[string]any) bool {
	var list []any
	switch v := val.(type) {
	case []any:
		list = v
	case []map[string]any:
		for _, e := range v {
			list = append(list, e)
		}
	default:
		return matchNode(val, node)
	}
	for _, e := range list {
		if matchNode(e, node) {
			return true
		}
	}
	return false
}

var slOps = []string{"!^=", "!$=", "!*=", "_=", "!=", "^=", "$=", "*=", "<=", ">=", "!~", "~", "<", ">"}

func matchOp(val, op, options any) bool {
	have := scalar(val)
	switch o := op.(type) {
	case json.Number:
		return val != nil && have == o.String()
	case string:
		switch o {
		case "in":
			for _, opt := range asList(options) {
				m, _ := opt.(map[string]any)
				if m["name"] != "data" {
					continue
				}
				for _, want := range asList(m["value"]) {
					if val != nil && have == scalar(want) {
						return true
					}
				}
			}
			return false
		case "orderBy":
			return true
		case "is null":
			return val == nil
		case "not null":
			return val != nil
		}
		operator, arg := "", o
		for _, candidate := range slOps {
			if n := len(candidate); len(o) > n && o[n] == ' ' && o[:n] == candidate {
				operator, arg = candidate, o[n+1:]
				break
			}
		}
		if val == nil {
			return strings.HasPrefix(operator, "!")
		}
		lh, la := strings.ToLower(have), strings.ToLower(arg)
		switch operator {
		case "":
			return have == arg
		case "_=":
			return lh == la
		case "!=":
			return have != arg
		case "^=":
			return strings.HasPrefix(lh, la)
		case "!^=":
			return !strings.HasPrefix(lh, la)
		case "$=":
			return strings.HasSuffix(lh, la)
		case "!$=":
			return !strings.HasSuffix(lh, la)
		case "*=":
			return strings.Contains(lh, la)
		case "!*=":
			return !strings.Contains(lh, la)
		case "~", "!~":
			return like(lh, la) == (operator == "~")
		default:
			a, err1 := strconv.ParseFloat(have, 64)
			b, err2 := strconv.ParseFloat(arg, 64)
			if err1 != nil || err2 != nil {
				return false
			}
			return map[string]bool{"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]
		}
	}
	return false
}

// like is SQL LIKE with % wildcards; without any, a substring match.
func like(s, pattern string) bool {
	if !strings.Contains(pattern, "%") {
		return strings.Contains(s, pattern)
	}
	re := "^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), "%", ".*") + "$"
	ok, _ := regexp.MatchString(re, s)
	return ok
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// scalar renders a value for comparison: numbers and strings alike, so
// that a filter's "2918270" matches an id 2918270.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return fmt.Sprint(v)
}

// sort applies the first orderBy in the filter.
func (f slFilter) sort(items []map[string]any) {
	path, desc := findOrderBy(f, nil)
	if path == nil {
		return
	}
	get := func(m map[string]any) string {
		var v any = m
		for _, k := range path {
			mm, _ := v.(map[string]any)
			v = mm[k]
		}
		return scalar(v)
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := get(items[i]), get(items[j])
		if x, err := strconv.ParseFloat(a, 64); err == nil {
			if y, err := strconv.ParseFloat(b, 64); err == nil {
				return (x < y) != desc
			}
		}
		return (a < b) != desc
	})
}

func findOrderBy(node map[string]any, path []string) ([]string, bool) {
	if node["operation"] == "orderBy" {
		for _, opt := range asList(node["options"]) {
			m, _ := opt.(map[string]any)
			if m["name"] == "sort" {
				dir := asList(m["value"])
				return path, len(dir) > 0 && strings.EqualFold(scalar(dir[0]), "DESC")
			}
		}
		return path, false
	}
	for k, child := range node {
		if cn, ok := child.(map[string]any); ok {
			if p, desc := findOrderBy(cn, append(append([]string{}, path...), k)); p != nil {
				return p, desc
			}
		}
	}
	return nil, false
}
