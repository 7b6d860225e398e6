package openapi

import (
	"fmt"
	"reflect"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/openrasp/rasp/shared/api"
)

// schemas turns the Go types of shared/api into named component schemas.
// The rules, read from the types and their tags so that a new field needs
// no edit here:
//   - every struct is a component named after its Go type;
//   - a field is required unless it is omitempty: the server always sends
//     (or always needs) the others;
//   - null is allowed exactly where api.NullAllowed says (a nullable:"true"
//     tag or nullable.Nullable[T]), as the decoder does; a pointer's or a
//     map's values are nullable;
//   - `enum:"…"` and `limit:"…"` tags name the one declaration of a closed
//     set or of a field's bounds (shared/api/constraints.go);
//   - a struct reachable from a request body refuses unknown properties
//     (additionalProperties: false), as the decoder does; response objects
//     stay open, because D6 lets us add fields that clients must ignore.
type schemas struct {
	components openapi3.Schemas
	names      map[string]reflect.Type
	strict     map[reflect.Type]bool
}

const nullablePkg = "github.com/oapi-codegen/nullable"

var timeType, optionalScore = reflect.TypeFor[time.Time](), reflect.TypeFor[api.OptionalScore]()

func newSchemas() *schemas {
	return &schemas{components: openapi3.Schemas{}, names: map[string]reflect.Type{}, strict: map[reflect.Type]bool{}}
}

// markStrict records every struct reachable from a request body type.
func (s *schemas) markStrict(t reflect.Type) {
	t = deref(t)
	switch t.Kind() {
	case reflect.Struct:
		if t == timeType || s.strict[t] {
			return
		}
		s.strict[t] = true
		for i := range t.NumField() {
			s.markStrict(t.Field(i).Type)
		}
	case reflect.Map, reflect.Slice, reflect.Array:
		s.markStrict(t.Elem())
	}
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == nullablePkg {
		t = t.Elem() // Nullable[T] is map[bool]T
	}
	return t
}

// ref returns the schema of a type: a $ref for structs, inline otherwise.
func (s *schemas) ref(t reflect.Type) (*openapi3.SchemaRef, error) {
	switch {
	case t == timeType:
		return openapi3.NewDateTimeSchema().NewRef(), nil
	case t == optionalScore:
		// Its own JSON: a whole number (or null, by its field's tag).
		return openapi3.NewIntegerSchema().NewRef(), nil
	case t.Kind() == reflect.Pointer:
		r, err := s.ref(t.Elem())
		if err != nil {
			return nil, err
		}
		return nullableOf(r), nil
	}
	switch t.Kind() {
	case reflect.String:
		return openapi3.NewStringSchema().NewRef(), nil
	case reflect.Bool:
		return openapi3.NewBoolSchema().NewRef(), nil
	case reflect.Int, reflect.Int32:
		return openapi3.NewIntegerSchema().NewRef(), nil
	case reflect.Int64:
		return openapi3.NewInt64Schema().NewRef(), nil
	case reflect.Float64:
		return openapi3.NewFloat64Schema().NewRef(), nil
	case reflect.Slice, reflect.Array:
		items, err := s.ref(t.Elem())
		if err != nil {
			return nil, err
		}
		a := openapi3.NewArraySchema()
		a.Items = items
		if t.Kind() == reflect.Array {
			n := uint64(t.Len())
			a.MinItems, a.MaxItems = n, &n
		}
		return a.NewRef(), nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map key of %s is not a string", t)
		}
		v, err := s.ref(t.Elem())
		if err != nil {
			return nil, err
		}
		o := openapi3.NewObjectSchema()
		o.AdditionalProperties = openapi3.AdditionalProperties{Schema: v}
		return o.NewRef(), nil
	case reflect.Struct:
		return s.component(t)
	}
	return nil, fmt.Errorf("no schema for %s", t)
}

func nullableOf(r *openapi3.SchemaRef) *openapi3.SchemaRef {
	if r.Ref != "" {
		// In OpenAPI 3.0 a $ref's siblings are ignored: wrap it.
		w := &openapi3.Schema{AllOf: openapi3.SchemaRefs{r}}
		w.Nullable = true
		return w.NewRef()
	}
	c := *r.Value
	c.Nullable = true
	return c.NewRef()
}

