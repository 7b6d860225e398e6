package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/openrasp/rasp/shared/failure"
)

// MaxJSONBody is the largest JSON body accepted (API limit, not API Gateway's).
const MaxJSONBody = 64 << 10

// DecodeJSON decodes the body into v, which must be a pointer to a struct.
// The body must be one JSON object with only known fields.
func DecodeJSON(req *Request, v any) error {
	if ct := req.Header("content-type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return failure.New(failure.UnsupportedMedia, "Send the body as application/json.")
		}
	}
	body, err := req.Body()
	if err != nil {
		return err
	}
	return DecodeJSONBytes(body, v)
}

// DecodeJSONBytes applies DecodeJSON's rules to a byte slice. It is what the
// fuzz targets exercise.
func DecodeJSONBytes(body []byte, v any) error {
	if len(body) > MaxJSONBody {
		return failure.New(failure.TooLarge, "The request body is larger than %d KB.", MaxJSONBody>>10)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return failure.New(failure.BadRequest, "The request body is empty; send a JSON object.")
	}
	if trimmed[0] != '{' {
		return failure.New(failure.BadRequest, "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return failure.New(failure.BadRequest, "The request body must hold exactly one JSON object.")
	}
	return nil
}

func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return failure.New(failure.BadRequest, "The request body is not valid JSON.")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return failure.Fields("The request has a value of the wrong type.",
			failure.FieldError{Field: field, Message: fmt.Sprintf("must be %s", jsonKind(typeErr.Type.Kind().String()))})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return failure.Fields("The request has a field we do not know.",
			failure.FieldError{Field: name, Message: "is not a known field"})
	default:
		return failure.New(failure.BadRequest, "The request body is not valid JSON.")
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "ptr":
		return "a number or null"
	}
	return "of another type"
}
