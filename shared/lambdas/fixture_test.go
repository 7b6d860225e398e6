package lambdas_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/lambdas"
	"github.com/openrasp/rasp/shared/routes"
)

var requestIDField = regexp.MustCompile(`"requestId":"[^"]*"`)

// A recorded API Gateway v2 event fed straight to the owning function's
// handler gives the same response as the same request through the local
// gateway: what works locally works deployed.
func TestFixtureEventsMatchGateway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	handlers := lambdas.HTTPFunctions(e.deps)
	cases := []struct {
		fixture    string
		wantStatus int
	}{
		{"testdata/get-questions.json", http.StatusOK},
		{"testdata/start-invalid.json", http.StatusUnprocessableEntity},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			raw, err := os.ReadFile(c.fixture)
			if err != nil {
				t.Fatal(err)
			}
			var ev events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatal(err)
			}
			route, _, ok := routes.Match(routes.Table(), ev.RequestContext.HTTP.Method, ev.RawPath)
			if !ok {
				t.Fatalf("fixture %s matches no route", ev.RouteKey)
			}
			direct, err := handlers[route.Function](context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}

			body := []byte(ev.Body)
			if ev.IsBase64Encoded {
				body, _ = base64.StdEncoding.DecodeString(ev.Body)
			}
			url := e.url + ev.RawPath
			if ev.RawQueryString != "" {
				url += "?" + ev.RawQueryString
			}
			req, _ := http.NewRequest(ev.RequestContext.HTTP.Method, url, bytes.NewReader(body))
			for k, v := range ev.Headers {
				if k != "host" {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var viaGateway bytes.Buffer
			_, _ = viaGateway.ReadFrom(resp.Body)

			if direct.StatusCode != c.wantStatus || resp.StatusCode != direct.StatusCode {
				t.Fatalf("status: direct %d, gateway %d, want %d", direct.StatusCode, resp.StatusCode, c.wantStatus)
			}
			if got, want := resp.Header.Get("Content-Type"), direct.Headers["content-type"]; got != want {
				t.Errorf("content-type: gateway %q, direct %q", got, want)
			}
			norm := func(s string) string { return requestIDField.ReplaceAllString(s, `"requestId":"-"`) }
			if got, want := norm(viaGateway.String()), norm(direct.Body); got != want {
				t.Errorf("body differs:\ngateway %.300s\ndirect  %.300s", got, want)
			}
		})
	}
}
