package catalog

import (
	"strings"
	"testing"
)

// Every rule's entry exists, is a class entry, and has both languages (TestParity checks the text).
func TestClassEntries(t *testing.T) {
	ids := []string{fallbackID}
	for _, r := range rules() {
		ids = append(ids, r.entry)
	}
	for _, id := range ids {
		e, ok := Lookup(id)
		if !ok || !e.Class || e.Title("ja") == e.Title("en") || e.Cause("ja") == e.Cause("en") {
			t.Errorf("%s: missing, not a class, or not translated: %+v", id, e)
		}
	}
}

// The shapes of IBM Cloud errors decode to (service, status, code, message).
func TestDecode(t *testing.T) {
	for _, c := range []struct {
		in, service, code, msg string
		status                 int
	}{
		{`Request failed with status code: 403, ServerErrorResponse: {"incidentID":"x","code":"A0656","description":"You are not authorized to create an API key","type":"Authorization"}`,
			"iks", "A0656", "You are not authorized to create an API key", 403},
		{`{"errors":[{"code":"not_authorized","message":"The request is not authorized.","more_info":"https://cloud.ibm.com/docs/vpc?topic=vpc-rias-error-messages"}],"trace":"t","status_code":403}`,
			"vpc", "not_authorized", "The request is not authorized", 403},
		{`{"errorCode":"BXNIM0415E","errorMessage":"Provided API key could not be found","context":{}}`, "iam", "BXNIM0415E", "Provided API key could not be found", 0},
		{`{"error":"Access Denied.","code":"SoftLayer_Exception_Public"}`, "softlayer", "softlayer_exception_public", "Access Denied", 0},
		{`Error: SoftLayer_Exception_Order_InvalidLocation: The location provided for this order is invalid. (HTTP 500)`,
			"softlayer", "softlayer_exception_order_invalidlocation", "The location provided for this order is invalid", 500},
		{`Request failed with status code: 400, BXNIM0415E: Provided API key could not be found`, "iam", "BXNIM0415E", "Provided API key could not be found", 400},
		{"FAILED\nThe specified cluster could not be found. (G0004)\n", "iks", "G0004", "The specified cluster could not be found", 0},
		{`Remote server error. Status code: 400, error code: BXNIM0439E, message: Session is invalidated due to inactivity.`, "iam", "BXNIM0439E", "Session is invalidated due to inactivity", 400},
	} {
		ds := Decode(c.in)
		if len(ds) != 1 {
			t.Errorf("%q: %d records %+v", c.in, len(ds), ds)
			continue
		}
		d := ds[0]
		if d.Service != c.service || !strings.EqualFold(d.Code, c.code) || d.Message != c.msg || d.Status != c.status {
			t.Errorf("%q:\n got %s %d %s %q\nwant %s %d %s %q", c.in, d.Service, d.Status, d.Code, d.Message, c.service, c.status, c.code, c.msg)
		}
	}
}

// The second layer names its layer and evidence, never beats an exact match, and leaves text
// that merely shares a word alone.
func TestClassify(t *testing.T) {
	for _, c := range []struct{ in, entry, layer, service string }{
		{`{"errors":[{"code":"not_authorized","message":"The request is not authorized."}],"status_code":403} GET https://us-south.iaas.cloud.ibm.com/v1/instances`, "C-permission-vpc", LayerClass, "vpc"},
		{`Error: ibm_resource_group: resource group 'dev' not found in account 1234`, "C-resource-group", LayerClass, "resource-manager"},
		{`Request failed with status code: 500, ServerErrorResponse: {"incidentID":"x","code":"E4f2a","description":"Something odd happened."}`, fallbackID, LayerFallback, "iks"},
		{"The location provided for this order is invalid.", "E-location-invalid", LayerExact, ""},
	} {
		hits := Match(c.in)
		if len(hits) == 0 || hits[0].Entry.ID != c.entry || hits[0].Layer != c.layer || hits[0].Service != c.service {
			t.Errorf("%q: %+v", c.in, hits)
		}
	}
	for _, in := range []string{
		"my vlan party is invalid fun",         // no IBM Cloud anywhere
		"the resource group meeting went fine", // shares words, says nothing
		"access denied to the kitchen",
	} {
		if hits := Match(in); len(hits) > 0 {
			t.Errorf("%q: %+v", in, hits[0])
		}
	}
	if _, ok := Best(`{"incidentID":"x","code":"E4f2a","description":"Something odd happened."}`); ok {
		t.Error("Best returned a fallback hit")
	}
}
