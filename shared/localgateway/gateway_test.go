package localgateway_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// echo is a Lambda handler that returns the event it received.
func echo(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	b, _ := json.Marshal(ev)
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"content-type": "application/json"},
		Cookies: []string{"a=1; HttpOnly", "b=2"}, Body: base64.StdEncoding.EncodeToString(b), IsBase64Encoded: true}, nil
}

func TestGateway(t *testing.T) {
	table := []routes.Route{
		{Name: "one", Method: "GET", Path: "/things/{id}", Function: "f"},
		{Name: "new", Method: "GET", Path: "/things/new", Function: "f"},
		{Name: "put", Method: "PUT", Path: "/things/{id}", Function: "f"},
	}
	gw := &localgateway.Gateway{Routes: table, Functions: map[string]localgateway.LambdaHandler{"f": echo}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(gw)
	defer srv.Close()

	t.Run("event", func(t *testing.T) {
		req, _ := http.NewRequest("GET", srv.URL+"/things/a%2Fb?x=1&x=2&y=3", nil)
		req.Header.Set("X-Custom", "v")
		req.Header.Add("Cookie", "s=1; t=2")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ev events.APIGatewayV2HTTPRequest
		if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil {
			t.Fatal(err)
		}
		checks := []struct{ name, got, want string }{
			{"routeKey", ev.RouteKey, "GET /things/{id}"},
			{"rawPath", ev.RawPath, "/things/a%2Fb"},
			{"rawQueryString", ev.RawQueryString, "x=1&x=2&y=3"},
			{"query x", ev.QueryStringParameters["x"], "1,2"},
			{"path param", ev.PathParameters["id"], "a/b"},
			{"header lower-cased", ev.Headers["x-custom"], "v"},
			{"cookies", strings.Join(ev.Cookies, "|"), "s=1|t=2"},
			{"method", ev.RequestContext.HTTP.Method, "GET"},
			{"version", ev.Version, "2.0"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
			}
		}
		if ev.RequestContext.RequestID == "" {
			t.Error("no request id")
		}
		if got := resp.Header.Values("Set-Cookie"); len(got) != 2 || got[0] != "a=1; HttpOnly" {
			t.Errorf("set-cookie: got %v", got)
		}
	})
	t.Run("literal beats parameter", func(t *testing.T) {
		resp, _ := http.Get(srv.URL + "/things/new")
		var ev events.APIGatewayV2HTTPRequest
		_ = json.NewDecoder(resp.Body).Decode(&ev)
		resp.Body.Close()
		if ev.RouteKey != "GET /things/new" {
			t.Errorf("got %s", ev.RouteKey)
		}
	})
	t.Run("binary body is base64", func(t *testing.T) {
		req, _ := http.NewRequest("PUT", srv.URL+"/things/1", bytes.NewReader([]byte{0, 1, 2}))
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, _ := http.DefaultClient.Do(req)
		var ev events.APIGatewayV2HTTPRequest
		_ = json.NewDecoder(resp.Body).Decode(&ev)
		resp.Body.Close()
		if !ev.IsBase64Encoded || ev.Body != "AAEC" {
			t.Errorf("got base64=%v body=%q", ev.IsBase64Encoded, ev.Body)
		}
	})
	for _, c := range []struct {
		name, method, path string
		body               io.Reader
		want               int
		wantBody           string
	}{
		{"unknown route", "GET", "/nothing", nil, 404, `{"message":"Not Found"}`},
		{"unknown method", "DELETE", "/things/1", nil, 404, `{"message":"Not Found"}`},
		{"payload over 10 MB", "PUT", "/things/1", bytes.NewReader(make([]byte, localgateway.MaxPayload+1)), 413, `{"message":"Request Entity Too Large"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, c.body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want || string(b) != c.wantBody {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, b, c.want, c.wantBody)
			}
		})
	}
}
