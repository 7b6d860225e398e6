package apiclient_test

import (
	"os"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"gopkg.in/yaml.v3"
)

// The committed client is what the pinned oapi-codegen makes of the served
// document today, run in-process with the same configuration as
// `go generate ./shared/apiclient`.
func TestClientIsCurrent(t *testing.T) {
	raw, err := os.ReadFile("oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg codegen.Configuration
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg = cfg.UpdateDefaults()
	spec, err := util.LoadSwaggerWithOverlay("../apidoc/openapi.json", util.LoadSwaggerWithOverlayOpts{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	want, err := codegen.Generate(spec, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	// The first line names the generator's version from the build info,
	// which in-process is this module's; the rest must be identical.
	if body(string(got)) != body(want) {
		t.Fatal("shared/apiclient/client.gen.go is stale: run go generate ./shared/apiclient")
	}
}

func body(code string) string {
	_, rest, _ := strings.Cut(code, "DO NOT EDIT.\n")
	return rest
}
