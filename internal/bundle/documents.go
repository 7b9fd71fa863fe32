package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/ks-doctor/ks-doctor/internal/diag"
	"github.com/ks-doctor/ks-doctor/internal/facts"
)

// The documents of a gather archive: one JSON file per thing read, built
// from plain facts (redaction at the source), in the shapes support knows
// from the ibmcloud commands named in each file's manifest entry. The shapes
// are what support tooling reads: additive changes only.

func jsonDoc(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		// Every document is plain structs of strings, numbers and bools.
		panic(err)
	}
	return b.Bytes()
}

type readErrorDoc struct {
	Operation  string `json:"operation,omitempty"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message"`
	IncidentID string `json:"incidentID,omitempty"`
	DependsOn  string `json:"dependsOn,omitempty"` // not read: the read it needs failed
}

// errorDoc is the content of a file whose read failed: what the service
// said, as a finding would show it.
func errorDoc(err error) any {
	d := readErrorDoc{Message: err.Error()}
	var dep *facts.DependencyError
	var re *facts.ReadError
	switch {
	case errors.As(err, &dep):
		d.DependsOn = string(dep.Needs)
	case errors.As(err, &re):
		d.Operation, d.HTTPStatus, d.Code, d.Message, d.IncidentID = re.Op, re.Status, re.Code, re.Message, re.Incident
	}
	return map[string]readErrorDoc{"error": d}
}

type groupDoc = Group

type accountDoc struct {
	ID   string `json:"id"` // in full: support needs it
	Name string `json:"name"`
}

type targetJSON struct {
	User                  string     `json:"user"`
	Account               accountDoc `json:"account"`
	InfrastructureAccount string     `json:"infrastructureAccount"`
	Region                string     `json:"region"`
	ResourceGroup         *groupDoc  `json:"resourceGroup"`
	LoginType             string     `json:"loginType"` // user, service-id or trusted-profile
	PrivateEndpoints      bool       `json:"privateEndpoints"`
	TokenRefreshed        bool       `json:"tokenRefreshed"`
}

func targetDoc(s facts.Session) targetJSON {
	t := targetJSON{User: s.UserEmail, Account: accountDoc{ID: s.AccountID, Name: s.AccountName}, // in full: support needs it
		InfrastructureAccount: s.IMSAccountID, Region: s.Region, LoginType: "user",
		PrivateEndpoints: s.Private, TokenRefreshed: s.Refreshed}
	if g := s.ResourceGroup; g != nil {
		t.ResourceGroup = &groupDoc{ID: g.ID, Name: g.Name}
	}
	switch {
	case s.ServiceID:
		t.LoginType = "service-id"
	case s.Profile:
		t.LoginType = "trusted-profile"
	}
	return t
}

type masterDoc struct {
	State  string `json:"state"`
	Status string `json:"status"`
	Health string `json:"health"`
}

type clusterJSON struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Provider      string    `json:"provider"`
	Region        string    `json:"region"`
	Location      string    `json:"location"`
	ResourceGroup groupDoc  `json:"resourceGroup"`
	State         string    `json:"state"`
	Status        string    `json:"status"`
	Master        masterDoc `json:"master"`
	CreatedDate   string    `json:"createdDate"`
}

func clusterDoc(c facts.Cluster) clusterJSON {
	return clusterJSON{ID: c.ID, Name: c.Name, Provider: c.Provider, Region: c.Region, Location: c.Location,
		ResourceGroup: groupDoc{ID: c.ResourceGroupID, Name: c.ResourceGroupName}, State: c.State, Status: c.Status,
		Master: masterDoc{State: c.MasterState, Status: c.MasterStatus, Health: c.MasterHealth}, CreatedDate: c.CreatedDate}
}

type ownerDoc struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	IAMID string `json:"iamId"`
}

type apiKeyJSON struct {
	Cluster       string   `json:"cluster"`
	Region        string   `json:"region"`
	ResourceGroup groupDoc `json:"resourceGroup"`
	Owner         ownerDoc `json:"owner"`
}

