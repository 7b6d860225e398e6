// Package httpapi is the glue between API Gateway HTTP API (payload 2.0)
// events and RASP handlers: routing by the one route table, decoding JSON
// with limits, mapping failure codes to statuses in one place, problem
// documents, and a structured access log.
package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/aws/aws-lambda-go/events"

	"github.com/openrasp/rasp/shared/action"
	"github.com/openrasp/rasp/shared/api"
	"github.com/openrasp/rasp/shared/assessment"
	"github.com/openrasp/rasp/shared/auth"
	"github.com/openrasp/rasp/shared/config"
	"github.com/openrasp/rasp/shared/failure"
	"github.com/openrasp/rasp/shared/idempotency"
	"github.com/openrasp/rasp/shared/locale"
	"github.com/openrasp/rasp/shared/partnership"
	"github.com/openrasp/rasp/shared/ratelimit"
	"github.com/openrasp/rasp/shared/routes"
)

// Request is an incoming event with its matched route.
type Request struct {
	Event  *events.APIGatewayV2HTTPRequest
	Route  routes.Route
	Params map[string]string
	// Principal is who the credential proved to be, set by the router's auth
	// middleware from Route.Auth before the handler runs; nil on public routes.
	Principal *auth.Principal
	// Idem is the request's Idempotency-Key, checked and scoped by the
	// router on Route.Idempotent routes; the zero Request without one.
	Idem idempotency.Request

	limiter *ratelimit.Limiter
	edge    config.Edge
}

// OriginSecretHeader is the header CloudFront adds to every request it
// forwards to the API (infra/edge.go), overwriting any a viewer sent.
const OriginSecretHeader = "x-origin-verify"

// ErrNotThroughEdge refuses a request that reached API Gateway without
// passing CloudFront, where the WAF rules apply.
var ErrNotThroughEdge = failure.New(failure.Forbidden, "Use the service's public address: this one does not take requests.")

// throughEdge reports whether the request may be served: always without
// an origin secret, else only when it carries it.
func (r *Request) throughEdge() bool {
	return r.edge.OriginSecret == "" || auth.SameSecret(r.Header(OriginSecretHeader), r.edge.OriginSecret)
}

// ClientAddress is the client's address as the rate limits key it: the
// CDN's viewer-address header when the stack puts one in front
// (CLIENT_IP_HEADER) and the request came through it, else API Gateway's
// source address.
func (r *Request) ClientAddress() string {
	h := ""
	if r.edge.ClientIPHeader != "" && r.throughEdge() {
		h = r.Header(r.edge.ClientIPHeader)
	}
	return ratelimit.ClientAddress(h, r.Event.RequestContext.HTTP.SourceIP)
}

// Limit counts one use of p by subject (a code or an address being tried),
// for the limits a handler can apply only once it has read the body; the
// router applies Route.Limit per client address itself. It is an internal
// error on a function built without a limiter, so a route cannot go
// unlimited by mistake.
func (r *Request) Limit(ctx context.Context, p ratelimit.Policy, subject string) error {
	if r.limiter == nil {
		return failure.New(failure.Internal, "route %s applies a rate limit but its function has no limiter", r.Route.Name)
	}
	return r.limiter.Allow(ctx, p, subject)
}

// Response is what handlers return.
type Response = events.APIGatewayV2HTTPResponse

// Handler serves one route. A returned error is turned into a problem
// document by its failure code; handlers never build error responses.
type Handler func(ctx context.Context, req *Request) (*Response, error)

// Header returns a request header (names are lower-cased by API Gateway).
func (r *Request) Header(name string) string {
	return r.Event.Headers[strings.ToLower(name)]
}

// Idempotency scopes a client's idempotency key to this request's route and
// path, which names the resources its principal proved access to, so one key
// on two routes or by two principals is two requests (docs/design.md D2).
// key is the Idempotency-Key header for the API (IdempotencyKey) or a
// page form's hidden field.
func (r *Request) Idempotency(key string) (idempotency.Request, error) {
	path := r.Event.RawPath
	if path == "" {
		path = r.Event.RequestContext.HTTP.Path
	}
	return idempotency.New(key, r.Route.Name+" "+path)
}

