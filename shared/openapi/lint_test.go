package openapi_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// spectral is the pinned Spectral CLI that `make test` installs with npm ci
// (tools/spectral/package-lock.json).
const spectral = "../../tools/spectral/node_modules/.bin/spectral"

// The served document passes Spectral's OpenAPI ruleset (spectral:oas,
// no rule turned off) with no error and no warning: an independent check of
// the generator, by a linter that is not kin-openapi.
func TestSpectralLint(t *testing.T) {
	if _, err := os.Stat(spectral); err != nil {
		t.Fatalf("Spectral is not installed: run make test (or npm ci --prefix tools/spectral): %v", err)
	}
	out := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(spectral, "lint", "--ruleset", "../../tools/spectral/.spectral.yaml",
		"--format", "json", "--output", out, "--fail-severity", "error", "../apidoc/openapi.json")
	log, err := cmd.CombinedOutput()
	raw, rerr := os.ReadFile(out)
	if rerr != nil {
		t.Fatalf("spectral wrote no report (%v): %s", err, log)
	}
	var results []struct {
		Code     string   `json:"code"`
		Message  string   `json:"message"`
		Path     []string `json:"path"`
		Severity int      `json:"severity"` // 0 error, 1 warning, 2 info, 3 hint
	}
	if err := json.Unmarshal(raw, &results); err != nil {
		t.Fatalf("spectral report: %v: %s", err, raw)
	}
	for _, r := range results {
		if r.Severity <= 1 {
			t.Errorf("%s (severity %d) at %v: %s", r.Code, r.Severity, r.Path, r.Message)
		}
	}
	if err != nil && len(results) == 0 {
		t.Fatalf("spectral failed: %v: %s", err, log)
	}
}
