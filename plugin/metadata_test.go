package main

import (
	"testing"

	"github.com/IBM-Cloud/ibm-cloud-cli-sdk/plugin"
)

// The SDK's own validator is the bar for publishing: no ERROR, no WARNING,
// whatever the user's locale (metadata is always English).
func TestMetadataValidates(t *testing.T) {
	for _, lang := range []string{"en_US.UTF-8", "ja_JP.UTF-8"} {
		t.Setenv("LANG", lang)
		t.Setenv("LC_ALL", "")
		md := ksDoctor{}.GetMetadata()
		found := plugin.NewPluginMetadataValidator().Errors([]plugin.PluginMetadata{md})
		for _, e := range found[md.Name] {
			if e.Priority == plugin.PriorityError || e.Priority == plugin.PriorityWarning {
				t.Errorf("%s: %s %s/%s: %s (%s)", lang, e.Priority, e.Namespace, e.CommandName, e.Error, e.Remediation)
			}
		}
		if !md.IsCobraPlugin || len(md.Namespaces) != 1 || md.Namespaces[0].Name != "ks-doctor" {
			t.Errorf("namespaces: %+v", md.Namespaces)
		}
		var names []string
		for _, c := range md.Commands {
			names = append(names, c.Name)
		}
		if want := []string{"check", "checks", "explain", "gather", "orphan"}; !equal(names, want) {
			t.Errorf("commands %v, want %v", names, want)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
