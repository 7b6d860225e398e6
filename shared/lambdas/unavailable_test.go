package lambdas_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openrasp/rasp/shared/awsdefault"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/dynamo"
	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// When DynamoDB does not answer, callers get 503 with Retry-After and a
// request id, never a 200 and never the internal error text.
func TestDatabaseUnavailable(t *testing.T) {
	t.Parallel()
	// A port that refuses connections: listen, note the port, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + l.Addr().String()
	l.Close()
	db, err := awsdefault.NewClient(context.Background(), dead)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	deps := lambdas.Wire(config.Config{Table: "rasp"}, log, dynamo.NewStore(db, "rasp"), library(t), time.Now)
	srv := httptest.NewServer(&localgateway.Gateway{Routes: routes.Table(), Functions: lambdas.HTTPFunctions(deps), Log: log})
	defer srv.Close()

	cases := []struct{ method, path, body string }{
		{"GET", "/healthz", ""},
		{"POST", "/api/assessments", `{"council":"Brent","respondent":{"name":"Sam","role":"PM"},"purpose":"readiness","intendedForm":"combine"}`},
		{"GET", "/api/assessments/aaaaaaaaaaaaaaaaaaaaaaaaaa", ""},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer x")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var p struct {
				Status    int    `json:"status"`
				Detail    string `json:"detail"`
				RequestID string `json:"requestId"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&p)
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
				t.Fatalf("got %d retry-after %q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			if p.RequestID == "" || strings.Contains(p.Detail, "127.0.0.1") || strings.Contains(p.Detail, "dial") {
				t.Errorf("problem leaks internals or lacks a request id: %+v", p)
			}
		})
	}
}
