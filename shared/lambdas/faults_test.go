package lambdas_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/bank"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/ddblocal/ddbtest"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// The fault suite puts toxiproxy (as a library, on loopback) between the
// handlers and DynamoDB Local and checks, for each fault × route, that the
// route answers 503 + Retry-After by its own deadline (not the gateway's:
// the local gateway's limit is set just past the request deadline, and its
// bare 504 would fail the test), that nothing is half-written, and that the
// route works again once the fault clears. Deadlines are scaled down
// (2 s per call, 5 s per request: still ample for DynamoDB Local on a busy
// machine under -race) so the suite takes seconds, not minutes.
const (
	faultCall    = 2 * time.Second
	faultRequest = 5 * time.Second
	faultHealth  = time.Second
	// faultGateway stands in for API Gateway's 30 s integration limit.
	faultGateway = 2 * faultRequest
	// beyond is a delay past every deadline above.
	beyond = faultGateway + time.Second
)

// noRedirects shows a page's 303 as it is, rather than following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var (
	toxOnce   sync.Once
	toxServer *toxiproxy.ApiServer
)

func toxiproxyServer() *toxiproxy.ApiServer {
	toxOnce.Do(func() {
		toxServer = toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	})
	return toxServer
}

// faultEnv is a service whose every DynamoDB call goes through a proxy,
// and direct, the same service on the same table without the proxy (and
// with the usual deadlines) for setting up and checking.
type faultEnv struct {
	*env
	direct *env
	proxy  *toxiproxy.Proxy
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	table := ddbtest.NewTable(t)
	upstream := strings.TrimPrefix(ddbtest.Endpoint(), "http://")
	proxy := toxiproxy.NewProxy(toxiproxyServer(), "ddb-"+table, "127.0.0.1:0", upstream)
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Stop)
	db, err := awsdefault.NewClient(context.Background(), "http://"+proxy.Listen)
	if err != nil {
		t.Fatal(err)
	}
	store := dynamo.NewStore(db, table, dynamo.CallTimeout(faultCall))
	c := &clock{t: time.Now().UTC()}
	cfg := config.Config{Table: table, BaseURL: "http://127.0.0.1", CallTimeout: faultCall, RequestTimeout: faultRequest, HealthTimeout: faultHealth}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := lambdas.Wire(cfg, log, store, library(t), c.Now)
	gw := &localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log, Timeout: faultGateway}
	srv := httptest.NewServer(gw)
	t.Cleanup(srv.Close)
	return &faultEnv{env: &env{t: t, url: srv.URL, table: table, deps: deps, store: store, now: c}, direct: newEnvOn(t, table, nil), proxy: proxy}
}

// toxic adds a toxic to the proxy, as toxiproxy's HTTP API would.
func (f *faultEnv) toxic(kind, stream string, attrs map[string]int64) {
	f.t.Helper()
	b, _ := json.Marshal(map[string]any{"type": kind, "stream": stream, "attributes": attrs})
	if _, err := f.proxy.Toxics.AddToxicJson(strings.NewReader(string(b))); err != nil {
		f.t.Fatalf("add toxic %s: %v", kind, err)
	}
}

// clear removes every fault.
func (f *faultEnv) clear() {
	f.proxy.Toxics.ResetToxics(context.Background())
	if !f.proxy.Enabled {
		if err := f.proxy.Start(); err != nil {
			f.t.Fatalf("restart proxy: %v", err)
		}
	}
}

// call is one request of the suite; it never validates against the
// OpenAPI document, as failures under faults are the point.
type call struct {
	method, path, body, contentType string
	headers                         []string
}

