package apiclient_test

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/openrasp/rasp/shared/apidoc"
	"github.com/openrasp/rasp/shared/routes"
)

// document is the served OpenAPI document, loaded as a client would.
type document struct{ *openapi3.T }

var loadServed = sync.OnceValues(func() (*openapi3.T, error) {
	return openapi3.NewLoader().LoadFromData([]byte(apidoc.JSON))
})

func served(t testing.TB) document {
	t.Helper()
	doc, err := loadServed()
	if err != nil {
		t.Fatalf("load the served document: %v", err)
	}
	return document{doc}
}

// operation finds the document's operation for a request path.
func (d document) operation(method, path string) (*openapi3.Operation, routes.Route, bool) {
	r, _, ok := routes.Match(routes.Table(), method, path)
	if !ok {
		return nil, r, false
	}
	item := d.Paths.Find(r.Path)
	if item == nil {
		return nil, r, false
	}
	op := item.GetOperation(method)
	return op, r, op != nil
}

// responseSchema is the JSON schema of one status of an operation.
func (d document) responseSchema(method, path string, status int) (*openapi3.SchemaRef, bool) {
	op, _, ok := d.operation(method, path)
	if !ok {
		return nil, false
	}
	resp := op.Responses.Value(strconv.Itoa(status))
	if resp == nil || resp.Value == nil {
		return nil, false
	}
	for ct, mt := range resp.Value.Content {
		if strings.Contains(ct, "json") && mt.Schema != nil {
			return mt.Schema, true
		}
	}
	return nil, false
}

// keyCount counts, for one component schema, the instances met and how
// many of them had each key.
type keyCount struct {
	instances int
	keys      map[string]int
}

const componentPrefix = "#/components/schemas/"

// walk follows an instance down its schema, counting the keys of every
// object that is a named component.
func (d document) walk(s *openapi3.SchemaRef, v any, seen map[string]*keyCount) {
	if s == nil || s.Value == nil || v == nil {
		return
	}
	if name, ok := strings.CutPrefix(s.Ref, componentPrefix); ok {
		if obj, isObj := v.(map[string]any); isObj {
			c := seen[name]
			if c == nil {
				c = &keyCount{keys: map[string]int{}}
				seen[name] = c
			}
			c.instances++
			for k := range obj {
				c.keys[k]++
			}
		}
	}
	sch := s.Value
	for _, part := range sch.AllOf {
		// The parts of a composed component are one object: walk their
		// properties without counting the parts as instances of their own.
		d.walkProperties(part.Value, v, seen)
	}
	switch x := v.(type) {
	case map[string]any:
		d.walkProperties(sch, x, seen)
		if ap := sch.AdditionalProperties.Schema; ap != nil {
			for _, val := range x {
				d.walk(ap, val, seen)
			}
		}
	case []any:
		for _, item := range x {
			d.walk(sch.Items, item, seen)
		}
	}
}

func (d document) walkProperties(sch *openapi3.Schema, v any, seen map[string]*keyCount) {
	obj, ok := v.(map[string]any)
	if !ok || sch == nil {
		return
	}
	for k, p := range sch.Properties {
		if val, present := obj[k]; present {
			d.walk(p, val, seen)
		}
	}
}

// required is a component's required list, with those of its allOf parts.
func (d document) required(name string) []string {
	s := d.Components.Schemas[name]
	if s == nil || s.Value == nil {
		return nil
	}
	set := map[string]bool{}
	for _, k := range s.Value.Required {
		set[k] = true
	}
	for _, part := range s.Value.AllOf {
		for _, k := range part.Value.Required {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
