package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/routes"
)

// ColdStart is one function's cold start proxy.
type ColdStart struct {
	Function  string    `json:"function"`
	Status    string    `json:"status"` // ok, missing, build failed, failed
	Detail    string    `json:"detail,omitempty"`
	ZipBytes  int64     `json:"zipBytes"` // build/<fn>.zip from `make build`; 0 when absent
	Event     string    `json:"event,omitempty"`
	Runs      int       `json:"runs"`
	MedianMs  float64   `json:"medianMs"`
	InitMs    float64   `json:"initMedianMs"` // exec → the first GET .../invocation/next: Lambda's "Init Duration"
	MinMs     float64   `json:"minMs"`
	MaxMs     float64   `json:"maxMs"`
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
// flags and times exec → first response under a Runtime API stand-in.
func measureColdStarts(ctx context.Context, e *env, runs int) ([]ColdStart, error) {
	evs, err := coldEvents(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("cold start events: %w", err)
	}
	dir, err := os.MkdirTemp("", "rasp-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	var out []ColdStart
	evs[floorName] = evs[routes.FnScore]
	for _, fn := range append([]string{floorName}, routes.Functions()...) {
		cs := ColdStart{Function: fn, Status: "ok"}
		if st, err := os.Stat(filepath.Join(e.root, "build", fn+".zip")); err == nil {
			cs.ZipBytes = st.Size()
		}
		pkg := "./functions/" + fn
		if fn == floorName {
			pkg = "./bench/floor"
		}
		if _, err := os.Stat(filepath.Join(e.root, pkg, "main.go")); err != nil {
			cs.Status, cs.Detail = "missing", "functions/"+fn+" does not exist yet"
			out = append(out, cs)
			continue
		}
		ev, ok := evs[fn]
		if !ok {
			cs.Status, cs.Detail = "missing", "no route of "+fn+" in the route table yet"
			out = append(out, cs)
			continue
		}
		bin := filepath.Join(dir, fn, "bootstrap")
		if msg, err := buildHost(ctx, e.root, pkg, bin); err != nil {
			cs.Status, cs.Detail = "build failed", firstLine(msg)
			out = append(out, cs)
			continue
		}
		cs.Event = eventSummary(fn, ev)
		// One unmeasured run first: the binary's pages come into the cache.
		if _, _, err := coldRun(ctx, e, fn, bin, ev); err != nil {
			cs.Status, cs.Detail = "failed", err.Error()
			out = append(out, cs)
			continue
		}
		var times, inits []time.Duration
		for range runs {
			d, status, err := coldRun(ctx, e, fn, bin, ev)
			if err != nil {
				cs.Status, cs.Detail = "failed", err.Error()
				break
			}
			times, inits = append(times, d.total), append(inits, d.init)
			cs.Responded = status
			cs.RunsMs = append(cs.RunsMs, ms(d.total))
		}
		if len(times) > 0 {
			cs.Runs = len(times)
			cs.InitMs = ms(percentile(inits, 50))
			cs.MedianMs, cs.MinMs, cs.MaxMs = ms(percentile(times, 50)), ms(percentile(times, 0)), ms(percentile(times, 100))
		}
		out = append(out, cs)
	}
	return out, nil
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
// machine's floor.
const floorName = "floor"

// buildHost builds a function's package as `make build` does, but for this
// machine's architecture so it can run here.
func buildHost(ctx context.Context, root, pkg, bin string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// coldTimes are the two marks of a cold start.
type coldTimes struct {
	init  time.Duration // exec → the runtime asks for its first event
	total time.Duration // exec → the function's response arrives
}

// coldRun starts the binary once under a fresh Runtime API stand-in and
// times it from exec to the function's response.
func coldRun(ctx context.Context, e *env, fn, bin string, event []byte) (coldTimes, int, error) {
	var none coldTimes
	rt, err := newRuntimeAPI(event)
	if err != nil {
		return none, 0, err
	}
	defer rt.close()

	home := filepath.Dir(bin)
	cmd := exec.Command(bin)
	cmd.Dir = home
	cmd.Env = []string{
		"PATH=/usr/bin:/bin",
		"HOME=" + home,
		"TZ=:UTC",
		"LAMBDA_TASK_ROOT=" + home,
		"_HANDLER=bootstrap",
		"AWS_LAMBDA_RUNTIME_API=" + rt.addr,
		"AWS_LAMBDA_FUNCTION_NAME=rasp-" + fn,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
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
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096} // its JSON logs; stdout goes to /dev/null
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return none, 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	select {
	case r := <-rt.result:
		if r.err != "" {
			return none, 0, fmt.Errorf("function reported an error: %.300s", r.err)
		}
		d := coldTimes{init: rt.firstNext().Sub(start), total: r.at.Sub(start)}
		status := 0
		if fn != routes.FnReminders {
			var resp events.APIGatewayV2HTTPResponse
			if err := json.Unmarshal(r.body, &resp); err != nil {
				return none, 0, fmt.Errorf("response is not an HTTP API response: %v", err)
			}
			if resp.StatusCode >= 400 {
				return none, 0, fmt.Errorf("responded %d: %.200s", resp.StatusCode, resp.Body)
			}
			status = resp.StatusCode
		}
		return d, status, nil
	case err := <-exited:
		exited <- err
		return none, 0, fmt.Errorf("exited before responding (%v): %s", err, firstLine(stderr.String()))
	case <-time.After(20 * time.Second):
		return none, 0, errors.New("no response within 20 s")
	case <-ctx.Done():
		return none, 0, ctx.Err()
	}
}

// runtimeAPI is a minimal stand-in for the Lambda Runtime API: it hands out
// one event, then holds further /next requests until it is closed, and
// reports the function's response or error.
type runtimeAPI struct {
	addr   string
	srv    *http.Server
	result chan runtimeResult
	once   sync.Once
	done   chan struct{}

	mu     sync.Mutex
	nextAt time.Time // the first GET .../next
}

func (rt *runtimeAPI) firstNext() time.Time {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.nextAt
}

type runtimeResult struct {
	at   time.Time
	body []byte
	err  string
}

const requestID = "8f5e0a3c-bench-4d1c-9a52-000000000001"

func newRuntimeAPI(event []byte) (*runtimeAPI, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rt := &runtimeAPI{addr: l.Addr().String(), result: make(chan runtimeResult, 1), done: make(chan struct{})}
	var served sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		first := false
		served.Do(func() {
			first = true
			rt.mu.Lock()
			rt.nextAt = at
			rt.mu.Unlock()
		})
		if !first {
			select { // the next invocation never comes
			case <-r.Context().Done():
			case <-rt.done:
			}
			return
		}
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", requestID)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(10*time.Second).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-2:000000000000:function:rasp-bench")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0")
		h.Set("Content-Type", "application/json")
		_, _ = w.Write(event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		at := time.Now()
		w.WriteHeader(http.StatusAccepted)
		rt.report(runtimeResult{at: at, body: body})
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		rt.report(runtimeResult{at: time.Now(), err: "invocation error: " + string(body)})
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		rt.report(runtimeResult{at: time.Now(), err: "init error: " + string(body)})
	})
	rt.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = rt.srv.Serve(l) }()
	return rt, nil
}

func (rt *runtimeAPI) report(r runtimeResult) {
	select {
	case rt.result <- r:
	default:
	}
}

func (rt *runtimeAPI) close() {
	rt.once.Do(func() { close(rt.done) })
	_ = rt.srv.Close()
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		_, _ = l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