func apiKeyDoc(c facts.Cluster, o facts.Owner) apiKeyJSON {
	return apiKeyJSON{Cluster: c.ID, Region: c.Region, ResourceGroup: groupDoc{ID: c.ResourceGroupID, Name: c.ResourceGroupName},
		Owner: ownerDoc{Name: o.Name, Email: o.Email, IAMID: o.IAMID}}
}

type credentialsJSON struct {
	Scope                 string   `json:"scope"` // cluster or target
	Region                string   `json:"region"`
	ResourceGroup         groupDoc `json:"resourceGroup"`
	Set                   bool     `json:"set"`
	APIUser               string   `json:"apiUser,omitempty"`
	InfrastructureAccount string   `json:"infrastructureAccount,omitempty"`
	Note                  string   `json:"note,omitempty"`
}

func credentialsDoc(s scope) credentialsJSON {
	c := s.creds.Value
	d := credentialsJSON{Scope: s.name, Region: s.region, ResourceGroup: s.group, Set: c.Set, APIUser: c.APIUser,
		InfrastructureAccount: c.InfraAccount()}
	if !c.Set {
		d.Note = "E0051: no infrastructure credentials are set manually for this region and resource group, " +
			"so IKS acts with the API key of the region and resource group (" + FileAPIKeyInfo + " names its owner)."
	}
	return d
}

type missingDoc struct {
	Category    string   `json:"category"`
	Level       string   `json:"level"` // required or recommended
	Permissions []string `json:"permissions"`
}

type permissionsJSON struct {
	Scope                 string       `json:"scope"`
	Region                string       `json:"region"`
	ResourceGroup         groupDoc     `json:"resourceGroup"`
	InfrastructureAccount string       `json:"infrastructureAccount"`
	AccountType           string       `json:"accountType"`
	Missing               []missingDoc `json:"missing"`
}

func permissionsDoc(s scope) permissionsJSON {
	p := s.perms.Value
	d := permissionsJSON{Scope: s.name, Region: s.region, ResourceGroup: s.group, InfrastructureAccount: p.Account,
		AccountType: p.AccountType, Missing: []missingDoc{}}
	for _, m := range p.Missing {
		level := "recommended"
		if m.Required {
			level = "required"
		}
		d.Missing = append(d.Missing, missingDoc{Category: m.Category, Level: level, Permissions: m.Permissions})
	}
	return d
}

type workerDoc struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	Status      string `json:"status"`
	Message     string `json:"message"`
	StatusSince string `json:"statusSince,omitempty"`
	PrivateIP   string `json:"privateIP,omitempty"`
	PublicIP    string `json:"publicIP,omitempty"`
	Zone        string `json:"zone,omitempty"`
	Pool        string `json:"pool,omitempty"`
	Flavor      string `json:"flavor,omitempty"`
	PrivateVLAN string `json:"privateVLAN,omitempty"`
	PublicVLAN  string `json:"publicVLAN,omitempty"`
	SubnetID    string `json:"subnetID,omitempty"`
	Deleted     bool   `json:"deleted"`
}

type workersJSON struct {
	Cluster  string      `json:"cluster"`
	Total    int         `json:"total"` // every worker the API listed, deleted ones included
	Listed   int         `json:"listed"`
	Criteria string      `json:"criteria"`
	Workers  []workerDoc `json:"workers"`
}

func workersDoc(cluster string, ws []facts.Worker) workersJSON {
	d := workersJSON{Cluster: cluster, Total: len(ws), Criteria: "state is not normal or deployed, or a status message is set",
		Workers: []workerDoc{}}
	for _, w := range ws {
		if diag.WorkerHealthy(w) { // diag's rule: the criteria above say it in words
			continue
		}
		wd := workerDoc{ID: w.ID, State: w.State, Status: w.Status, Message: w.Message, PrivateIP: w.PrivateIP,
			PublicIP: w.PublicIP, Zone: w.Zone, Pool: w.Pool, Flavor: w.Flavor, PrivateVLAN: w.PrivateVLAN,
			PublicVLAN: w.PublicVLAN, SubnetID: w.SubnetID, Deleted: w.Deleted}
		if !w.StatusSince.IsZero() {
			wd.StatusSince = w.StatusSince.UTC().Format(time.RFC3339)
		}
		d.Workers = append(d.Workers, wd)
	}
	d.Listed = len(d.Workers)
	return d
}
