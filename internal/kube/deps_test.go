package kube

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// heavyPackages register API groups or typed clients in their init: linked
// into the plug-in, every command would pay for them on every start
// (k8s.io/client-go/kubernetes alone registers every built-in API group).
// The in-cluster reads need none of them: nodes and Calico nodes are read
// as plain JSON (nodes.go, calico.go).
var heavyPackages = []string{
	"k8s.io/api/",
	"k8s.io/client-go/kubernetes",
	"k8s.io/client-go/dynamic",
	"k8s.io/client-go/discovery",
	"k8s.io/client-go/informers",
	"k8s.io/client-go/applyconfigurations",
	"k8s.io/kube-openapi/pkg/validation",
}

func TestPluginLinksNoHeavyKubernetesPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/ks-doctor/ks-doctor/plugin").Output()
	if err != nil {
		t.Fatal(err)
	}
	pkgs := strings.Fields(string(out))
	if !slices.Contains(pkgs, "k8s.io/client-go/rest") {
		t.Fatalf("go list names no k8s.io/client-go/rest among %d packages: the list is not the plug-in's", len(pkgs))
	}
	for _, pkg := range pkgs {
		for _, heavy := range heavyPackages {
			if strings.HasPrefix(pkg, heavy) {
				t.Errorf("the plug-in links %s: its init runs on every start of every command", pkg)
			}
		}
	}
}
