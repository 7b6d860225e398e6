package layout

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/openrasp/rasp/"

// deps lists every package pkg links, as `go list -deps` sees it for a Lambda
// build (linux/arm64, the lambda.norpc tag), standard library included.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc", module+pkg)
	cmd.Env = append(cmd.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// The domain returns domain types: the JSON shapes and their mapping live in
// the transport layer, so the domain never links the API package.
func TestDomainDoesNotSpeakJSONAPI(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"shared/assessment", "shared/partnership", "shared/scoring", "shared/bank"} {
		if got := deps(t, pkg); slices.Contains(got, module+"shared/api") {
			t.Errorf("%s links shared/api; want the domain free of the JSON shapes", pkg)
		}
	}
}
