package rie_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/rie"
	"github.com/openrasp/rasp/shared/routes"
)

func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }

// TestFunctionsUnderEmulator builds every function's bootstrap with the
// release flags and runs it under AWS's Runtime Interface Emulator, fed the
// API Gateway v2 and Scheduler events of testdata/, against DynamoDB Local:
// each binary that deploys starts, reads its configuration, reaches the
// table and answers the way API Gateway expects. With qemu-user-static on the
// machine (CI installs it) the arm64 builds — the exact artefacts `make build`
// zips — run the same journey under emulation.
func TestFunctionsUnderEmulator(t *testing.T) {
	emulator, err := rie.Find(".")
	if err != nil {
		t.Fatal(err)
	}
	arches := []string{runtime.GOARCH}
	if runtime.GOARCH != "arm64" {
		if _, err := exec.LookPath("qemu-aarch64-static"); err == nil {
			arches = append(arches, "arm64")
		} else {
			t.Log("qemu-aarch64-static not installed: the arm64 builds are not run (CI installs it)")
		}
	}
	for _, arch := range arches {
		t.Run(arch, func(t *testing.T) { smoke(t, emulator, arch) })
	}
}

func smoke(t *testing.T, emulator, arch string) {
	table := ddbtest.NewTable(t)
	dir := t.TempDir()
	bins := map[string][]string{}
	for _, fn := range routes.Functions() {
		bin := filepath.Join(dir, fn, "bootstrap")
		if out, err := build(arch, "./functions/"+fn, bin); err != nil {
			t.Fatalf("build %s for %s: %v\n%s", fn, arch, err, out)
		}
		bins[fn] = []string{"./bootstrap"}
		if arch != runtime.GOARCH {
			bins[fn] = []string{"qemu-aarch64-static", "./bootstrap"}
		}
	}
	ctx := context.Background()
	invoke := func(fn string, evs ...[]byte) rie.Run {
		t.Helper()
		run, err := rie.Invoke(ctx, emulator, rie.Function{
			Command: bins[fn], Dir: filepath.Join(dir, fn), Env: env(fn, table, dir),
		}, 60*time.Second, evs...)
		if err != nil {
			t.Fatalf("%s under the emulator: %v", fn, err)
		}
		// The emulator measured a real init and a real invoke.
		if run.InitMs <= 0 || run.Invocations[0].Ms <= 0 {
			t.Errorf("%s: init %v ms, first invoke %v ms; want both reported", fn, run.InitMs, run.Invocations[0].Ms)
		}
		return run
	}

	run := invoke(routes.FnStart, fixture(t, "healthz", nil), fixture(t, "start-assessment", nil),
		fixture(t, "create-partnership", nil))
	status(t, "healthz", run.Invocations[0], 200)
	var started struct{ ID, Token string }
	decode(t, "start assessment", status(t, "start assessment", run.Invocations[1], 201), &started)
	var created struct {
		ID         string `json:"id"`
		AdminToken string `json:"adminToken"`
	}
	decode(t, "create partnership", status(t, "create partnership", run.Invocations[2], 201), &created)
	if started.ID == "" || started.Token == "" || created.ID == "" || created.AdminToken == "" {
		t.Fatalf("start replied %+v, create partnership %+v; want ids and tokens", started, created)
	}
	a := map[string]string{"ID": started.ID, "TOKEN": started.Token}

	var got struct{ ID, Council string }
	decode(t, "get assessment", status(t, "get assessment", invoke(routes.FnAnswers, fixture(t, "get-assessment", a)).Invocations[0], 200), &got)
	if got.ID != started.ID || got.Council != "Brent" {
		t.Errorf("answers function read %+v; want the assessment just started by the start function", got)
	}
	status(t, "score", invoke(routes.FnScore, fixture(t, "score-assessment", a)).Invocations[0], 200)
	status(t, "partnership", invoke(routes.FnCompare, fixture(t, "get-partnership",
		map[string]string{"ID": created.ID, "TOKEN": created.AdminToken})).Invocations[0], 200)

	web := invoke(routes.FnWeb, fixture(t, "web-start-page", nil)).Invocations[0]
	var page events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(web.Response, &page); err != nil || page.StatusCode != 200 ||
		!strings.HasPrefix(page.Headers["content-type"], "text/html") {
		t.Errorf("web start page: status %d, content-type %q (%v); want 200 text/html", page.StatusCode, page.Headers["content-type"], err)
	}

	rem := invoke(routes.FnReminders, fixture(t, "scheduler-event", nil)).Invocations[0]
	if strings.Contains(string(rem.Response), "errorMessage") {
		t.Errorf("reminders job failed under the emulator: %s", rem.Response)
	}
}

// build compiles a function exactly as `make build` does, for arch.
func build(arch, pkg, bin string) ([]byte, error) {
	cmd := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Dir = moduleRoot()
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	return cmd.CombinedOutput()
}

func moduleRoot() string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		panic(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// env is what the CDK stack gives every function, pointed at DynamoDB Local.
func env(fn, table, dir string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"TZ=:UTC",
		"AWS_LAMBDA_FUNCTION_NAME=rasp-" + fn,
		"AWS_REGION=eu-west-2",
		"AWS_DEFAULT_REGION=eu-west-2",
		"AWS_ACCESS_KEY_ID=local",
		"AWS_SECRET_ACCESS_KEY=local",
		"TABLE_NAME=" + table,
		"DYNAMODB_ENDPOINT=" + ddbtest.Endpoint(),
		"BASE_URL=https://rasp.example.gov.uk",
		"MAIL_FROM=RASP <rasp@example.gov.uk>",
		"OUTBOX_DIR=" + filepath.Join(dir, "outbox"),
		// A functional smoke test, not a timing one: under qemu on a busy
		// machine a call can take longer than the deployed 3 s / 1 s
		// deadlines (the fault suite in shared/lambdas tests those).
		"DYNAMODB_CALL_TIMEOUT_MS=60000",
		"REQUEST_TIMEOUT_MS=120000",
		"HEALTH_TIMEOUT_MS=60000",
	}
}

// fixture reads testdata/<name>.json with ${KEY} placeholders filled in.
func fixture(t *testing.T, name string, vars map[string]string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for k, v := range vars {
		s = strings.ReplaceAll(s, "${"+k+"}", v)
	}
	if strings.Contains(s, "${") {
		t.Fatalf("fixture %s: a placeholder is left unfilled", name)
	}
	return []byte(s)
}

// status checks an HTTP API reply's status code and returns its body.
func status(t *testing.T, what string, inv rie.Invocation, want int) []byte {
	t.Helper()
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(inv.Response, &resp); err != nil {
		t.Fatalf("%s: reply is not an HTTP API response: %v: %.300s", what, err, inv.Response)
	}
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d: %.300s", what, resp.StatusCode, want, resp.Body)
	}
	return []byte(resp.Body)
}

func decode(t *testing.T, what string, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatal(fmt.Errorf("%s: %w: %.300s", what, err, body))
	}
}
