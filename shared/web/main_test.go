package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/bank/bankyaml"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/mail/mailtest"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/routes"
)

func TestMain(m *testing.M) { os.Exit(ddbtest.Main(m)) }

var (
	libOnce sync.Once
	lib     *bank.Library
)

func library() *bank.Library {
	libOnce.Do(func() { lib = bankyaml.MustEmbedded() })
	return lib
}

// env is the whole service (every function, behind the local gateway) on
// its own DynamoDB Local table, served on 127.0.0.1.
type env struct {
	t     testing.TB
	url   string
	table string
	deps  lambdas.Deps
	mail  *mailtest.Recorder
}

func newEnv(t testing.TB) *env {
	t.Helper()
	table := ddbtest.NewTable(t)
	store := dynamo.NewStore(ddbtest.Client(), table)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := lambdas.Wire(config.Config{Table: table, BaseURL: "http://rasp.test"}, log, store, library(), time.Now)
	box := &mailtest.Recorder{}
	deps.Mailer = box
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log}
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &env{t: t, url: srv.URL, table: table, deps: deps, mail: box}
}

// itemCount counts every item of the test's table.
func (e *env) itemCount() int {
	e.t.Helper()
	return ddbtest.ItemCount(e.t, e.table)
}

// reply is a response with its body read.
type reply struct {
	status int
	header http.Header
	body   string
}

// client is a cookie-less HTTP client that does not follow redirects, so
// tests see each response as the browser would.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// request sends a request. Pairs of headers follow the body; a "Cookie"
// header sends cookies.
func (e *env) request(method, path string, form url.Values, headers ...string) reply {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, e.url+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", e.url)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// cookie finds a Set-Cookie of the reply by name.
func (r reply) cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// lead is the assessment as the auth middleware hands it to a handler.
func (e *env) lead(id, token string) *assessment.Assessment {
	e.t.Helper()
	a, err := e.deps.Auth.Assessment(context.Background(), id, token)
	if err != nil {
		e.t.Fatalf("assessment %s: %v", id, err)
	}
	return a
}

// admin is the partnership as the auth middleware hands it to its admin.
func (e *env) admin(id, token string) *partnership.Partnership {
	e.t.Helper()
	p, err := e.deps.Auth.Partnership(context.Background(), id, token)
	if err != nil {
		e.t.Fatalf("partnership %s: %v", id, err)
	}
	return p.Partnership
}
