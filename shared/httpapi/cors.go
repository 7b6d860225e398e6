package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/routes"
)

// CORS is who may call the API from a page of another origin
// (docs/api-contract.md). The public read-only routes (question bank, this
// document, health) may be read from any origin. Everything else, the token
// routes and the public creating POSTs, only from the origins a deployment
// lists (CORS_ORIGINS; none by default), so a council's own web app can be
// allowed without opening the API to every site. The preflight (OPTIONS) is
// answered here from the route table, because API Gateway's corsPreflight
// is API-wide.
type CORS struct {
	// Origins are exact origins, "https://app.council.gov.uk".
	Origins []string
}

// corsHeaders are the request headers a browser may send cross-origin, and
// the reply headers its script may read.
const (
	publicReadHeaders = "If-None-Match"
	tokenHeaders      = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key"
	exposedHeaders    = "ETag, Location, Retry-After, Content-Disposition, Content-Language"
	preflightMaxAge   = "600" // seconds: browsers cap it lower anyway
)

// publicRead is a route any origin may read.
func publicRead(r routes.Route) bool {
	return r.Auth == routes.Public && r.Method == http.MethodGet && !r.Page()
}

func (c CORS) allows(origin string) bool {
	return origin != "" && slices.Contains(c.Origins, strings.ToLower(origin))
}

// apply adds the CORS headers to the reply of an API route.
func (c CORS) apply(req *Request, resp *Response) {
	switch origin := req.Header("origin"); {
	case publicRead(req.Route):
		setDefault(resp.Headers, "access-control-allow-origin", "*")
	case c.allows(origin):
		setDefault(resp.Headers, "access-control-allow-origin", origin)
		addVary(resp.Headers, "Origin")
	default:
		return
	}
	setDefault(resp.Headers, "access-control-expose-headers", exposedHeaders)
}

// preflight answers OPTIONS on a path of the table: 204 with what the
// browser may send when the origin may call the route asked for
// (Access-Control-Request-Method), else 403.
func (c CORS) preflight(ev *events.APIGatewayV2HTTPRequest, path string) (*Response, error) {
	header := func(k string) string { return (&Request{Event: ev}).Header(k) }
	origin, method := header("origin"), header("access-control-request-method")
	if method == "" {
		return nil, failure.New(failure.BadRequest, "OPTIONS here is a CORS preflight: send Origin and Access-Control-Request-Method.")
	}
	route, _, ok := routes.Match(routes.Table(), method, path)
	if !ok {
		return nil, failure.Said(failure.MethodNotAllowed, "error.request.method", "Method", method)
	}
	resp := NoContent()
	switch {
	case publicRead(route):
		resp.Headers["access-control-allow-origin"] = "*"
		resp.Headers["access-control-allow-methods"] = "GET, HEAD"
		resp.Headers["access-control-allow-headers"] = publicReadHeaders
	case c.allows(origin):
		resp.Headers["access-control-allow-origin"] = origin
		resp.Headers["access-control-allow-methods"] = strings.Join(routes.Methods(routes.Table(), path), ", ")
		resp.Headers["access-control-allow-headers"] = tokenHeaders
		resp.Headers["vary"] = "Origin"
	default:
		return nil, failure.New(failure.Forbidden, "Pages of this origin may not call this address; a deployment lists the origins it allows (CORS_ORIGINS).")
	}
	resp.Headers["access-control-max-age"] = preflightMaxAge
	return resp, nil
}

func addVary(h map[string]string, v string) {
	if cur := h["vary"]; cur != "" {
		if !strings.Contains(cur, v) {
			h["vary"] = cur + ", " + v
		}
		return
	}
	h["vary"] = v
}
