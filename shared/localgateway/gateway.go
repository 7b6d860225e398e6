// Package localgateway stands in for API Gateway HTTP API on a developer's
// machine: it turns each HTTP request into the payload 2.0 event API Gateway
// would send, calls the owning function's Lambda handler in-process, and
// writes the handler's response back. Behaviour that clients can see (404
// body, 413 over 10 MB, cookies, base64) follows API Gateway's.
package localgateway

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/routes"
)

// MaxPayload is API Gateway's request payload limit.
const MaxPayload = 10 << 20

// LambdaHandler is a function's Lambda entry point.
type LambdaHandler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Gateway routes by the route table to in-process handlers.
type Gateway struct {
	Routes    []routes.Route
	Functions map[string]LambdaHandler
	Log       *slog.Logger
	// Timeout is the integration limit (zero: IntegrationTimeout, as in API
	// Gateway). A function that has not answered by then gets the
	// gateway's own bare reply, as deployed.
	Timeout time.Duration
}

// IntegrationTimeout is API Gateway HTTP API's limit on an integration;
// past it the client gets a 504 from the gateway, not the function's reply
// (https://repost.aws/knowledge-center/api-gateway-504-errors).
const IntegrationTimeout = 30 * time.Second

func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, params, ok := routes.Match(g.Routes, r.Method, r.URL.EscapedPath())
	fn := g.Functions[route.Function]
	if !ok {
		// As API Gateway's $default route: the web function answers what
		// no route matches (docs/design.md D5).
		fn, route, params = g.Functions[routes.FnWeb], routes.Route{}, nil
	}
	if fn == nil {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayload+1))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if len(body) > MaxPayload {
		writeMessage(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	ev := Event(r, route, params, body)
	switch {
	case !ok:
		ev.RouteKey, ev.RequestContext.RouteKey = routes.DefaultKey, routes.DefaultKey
	case r.Method != route.Method:
		// A GET route's HEAD twin has its own key, as in API Gateway.
		ev.RouteKey = route.KeyFor(r.Method)
		ev.RequestContext.RouteKey = ev.RouteKey
	}
	limit := g.Timeout
	if limit <= 0 {
		limit = IntegrationTimeout
	}
	ctx, cancel := context.WithTimeout(r.Context(), limit)
	defer cancel()
	type result struct {
		resp events.APIGatewayV2HTTPResponse
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := fn(ctx, ev)
		done <- result{resp, err}
	}()
	var resp events.APIGatewayV2HTTPResponse
	select {
	case res := <-done:
		resp, err = res.resp, res.err
	case <-ctx.Done():
		g.Log.Error("integration timed out", slog.String("requestId", ev.RequestContext.RequestID), slog.Duration("limit", limit))
		writeMessage(w, http.StatusGatewayTimeout, "Endpoint request timed out")
		return
	}
	if err != nil {
		// API Gateway answers a failed invocation with a bare 500.
		g.Log.Error("handler returned an error", slog.String("requestId", ev.RequestContext.RequestID), slog.String("error", err.Error()))
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	WriteResponse(w, resp)
}

// Event builds the API Gateway payload 2.0 event for a request.
func Event(r *http.Request, route routes.Route, params map[string]string, body []byte) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	if r.Host != "" {
		headers["host"] = r.Host
	}
	var query map[string]string
	for k, vs := range r.URL.Query() {
		if query == nil {
			query = map[string]string{}
		}
		query[k] = strings.Join(vs, ",")
	}
	now := time.Now().UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              route.Key(),
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			AccountID:  "000000000000",
			APIID:      "local",
			DomainName: r.Host,
			Stage:      "$default",
			RequestID:  requestID(),
			RouteKey:   route.Key(),
			Time:       now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:  now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP(r.RemoteAddr),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(headers["content-type"]) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// WriteResponse writes a Lambda proxy response as API Gateway does.
func WriteResponse(w http.ResponseWriter, resp events.APIGatewayV2HTTPResponse) {
	h := w.Header()
	keys := make([]string, 0, len(resp.Headers))
	for k := range resp.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.Set(k, resp.Headers[k])
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
			return
		}
		body = b
	}
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	if h.Get("Content-Length") == "" && resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusNotModified {
		// API Gateway buffers the reply and says how long it is; a HEAD
		// reply brings the GET's length from the router.
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"message":"`+msg+`"}`)
}

// isText reports whether API Gateway would pass the body as text.
func isText(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml") ||
		mt == "application/x-www-form-urlencoded" || mt == "application/javascript"
}

func sourceIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

func requestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
