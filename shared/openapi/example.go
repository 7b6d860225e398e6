package openapi

import (
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// exampleOf builds a deterministic instance of a schema, for the example of
// a response that has no hand-written one. It follows the constraints (enum,
// bounds, format, required), so it is a valid instance: the lint
// (oas3-valid-media-example) and TestExamplesAreValid check it.
func exampleOf(r *openapi3.SchemaRef, name string) any {
	s := r.Value
	if len(s.AllOf) == 1 {
		return exampleOf(s.AllOf[0], name)
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		switch {
		case s.Format == "date-time":
			return "2026-12-01T09:30:00Z"
		case s.Format == "email":
			return "sam.patel@council.example"
		case s.Format == "date":
			return "2027-01-14"
		}
		if v, ok := exampleText[name]; ok {
			return v
		}
		return "Example " + name
	case s.Type.Is(openapi3.TypeInteger):
		n := 1
		if s.Min != nil && float64(n) < *s.Min {
			n = int(*s.Min)
		}
		if s.Max != nil && float64(n) > *s.Max {
			n = int(*s.Max)
		}
		return n
	case s.Type.Is(openapi3.TypeNumber):
		return 2.5
	case s.Type.Is(openapi3.TypeBoolean):
		return false
	case s.Type.Is(openapi3.TypeArray):
		n := max(1, int(s.MinItems))
		out := make([]any, n)
		for i := range out {
			out[i] = exampleOf(s.Items, name)
		}
		return out
	case s.Type.Is(openapi3.TypeObject):
		out := map[string]any{}
		if s.AdditionalProperties.Schema != nil {
			out["example"] = exampleOf(s.AdditionalProperties.Schema, "example")
		}
		names := make([]string, 0, len(s.Properties))
		for k := range s.Properties {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			out[k] = exampleOf(s.Properties[k], k)
		}
		return out
	}
	return nil
}

// exampleText gives readable values to the commonest string fields.
var exampleText = map[string]string{
	"id":              "qgk4zpdqjdbrk7nxjyhuy7eq4q",
	"token":           "4kX9c2VbN7mQ1pR5sT8wY3zA6dF0gH2jK4lM7nP9qR1",
	"adminToken":      "9QwE4rT6yU8iO0pA2sD4fG6hJ8kL0zX2cV4bN6mQ8w1",
	"joinCode":        "K7M-Q2P-XWD",
	"council":         "London Borough of Brent",
	"name":            "Sam Patel",
	"role":            "Programme manager",
	"questionVersion": "v2",
	"version":         "v1",
	"partnership":     "ynkm5ikyofugqr7krzpg4jabxa",
	"seat":            "zvmz5hyzueyo4jkx6ahn52phtq",
	"invitation":      "02keXPSf8f6GyOqrCrDthIrVfE0gKBp3-TwQjcia2BY",
	"partnershipId":   "ynkm5ikyofugqr7krzpg4jabxa",
	"assessment":      "qgk4zpdqjdbrk7nxjyhuy7eq4q",
	"question":        "vision.political-backing",
	"area":            "vision",
	"title":           "Shared vision",
	"text":            "Do your political leaders back the shared service?",
	"status":          "ok",
}
