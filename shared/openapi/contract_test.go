package openapi_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/openapi"
)

// Each enum of the document is the component of one closed set, and its
// values are that set's one Go declaration (decision D4): the validators
// read the same declaration, so the two cannot disagree.
func TestEnumsAreTheDeclarations(t *testing.T) {
	doc, err := openapi.Build()
	if err != nil {
		t.Fatal(err)
	}
	for tag, name := range openapi.EnumComponents {
		want, ok := api.Enum(tag)
		if !ok {
			t.Errorf("closed set %q has no declaration", tag)
			continue
		}
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("closed set %q: no component %s in the document", tag, name)
			continue
		}
		if !reflect.DeepEqual(s.Value.Enum, want) {
			t.Errorf("%s: document %v, declaration %v", name, s.Value.Enum, want)
		}
	}
	// No enum anywhere else: an inline one would be a second declaration.
	components := map[*openapi3.Schema]bool{}
	for _, name := range openapi.EnumComponents {
		if s := doc.Components.Schemas[name]; s != nil {
			components[s.Value] = true
		}
	}
	visit(doc, func(path string, s *openapi3.Schema) {
		if len(s.Enum) > 0 && !components[s] {
			t.Errorf("%s: an enum that is not a closed set's component", path)
		}
	})
}

// visit calls f on every schema of the document.
func visit(doc *openapi3.T, f func(path string, s *openapi3.Schema)) {
	var walk func(path string, r *openapi3.SchemaRef)
	walk = func(path string, r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil {
			return
		}
		s := r.Value
		f(path, s)
		for k, p := range s.Properties {
			walk(path+"/"+k, p)
		}
		walk(path+"/items", s.Items)
		walk(path+"/additionalProperties", s.AdditionalProperties.Schema)
		for i, p := range s.AllOf {
			walk(path+"/allOf/"+string(rune('0'+i)), p)
		}
	}
	for name, s := range doc.Components.Schemas {
		walk("#"+name, &openapi3.SchemaRef{Value: s.Value})
	}
}

// info.version is the newest entry of docs/api-changes.md (decision D6).
func TestVersionIsInTheChangelog(t *testing.T) {
	raw, err := os.ReadFile("../../docs/api-changes.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "## "); ok {
			if got, _, _ := strings.Cut(v, " "); got != openapi.Version {
				t.Errorf("newest entry of docs/api-changes.md is %q, info.version is %s", got, openapi.Version)
			}
			return
		}
	}
	t.Error("docs/api-changes.md has no entry")
}
