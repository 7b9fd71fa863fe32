package bundle

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/ks-doctor/ks-doctor/i18n"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

func gatherSet() *facts.Set {
	s := &facts.Set{ClusterQuery: "one",
		Session: facts.Session{AccountID: "acc", Region: "eu-de", ResourceGroup: &facts.ResourceGroup{ID: "g2", Name: "team"}}}
	s.Cluster = facts.Slot[facts.Cluster]{Loaded: true, Value: facts.Cluster{ID: "c1", Name: "one", Provider: "vpc-gen2",
		Region: "us-south", ResourceGroupID: "g1", ResourceGroupName: "default"}}
	s.Credentials = facts.Slot[facts.Credentials]{Loaded: true}
	s.InfraPermissions = facts.Slot[facts.InfraPermissions]{Loaded: true,
		Err: &facts.ReadError{Op: "ibmcloud ks infra-permissions get", Status: 403, Message: "forbidden"}}
	s.TargetCredentials = facts.Slot[facts.Credentials]{Loaded: true, Value: facts.Credentials{Set: true, APIUser: "123_jane@example.com"}}
	s.TargetInfraPermissions = facts.Slot[facts.InfraPermissions]{Loaded: true}
	s.Workers = facts.Slot[[]facts.Worker]{Loaded: true, Value: []facts.Worker{
		{ID: "w1", State: "normal"}, {ID: "w2", State: "critical"}, {ID: "w3", State: "normal", Message: "disk full"}}}
	return s
}

func TestGatherFiles(t *testing.T) {
	files := GatherFiles(gatherSet(), []byte("{}\n"), i18n.New(i18n.English))
	byName := map[string]File{}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		byName[f.Name] = f
	}
	want := []string{FileTarget, FileCluster, FileAPIKeyInfo, FileCredentials, FilePermissions,
		FileCredentialsTgt, FilePermissionsTgt, FileWorkers, FileCheck}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	if f := byName[FilePermissions]; f.Error == "" || !json.Valid(f.Data) {
		t.Errorf("a failed read is recorded: %+v", f)
	}
	var perm struct{ Error struct{ HTTPStatus int } }
	if err := json.Unmarshal(byName[FilePermissions].Data, &perm); err != nil || perm.Error.HTTPStatus != 403 {
		t.Errorf("infra-permissions.json %s", byName[FilePermissions].Data)
	}
	if f := byName[FileCredentialsTgt]; f.Source != "ibmcloud target -g team && ibmcloud ks credential get --region eu-de" ||
		f.API != "IKS GET /v1/credentials (X-Region: eu-de, X-Auth-Resource-Group: g2)" {
		t.Errorf("targeted credentials %q / %q", f.Source, f.API)
	}
	var ws struct {
		Total, Listed int
		Workers       []struct{ ID string }
	}
	if err := json.Unmarshal(byName[FileWorkers].Data, &ws); err != nil || ws.Total != 3 || ws.Listed != 2 ||
		ws.Workers[0].ID != "w2" || ws.Workers[1].ID != "w3" {
		t.Errorf("workers.json %s", byName[FileWorkers].Data)
	}
	if api := byName[FileWorkers].API; api != "IKS GET /v2/getWorkers?cluster=c1&showDeleted=true" {
		t.Errorf("workers API %q", api)
	}
}

// The targeted scope's files exist only when its reads were made: never a
// zero value standing for an answer.
func TestGatherFilesWithoutTargetReads(t *testing.T) {
	s := gatherSet()
	s.TargetCredentials, s.TargetInfraPermissions = facts.Slot[facts.Credentials]{}, facts.Slot[facts.InfraPermissions]{}
	for _, f := range GatherFiles(s, nil, i18n.New(i18n.English)) {
		if f.Name == FileCredentialsTgt || f.Name == FilePermissionsTgt {
			t.Errorf("%s without its read", f.Name)
		}
	}
}
