package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/rie"
	"github.com/openrasp/rasp/shared/routes"
)

// ColdStart is one function's cold start under AWS's Runtime Interface
// Emulator: the durations are the ones the emulator reports, not wall time
// around it.
type ColdStart struct {
	Function  string    `json:"function"`
	Status    string    `json:"status"` // ok, missing, build failed, failed
	Detail    string    `json:"detail,omitempty"`
	ZipBytes  int64     `json:"zipBytes"` // build/<fn>.zip from `make build`; 0 when absent
	Event     string    `json:"event,omitempty"`
	Runs      int       `json:"runs"`
	InitMs    float64   `json:"initMedianMs"`   // the emulator's INIT REPORT durationMs (Lambda's "Init Duration")
	InvokeMs  float64   `json:"invokeMedianMs"` // the emulator's first INVOKE RTDONE duration
	MedianMs  float64   `json:"medianMs"`       // init + first invoke, median over runs
	MinMs     float64   `json:"minMs"`
	MaxMs     float64   `json:"maxMs"`
	Ratio     float64   `json:"ratioToFloor"` // MedianMs / the floor's MedianMs in the same run
	RunsMs    []float64 `json:"runsMs,omitempty"`
	Responded int       `json:"respondedStatus,omitempty"` // statusCode of the first HTTP response
}

