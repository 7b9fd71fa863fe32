package main

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// The index carries plugin.json's entry, its version with the binaries,
// the minimum CLI version and the private-endpoint flag moved into it.
func TestRepositoryIndex(t *testing.T) {
	entry, err := os.ReadFile("../../plugin.json")
	if err != nil {
		t.Fatal(err)
	}
	bins := []binary{{Platform: "linux64", URL: "https://example.invalid/ks-doctor-linux-amd64-1.2.3", Checksum: "da39a3ee5e6b4b0d3255bfef95601890afd80709"}}
	list, err := repositoryIndex(entry, "1.2.3", time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC), bins)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Plugins []struct {
			Name, Homepage, Created string
			MinCLI                  *string `json:"min_cli_version"`
			Versions                []struct {
				Version, Updated string
				DocURL           string   `json:"doc_url"`
				MinCLI           string   `json:"min_cli_version"`
				Private          bool     `json:"private_endpoint_supported"`
				Binaries         []binary `json:"binaries"`
			}
		}
	}
	if err := json.Unmarshal(list, &doc); err != nil || len(doc.Plugins) != 1 || len(doc.Plugins[0].Versions) != 1 {
		t.Fatalf("%v\n%s", err, list)
	}
	p, v := doc.Plugins[0], doc.Plugins[0].Versions[0]
	if p.Name != "ks-doctor" || p.Created != "2026-07-01T10:00:00Z" || p.MinCLI != nil {
		t.Errorf("entry %+v", p)
	}
	var src struct {
		MinCLI  string `json:"min_cli_version"`
		Private bool   `json:"private_endpoint_supported"`
	}
	json.Unmarshal(entry, &src)
	if v.Version != "1.2.3" || v.Updated != p.Created || v.DocURL != p.Homepage || v.MinCLI != src.MinCLI || v.Private != src.Private ||
		len(v.Binaries) != 1 || v.Binaries[0] != bins[0] {
		t.Errorf("version %+v", v)
	}
}

func TestVersionOf(t *testing.T) {
	src, err := os.ReadFile("../../commands/root.go")
	if err != nil {
		t.Fatal(err)
	}
	if v := versionOf(src); v == "" {
		t.Error("no version in commands/root.go")
	}
	if v := versionOf([]byte("package commands\n\nvar Version = \"9.8.7\"\n")); v != "9.8.7" {
		t.Errorf("version %q", v)
	}
}

func TestSHA1File(t *testing.T) {
	path := t.TempDir() + "/empty"
	os.WriteFile(path, nil, 0o600)
	if sum, err := sha1File(path); err != nil || sum != "da39a3ee5e6b4b0d3255bfef95601890afd80709" {
		t.Errorf("%s %v", sum, err)
	}
}
