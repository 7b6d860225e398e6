package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/openrasp/rasp/shared/api"
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
		return failure.Said(failure.TooLarge, "error.request.tooLarge", "KB", MaxJSONBody>>10)
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return failure.New(failure.BadRequest, "The request body is empty; send a JSON object.")
	}
	if trimmed[0] != '{' {
		return failure.New(failure.BadRequest, "The request body must be a JSON object.")
	}
	// The raw bytes are checked before decoding: encoding/json replaces
	// invalid UTF-8 with U+FFFD, keeps the last of duplicate keys and
	// ignores null for non-pointer fields, each silently.
	if err := checkRaw(trimmed, reflect.TypeOf(v)); err != nil {
		return err
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

// checkRaw walks the JSON token by token against the Go type it will be
// decoded into and refuses, naming the field: bytes that are not UTF-8, a
// key given twice in one object, and null where api.NullAllowed says no
// (the rule that makes the OpenAPI document say nullable).
func checkRaw(body []byte, t reflect.Type) error {
	w := &rawWalker{body: body, dec: json.NewDecoder(bytes.NewReader(body))}
	w.dec.UseNumber()
	return w.value("", t, false)
}

type rawWalker struct {
	body []byte
	dec  *json.Decoder
}

// token reads one token and checks that its bytes are UTF-8.
func (w *rawWalker) token(field string) (json.Token, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, failure.New(failure.BadRequest, "The request body is not valid JSON.")
	}
	if !utf8.Valid(w.body[start:w.dec.InputOffset()]) {
		return nil, failure.Fields("The request has text that is not UTF-8.", failure.FieldError{Field: fieldName(field), Message: "is not valid UTF-8 text"})
	}
	return tok, nil
}

func (w *rawWalker) value(field string, t reflect.Type, nullable bool) error {
	tok, err := w.token(field)
	if err != nil {
		return err
	}
	switch tok {
	case nil:
		if !nullable {
			return failure.Fields("The request has a null where a value is needed.", failure.FieldError{Field: fieldName(field), Message: "must not be null; leave it out instead"})
		}
	case json.Delim('{'):
		seen := map[string]bool{}
		for w.dec.More() {
			kt, err := w.token(field)
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			child := key
			if field != "" {
				child = field + "." + key
			}
			if seen[key] {
				return failure.Fields("The request gives a field twice.", failure.FieldError{Field: child, Message: "appears more than once; give it once"})
			}
			seen[key] = true
			ct, cn := childType(t, key)
			if err := w.value(child, ct, cn); err != nil {
				return err
			}
		}
		if _, err := w.token(field); err != nil { // '}'
			return err
		}
	case json.Delim('['):
		var elem reflect.Type
		if t = deref(t); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for w.dec.More() {
			if err := w.value(field, elem, elem == nil); err != nil {
				return err
			}
		}
		if _, err := w.token(field); err != nil { // ']'
			return err
		}
	}
	return nil
}

func fieldName(f string) string {
	if f == "" {
		return "body"
	}
	return f
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// childType resolves a key of an object of type t: a struct field by its
// JSON name, or a map's element. An unknown key gives nil (and null is let
// through here: the decoder then names the unknown field).
func childType(t reflect.Type, key string) (reflect.Type, bool) {
	t = deref(t)
	if t == nil {
		return nil, true
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem(), false
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if name, _, ok := api.JSONField(f); ok && name == key {
				return f.Type, api.NullAllowed(f)
			}
		}
	}
	return nil, true
}