// IdempotencyKey is Idempotency with the request's Idempotency-Key header.
func (r *Request) IdempotencyKey() (idempotency.Request, error) {
	return r.Idempotency(r.Header(idempotency.Header))
}

// Query returns a query string parameter.
func (r *Request) Query(name string) string {
	return r.Event.QueryStringParameters[name]
}

// Param returns a path parameter.
func (r *Request) Param(name string) string { return r.Params[name] }

// Body returns the raw body, decoding base64 when API Gateway encoded it.
func (r *Request) Body() ([]byte, error) {
	if !r.Event.IsBase64Encoded {
		return []byte(r.Event.Body), nil
	}
	b, err := base64.StdEncoding.DecodeString(r.Event.Body)
	if err != nil {
		return nil, failure.New(failure.BadRequest, "The request body is not valid base64.")
	}
	return b, nil
}

// Cookie returns the value of a request cookie.
func (r *Request) Cookie(name string) string {
	for _, c := range r.Event.Cookies {
		k, v, ok := strings.Cut(c, "=")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// BearerToken returns the token of an "Authorization: Bearer" header.
func (r *Request) BearerToken() string {
	h := r.Header("authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// RequestID is API Gateway's request id, echoed in problems and logs.
func (r *Request) RequestID() string { return r.Event.RequestContext.RequestID }

// Secure reports whether the client reached us over HTTPS.
func (r *Request) Secure() bool {
	return r.Header("x-forwarded-proto") == "https" || r.Event.RequestContext.DomainName != "" &&
		!strings.HasPrefix(r.Event.RequestContext.DomainName, "127.0.0.1") &&
		!strings.HasPrefix(r.Event.RequestContext.DomainName, "localhost")
}

// JSON returns a JSON response.
func JSON(status int, v any) (*Response, error) {
	var body string
	if a, ok := v.(jsonAppender); ok {
		b, err := a.AppendJSON(make([]byte, 0, appendHint.Load()))
		if err != nil {
			return nil, failure.Wrap(failure.Internal, err, "encode response")
		}
		appendHint.Store(int64(len(b)) + int64(len(b))/8)
		// The body owns b from here and nothing writes to it again (what
		// strings.Builder does), so it is not copied.
		body = unsafe.String(unsafe.SliceData(b), len(b))
	} else {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, failure.Wrap(failure.Internal, err, "encode response")
		}
		body = string(b)
	}
	return &Response{
		StatusCode: status,
		Headers:    map[string]string{"content-type": "application/json", "cache-control": "no-store"},
		Body:       body,
	}, nil
}

// appendHint is the size to start a body written by AppendJSON at: a
// little more than the last one, so a warm function writes a comparison
// without growing its buffer.
var appendHint atomic.Int64

func init() { appendHint.Store(16 << 10) }

// jsonAppender is a body that writes itself as JSON without reflection,
// byte for byte what encoding/json would write (api.Comparison: the
// largest body, maps keyed by council).
type jsonAppender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// Text returns a body with the given content type.
func Text(status int, contentType, body string) *Response {
	return &Response{
		StatusCode: status,
		Headers:    map[string]string{"content-type": contentType, "cache-control": "no-store"},
		Body:       body,
	}
}

// Attachment returns a download: the browser saves body as filename.
func Attachment(contentType, filename, body string) *Response {
	r := Text(http.StatusOK, contentType, body)
	r.Headers["content-disposition"] = `attachment; filename="` + filename + `"`
	return r
}

// InLanguage marks r as written in l, chosen by Accept-Language, so that
// caches keep one copy per language.
func InLanguage(r *Response, l locale.Lang) *Response {
	r.Headers["content-language"] = l.Tag()
	addVary(r.Headers, "Accept-Language")
	return r
}

// Language is the language the request asks for (Accept-Language), English
// when it names none we have.
func (r *Request) Language() locale.Lang { return locale.Negotiate(r.Header("accept-language")) }

// NoContent returns 204.
func NoContent() *Response {
	return &Response{StatusCode: http.StatusNoContent, Headers: map[string]string{"cache-control": "no-store"}}
}

// statusOf is the one table mapping failure codes to HTTP statuses.
var statusOf = map[failure.Code]int{
	failure.BadRequest:         http.StatusBadRequest,
	failure.Invalid:            http.StatusUnprocessableEntity,
	failure.Unauthorized:       http.StatusUnauthorized,
	failure.Forbidden:          http.StatusForbidden,
	failure.NotFound:           http.StatusNotFound,
	failure.MethodNotAllowed:   http.StatusMethodNotAllowed,
	failure.Conflict:           http.StatusConflict,
	failure.PreconditionFailed: http.StatusPreconditionFailed,
	failure.TooLarge:           http.StatusRequestEntityTooLarge,
	failure.UnsupportedMedia:   http.StatusUnsupportedMediaType,
	failure.TooManyRequests:    http.StatusTooManyRequests,
	failure.Unavailable:        http.StatusServiceUnavailable,
	failure.Internal:           http.StatusInternalServerError,
}

// StatusOf returns the HTTP status for an error's failure code.
func StatusOf(err error) int {
	if s, ok := statusOf[failure.CodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Problem turns an error into an RFC 9457 problem document in l: its title
// and the domain's messages from the catalogue (locale.ErrorTexts), a
// message the catalogue lacks as the domain wrote it. Internal errors show
// only a generic message and the request id. Content-Language names l.
func Problem(err error, requestID string, l locale.Lang) *Response {
	status := StatusOf(err)
	typ, title := ProblemType(err)
	c := locale.Messages()
	if l != locale.English {
		title = problemTitle(err, status, l, title)
	}
	p := api.Problem{Type: typ, Title: title, Status: status, RequestID: requestID}
	if fe, ok := failure.As(err); ok && fe.Code != failure.Internal {
		p.Detail = DetailText(l, fe)
		for _, f := range fe.Fields {
			p.Errors = append(p.Errors, api.FieldError{Field: f.Field, Message: FieldText(l, f)})
		}
		api.SealedOf(err, &p)
	} else {
		p.Detail = c.T(l, "problem.internal", nil)
	}
	b, _ := json.Marshal(p)
	resp := &Response{
		StatusCode: status,
		Headers: map[string]string{"content-type": "application/problem+json", "cache-control": "no-store",
			"content-language": l.Tag()},
		Body: string(b),
	}
	if v := RetryAfter(err); v != "" {
		resp.Headers["retry-after"] = v
	}
	return resp
}

var kindTitles = map[failure.Kind]string{
	failure.KindSealed:           "The comparison is sealed",
	failure.KindStale:            "The state has moved on",
	failure.KindAlreadySubmitted: "The assessment is already submitted",
}

// ProblemType returns the type URI (failure.TypeOf, docs/design.md D3) and
// the fixed English title of the problem for err. The English titles stay
// in Go beside the type URIs they name: a client may match on them.
func ProblemType(err error) (typ, title string) {
	typ = failure.TypeOf(err)
	if fe, ok := failure.As(err); ok && fe.Kind != "" && typ == failure.TypePrefix+string(fe.Kind) {
		return typ, kindTitles[fe.Kind]
	}
	return typ, http.StatusText(StatusOf(err))
}

// problemTitle is the title of err's problem in l: "problem.kind.<kind>" or
// "problem.status.<status>" in the catalogue, else the English title.
func problemTitle(err error, status int, l locale.Lang, english string) string {
	c := locale.Messages()
	key := "problem.status." + strconv.Itoa(status)
	if fe, ok := failure.As(err); ok && fe.Kind != "" && kindTitles[fe.Kind] != "" {
		key = "problem.kind." + string(fe.Kind)
	}
	if !c.Has(key) {
		return english
	}
	return c.T(l, key, nil)
}

// errorTexts fills the limits the domain's messages quote.
var errorTexts = locale.NewErrorTexts(map[string]any{"Max": assessment.MaxName, "MaxReason": assessment.MaxReason, "MaxSeats": partnership.MaxSeats,
	"MaxActionTitle": action.MaxTitle, "MaxActionRole": action.MaxRole, "MaxActionNote": action.MaxNote, "MaxActionNotes": action.MaxNotes,
	"MaxActionQuestions": action.MaxQuestions, "MaxOwnActions": assessment.MaxOwnActions,
	"MaxAdmins": partnership.MaxAdmins, "MaxAdminText": partnership.MaxAdminText})

// ErrorText is msg, a domain message in English, in l (the pages use it
// for their form errors too).
func ErrorText(l locale.Lang, msg string) string {
	if l == locale.English {
		return msg
	}
	s, _ := errorTexts.In(l, msg)
	return s
}

// FieldText is f's message in l: from its Text when it quotes values,
// else its English looked up (ErrorText).
func FieldText(l locale.Lang, f failure.FieldError) string { return textIn(l, f.Message, f.Text) }

// DetailText is e's message in l, the same way as FieldText.
func DetailText(l locale.Lang, e *failure.Error) string { return textIn(l, e.Message, e.Text) }

func textIn(l locale.Lang, msg string, t *failure.Text) string {
	if t == nil || l == locale.English || !locale.Messages().Has(t.Key) {
		return ErrorText(l, msg)
	}
	return t.In(l)
}

// RetryAfter is the Retry-After value for an error: its own wait when it
// has one (a rate limit says when its window ends), else 1 second for an
// unavailable dependency; "" for errors that retrying will not cure.
func RetryAfter(err error) string {
	code := failure.CodeOf(err)
	if code != failure.Unavailable && code != failure.TooManyRequests {
		return ""
	}
	if fe, ok := failure.As(err); ok && fe.RetryAfter > 0 {
		return strconv.Itoa(int(math.Ceil(fe.RetryAfter.Seconds())))
	}
	return "1"
}

// securityHeaders are set on every response unless the handler set them.
var securityHeaders = map[string]string{
	"x-content-type-options": "nosniff",
	"referrer-policy":        "no-referrer",
}

// Pages is what the router needs from an HTML front end: the page for an
// error, and the headers every page carries. Only the web function has one.
type Pages interface {
	ErrorPage(ctx context.Context, req *Request, err error) *Response
	Secure(req *Request, resp *Response)
}

// Options are the parts a router may need besides its handlers.
type Options struct {
	Log *slog.Logger
	// Auth resolves credentials; required when a route of the function is
	// not public.
	Auth *auth.Resolver
	// Pages renders the errors of page routes; required when the function
	// owns one.
	Pages Pages
	// Deadline bounds each request (zero: DefaultDeadline); the functions
	// pass config.Config.RequestTimeout.
	Deadline time.Duration
	// CORS lists the origins allowed beyond the public reads
	// (config.Config.CORSOrigins).
	CORS CORS
	// Limiter applies the rate limits; required when a route of the
	// function has a Limit.
	Limiter *ratelimit.Limiter
	// Edge says what CloudFront adds in front of the API, when the stack
	// puts it there (config.Config.Edge).
	Edge config.Edge
}

// Router dispatches events to the handlers of one function. It is the one
// place that recovers from panics, checks page form posts for cross-origin
// requests, enforces Route.Auth and turns errors into responses: a problem
// document for the API, an HTML page for a page route.
type Router struct {
	function string
	table    []routes.Route
	handlers map[string]Handler
	log      *slog.Logger
	auth     *auth.Resolver
	pages    Pages
	deadline time.Duration
	cors     CORS
	limiter  *ratelimit.Limiter
	edge     config.Edge
}

// DefaultDeadline bounds a request when the router is given none (tools and
// tests): API Gateway's integration limit. The functions are given the
// configured deadline (config.DefaultRequestTimeout, 8 s), inside their
// 10 s timeout, so we answer 503 + Retry-After ourselves rather than API
// Gateway answering a bare 5xx.
const DefaultDeadline = 30 * time.Second

// deadlineMargin is kept back from the Lambda's own deadline so a request
// that runs out of time still has time to send its 503.
const deadlineMargin = 500 * time.Millisecond

// NewRouter builds the router of one function. Every route the table gives
// the function must have a handler, and no handler may be left over; a
// protected route needs o.Auth and a page route o.Pages. A mismatch is a
// wiring bug, reported at start-up rather than on a request.
func NewRouter(function string, handlers map[string]Handler, o Options) (*Router, error) {
	table := routes.For(function)
	seen := map[string]bool{}
	for _, r := range table {
		if handlers[r.Name] == nil {
			return nil, errors.New("httpapi: no handler for route " + r.Name + " of function " + function)
		}
		if r.Auth != routes.Public && o.Auth == nil {
			return nil, errors.New("httpapi: route " + r.Name + " needs " + string(r.Auth) + " but function " + function + " has no auth resolver")
		}
		if r.Limit.Name != "" && o.Limiter == nil {
			return nil, errors.New("httpapi: route " + r.Name + " is rate-limited but function " + function + " has no limiter")
		}
		if r.Page() && o.Pages == nil {
			return nil, errors.New("httpapi: page route " + r.Name + " but function " + function + " renders no pages")
		}
		seen[r.Name] = true
	}
	for name := range handlers {
		if !seen[name] {
			return nil, errors.New("httpapi: handler " + name + " is not a route of function " + function)
		}
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	return &Router{function: function, table: table, handlers: handlers, log: o.Log, auth: o.Auth, pages: o.Pages, deadline: o.Deadline, cors: o.CORS,
		limiter: o.Limiter, edge: config.Edge{ClientIPHeader: strings.ToLower(o.Edge.ClientIPHeader), OriginSecret: o.Edge.OriginSecret}}, nil
}

// MustRouter is NewRouter for main(): it panics on a wiring bug.
func MustRouter(function string, handlers map[string]Handler, o Options) *Router {
	r, err := NewRouter(function, handlers, o)
	if err != nil {
		panic(err)
	}
	return r
}

// Handle is the Lambda entry point.
func (rt *Router) Handle(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	start := time.Now()
	route, params, ok := rt.find(&ev)
	var resp *Response
	if !ok {
		resp = rt.unmatched(ctx, &ev)
	} else {
		req := &Request{Event: &ev, Route: route, Params: params, limiter: rt.limiter, edge: rt.edge}
		resp = finish(req, rt.serve(ctx, req))
		if !route.Page() {
			rt.cors.apply(req, resp)
		}
	}
	for k, v := range securityHeaders {
		if _, set := resp.Headers[k]; !set {
			resp.Headers[k] = v
		}
	}
	if ev.RequestContext.HTTP.Method == http.MethodHead {
		// HEAD is the GET without its body: same status and headers,
		// Content-Length included (RFC 9110 9.3.2, 8.6).
		n := len(resp.Body)
		if resp.IsBase64Encoded {
			n = base64.StdEncoding.DecodedLen(len(resp.Body)) - strings.Count(resp.Body, "=")
		}
		if n > 0 {
			resp.Headers["content-length"] = strconv.Itoa(n)
		}
		resp.Body, resp.IsBase64Encoded = "", false
	}
	rt.log.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("requestId", ev.RequestContext.RequestID),
		slog.String("function", rt.function),
		slog.String("route", route.Name),
		slog.String("method", ev.RequestContext.HTTP.Method),
		slog.Int("status", resp.StatusCode),
		slog.Float64("durationMs", float64(time.Since(start).Microseconds())/1000),
	)
	return *resp, nil
}

// find selects the route: by route key as API Gateway sends it, else by
// matching the path (for events replayed from elsewhere).
func (rt *Router) find(ev *events.APIGatewayV2HTTPRequest) (routes.Route, map[string]string, bool) {
	for _, r := range rt.table {
		for _, m := range r.Methods() {
			if r.KeyFor(m) == ev.RouteKey {
				return r, ev.PathParameters, true
			}
		}
	}
	path := ev.RawPath
	if path == "" {
		path = ev.RequestContext.HTTP.Path
	}
	return routes.Match(rt.table, ev.RequestContext.HTTP.Method, path)
}

// unmatched answers a request no route of the function matches: API
// Gateway's $default route and the local gateway send these to the web
// function (docs/design.md D5). A path the route table knows, asked with
// another method, is 405 with Allow; any other is 404. Under /api/ the
// answer is a problem document; elsewhere, from a function with pages, the
// GOV.UK page, so a mistyped address never shows raw JSON.
func (rt *Router) unmatched(ctx context.Context, ev *events.APIGatewayV2HTTPRequest) *Response {
	path := ev.RawPath
	if path == "" {
		path = ev.RequestContext.HTTP.Path
	}
	req := &Request{Event: ev, Route: routes.Route{Name: "unmatched", Function: rt.function, Auth: routes.Public}, edge: rt.edge}
	if rt.pages != nil && path != "/api" && !strings.HasPrefix(path, "/api/") {
		req.Route.Tag = "html"
	}
	if !req.throughEdge() {
		resp := rt.fail(ctx, req, ErrNotThroughEdge)
		if req.Route.Page() {
			rt.pages.Secure(req, resp)
		}
		return resp
	}
	var err error = failure.New(failure.NotFound, "There is nothing at this address.")
	allow := routes.Methods(routes.Table(), path)
	if ev.RequestContext.HTTP.Method == http.MethodOptions && len(allow) > 0 && !req.Route.Page() {
		resp, err := rt.cors.preflight(ev, path)
		if err != nil {
			return rt.fail(ctx, req, err)
		}
		return resp
	}
	if len(allow) > 0 {
		err = failure.Said(failure.MethodNotAllowed, "error.request.methodAllowed", "Method", ev.RequestContext.HTTP.Method, "Allow", strings.Join(allow, ", "))
	}
	resp := rt.fail(ctx, req, err)
	if len(allow) > 0 {
		resp.Headers["allow"] = strings.Join(allow, ", ")
	}
	if req.Route.Page() {
		rt.pages.Secure(req, resp)
	}
	return resp
}

// ErrCrossOrigin refuses a page form posted from another site (CSRF), on
// top of the SameSite=Strict cookies.
var ErrCrossOrigin = failure.New(failure.Forbidden, "You cannot send this form from another website.")

func (rt *Router) serve(ctx context.Context, req *Request) (resp *Response) {
	defer func() {
		if p := recover(); p != nil {
			rt.log.ErrorContext(ctx, "panic", slog.String("requestId", req.RequestID()), slog.String("route", req.Route.Name), slog.Any("panic", p))
			resp = rt.fail(ctx, req, failure.New(failure.Internal, "panic"))
		}
		if req.Route.Page() && resp != nil {
			rt.pages.Secure(req, resp)
		}
	}()
	// The request's deadline covers everything, the credential's lookup
	// included.
	d := rt.deadline
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl)-deadlineMargin)
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	if !req.throughEdge() {
		return rt.fail(ctx, req, ErrNotThroughEdge)
	}
	if req.Route.Page() {
		if err := crossOrigin(req); err != nil {
			rt.log.WarnContext(ctx, "cross-origin form post refused", slog.String("requestId", req.RequestID()), slog.String("route", req.Route.Name))
			return rt.fail(ctx, req, ErrCrossOrigin)
		}
	}
	if err := rt.authenticate(ctx, req); err != nil {
		return rt.fail(ctx, req, err)
	}
	// Counted after the cross-origin and credential checks, so refused
	// requests cost no write, and before the handler, so a refused one
	// writes nothing else either. A GET of a limited page (its form) is
	// not counted: only the method that acts.
	if req.Route.Limit.Name != "" && req.Route.Method != http.MethodGet {
		if err := req.Limit(ctx, req.Route.Limit, req.ClientAddress()); err != nil {
			return rt.fail(ctx, req, err)
		}
	}
	if req.Route.Idempotent {
		idem, err := req.IdempotencyKey()
		if err != nil {
			return rt.fail(ctx, req, err)
		}
		req.Idem = idem
	}
	resp, err := rt.handlers[req.Route.Name](ctx, req)
	if err != nil {
		return rt.fail(ctx, req, err)
	}
	if resp == nil {
		return rt.fail(ctx, req, failure.New(failure.Internal, "handler returned no response"))
	}
	if resp.Headers == nil {
		resp.Headers = map[string]string{}
	}
	return resp
}

// fail is the one error renderer: it logs what people must not see and
// answers in the route's kind, a page or a problem document.
func (rt *Router) fail(ctx context.Context, req *Request, err error) *Response {
	if code := failure.CodeOf(err); code == failure.Internal || code == failure.Unavailable {
		// The cause may name tables or keys but never tokens or personal
		// data: handlers wrap store errors with ids only.
		rt.log.ErrorContext(ctx, "request failed", slog.String("requestId", req.RequestID()),
			slog.String("route", req.Route.Name), slog.String("code", string(code)), slog.String("error", err.Error()))
	}
	if req.Route.Page() {
		return rt.pages.ErrorPage(ctx, req, err)
	}
	return Problem(err, req.RequestID(), req.Language())
}

// crossOrigin refuses form posts from other sites: Sec-Fetch-Site from
// modern browsers, else Origin against Host (net/http's
// CrossOriginProtection, applied to the event). Safe methods pass, and so
// does a request with neither header: it is not from a browser (a mail
// provider's one-click unsubscribe, RFC 8058).
func crossOrigin(req *Request) error {
	r := &http.Request{Method: req.Event.RequestContext.HTTP.Method, Header: http.Header{}, Host: req.Header("host"), URL: &url.URL{Path: req.Event.RawPath}}
	for _, h := range []string{"Sec-Fetch-Site", "Origin"} {
		if v := req.Header(h); v != "" {
			r.Header.Set(h, v)
		}
	}
	return http.NewCrossOriginProtection().Check(r)
}

// Reply adapts a call returning a value to a Handler that sends it as JSON
// with the given status.
func Reply[Out any](status int, call func(ctx context.Context, req *Request) (Out, error)) Handler {
	return func(ctx context.Context, req *Request) (*Response, error) {
		out, err := call(ctx, req)
		if err != nil {
			return nil, err
		}
		return JSON(status, out)
	}
}

// Decode adapts a call taking a JSON body to a Handler: the body is decoded
// with DecodeJSON's rules first, and the result is sent as JSON.
func Decode[In, Out any](status int, call func(ctx context.Context, req *Request, in In) (Out, error)) Handler {
	return func(ctx context.Context, req *Request) (*Response, error) {
		var in In
		if err := DecodeJSON(req, &in); err != nil {
			return nil, err
		}
		out, err := call(ctx, req, in)
		if err != nil {
			return nil, err
		}
		return JSON(status, out)
	}
}

// DecodeOptional is Decode for a route whose body may be left out
// (Route.RequestOptional): no body, or only white space, is the zero In.
func DecodeOptional[In, Out any](status int, call func(ctx context.Context, req *Request, in In) (Out, error)) Handler {
	return func(ctx context.Context, req *Request) (*Response, error) {
		var in In
		body, err := req.Body()
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if err := DecodeJSON(req, &in); err != nil {
				return nil, err
			}
		}
		out, err := call(ctx, req, in)
		if err != nil {
			return nil, err
		}
		return JSON(status, out)
	}
}