func (f *faultEnv) send(c call) response {
	f.t.Helper()
	req, err := http.NewRequest(c.method, f.url+c.path, strings.NewReader(c.body))
	if err != nil {
		f.t.Fatal(err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	for i := 0; i+1 < len(c.headers); i += 2 {
		req.Header.Set(c.headers[i], c.headers[i+1])
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name string
		// apply starts the fault; the proxy is healthy before it.
		apply func(f *faultEnv)
		// degraded: the fault must give 503; otherwise the route must
		// answer as usual (a slow close delays only the connection's end).
		degraded bool
	}{
		{"latency beyond the deadline", func(f *faultEnv) {
			f.toxic("latency", "downstream", map[string]int64{"latency": beyond.Milliseconds()})
		}, true},
		{"connection reset", func(f *faultEnv) {
			f.toxic("reset_peer", "upstream", map[string]int64{"timeout": 0})
		}, true},
		{"hang", func(f *faultEnv) {
			f.toxic("timeout", "upstream", map[string]int64{"timeout": 0})
		}, true},
		{"down mid-request", func(f *faultEnv) {
			// The request reaches DynamoDB (a write commits) and the
			// connection drops before the reply: the outcome is unknown.
			f.toxic("limit_data", "downstream", map[string]int64{"bytes": 1})
		}, true},
		{"down", func(f *faultEnv) { f.proxy.Stop() }, true},
		{"slow close", func(f *faultEnv) {
			f.toxic("slow_close", "downstream", map[string]int64{"delay": beyond.Milliseconds()})
		}, false},
	}
	for _, fault := range faults {
		t.Run(fault.name, func(t *testing.T) {
			t.Parallel()
			f := newFaultEnv(t)
			b := library(t).Current()
			d := f.direct
			main := d.start(startBody("Barnet", "combine"))
			complete := d.start(startBody("Enfield", "combine"))
			d.answerAll(complete, func(bank.Question) *int { return intp(2) })
			doomed := d.start(startBody("Harrow", "combine"))
			d.do("PUT", "/api/assessments/"+doomed.ID+"/answers", doomed.Token, areaAnswers(b, "vision", func(bank.Question) *int { return intp(1) }))
			p := d.partnership("North London shared ICT")
			two := areaAnswers(b, "ethos", func(bank.Question) *int { return intp(4) })
			for id, a := range areaAnswers(b, "risk", func(bank.Question) *int { return intp(4) }).Answers {
				two.Answers[id] = a
			}
			twoBody, _ := json.Marshal(two)
			const js = "application/json"
			const form = "application/x-www-form-urlencoded"
			page := []string{"Cookie", "rasp_a_" + main.ID + "=" + main.Token, "Sec-Fetch-Site", "same-origin"}
			start := `{"council":"Brent","respondent":{"name":"Sam","role":"PM"},"purpose":"readiness","intendedForm":"combine"}`
			startForm := url.Values{"council": {"Brent"}, "name": {"Sam"}, "role": {"PM"}, "purpose": {"readiness"}, "intendedForm": {"combine"}}.Encode()
			cases := []struct {
				name string
				call call
				// ok lists the statuses of a healthy answer.
				ok   []int
				html bool
			}{
				{"healthz", call{method: "GET", path: "/healthz"}, []int{200}, false},
				{"start", call{method: "POST", path: "/api/assessments", body: start, contentType: js}, []int{201}, false},
				{"read", call{method: "GET", path: "/api/assessments/" + main.ID, headers: []string{"Authorization", "Bearer " + main.Token}}, []int{200}, false},
				{"save two areas", call{method: "PUT", path: "/api/assessments/" + main.ID + "/answers", body: string(twoBody), contentType: js, headers: []string{"Authorization", "Bearer " + main.Token}}, []int{200}, false},
				{"score", call{method: "GET", path: "/api/assessments/" + main.ID + "/score", headers: []string{"Authorization", "Bearer " + main.Token}}, []int{200}, false},
				{"submit", call{method: "POST", path: "/api/assessments/" + complete.ID + "/submit", headers: []string{"Authorization", "Bearer " + complete.Token}}, []int{200}, false},
				// A retried erasure answers 404 once it has happened.
				{"delete", call{method: "DELETE", path: "/api/assessments/" + doomed.ID, headers: []string{"Authorization", "Bearer " + doomed.Token}}, []int{204, 404}, false},
				{"create partnership", call{method: "POST", path: "/api/partnerships", body: `{"name":"South London revenues","intendedForm":"coordinate"}`, contentType: js}, []int{201}, false},
				{"partnership", call{method: "GET", path: "/api/partnerships/" + p.ID, headers: []string{"Authorization", "Bearer " + p.AdminToken}}, []int{200}, false},
				{"page: task list", call{method: "GET", path: "/assessments/" + main.ID, headers: page}, []int{200}, true},
				{"page: save area", call{method: "POST", path: "/assessments/" + main.ID + "/areas/vision", body: "answer-vision-political-backing=3", contentType: form, headers: page}, []int{303}, true},
				{"page: start", call{method: "POST", path: "/assessments/new", body: startForm, contentType: form, headers: []string{"Sec-Fetch-Site", "same-origin"}}, []int{200}, true},
			}
			fault.apply(f)
			for _, c := range cases {
				r := f.send(c.call)
				if !fault.degraded {
					if !contains(c.ok, r.status) {
						t.Errorf("%s: got %d %s, want %v", c.name, r.status, r.body, c.ok)
					}
					continue
				}
				if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
					t.Errorf("%s: got %d (Retry-After %q) %.200s, want 503 with Retry-After", c.name, r.status, r.header.Get("Retry-After"), r.body)
					continue
				}
				ct := r.header.Get("Content-Type")
				if c.html && !strings.HasPrefix(ct, "text/html") || !c.html && ct != "application/problem+json" {
					t.Errorf("%s: got content type %q, want our own %s reply", c.name, ct, map[bool]string{true: "HTML", false: "problem"}[c.html])
				}
			}
			f.clear()
			// Nothing half-written: the two-area save (which may have
			// committed under the fault) is all there or not at all.
			var seen api.Assessment
			d.do("GET", "/api/assessments/"+main.ID, main.Token, nil).json(t, &seen)
			written := 0
			for id := range two.Answers {
				if a, ok := seen.Answers[id]; ok && a.Score != nil && *a.Score == 4 {
					written++
				}
			}
			if written != 0 && written != len(two.Answers) {
				t.Errorf("two-area save under the fault: got %d of %d answers written, want all or none", written, len(two.Answers))
			}
			if n := f.partitionCount(doomed.ID); n != 0 && d.do("GET", "/api/assessments/"+doomed.ID, doomed.Token, nil).status == http.StatusNotFound {
				t.Errorf("erasure under the fault: got %d items left of an erased assessment, want 0", n)
			}
			// Recovery: each route works again, retried on 503 as its
			// Retry-After tells clients to (a few tries: on a loaded
			// machine a first call to DynamoDB Local can miss the scaled
			// 2 s deadline).
			for _, c := range cases {
				r := f.send(c.call)
				for try := 1; try < 5 && r.status == http.StatusServiceUnavailable; try++ {
					r = f.send(c.call)
				}
				if !contains(c.ok, r.status) {
					t.Errorf("%s after the fault cleared: got %d %.300s, want %v", c.name, r.status, r.body, c.ok)
				}
			}
			// Recovered: the retried save and erasure took effect.
			var got api.Assessment
			d.do("GET", "/api/assessments/"+main.ID, main.Token, nil).json(t, &got)
			for id := range two.Answers {
				if a := got.Answers[id]; a.Score == nil || *a.Score != 4 {
					t.Errorf("two-area save after recovery: %s = %+v, want score 4", id, a)
				}
			}
			if n := f.partitionCount(doomed.ID); n != 0 {
				t.Errorf("erasure after recovery: got %d items left, want 0", n)
			}
		})
	}
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
