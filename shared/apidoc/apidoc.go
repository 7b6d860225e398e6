// Package apidoc holds the OpenAPI document as generated at development time
// (by shared/openapi, from the route table and the api types). Functions
// serve it from here so that none of them links the generator: it and its
// JSON-schema library cost milliseconds of cold start and a megabyte of zip.
// A test in shared/openapi fails when this copy is not the generated one.
package apidoc

import _ "embed"

// JSON is the OpenAPI 3 document of the JSON API.
//
//go:embed openapi.json
var JSON string
