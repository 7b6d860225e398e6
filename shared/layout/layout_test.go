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

// Each function links only what it uses (docs/design.md D7): the read-only
// functions never link the pages, html/template or SES, only web, start
// and reminders send mail, and no Lambda links the build-time tools (CDK and
// jsii, the OpenAPI generator's kin-openapi, YAML).
func TestFunctionsLinkOnlyWhatTheyUse(t *testing.T) {
	t.Parallel()
	// A trailing * matches any package path starting so; else the path itself.
	never := []string{"github.com/aws/aws-cdk-go/*", "github.com/aws/jsii-runtime-go*", "github.com/aws/constructs-go/*",
		"github.com/cdklabs/*", "github.com/getkin/kin-openapi*", "github.com/chromedp/*",
		// SES is called by shared/mail/ses itself (one signed HTTPS call), not
		// through the SDK's SES v2 client, about 1.5 MB of zip.
		"github.com/aws/aws-sdk-go-v2/service/sesv2*",
		// The bank's YAML and its parser: the functions read bank.Compiled.
		"gopkg.in/yaml.v3", module + "questions", module + "shared/bank/bankyaml",
		module + "shared/openapi", module + "shared/lambdas",
		// The SDK's default config chain (shared files, SSO, STS) is for the
		// local runner and tests; a Lambda reads its environment
		// (dynamo.MustAWSConfig), which keeps the zips under 5 MB (issue 22).
		"github.com/aws/aws-sdk-go-v2/config", "github.com/aws/aws-sdk-go-v2/service/sso*",
		"github.com/aws/aws-sdk-go-v2/service/sts", module + "shared/awsdefault"}
	pages := []string{"html/template", module + "shared/web", module + "shared/reminders/wording"}
	ses := []string{module + "shared/mail/ses"}
	cases := []struct {
		function string
		forbid   [][]string
	}{
		{"start", [][]string{never, pages}},
		{"answers", [][]string{never, pages, ses}},
		{"score", [][]string{never, pages, ses}},
		{"compare", [][]string{never, pages, ses}},
		{"web", [][]string{never}},
		{"reminders", [][]string{never, {module + "shared/web"}}},
	}
	for _, c := range cases {
		t.Run(c.function, func(t *testing.T) {
			t.Parallel()
			got := deps(t, "functions/"+c.function)
			for _, group := range c.forbid {
				for _, bad := range group {
					for _, p := range got {
						if prefix, ok := strings.CutSuffix(bad, "*"); p == bad || ok && strings.HasPrefix(p, prefix) {
							t.Errorf("functions/%s links %s (forbidden: %s)", c.function, p, bad)
						}
					}
				}
			}
		})
	}
}
