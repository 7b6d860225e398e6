package openapi_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/openrasp/rasp/shared/apidoc"
	"github.com/openrasp/rasp/shared/openapi"
	"github.com/openrasp/rasp/shared/routes"
)

// The document is valid OpenAPI 3 and has exactly the JSON routes of the
// table: generated, so it cannot drift.
func TestDocumentMatchesRouteTable(t *testing.T) {
	doc, err := openapi.Build()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("invalid document: %v", err)
	}
	want := map[string]bool{}
	for _, r := range routes.Table() {
		if r.Tag != "html" {
			for _, m := range r.Methods() {
				want[m+" "+r.Path] = true
			}
		}
	}
	got := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got[method+" "+path] = true
			if op.OperationID == "" || len(op.Responses.Map()) < 2 {
				t.Errorf("%s %s: operation id %q, %d responses", method, path, op.OperationID, len(op.Responses.Map()))
			}
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("route %s missing from the document", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("document has %s, which is not in the route table", k)
		}
	}
	js, err := openapi.JSON()
	if err != nil || !strings.Contains(js, `"openapi":"3.0.3"`) {
		t.Errorf("JSON: %v %.80s", err, js)
	}
}

var update = flag.Bool("update", false, "rewrite shared/apidoc/openapi.json from the route table")

// The embedded copy that the start function serves is the generated one.
// Regenerate with: go test ./shared/openapi -run TestEmbeddedDocumentIsCurrent -update
func TestEmbeddedDocumentIsCurrent(t *testing.T) {
	doc, err := openapi.Build()
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	const path = "../apidoc/openapi.json"
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if apidoc.JSON != string(want) {
		t.Fatalf("shared/apidoc/openapi.json is stale: run go test ./shared/openapi -run TestEmbeddedDocumentIsCurrent -update")
	}
}
