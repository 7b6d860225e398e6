// Package openapi generates the OpenAPI 3 document of the JSON API from the
// route table and the api types, so the document cannot drift from the code.
package openapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/routes"
)

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// Build returns the document for every non-HTML route of the table.
func Build() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{
			Title:   "RASP: Readiness Assessment for a Shared service Programme",
			Version: "1.0.0",
			Description: "Councils assess their readiness to share services, compare with partners and re-assess as health-checks. " +
				"Capability tokens (returned once when an assessment or partnership is created) are sent as Authorization: Bearer <token>.",
		},
		Paths: openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{
				"token": &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().WithType("http").WithScheme("bearer")},
			},
		},
	}
	problem, err := schemaFor(api.Problem{}, false)
	if err != nil {
		return nil, err
	}
	doc.Components.Schemas["Problem"] = problem
	for _, r := range routes.Table() {
		if r.Tag == "html" {
			continue
		}
		op := openapi3.NewOperation()
		op.OperationID, op.Summary, op.Tags = r.Name, r.Summary, []string{r.Tag}
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			p := openapi3.NewPathParameter(m[1]).WithSchema(openapi3.NewStringSchema())
			if m[1] == "n" {
				p.Schema = openapi3.NewIntegerSchema().WithMin(1).NewRef()
			}
			op.AddParameter(p)
		}
		if r.Auth != routes.Public {
			op.Security = &openapi3.SecurityRequirements{{"token": []string{}}}
		}
		switch r.Name {
		case "getQuestions":
			op.AddParameter(openapi3.NewQueryParameter("version").WithSchema(openapi3.NewStringSchema()))
		case "getComparison", "getComparisonCSV":
			op.AddParameter(openapi3.NewQueryParameter("round").WithSchema(openapi3.NewIntegerSchema().WithMin(1)))
		case "saveAnswers":
			op.AddParameter(openapi3.NewHeaderParameter("If-Match").WithSchema(openapi3.NewStringSchema()))
		case "startAssessment":
			op.AddParameter(openapi3.NewHeaderParameter("Idempotency-Key").WithSchema(openapi3.NewStringSchema().WithMaxLength(255)))
		}
		if r.Request != nil {
			s, err := schemaFor(r.Request, true)
			if err != nil {
				return nil, fmt.Errorf("openapi: request of %s: %w", r.Name, err)
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(!r.RequestOptional).
				WithContent(openapi3.NewContentWithJSONSchemaRef(s))}
		}
		status := r.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := openapi3.NewResponse().WithDescription(http.StatusText(status))
		switch {
		case r.Response != nil:
			s, err := schemaFor(r.Response, false)
			if err != nil {
				return nil, fmt.Errorf("openapi: response of %s: %w", r.Name, err)
			}
			ok.WithContent(openapi3.NewContentWithJSONSchemaRef(s))
		case r.Name == "getOpenAPI":
			ok.WithJSONSchema(openapi3.NewObjectSchema())
		case status != http.StatusNoContent:
			ok.WithContent(openapi3.Content{"text/csv": openapi3.NewMediaType().WithSchema(openapi3.NewStringSchema())})
		}
		op.AddResponse(status, ok)
		problemRef := &openapi3.SchemaRef{Ref: "#/components/schemas/Problem", Value: problem.Value}
		op.Responses.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("Error (RFC 9457 problem document)").
			WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(problemRef)})})
		if r.Name == "healthz" {
			op.AddResponse(http.StatusServiceUnavailable, openapi3.NewResponse().WithDescription("DynamoDB is not answering").
				WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(problemRef)}))
		}
		doc.AddOperation(r.Path, r.Method, op)
	}
	return doc, nil
}

// schemaFor generates an inline schema for a Go value. Request schemas do
// not allow unknown properties, matching the decoder.
func schemaFor(v any, strict bool) (*openapi3.SchemaRef, error) {
	return openapi3gen.NewSchemaRefForValue(v, nil, openapi3gen.SchemaCustomizer(
		func(name string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
			if strict && s.Type.Is(openapi3.TypeObject) && t.Kind() == reflect.Struct {
				f := false
				s.AdditionalProperties = openapi3.AdditionalProperties{Has: &f}
			}
			// null only where the decoder accepts it (httpapi.checkRaw).
			if tag.Get("json") != "" && tag.Get("nullable") != "true" {
				s.Nullable = false
			}
			if name == "cadenceMonths" {
				s.Enum = []any{3, 6, 12}
			}
			// A score in a save: absent (keep), null (don't know) or 0..4.
			if t == reflect.TypeOf(api.OptionalScore{}) {
				*s = openapi3.Schema{Type: &openapi3.Types{openapi3.TypeInteger}, Nullable: true, Min: ptr(0), Max: ptr(4),
					Description: "Absent: keep the stored score. null: don't know. 0–4: the level."}
				return nil
			}
			// Scores are 0..4 or null.
			if name == "score" && t.Kind() == reflect.Ptr && t.Elem().Kind() == reflect.Int {
				s.Min, s.Max = ptr(0), ptr(4)
			}
			return nil
		}))
}

func ptr(f float64) *float64 { return &f }

// JSON returns the document as JSON.
func JSON() (string, error) {
	doc, err := Build()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