// component adds the struct's named schema (once) and returns a $ref to it.
func (s *schemas) component(t reflect.Type) (*openapi3.SchemaRef, error) {
	name := t.Name()
	if name == "" {
		return nil, fmt.Errorf("anonymous struct %s", t)
	}
	ref := &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}
	if prev, ok := s.names[name]; ok {
		if prev != t {
			return nil, fmt.Errorf("two types are called %s: %s and %s", name, prev, t)
		}
		ref.Value = s.components[name].Value
		return ref, nil
	}
	if _, clash := s.components[name]; clash {
		return nil, fmt.Errorf("type %s and a closed set share the name %s", t, name)
	}
	s.names[name] = t
	obj := openapi3.NewObjectSchema()
	s.components[name] = obj.NewRef() // before the fields, for recursive types
	if s.strict[t] {
		f := false
		obj.AdditionalProperties = openapi3.AdditionalProperties{Has: &f}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		jname, omitempty, ok := api.JSONField(f)
		if !ok {
			continue
		}
		p, err := s.field(f, omitempty)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, f.Name, err)
		}
		obj.WithPropertyRef(jname, p)
		if !omitempty {
			obj.Required = append(obj.Required, jname)
		}
	}
	ref.Value = obj
	return ref, nil
}

// field is the schema of one struct field with its tags applied.
func (s *schemas) field(f reflect.StructField, omitempty bool) (*openapi3.SchemaRef, error) {
	t := f.Type
	nullable := api.NullAllowed(f)
	switch {
	case t.PkgPath() == nullablePkg:
		if !omitempty {
			return nil, fmt.Errorf("a nullable.Nullable field must be omitempty")
		}
		t = t.Elem()
	case t.Kind() == reflect.Pointer:
		// A pointer is null only when tagged so; else it tells a field
		// left out from one given.
		t = t.Elem()
	case t.Kind() == reflect.Map || t.Kind() == reflect.Slice:
		// The tag on a collection is about its values, which are
		// pointers and so nullable already (ref); the map itself is sent.
		nullable = false
	}
	r, err := s.ref(t)
	if err != nil {
		return nil, err
	}
	enumTag, limitTag := f.Tag.Get("enum"), f.Tag.Get("limit")
	if enumTag != "" {
		if limitTag != "" || nullable {
			return nil, fmt.Errorf("a closed set takes no limit and is never null")
		}
		return s.enum(enumTag, r)
	}
	if limitTag == "" {
		if nullable {
			return nullableOf(r), nil
		}
		return r, nil
	}
	if r.Ref != "" {
		return nil, fmt.Errorf("enum and limit tags apply to strings and numbers, not %s", t)
	}
	c := *r.Value
	l, ok := api.LimitOf(limitTag)
	if !ok {
		return nil, fmt.Errorf("no limit %q", limitTag)
	}
	c.MinLength = uint64(l.MinLength)
	if l.MaxLength > 0 {
		n := uint64(l.MaxLength)
		c.MaxLength = &n
	}
	if l.MinProperties > 0 {
		c.MinProps = uint64(l.MinProperties)
	}
	if l.MaxItems > 0 {
		n := uint64(l.MaxItems)
		c.MaxItems = &n
	}
	c.Pattern, c.Format, c.Description = l.Pattern, l.Format, l.Description
	if l.Minimum != nil {
		v := float64(*l.Minimum)
		c.Min = &v
	}
	if l.Maximum != nil {
		v := float64(*l.Maximum)
		c.Max = &v
	}
	c.Nullable = nullable
	return c.NewRef(), nil
}

// EnumComponents names the component schema of each closed set, so that a
// client gets one type per set (decision D4), not one per field.
var EnumComponents = map[string]string{
	"purpose":           "Purpose",
	"assessment-status": "AssessmentStatus",
	"form":              "FormOfSharing",
	"round-purpose":     "RoundPurpose",
	"respondent-role":   "RespondentRole",
	"routed-by":         "RoutedBy",
	"round-status":      "RoundStatus",
	"member-status":     "MemberStatus",
	"act-kind":          "ActKind",
	"band":              "Band",
	"readiness":         "Readiness",
	"question-status":   "QuestionStatus",
	"cadence":           "CadenceMonths",
	"action-status":     "ActionStatus",
	"problem-type":      "ProblemType",
}

// enum returns a $ref to the closed set's component, adding it once.
func (s *schemas) enum(tag string, base *openapi3.SchemaRef) (*openapi3.SchemaRef, error) {
	name, ok := EnumComponents[tag]
	if !ok {
		return nil, fmt.Errorf("no component name for closed set %q", tag)
	}
	vs, ok := api.Enum(tag)
	if !ok {
		return nil, fmt.Errorf("no closed set %q", tag)
	}
	if base.Ref != "" {
		return nil, fmt.Errorf("closed set %q on a non-scalar", tag)
	}
	if c, ok := s.components[name]; ok {
		return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: c.Value}, nil
	}
	if _, clash := s.names[name]; clash {
		return nil, fmt.Errorf("closed set %q and a type share the name %s", tag, name)
	}
	c := *base.Value
	c.Enum = vs
	s.components[name] = c.NewRef()
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: &c}, nil
}
