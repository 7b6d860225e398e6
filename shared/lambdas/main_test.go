package lambdas_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/openapi"
	"github.com/openrasp/rasp/shared/routes"
)

func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }

var (
	libOnce sync.Once
	lib     *bank.Library
	docOnce sync.Once
	docRtr  routers.Router
	docErr  error
)

func library(t testing.TB) *bank.Library {
	libOnce.Do(func() { lib = bankyaml.MustEmbedded() })
	return lib
}

// env is one service on its own table behind the local gateway.
type env struct {
	t     testing.TB
	url   string
	table string
	deps  lambdas.Deps
	store *dynamo.Store
	now   *clock
}

// clock is a settable test clock, safe for concurrent handlers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now ticks a millisecond per call so that events keep their order.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newEnv(t testing.TB) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with the configuration adjusted by tweak (an outbox
// folder, say).
func newEnvWith(t testing.TB, tweak func(*config.Config)) *env {
	t.Helper()
	return newEnvOn(t, ddbtest.NewTable(t), tweak)
}

// newEnvOn is newEnvWith on an existing table.
func newEnvOn(t testing.TB, table string, tweak func(*config.Config)) *env {
	t.Helper()
	store := dynamo.NewStore(ddbtest.Client(), table)
	c := &clock{t: time.Now().UTC()}
	cfg := config.Config{Table: table, BaseURL: "http://127.0.0.1"}
	if tweak != nil {
		tweak(&cfg)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := lambdas.Wire(cfg, log, store, library(t), c.Now)
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log}
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, table: table, deps: deps, store: store, now: c}
}

// itemCount counts every item of the test's table.
func (e *env) itemCount() int {
	e.t.Helper()
	return ddbtest.ItemCount(e.t, e.table)
}

// response is a decoded reply.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request and validates request and response against the
// OpenAPI document (only for routes the document covers and bodies that
// parse: deliberately broken requests are checked by status alone).
func (e *env) do(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	req, raw, r := e.send(method, path, token, body, headers...)
	validate(e.t, req, raw, r)
	return r
}

// send sends a request as do does, without checking it against the
// document.
func (e *env) send(method, path, token string, body any, headers ...string) (*http.Request, []byte, response) {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		raw, _ = json.Marshal(b)
	}
	req, err := http.NewRequest(method, e.url+path, bytes.NewReader(raw))
	if err != nil {
		e.t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	return req, raw, response{status: resp.StatusCode, header: resp.Header, body: got}
}

func openAPIRouter(t testing.TB) routers.Router {
	t.Helper()
	docOnce.Do(func() {
		doc, err := openapi.Build()
		if err != nil {
			docErr = err
			return
		}
		if docErr = doc.Validate(context.Background()); docErr != nil {
			return
		}
		doc.Servers = openapi3.Servers{{URL: "http://127.0.0.1"}}
		docRtr, docErr = gorillamux.NewRouter(doc)
	})
	if docErr != nil {
		t.Fatalf("openapi document: %v", docErr)
	}
	return docRtr
}

// validate checks a request/response pair against the document. Requests
// the API must reject (status 4xx from decoding) are not valid by design,
// so only their response is checked.
func validate(t testing.TB, req *http.Request, body []byte, r response) {
	t.Helper()
	rtr := openAPIRouter(t)
	vreq := req.Clone(context.Background())
	vreq.URL.Host, vreq.URL.Scheme = "127.0.0.1", "http"
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := rtr.FindRoute(vreq)
	if err != nil {
		if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed && !strings.HasPrefix(req.URL.Path, "/healthz") {
			t.Errorf("%s %s: not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if r.status < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: request does not match OpenAPI: %v", req.Method, req.URL.Path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s → %d: response does not match OpenAPI: %v", req.Method, req.URL.Path, r.status, err)
	}
}