// coldEvents are the first event each function gets: a journey request
// for the HTTP functions, a scheduler event for the reminders.
func coldEvents(ctx context.Context, e *env) (map[string][]byte, error) {
	in, b := e.invoke, e.bank
	draft, err := in.start(ctx, "Cold draft", "")
	if err != nil {
		return nil, err
	}
	done, err := in.drafts(ctx, b, 1, "Cold scored", "", true)
	if err != nil {
		return nil, err
	}
	p, err := in.partnership(ctx, "Cold partnership")
	if err != nil {
		return nil, err
	}
	members, err := in.drafts(ctx, b, 3, "Cold council", p.JoinCode, true)
	if err != nil {
		return nil, err
	}
	reqs := map[string]struct {
		method, path, token string
		body                any
	}{
		routes.FnStart:   {"POST", "/api/assessments", "", startBody("Cold council", "")},
		routes.FnAnswers: {"PUT", "/api/assessments/" + draft.ID + "/answers", draft.Token, areaBody(b, b.Areas[0].ID, 1)},
		routes.FnScore:   {"GET", "/api/assessments/" + done[0].ID + "/score", done[0].Token, nil},
		routes.FnCompare: {"GET", "/api/partnerships/" + p.ID + "/comparison", members[0].Token, nil},
		routes.FnWeb:     {"GET", "/", "", nil},
	}
	out := map[string][]byte{}
	for fn, r := range reqs {
		// Only the route must exist (the web routes may not yet); the
		// function is the binary under test, not an in-process handler.
		_, ev, err := buildEvent(routes.Table(), r.method, r.path, r.token, r.body)
		if err != nil {
			continue
		}
		if out[fn], err = json.Marshal(ev); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	sched, err := json.Marshal(events.EventBridgeEvent{
		Version: "0", ID: "bench-schedule", DetailType: "Scheduled Event", Source: "aws.scheduler",
		AccountID: "000000000000", Time: now, Region: "eu-west-2",
		Resources: []string{"arn:aws:scheduler:eu-west-2:000000000000:schedule/default/ReminderSchedule"},
		Detail:    json.RawMessage(`{}`),
	})
	if err != nil {
		return nil, err
	}
	out[routes.FnReminders] = sched
	return out, nil
}

// measureColdStarts builds each function for this machine with the release
// flags and starts it cold under the Runtime Interface Emulator, runs times
// each, beside the empty Go Lambda (the floor) and a control that sleeps
// 20 ms in init (it must come out over the ratio goal, or the goal could not
// fail).
func measureColdStarts(ctx context.Context, e *env, runs int) ([]ColdStart, error) {
	emulator, err := rie.Find(e.root)
	if err != nil {
		return nil, err
	}
	evs, err := coldEvents(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("cold start events: %w", err)
	}
	dir, err := os.MkdirTemp("", "rasp-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	// Build and warm every function first, then take the runs round-robin
	// (floor, control, start, …, floor, control, …) so that a busy moment on
	// a shared machine lands on every function alike and the ratios to the
	// floor stay fair.
	type subject struct {
		cs                    *ColdStart
		f                     rie.Function
		ev                    []byte
		colds, inits, invokes []float64
	}
	evs[floorName] = evs[routes.FnScore]
	evs[controlName] = evs[routes.FnScore]
	names := append([]string{floorName, controlName}, routes.Functions()...)
	out := make([]ColdStart, len(names))
	var live []*subject
	for i, fn := range names {
		cs := &out[i]
		*cs = ColdStart{Function: fn, Status: "ok"}
		if st, err := os.Stat(filepath.Join(e.root, "build", fn+".zip")); err == nil {
			cs.ZipBytes = st.Size()
		}
		pkg := "./functions/" + fn
		switch fn {
		case floorName:
			pkg = "./bench/floor"
		case controlName:
			pkg = "./bench/control"
		}
		ev, ok := evs[fn]
		if !ok {
			cs.Status, cs.Detail = "missing", "no route of "+fn+" in the route table yet"
			continue
		}
		bin := filepath.Join(dir, fn, "bootstrap")
		if msg, err := buildHost(ctx, e.root, pkg, bin); err != nil {
			cs.Status, cs.Detail = "build failed", firstLine(msg)
			continue
		}
		cs.Event = eventSummary(fn, ev)
		f := rie.Function{Command: []string{"./bootstrap"}, Dir: filepath.Dir(bin), Env: functionEnv(e, fn, filepath.Dir(bin))}
		// One unmeasured run first: the binary's pages come into the cache.
		if _, err := rie.Invoke(ctx, emulator, f, 20*time.Second, fromAddress(fn, ev, 0)); err != nil {
			cs.Status, cs.Detail = "failed", firstLine(err.Error())
			continue
		}
		live = append(live, &subject{cs: cs, f: f, ev: ev})
	}
	for n := range runs {
		for _, s := range live {
			if s.cs.Status != "ok" {
				continue
			}
			run, err := rie.Invoke(ctx, emulator, s.f, 20*time.Second, fromAddress(s.cs.Function, s.ev, n+1))
			if err == nil {
				s.cs.Responded, err = responded(s.cs.Function, run.Invocations[0].Response)
			}
			if err != nil {
				s.cs.Status, s.cs.Detail = "failed", firstLine(err.Error())
				continue
			}
			s.colds, s.inits, s.invokes = append(s.colds, run.ColdMs()), append(s.inits, run.InitMs), append(s.invokes, run.Invocations[0].Ms)
			s.cs.RunsMs = append(s.cs.RunsMs, run.ColdMs())
		}
	}
	for _, s := range live {
		if s.cs.Status == "ok" && len(s.colds) > 0 {
			s.cs.Runs = len(s.colds)
			s.cs.InitMs, s.cs.InvokeMs = median(s.inits), median(s.invokes)
			s.cs.MedianMs, s.cs.MinMs, s.cs.MaxMs = median(s.colds), minOf(s.colds), maxOf(s.colds)
		}
	}
	if out[0].Status == "ok" && out[0].MedianMs > 0 {
		for i := range out {
			if out[i].Status == "ok" {
				out[i].Ratio = out[i].MedianMs / out[0].MedianMs
			}
		}
	}
	return out, nil
}

// fromAddress gives each cold start of the start function a client address
// of its own (RFC 5737's TEST-NET-2): the bootstrap runs with the deployed
// rate limits, and the counters for the loopback address are already
// spent by the in-process parts of the bench, which share the table.
func fromAddress(fn string, ev []byte, n int) []byte {
	if fn != routes.FnStart {
		return ev
	}
	var r events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(ev, &r); err != nil {
		return ev
	}
	r.RequestContext.HTTP.SourceIP = fmt.Sprintf("198.51.100.%d", n%250+1)
	out, err := json.Marshal(r)
	if err != nil {
		return ev
	}
	return out
}

// functionEnv is what the CDK stack sets on every function, pointed at
// DynamoDB Local. The emulator passes it on to the bootstrap.
func functionEnv(e *env, fn, home string) []string {
	return []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + home,
		"TZ=:UTC",
		"AWS_LAMBDA_FUNCTION_NAME=rasp-" + fn,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(functionMemoryMB[fn]),
		"AWS_REGION=eu-west-2",
		"AWS_DEFAULT_REGION=eu-west-2",
		"AWS_ACCESS_KEY_ID=local",
		"AWS_SECRET_ACCESS_KEY=local",
		"TABLE_NAME=" + tableName,
		"DYNAMODB_ENDPOINT=" + e.ddb.Endpoint,
		"BASE_URL=http://127.0.0.1:8080",
		"MAIL_FROM=RASP <rasp@localhost>",
		"OUTBOX_DIR=" + filepath.Join(home, "outbox"),
	}
}

// responded checks an HTTP function's reply and returns its status code.
func responded(fn string, reply []byte) (int, error) {
	if fn == routes.FnReminders {
		if strings.Contains(string(reply), `"errorMessage"`) {
			return 0, fmt.Errorf("function reported an error: %.300s", reply)
		}
		return 0, nil
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(reply, &resp); err != nil {
		return 0, fmt.Errorf("response is not an HTTP API response: %v: %.200s", err, reply)
	}
	if resp.StatusCode >= 400 {
		return 0, fmt.Errorf("responded %d: %.200s", resp.StatusCode, resp.Body)
	}
	return resp.StatusCode, nil
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func minOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func eventSummary(fn string, ev []byte) string {
	if fn == routes.FnReminders {
		return "scheduler event"
	}
	var r events.APIGatewayV2HTTPRequest
	_ = json.Unmarshal(ev, &r)
	return r.RouteKey
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// floorName is the empty Go Lambda (bench/floor) measured first as the
// machine's floor; controlName is bench/control, which sleeps 20 ms in init.
const (
	floorName   = "floor"
	controlName = "control"
)

// buildHost builds a function's package as `make build` does, but for this
// machine's architecture so it can run here.
func buildHost(ctx context.Context, root, pkg, bin string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
